"""Bulk returns (CSV or CTF): every row judged on its own; good rows are kept when others fail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, Field
from sqlalchemy import select, update

from adapters.clock import uk_date
from adapters.store.unit_of_work import Transaction
from services.intake.errors import IdempotencyConflict
from services.intake.references import new_reference
from services.intake.requests import DateRuleError, Receipt
from services.intake.tables import batches

if TYPE_CHECKING:
    from services.intake.desk import Submission


class RowProblem(Protocol):
    @property
    def field(self) -> str: ...

    @property
    def rule(self) -> str: ...


class BatchRow(Protocol):
    """One row of a CSV file or one pupil of a CTF, as the edge parsers give it."""

    @property
    def row(self) -> int: ...

    @property
    def request(self) -> Any: ...

    @property
    def errors(self) -> Sequence[RowProblem]: ...


class FieldProblem(BaseModel):
    field: str = Field(description="The column (CSV) or element (CTF) at fault.")
    rule: str = Field(description="The rule it breaks.")


class RowOutcome(BaseModel):
    row: int = Field(description="Spreadsheet row number (CSV) or pupil number (CTF).")
    status: Literal["accepted", "rejected"]
    reference: str | None = Field(default=None, description="The accepted row's reference.")
    errors: list[FieldProblem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class BatchReceipt(BaseModel):
    reference: str = Field(description="Reference of the upload as a whole.")
    received_at: datetime
    accepted: int
    rejected: int
    duplicate: bool = False
    rows: list[RowOutcome]


RecordRow = Callable[[Transaction, int, "Submission", Any], Awaitable[Receipt]]


async def record_batch(
    tx: Transaction, batch: Submission, rows: Sequence[BatchRow], record_row: RecordRow
) -> BatchReceipt:
    earlier = await _earlier(tx, batch)
    if earlier is not None:
        return earlier
    reference, received_at = new_reference("BULK"), tx.now()
    batch_id = await _open(tx, batch, reference, received_at)
    outcomes = [await _judge(tx, batch_id, batch, row, record_row) for row in rows]
    accepted = sum(o.status == "accepted" for o in outcomes)
    await tx.session.execute(
        update(batches)
        .where(batches.c.id == batch_id)
        .values(
            accepted=accepted,
            rejected=len(outcomes) - accepted,
            results=[o.model_dump() for o in outcomes],
        )
    )
    return BatchReceipt(
        reference=reference,
        received_at=received_at,
        accepted=accepted,
        rejected=len(outcomes) - accepted,
        rows=outcomes,
    )


async def _judge(
    tx: Transaction, batch_id: int, batch: Submission, row: BatchRow, record_row: RecordRow
) -> RowOutcome:
    problems = [FieldProblem(field=e.field, rule=e.rule) for e in row.errors]
    if row.request is not None and not problems:
        try:
            row.request.validate_dates(uk_date(tx.now()))
        except DateRuleError as error:
            problems.append(FieldProblem(field=error.field, rule=error.rule))
    if problems or row.request is None:
        return RowOutcome(row=row.row, status="rejected", errors=problems)
    receipt = await record_row(tx, batch_id, batch, row.request)
    return RowOutcome(
        row=row.row, status="accepted", reference=receipt.reference, warnings=list(receipt.warnings)
    )


async def _open(tx: Transaction, batch: Submission, reference: str, received_at: datetime) -> int:
    result = await tx.session.execute(
        batches.insert()
        .values(
            reference=reference,
            principal_id=batch.principal_id,
            school_urn=batch.school_urn,
            idempotency_key=batch.idempotency_key,
            fingerprint=batch.fingerprint,
            content_type=batch.content_type,
            original=batch.original,
            received_at=received_at,
            accepted=0,
            rejected=0,
            results=[],
        )
        .returning(batches.c.id)
    )
    return int(result.scalar_one())


async def _earlier(tx: Transaction, batch: Submission) -> BatchReceipt | None:
    if batch.idempotency_key is None:
        return None
    row = (
        await tx.session.execute(
            select(batches).where(
                batches.c.principal_id == batch.principal_id,
                batches.c.idempotency_key == batch.idempotency_key,
            )
        )
    ).first()
    if row is None:
        return None
    if row.fingerprint != batch.fingerprint:
        raise IdempotencyConflict(
            f"Idempotency-Key {batch.idempotency_key!r} was used for a different file "
            f"(reference {row.reference}); use a new key for a new file"
        )
    return BatchReceipt(
        reference=row.reference,
        received_at=row.received_at,
        accepted=row.accepted,
        rejected=row.rejected,
        duplicate=True,
        rows=[RowOutcome.model_validate(r) for r in row.results],
    )
