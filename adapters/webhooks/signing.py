"""Signed webhooks: HMAC-SHA256 over ``"<timestamp>." + body`` with a secret shared per party.

Outbound requests carry two headers::

    X-CMEHub-Timestamp: 1767225600
    X-CMEHub-Signature: v1=<64 lower-case hex digits>

An inbound request is accepted when its timestamp is within ``window_s`` of the receiver's
clock (either side, for clock skew) and its MAC matches one of the receiver's secrets (a list,
so a secret can be rotated: sign with the new one, accept old and new for a while). The
verifier returns the signature it accepted; refusing a second use of it (replay) is the
caller's job, for as long as the window lasts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

TIMESTAMP_HEADER = "X-CMEHub-Timestamp"
SIGNATURE_HEADER = "X-CMEHub-Signature"
SCHEME = "v1"
DEFAULT_WINDOW_S = 300.0

_TIMESTAMP = re.compile(r"^\d{1,12}$")
_SIGNATURE = re.compile(rf"^{SCHEME}=([0-9a-fA-F]{{64}})$")


class SignatureProblem(StrEnum):
    MISSING = "missing header"
    MALFORMED = "malformed header"
    TOO_OLD = "timestamp too old"
    IN_FUTURE = "timestamp too far in the future"
    MISMATCH = "signature does not match"


class SignatureError(Exception):
    """The request is not authentic (or no longer fresh); ``problem`` says why."""

    def __init__(self, problem: SignatureProblem, detail: str) -> None:
        super().__init__(f"{problem.value}: {detail}")
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Verified:
    """An authentic request: when it was signed, its signature (lower-case hex, the value to
    remember against replays) and which of the secrets verified it (0 = the current one)."""

    timestamp: int
    signature: str
    secret_index: int


def mac(secret: bytes, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body``."""
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: bytes, body: bytes, *, now: float) -> dict[str, str]:
    """The headers that authenticate ``body``, signed at ``now`` (unix seconds)."""
    if not secret:
        raise ValueError("a signing secret cannot be empty")
    timestamp = str(int(now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: f"{SCHEME}={mac(secret, timestamp, body)}",
    }


def verify(
    secret: bytes | Sequence[bytes],
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float,
    window_s: float = DEFAULT_WINDOW_S,
) -> Verified:
    """Check the request's headers against ``body``; raise SignatureError if it is not
    authentic or not fresh. ``secret`` may be a list (any of them verifies)."""
    secrets = [secret] if isinstance(secret, bytes) else list(secret)
    if not any(secrets):
        raise ValueError("no verification secret configured")
    timestamp_text, expected = _read_headers(headers)
    timestamp = int(timestamp_text)
    if now - timestamp > window_s:
        raise SignatureError(SignatureProblem.TOO_OLD, f"signed {int(now - timestamp)} s ago")
    if timestamp - now > window_s:
        raise SignatureError(
            SignatureProblem.IN_FUTURE, f"signed {int(timestamp - now)} s ahead of this clock"
        )
    for index, candidate in enumerate(secrets):
        if candidate and hmac.compare_digest(
            bytes.fromhex(mac(candidate, timestamp_text, body)), expected
        ):
            return Verified(timestamp, expected.hex(), index)
    raise SignatureError(SignatureProblem.MISMATCH, "no configured secret produces it")


def _read_headers(headers: Mapping[str, str]) -> tuple[str, bytes]:
    lowered = {key.lower(): value for key, value in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower())
    signature = lowered.get(SIGNATURE_HEADER.lower())
    for name, value in ((TIMESTAMP_HEADER, timestamp), (SIGNATURE_HEADER, signature)):
        if not value:
            raise SignatureError(SignatureProblem.MISSING, name)
    assert timestamp is not None
    assert signature is not None
    if not _TIMESTAMP.match(timestamp.strip()):
        raise SignatureError(SignatureProblem.MALFORMED, f"{TIMESTAMP_HEADER}: unix seconds")
    match = _SIGNATURE.match(signature.strip())
    if match is None:
        raise SignatureError(SignatureProblem.MALFORMED, f"{SIGNATURE_HEADER}: {SCHEME}=<hex>")
    return timestamp.strip(), bytes.fromhex(match[1])
