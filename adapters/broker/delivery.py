"""What a consumer hands to the code that processes a message, free of aio-pika types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Headers the hub adds to messages it retries or dead-letters.
ATTEMPT = "x-cmehub-attempt"
ORIGINAL_ROUTING_KEY = "x-cmehub-original-routing-key"
LAST_ERROR = "x-cmehub-last-error"
DEAD_REASON = "x-cmehub-dead-letter-reason"
DEAD_AT = "x-cmehub-dead-lettered-at"
DEAD_QUEUE = "x-cmehub-dead-lettered-from"
REPLAYED_AT = "x-cmehub-replayed-at"
REPLAY_COUNT = "x-cmehub-replay-count"


@dataclass(frozen=True)
class Delivery:
    body: bytes
    routing_key: str
    """The routing key the message was first published with (kept across retries)."""
    message_id: str | None
    headers: Mapping[str, Any]
    attempt: int
    """0 on the first delivery, n on the n-th retry."""
    redelivered: bool


class RejectMessage(Exception):
    """Raised by a processor for a message that can never succeed: it goes to the dead letters."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Processor = Callable[[Delivery], Awaitable[None]]
"""Processes one delivery. Returns to ack; raises RejectMessage to dead-letter at once; raises
anything else to retry with back-off (and dead-letter once the retries are spent)."""
