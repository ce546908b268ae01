"""One CSV data row -> a DeletionReturn or an AdmissionReturn, with errors named by column."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.schools.cells import Cells
from adapters.schools.csv_columns import COLUMNS_ONLY_FOR, ReturnType
from adapters.schools.results import FieldError, RowResult
from adapters.schools.validation import Draft, validate
from schemas.v1.common import DeletionGround
from services.intake.requests import AdmissionReturn, DeletionReturn

_NAME_PARTS = (
    "forenames",
    "middle_names",
    "surname",
    "preferred_forename",
    "preferred_surname",
    "former_surname",
)
_DELETION_DATES = (
    "deletion_date",
    "last_attendance_date",
    "reasonable_enquiries_on",
    "destination_start_date",
    "future_address_from",
)
_GROUND_RULE = "a reg 9(1) ground: one letter, a to o"


def request_from_row(row: int, values: Mapping[str, str]) -> RowResult:
    """Validate one row on its own; ``values`` maps column name to the cell as written."""
    cells = Cells(values)
    kind = _return_type(cells)
    if kind is None:
        return RowResult(row, None, cells.errors)
    misplaced = _misplaced(cells, kind)
    draft = Draft()
    pupil = draft.nested("pupil")
    _pupil(cells, pupil)
    draft.attach("pupil", pupil, always=True)
    _parents(cells, draft)
    if kind is ReturnType.DELETION:
        _deletion(cells, draft)
        request, errors = validate(DeletionReturn, draft, [*misplaced, *cells.errors])
        return RowResult(row, request, errors)
    _admission(cells, draft)
    admission, errors = validate(AdmissionReturn, draft, [*misplaced, *cells.errors])
    return RowResult(row, admission, errors)


def _return_type(cells: Cells) -> ReturnType | None:
    value = (cells.text("return_type") or "").lower()
    if value in {kind.value for kind in ReturnType}:
        return ReturnType(value)
    rule = "required: deletion or admission" if not value else "deletion or admission"
    cells.errors.append(FieldError("return_type", rule))
    return None


def _misplaced(cells: Cells, kind: ReturnType) -> list[FieldError]:
    article = "a" if kind is ReturnType.DELETION else "an"
    return [
        FieldError(column, f"not used in {article} {kind} return: leave it empty")
        for column in cells.given()
        if COLUMNS_ONLY_FOR.get(column, kind) is not kind
    ]


def _pupil(cells: Cells, draft: Draft) -> None:
    draft.put(("upn",), cells.upper("upn"), "upn")
    draft.data["name"] = {}
    for column in _NAME_PARTS:
        draft.put(("name", column), cells.text(column), column)
    draft.put(("date_of_birth",), cells.date("date_of_birth"), "date_of_birth")
    draft.put(("gender",), cells.upper("gender"), "gender")
    _address(cells, draft, "address", "")


def _address(cells: Cells, draft: Draft, key: str, prefix: str) -> None:
    columns = [f"{prefix}address_line_{n}" for n in (1, 2, 3)]
    lines = [(column, value) for column in columns if (value := cells.text(column))]
    sub = draft.nested(key)
    sub.put(("lines",), [value for _, value in lines] or None, columns[0])
    for index, (column, _) in enumerate(lines):
        sub.fields.add((*sub.prefix, "lines", index), column)
    sub.put(("town",), cells.text(f"{prefix}town"), f"{prefix}town")
    sub.put(("postcode",), cells.text(f"{prefix}postcode"), f"{prefix}postcode")
    draft.fields.add((*draft.prefix, key), columns[0])
    draft.attach(key, sub)


def _parents(cells: Cells, draft: Draft) -> None:
    parents: list[dict[str, object]] = []
    for n in (1, 2):
        parent = draft.nested("parents", len(parents))
        if _parent(cells, parent, f"parent_{n}_"):
            parents.append(parent.data)
    if parents:
        draft.data["parents"] = parents


def _parent(cells: Cells, draft: Draft, prefix: str) -> bool:
    if not any(column.startswith(prefix) for column in cells.given()):
        return False
    draft.data["name"] = {}
    draft.put(("name", "forenames"), cells.text(f"{prefix}forenames"), f"{prefix}forenames")
    draft.put(("name", "surname"), cells.text(f"{prefix}surname"), f"{prefix}surname")
    draft.put(("relationship",), cells.text(f"{prefix}relationship"), f"{prefix}relationship")
    phone = cells.text(f"{prefix}phone")
    draft.put(("emergency_phones",), [phone] if phone else None, f"{prefix}phone")
    lives_with = cells.flag(f"{prefix}lives_with_pupil")
    draft.put(("lives_with_pupil",), lives_with, f"{prefix}lives_with_pupil")
    draft.put(("email",), cells.text(f"{prefix}email"), f"{prefix}email")
    _parent_address(cells, draft, prefix)
    return True


def _parent_address(cells: Cells, draft: Draft, prefix: str) -> None:
    line = cells.text(f"{prefix}address_line_1")
    draft.fields.add((*draft.prefix, "address"), f"{prefix}address_line_1")
    draft.put(("address", "lines"), [line] if line else None, f"{prefix}address_line_1")
    draft.put(("address", "postcode"), cells.text(f"{prefix}postcode"), f"{prefix}postcode")


def _deletion(cells: Cells, draft: Draft) -> None:
    draft.put(("ground",), _ground(cells), "ground")
    for column in _DELETION_DATES:
        draft.put((column,), cells.date(column), column)
    _school(cells, draft, "destination_school")
    _address(cells, draft, "future_address", "future_")
    draft.put(("senior_year_leaver",), cells.flag("senior_year_leaver"), "senior_year_leaver")


def _admission(cells: Cells, draft: Draft) -> None:
    draft.put(("admission_date",), cells.date("admission_date"), "admission_date")
    _school(cells, draft, "previous_school")


def _school(cells: Cells, draft: Draft, key: str) -> None:
    draft.fields.add((*draft.prefix, key), f"{key}_urn")
    draft.put((key, "urn"), cells.text(f"{key}_urn"), f"{key}_urn")
    draft.put((key, "name"), cells.text(f"{key}_name"), f"{key}_name")


def _ground(cells: Cells) -> str | None:
    value = (cells.text("ground") or "").lower()
    if not value:
        return None
    if value not in {ground.value for ground in DeletionGround}:
        cells.errors.append(FieldError("ground", _GROUND_RULE))
        return None
    return value
