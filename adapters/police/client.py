"""Delivering messages to a force's webhook endpoint, and what its answer means.

Each request is a JSON POST signed with the force's current secret
(``adapters.webhooks.signing``), with ``Idempotency-Key: <alert_id>:<type>:<revision>``.
The answer is sorted into three outcomes:

- **accepted**: any 2xx. A body ``{"acknowledged": true, "police_reference": "..."}`` is
  also an acknowledgement of the alert, given in the response;
- **rejected**: a 3xx or a 4xx other than 408 and 429: the request as it stands will never
  be accepted, so it is not retried;
- **transient**: 5xx, 408, 429, timeouts and connection errors: retried with back-off
  (``Retry-After``, when given in seconds, is passed on).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx

from adapters.police.forces import Force
from adapters.police.messages import PoliceMessage, encode, idempotency_key
from adapters.webhooks.signing import sign

DEFAULT_TIMEOUT_S = 10.0
RETRY_STATUSES = frozenset({408, 429})
MAX_REFERENCE_LENGTH = 100


class OutcomeKind(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TRANSIENT = "transient"


@dataclass(frozen=True)
class Outcome:
    """What came of one delivery attempt. ``detail`` never holds personal data (a status
    line or an error class), so it can be logged and kept on the delivery row."""

    kind: OutcomeKind
    status: int | None = None
    detail: str = ""
    acknowledged: bool = False
    police_reference: str | None = None
    retry_after_s: float | None = None


def classify(status: int, body: bytes, headers: Mapping[str, str] | None = None) -> Outcome:
    """The outcome of an HTTP answer (pure: no I/O)."""
    detail = f"HTTP {status}"
    if 200 <= status < 300:
        acknowledged, reference = _acknowledgement(body)
        return Outcome(OutcomeKind.ACCEPTED, status, detail, acknowledged, reference)
    if status >= 500 or status in RETRY_STATUSES or status < 200:
        retry_after = _retry_after((headers or {}).get("retry-after"))
        return Outcome(OutcomeKind.TRANSIENT, status, detail, retry_after_s=retry_after)
    return Outcome(OutcomeKind.REJECTED, status, detail)


class PoliceClient:
    """Sends signed messages to forces over one pooled HTTP client."""

    def __init__(
        self,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        wall_clock: Callable[[], float] = time.time,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._wall_clock = wall_clock
        self._http = httpx.AsyncClient(
            timeout=timeout_s, transport=transport, follow_redirects=False
        )

    async def deliver(self, force: Force, message: PoliceMessage) -> Outcome:
        return await self.send(force, encode(message), idempotency_key(message))

    async def send(self, force: Force, body: bytes, key: str) -> Outcome:
        """POST an already encoded message (exactly these bytes: a retry sends the same)."""
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": key,
            **sign(force.signing_secret, body, now=self._wall_clock()),
        }
        try:
            response = await self._http.post(force.endpoint, content=body, headers=headers)
        except httpx.TimeoutException as error:
            return Outcome(OutcomeKind.TRANSIENT, detail=f"timeout ({type(error).__name__})")
        except httpx.TransportError as error:
            return Outcome(OutcomeKind.TRANSIENT, detail=f"no connection ({type(error).__name__})")
        return classify(response.status_code, response.content, response.headers)

    async def aclose(self) -> None:
        await self._http.aclose()


def _acknowledgement(body: bytes) -> tuple[bool, str | None]:
    try:
        answer: Any = json.loads(body) if body else None
    except ValueError:
        return False, None
    if not isinstance(answer, dict) or answer.get("acknowledged") is not True:
        return False, None
    reference = answer.get("police_reference")
    if not isinstance(reference, str) or not reference.strip():
        return True, None
    return True, reference.strip()[:MAX_REFERENCE_LENGTH]


def _retry_after(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())
