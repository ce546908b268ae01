"""The public concern form: its fields become a ConcernReport, or errors that name the field and
the rule in plain English (GOV.UK error message style), in the order the fields appear.

Pure: no I/O, and today's date is passed in. Every part is optional except the concern and some
way to find the child (any detail about them, or where they were seen): tell us what you can.
Values are trimmed, control characters dropped and line breaks made "\\n" before any rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, get_args

from pydantic import StringConstraints, TypeAdapter, ValidationError

from schemas.types import PhoneNumber, Postcode
from schemas.v1.common import (
    Address,
    ChildDetails,
    EmailAddress,
    Gender,
    Line,
    PartialName,
    RiskIndicator,
    SchoolRef,
    ShortText,
    Sibling,
    Text,
)
from schemas.v1.intake import Reporter
from services.intake.requests import ConcernReport


@dataclass(frozen=True)
class FormError:
    """A rule a field broke: `field_id` is the id of the input the error summary links to."""

    field_id: str
    message: str


def _max_length(annotated: object) -> int:
    """The max_length of a constrained string type from the schemas, so the two never drift."""
    lengths = (m.max_length for m in get_args(annotated)[1:] if isinstance(m, StringConstraints))
    return next(length for length in lengths if length is not None)


SHORT_MAX: Final = _max_length(ShortText)
LINE_MAX: Final = _max_length(Line)
WHERE_SEEN_MAX: Final = min(2_000, _max_length(Text))
CONCERN_MAX: Final = min(5_000, _max_length(Text))
"""The text boxes are shorter than the message allows, so a full form fits the body limit."""

OTHER_CHILDREN: Final = 3
DOB: Final = "child-dob"
WHERE_SEEN: Final = "where-seen"
CONCERN: Final = "concern"

RISK_LABELS: Final[Mapping[RiskIndicator, tuple[str, str]]] = MappingProxyType(
    {
        RiskIndicator.HARM: ("At risk of harm", "The child may be hurt or in danger."),
        RiskIndicator.ABUSE: (
            "Abuse or neglect",
            "Physical, emotional or sexual abuse, or the child not being looked after properly.",
        ),
        RiskIndicator.SEXUAL_EXPLOITATION: (
            "Sexual exploitation",
            "For example, being groomed, or given gifts, money or drugs in return for sexual acts.",
        ),
        RiskIndicator.TRAFFICKING: (
            "Trafficking",
            "Brought into the country, or moved around it, to be exploited for work or crime.",
        ),
        RiskIndicator.MISSING_FROM_HOME: (
            "Missing from home",
            "The child has run away, or their family or carers do not know where they are.",
        ),
        RiskIndicator.OTHER_SAFEGUARDING: ("Another worry about the child's safety", ""),
    }
)
"""Each safeguarding concern's checkbox label and hint, in the order they are shown."""

GENDER_LABELS: Final[Mapping[Gender, str]] = MappingProxyType(
    {Gender.FEMALE: "Female", Gender.MALE: "Male", Gender.NOT_KNOWN: "Not known"}
)

CHILD_FIELDS: Final = (
    "child-first-name",
    "child-last-name",
    "child-other-names",
    f"{DOB}-day",
    f"{DOB}-month",
    f"{DOB}-year",
    "child-age",
    "child-address-line-1",
    "child-address-line-2",
    "child-town",
    "child-postcode",
    "child-school",
)
"""The fields that say something about the child (gender alone does not help find them)."""

_MONTHS: Final = "january february march april may june july august september october november "
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAK: Final = re.compile(r"\r\n?")
_POSTCODE: Final = TypeAdapter(Postcode)
_PHONE: Final = TypeAdapter(PhoneNumber)
_EMAIL: Final = TypeAdapter(EmailAddress)
_BAD_POSTCODE: Final = "Enter a postcode in the right format, like CW1 2BJ"
_BAD_PHONE: Final = "Enter a telephone number, like 01632 960 001 or 07700 900 982"
_BAD_EMAIL: Final = "Enter an email address in the right format, like name@example.com"


def risk_field(indicator: RiskIndicator) -> str:
    return f"risk-{indicator.value}"


def other_child_field(number: int, part: str) -> str:
    return f"other-child-{number}-{part}"


def concern_from_form(fields: Mapping[str, str], today: date) -> ConcernReport | list[FormError]:
    """The report the form describes, or every rule it breaks (never an exception)."""
    form = _Form(fields)
    child = _child(form, today)
    where_seen = form.text(WHERE_SEEN, "Where the child has been seen", WHERE_SEEN_MAX)
    if where_seen is None and not any(form.value(f) for f in (*CHILD_FIELDS, WHERE_SEEN)):
        form.fail(WHERE_SEEN, "Tell us something about the child or where they were seen")
    concern = form.text(CONCERN, "Your concern", CONCERN_MAX)
    if not form.value(CONCERN):
        form.fail(CONCERN, "Enter your concern")
    risks = tuple(r for r in RISK_LABELS if form.value(risk_field(r)))
    others = tuple(c for c in (_other_child(form, n) for n in _numbers()) if c)
    reporter = _reporter(form)
    if form.errors or concern is None:
        return form.errors
    return ConcernReport(
        child=child,
        where_seen=where_seen,
        concern=concern,
        risk_indicators=risks,
        other_children=others,
        reporter=reporter,
    )


class _Form:
    """Reads cleaned values and collects the errors found, in page order."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self._fields = fields
        self.errors: list[FormError] = []

    def value(self, field_id: str) -> str:
        raw = self._fields.get(field_id, "")
        return _CONTROL.sub("", _LINE_BREAK.sub("\n", raw)).strip()

    def fail(self, field_id: str, message: str) -> None:
        self.errors.append(FormError(field_id, message))

    def text(self, field_id: str, name: str, max_length: int) -> str | None:
        value = self.value(field_id)
        if len(value) > max_length:
            self.fail(field_id, f"{name} must be {max_length:,} characters or less")
            return None
        return value or None

    def checked(self, field_id: str, adapter: TypeAdapter[str], message: str) -> str | None:
        value = self.value(field_id)
        if not value:
            return None
        try:
            return adapter.validate_python(value)
        except ValidationError:
            self.fail(field_id, message)
            return None


def _child(form: _Form, today: date) -> ChildDetails:
    name = PartialName(
        forenames=form.text("child-first-name", "First name", SHORT_MAX),
        surname=form.text("child-last-name", "Last name", SHORT_MAX),
        known_as=form.text("child-other-names", "Other names", SHORT_MAX),
    )
    born = _date_of_birth(form, today)
    age = _age(form, "child-age", "Approximate age")
    gender = _gender(form)
    address = _address(form)
    school = form.text("child-school", "School name", LINE_MAX)
    return ChildDetails(
        name=name,
        date_of_birth=born,
        approximate_age=age,
        gender=gender,
        address=address,
        last_known_school=SchoolRef(name=school) if school else None,
    )


def _date_of_birth(form: _Form, today: date) -> date | None:
    parts = {part: form.value(f"{DOB}-{part}") for part in ("day", "month", "year")}
    missing = [part for part, value in parts.items() if not value]
    if len(missing) == 3:
        return None
    if missing:
        form.fail(f"{DOB}-{missing[0]}", f"Date of birth must include a {' and '.join(missing)}")
        return None
    if _number(parts["year"]) is not None and len(parts["year"]) != 4:
        form.fail(f"{DOB}-year", "Year must include 4 numbers")
        return None
    born = _real_date(_number(parts["year"]), _month(parts["month"]), _number(parts["day"]))
    if born is None:
        form.fail(f"{DOB}-day", "Enter a real date of birth")
    elif born >= today:
        form.fail(f"{DOB}-day", "Date of birth must be in the past")
    else:
        return born
    return None


def _real_date(year: int | None, month: int | None, day: int | None) -> date | None:
    try:
        return date(year or 0, month or 0, day or 0)
    except ValueError:
        return None


def _number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else None


def _month(value: str) -> int | None:
    """A month as a number, a name or an abbreviation of at least three letters ("Sept")."""
    word = value.lower()
    names = _MONTHS.split()
    by_name = next((n for n, name in enumerate(names, 1) if name.startswith(word)), None)
    return by_name if len(word) >= 3 and by_name else _number(value)


def _age(form: _Form, field_id: str, name: str) -> int | None:
    value = form.value(field_id)
    age = _number(value)
    if value and age is None:
        form.fail(field_id, f"{name} must be a number, like 9")
    elif age is not None and age > 25:
        form.fail(field_id, f"{name} must be 25 or under")
    else:
        return age
    return None


def _gender(form: _Form) -> Gender:
    value = form.value("child-gender")
    if value and value not in GENDER_LABELS:
        form.fail("child-gender", "Select the child's gender, or select Not known")
    return Gender(value) if value in GENDER_LABELS else Gender.NOT_KNOWN


def _address(form: _Form) -> Address | None:
    """An address as far as it is known; with no street, the town or postcode is its one line."""
    lines = [form.text(f"child-address-line-{n}", f"Address line {n}", LINE_MAX) for n in (1, 2)]
    town = form.text("child-town", "Town or city", LINE_MAX)
    postcode = form.checked("child-postcode", _POSTCODE, _BAD_POSTCODE)
    known = tuple(line for line in lines if line) or tuple(p for p in (town or postcode,) if p)
    return Address(lines=known, town=town, postcode=postcode) if known else None


def _numbers() -> range:
    return range(1, OTHER_CHILDREN + 1)


def _other_child(form: _Form, number: int) -> Sibling | None:
    whose = f"of other child {number}"
    forenames = form.text(other_child_field(number, "first-name"), f"First name {whose}", SHORT_MAX)
    surname = form.text(other_child_field(number, "last-name"), f"Last name {whose}", SHORT_MAX)
    age = _age(form, other_child_field(number, "age"), f"Age {whose}")
    if forenames is None and surname is None and age is None:
        return None
    return Sibling(name=PartialName(forenames=forenames, surname=surname), approximate_age=age)


def _reporter(form: _Form) -> Reporter | None:
    reporter = Reporter(
        name=form.text("reporter-name", "Your name", SHORT_MAX),
        relationship_to_child=form.text(
            "reporter-relationship", "How you know the child", SHORT_MAX
        ),
        organisation=form.text("reporter-organisation", "Organisation", SHORT_MAX),
        phone=form.checked("reporter-phone", _PHONE, _BAD_PHONE),
        email=form.checked("reporter-email", _EMAIL, _BAD_EMAIL),
    )
    return reporter if reporter != Reporter() else None
