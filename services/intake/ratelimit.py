"""A per-client token bucket for the public form: pure, in memory, with an injectable clock.

Each client (an IPv4 address, or an IPv6 /64, since one household or phone is given a whole
/64) may send `Rate.reports` reports at once, and regains one every `per_seconds / reports`
seconds. Memory is bounded: past `max_clients`, the client seen longest ago is forgotten.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

RATE_ENV: Final = "CMEHUB_PUBLIC_FORM_RATE"
DEFAULT_RATE: Final = "10/600"
_RATE: Final = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Rate:
    """`reports` reports per `per_seconds` seconds, for one client."""

    reports: int
    per_seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"10/600"``: 10 reports per 600 seconds."""
        match = _RATE.match(text)
        if not match or int(match[1]) < 1 or int(match[2]) < 1:
            raise ValueError(
                f"{RATE_ENV}: {text!r} is not a rate; write reports/seconds, like {DEFAULT_RATE}"
            )
        return cls(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class Admission:
    allowed: bool
    retry_after: float = 0.0
    """Seconds until the client may send again (0 when allowed)."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucket:
    def __init__(
        self,
        rate: Rate,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.rate = rate
        self._capacity = float(rate.reports)
        self._per_token = rate.per_seconds / rate.reports
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, client: str) -> Admission:
        """Spend one of the client's tokens if it has one."""
        now = self._clock()
        bucket = self._refilled(client, now)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Admission(allowed=True)
        return Admission(allowed=False, retry_after=(1 - bucket.tokens) * self._per_token)

    def _refilled(self, client: str, now: float) -> _Bucket:
        bucket = self._buckets.pop(client, None) or _Bucket(self._capacity, now)
        gained = max(0.0, now - bucket.updated) / self._per_token
        bucket.tokens, bucket.updated = min(self._capacity, bucket.tokens + gained), now
        self._buckets[client] = bucket
        while len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        return bucket


def client_key(host: str | None) -> str:
    """The key a client is limited by: its IPv4 address, or its IPv6 /64 network."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else address)
