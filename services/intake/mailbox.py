"""Mail to the team's address becomes a concern, with the whole message kept as received."""

from __future__ import annotations

from adapters.auth.principal import Principal
from adapters.email_intake.parse import concern_from_email, parse_email
from adapters.email_intake.smtp import Undeliverable
from schemas.v1.common import ReportChannel
from services.intake.desk import IntakeDesk
from services.intake.errors import IdempotencyConflict
from services.intake.requests import ConcernReport, Receipt

MAILBOX = Principal("mailbox", "The team's mailbox", frozenset())


class MailboxIntake:
    def __init__(self, desk: IntakeDesk) -> None:
        self._desk = desk

    async def accept(self, raw: bytes) -> str:
        """Record one message; a server resending the same message gets the same reference."""
        parsed = parse_email(raw)
        report = concern_from_email(parsed)
        if isinstance(report, list):
            raise Undeliverable("; ".join(f"{e.field}: {e.rule}" for e in report))
        try:
            receipt = await self._record(report, raw, parsed.message_id)
        except IdempotencyConflict:  # another message reusing a Message-ID: still a report
            receipt = await self._record(report, raw, None)
        return receipt.reference

    async def _record(self, report: ConcernReport, raw: bytes, message_id: str | None) -> Receipt:
        return await self._desk.receive_concern(
            report,
            channel=ReportChannel.EMAIL,
            original=raw,
            content_type="message/rfc822",
            principal=MAILBOX,
            idempotency_key=message_id,
        )
