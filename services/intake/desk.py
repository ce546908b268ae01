"""intake's desk: every accepted submission gets a reference, a stored receipt (the original as
received) and its event, all in one transaction. Handlers of HTTP, email and bulk files call it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from adapters.auth.principal import Principal
from adapters.clock import uk_date
from adapters.store.unit_of_work import Store, Transaction
from schemas.envelope import Payload, new_envelope
from schemas.v1.common import ReportChannel
from schemas.v1.intake import AdmissionNotified, ConcernReported, RollOffNotified
from services.intake.batches import BatchReceipt, BatchRow, record_batch
from services.intake.errors import IdempotencyConflict
from services.intake.references import new_reference
from services.intake.requests import AdmissionReturn, ConcernReport, DeletionReturn, Receipt
from services.intake.tables import submissions

ATTEMPTS = 3
PayloadFactory = Callable[[str, datetime], Payload]


@dataclass(frozen=True)
class Submission:
    kind: str
    channel: ReportChannel
    original: bytes
    content_type: str
    principal_id: str | None = None
    school_urn: str | None = None
    idempotency_key: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.original).hexdigest()


class IntakeDesk:
    def __init__(self, store: Store) -> None:
        self._store = store

    def today(self) -> date:
        """Today in England, by the hub's clock (dates of birth and returns are UK dates)."""
        return uk_date(self._store.clock())

    async def receive_deletion_return(
        self,
        urn: str,
        request: DeletionReturn,
        *,
        principal: Principal,
        channel: ReportChannel,
        original: bytes,
        content_type: str,
        idempotency_key: str | None = None,
    ) -> Receipt:
        submission = Submission(
            "deletion-return",
            channel,
            original,
            content_type,
            principal.id,
            urn,
            idempotency_key,
            tuple(request.missing_statutory_content()),
        )
        return await self._receive(submission, deletion_payload(urn, request, channel))

    async def receive_admission_return(
        self,
        urn: str,
        request: AdmissionReturn,
        *,
        principal: Principal,
        channel: ReportChannel,
        original: bytes,
        content_type: str,
        idempotency_key: str | None = None,
    ) -> Receipt:
        submission = Submission(
            "admission-return", channel, original, content_type, principal.id, urn, idempotency_key
        )
        return await self._receive(submission, admission_payload(urn, request, channel))

    async def receive_concern(
        self,
        report: ConcernReport,
        *,
        channel: ReportChannel,
        original: bytes,
        content_type: str,
        principal: Principal | None = None,
        idempotency_key: str | None = None,
    ) -> Receipt:
        principal_id = principal.id if principal else None
        submission = Submission(
            "concern",
            channel,
            original,
            content_type,
            principal_id,
            None,
            idempotency_key if principal else None,
        )
        return await self._receive(submission, concern_payload(report, channel))

    async def receive_batch(
        self,
        urn: str,
        rows: Sequence[BatchRow],
        *,
        principal: Principal,
        channel: ReportChannel,
        original: bytes,
        content_type: str,
        idempotency_key: str | None = None,
    ) -> BatchReceipt:
        """Record every valid row of a bulk file (one reference each) in one transaction."""
        batch = Submission(
            "batch", channel, original, content_type, principal.id, urn, idempotency_key
        )
        for attempt in range(ATTEMPTS):
            try:
                async with self._store.transaction() as tx:
                    return await record_batch(tx, batch, rows, self._record_row)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _record_row(
        self, tx: Transaction, batch_id: int, batch: Submission, request: Any
    ) -> Receipt:
        urn = batch.school_urn or ""
        if isinstance(request, DeletionReturn):
            kind, build = "deletion-return", deletion_payload(urn, request, batch.channel)
            warnings = tuple(request.missing_statutory_content())
        else:
            kind, build = "admission-return", admission_payload(urn, request, batch.channel)
            warnings = ()
        row = Submission(
            kind,
            batch.channel,
            request.model_dump_json().encode(),
            "application/json",
            batch.principal_id,
            urn,
            None,
            warnings,
        )
        return await _record(tx, row, build, batch_id=batch_id)

    async def _receive(self, submission: Submission, build: PayloadFactory) -> Receipt:
        for attempt in range(ATTEMPTS):
            try:
                async with self._store.transaction() as tx:
                    earlier = await _earlier(tx, submission)
                    if earlier is not None:
                        return earlier
                    return await _record(tx, submission, build)
            except IntegrityError:  # a racing retry with the same key, or a reference clash
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")


async def _earlier(tx: Transaction, submission: Submission) -> Receipt | None:
    if submission.idempotency_key is None or submission.principal_id is None:
        return None
    row = (
        await tx.session.execute(
            select(
                submissions.c.reference,
                submissions.c.received_at,
                submissions.c.fingerprint,
                submissions.c.warnings,
            ).where(
                submissions.c.principal_id == submission.principal_id,
                submissions.c.idempotency_key == submission.idempotency_key,
            )
        )
    ).first()
    if row is None:
        return None
    if row.fingerprint != submission.fingerprint:
        raise IdempotencyConflict(
            f"Idempotency-Key {submission.idempotency_key!r} was used for a different request "
            f"(reference {row.reference}); use a new key for a new request"
        )
    return Receipt(
        reference=row.reference,
        received_at=row.received_at,
        duplicate=True,
        warnings=tuple(row.warnings),
    )


async def _record(
    tx: Transaction, submission: Submission, build: PayloadFactory, *, batch_id: int | None = None
) -> Receipt:
    reference, received_at = new_reference(), tx.now()
    envelope = new_envelope(build(reference, received_at))
    await tx.session.execute(
        submissions.insert().values(
            reference=reference,
            kind=submission.kind,
            channel=submission.channel.value,
            principal_id=submission.principal_id,
            school_urn=submission.school_urn,
            batch_id=batch_id,
            idempotency_key=submission.idempotency_key,
            fingerprint=submission.fingerprint,
            content_type=submission.content_type,
            original=submission.original,
            received_at=received_at,
            message_id=envelope.message_id,
            warnings=list(submission.warnings),
        )
    )
    await tx.publish(envelope)
    return Receipt(reference=reference, received_at=received_at, warnings=submission.warnings)


def deletion_payload(urn: str, request: DeletionReturn, channel: ReportChannel) -> PayloadFactory:
    def build(reference: str, received_at: datetime) -> Payload:
        return RollOffNotified(
            reference=reference,
            school_urn=urn,
            received_at=received_at,
            channel=channel,
            **request.model_dump(),
        )

    return build


def admission_payload(urn: str, request: AdmissionReturn, channel: ReportChannel) -> PayloadFactory:
    def build(reference: str, received_at: datetime) -> Payload:
        return AdmissionNotified(
            reference=reference,
            school_urn=urn,
            received_at=received_at,
            channel=channel,
            **request.model_dump(),
        )

    return build


def concern_payload(report: ConcernReport, channel: ReportChannel) -> PayloadFactory:
    def build(reference: str, received_at: datetime) -> Payload:
        return ConcernReported(
            reference=reference, channel=channel, received_at=received_at, **report.model_dump()
        )

    return build
