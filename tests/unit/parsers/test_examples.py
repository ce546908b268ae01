"""The worked examples in docs/examples are valid, and docs/schools.md matches the code."""

from __future__ import annotations

import re
from datetime import date

import pytest

from adapters.dfe.ctf import ctf_to_returns, parse_ctf
from adapters.schools.csv_columns import CSV_COLUMNS, columns_markdown
from adapters.schools.returns_csv import parse_returns_csv
from schemas.v1.common import DELETION_GROUND_DESCRIPTIONS
from services.intake.requests import AdmissionReturn, DeletionReturn
from tests.unit.parsers.support import EXAMPLES

GUIDE = EXAMPLES.parent / "schools.md"
JSON_EXAMPLES = {
    "deletion-return-ground-i.json": DeletionReturn,
    "deletion-return-ground-a.json": DeletionReturn,
    "admission-return.json": AdmissionReturn,
}
TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(("name", "model"), JSON_EXAMPLES.items())
def test_each_json_example_is_a_valid_complete_request(
    name: str, model: type[DeletionReturn | AdmissionReturn]
) -> None:
    request = model.model_validate_json((EXAMPLES / name).read_bytes())
    request.validate_dates(TODAY)
    if isinstance(request, DeletionReturn):
        assert request.missing_statutory_content() == []


def test_the_csv_example_parses_with_no_errors() -> None:
    result = parse_returns_csv((EXAMPLES / "returns.csv").read_bytes())
    assert result.header_errors == []
    assert [r.errors for r in result.rows] == [[], [], [], []]
    for row in result.rows:
        assert row.request is not None
        row.request.validate_dates(TODAY)


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("leavers.ctf.xml", {"deletion_date": date(2025, 3, 14), "admission_date": None}),
        ("joiners.ctf.xml", {"deletion_date": None, "admission_date": date(2025, 4, 22)}),
    ],
)
def test_the_ctf_examples_parse_with_no_errors(name: str, arguments: dict[str, date]) -> None:
    parsed = parse_ctf((EXAMPLES / name).read_bytes())
    assert parsed.errors == []
    assert all(pupil.errors == [] for pupil in parsed.pupils)
    results = ctf_to_returns(parsed, school_urn="100000", ground=None, **arguments)
    assert results
    assert all(r.errors == [] and r.request is not None for r in results)


def test_the_guide_shows_the_column_table_generated_from_the_code() -> None:
    assert columns_markdown() in GUIDE.read_text(encoding="utf-8")


def test_the_guide_lists_every_ground() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for ground in DELETION_GROUND_DESCRIPTIONS:
        assert f"| `{ground.value}` |" in guide


def test_every_example_file_the_guide_names_exists_and_every_example_is_named() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"docs/examples/([\w.-]+)", guide))
    on_disk = {path.name for path in EXAMPLES.iterdir()}
    assert named == on_disk


def test_the_template_header_lists_the_columns_in_order() -> None:
    header = (EXAMPLES / "returns.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(CSV_COLUMNS)
