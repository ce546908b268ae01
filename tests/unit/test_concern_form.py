"""The public concern form: fields become a ConcernReport, or errors naming the field and rule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.v1.common import Gender, RiskIndicator
from services.intake.form import (
    CHILD_FIELDS,
    CONCERN_MAX,
    DOB,
    RISK_LABELS,
    SHORT_MAX,
    WHERE_SEEN_MAX,
    FormError,
    concern_from_form,
    other_child_field,
    risk_field,
)
from services.intake.requests import ConcernReport

TODAY = date(2026, 11, 28)
REPORTER_FIELDS = (
    "reporter-name",
    "reporter-relationship",
    "reporter-organisation",
    "reporter-phone",
    "reporter-email",
)
MINIMAL = {"concern": "Not in school since September", "where-seen": "Outside the Co-op, Mill St"}


def report(**fields: str) -> ConcernReport:
    result = concern_from_form({**MINIMAL, **fields}, TODAY)
    assert isinstance(result, ConcernReport), result
    return result


def errors(fields: dict[str, str]) -> list[FormError]:
    result = concern_from_form(fields, TODAY)
    assert isinstance(result, list), result
    return result


def error_for(field_id: str, **fields: str) -> str:
    found = [e.message for e in errors({**MINIMAL, **fields}) if e.field_id == field_id]
    assert len(found) == 1, found
    return found[0]


def dob(day: str, month: str, year: str) -> dict[str, str]:
    return {f"{DOB}-day": day, f"{DOB}-month": month, f"{DOB}-year": year}


def test_a_blank_form_asks_for_the_concern_and_something_about_the_child() -> None:
    blank = dict.fromkeys((*CHILD_FIELDS, "where-seen", "concern", "reporter-name"), "")

    assert errors(blank) == [
        FormError("where-seen", "Tell us something about the child or where they were seen"),
        FormError("concern", "Enter your concern"),
    ]


def test_a_form_with_no_fields_at_all_gets_the_same_errors() -> None:
    assert [e.field_id for e in errors({})] == ["where-seen", "concern"]


def test_a_concern_and_where_the_child_was_seen_are_enough() -> None:
    sent = report()

    assert sent.concern == "Not in school since September"
    assert sent.where_seen == "Outside the Co-op, Mill St"
    assert sent.child.date_of_birth is None
    assert sent.child.gender is Gender.NOT_KNOWN
    assert (sent.child.address, sent.reporter, sent.other_children) == (None, None, ())


@pytest.mark.parametrize("field_id", CHILD_FIELDS)
def test_any_one_detail_about_the_child_replaces_where_seen(field_id: str) -> None:
    value = {"child-postcode": "CW1 2BJ", "child-age": "9"}.get(field_id, "1")
    if field_id.startswith(DOB):
        fields = {**dob("3", "4", "2015"), "concern": "worried"}
    else:
        fields = {field_id: value, "concern": "worried"}

    assert isinstance(concern_from_form(fields, TODAY), ConcernReport)


def test_gender_alone_does_not_help_find_the_child() -> None:
    found = errors({"concern": "worried", "child-gender": "F"})

    assert [e.field_id for e in found] == ["where-seen"]


def test_a_concern_of_only_spaces_is_no_concern() -> None:
    assert error_for("concern", concern=" \r\n\t ") == "Enter your concern"


def test_every_field_is_trimmed() -> None:
    sent = report(
        **{
            "concern": "  worried \n",
            "where-seen": "\tpark ",
            "child-first-name": " Amelia ",
            "child-last-name": " Smith",
            "child-other-names": "Millie ",
            "child-town": " Crewe ",
            "child-address-line-1": " 12 Market St ",
            "child-school": " Crewe Primary ",
            "child-age": " 9 ",
            "child-postcode": " cw1 2bj ",
            "reporter-name": " Sam ",
            "reporter-email": " sam@example.com ",
            "reporter-phone": " 01270 555 0100 ",
            other_child_field(1, "first-name"): " Jo ",
            **dob(" 3 ", " 4 ", " 2015 "),
        }
    )

    assert (sent.concern, sent.where_seen) == ("worried", "park")
    assert sent.child.name.model_dump() == {
        "forenames": "Amelia",
        "surname": "Smith",
        "known_as": "Millie",
    }
    assert sent.child.address is not None
    assert (sent.child.address.lines, sent.child.address.town) == (("12 Market St",), "Crewe")
    assert sent.child.address.postcode == "CW1 2BJ"
    assert sent.child.last_known_school is not None
    assert sent.child.last_known_school.name == "Crewe Primary"
    assert (sent.child.approximate_age, sent.child.date_of_birth) == (9, date(2015, 4, 3))
    assert sent.reporter is not None
    assert (sent.reporter.name, sent.reporter.email) == ("Sam", "sam@example.com")
    assert sent.reporter.phone == "01270 555 0100"
    assert sent.other_children[0].name.forenames == "Jo"


def test_line_breaks_from_the_browser_become_newlines_and_control_characters_go() -> None:
    sent = report(concern="first\r\nsecond\rthird\x00\x1b")

    assert sent.concern == "first\nsecond\nthird"


def test_a_full_date_of_birth_is_read() -> None:
    assert report(**dob("27", "3", "2015")).child.date_of_birth == date(2015, 3, 27)


@pytest.mark.parametrize("month", ["Mar", "march", "MARCH", "03"])
def test_the_month_may_be_a_name_or_a_number(month: str) -> None:
    assert report(**dob("27", month, "2015")).child.date_of_birth == date(2015, 3, 27)


@pytest.mark.parametrize(
    ("parts", "field_id", "message"),
    [
        (("", "3", "2015"), "day", "Date of birth must include a day"),
        (("27", "", "2015"), "month", "Date of birth must include a month"),
        (("27", "3", ""), "year", "Date of birth must include a year"),
        (("", "", "2015"), "day", "Date of birth must include a day and month"),
        (("27", "", ""), "month", "Date of birth must include a month and year"),
        (("31", "2", "2015"), "day", "Enter a real date of birth"),
        (("0", "1", "2015"), "day", "Enter a real date of birth"),
        (("1", "13", "2015"), "day", "Enter a real date of birth"),
        (("x", "1", "2015"), "day", "Enter a real date of birth"),
        (("1", "1", "twenty"), "day", "Enter a real date of birth"),
        (("1", "ma", "2015"), "day", "Enter a real date of birth"),
        (("1", "1", "15"), "year", "Year must include 4 numbers"),
        (("1", "1", "\u00b2\u00b2"), "day", "Enter a real date of birth"),
        (("1", "1", "\u0662\u0660\u0661\u0665"), "day", "Enter a real date of birth"),
    ],
)
def test_a_date_of_birth_that_is_not_a_real_date_is_refused(
    parts: tuple[str, str, str], field_id: str, message: str
) -> None:
    assert errors({**MINIMAL, **dob(*parts)}) == [FormError(f"{DOB}-{field_id}", message)]


@pytest.mark.parametrize("born", [TODAY, date(2026, 11, 29), date(2030, 1, 1)])
def test_a_date_of_birth_must_be_in_the_past(born: date) -> None:
    fields = dob(str(born.day), str(born.month), str(born.year))

    assert error_for(f"{DOB}-day", **fields) == "Date of birth must be in the past"


def test_the_day_before_today_is_a_date_of_birth() -> None:
    assert report(**dob("27", "11", "2026")).child.date_of_birth == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("age", "message"),
    [
        ("nine", "Approximate age must be a number, like 9"),
        ("9.5", "Approximate age must be a number, like 9"),
        ("-1", "Approximate age must be a number, like 9"),
        ("26", "Approximate age must be 25 or under"),
    ],
)
def test_the_approximate_age_is_a_whole_number_up_to_25(age: str, message: str) -> None:
    assert error_for("child-age", **{"child-age": age}) == message


def test_an_unknown_gender_value_is_refused_and_not_known_is_accepted() -> None:
    assert error_for("child-gender", **{"child-gender": "X"}) == (
        "Select the child's gender, or select Not known"
    )
    assert report(**{"child-gender": "U"}).child.gender is Gender.NOT_KNOWN
    assert report(**{"child-gender": "F"}).child.gender is Gender.FEMALE


@pytest.mark.parametrize("postcode", ["CW1", "12345", "CW1 2BJX", "not known"])
def test_a_postcode_in_the_wrong_format_is_refused(postcode: str) -> None:
    assert error_for("child-postcode", **{"child-postcode": postcode}) == (
        "Enter a postcode in the right format, like CW1 2BJ"
    )


def test_a_postcode_is_normalised() -> None:
    address = report(**{"child-postcode": "cw12bj"}).child.address

    assert address is not None
    assert address.postcode == "CW1 2BJ"


def test_an_address_with_no_street_keeps_the_town_or_postcode_as_its_line() -> None:
    by_town = report(**{"child-town": "Crewe"}).child.address
    by_postcode = report(**{"child-postcode": "CW1 2BJ"}).child.address

    assert by_town is not None
    assert (by_town.lines, by_town.town) == (("Crewe",), "Crewe")
    assert by_postcode is not None
    assert (by_postcode.lines, by_postcode.postcode) == (("CW1 2BJ",), "CW1 2BJ")


@pytest.mark.parametrize("email", ["name", "name@", "name@example", "a b@example.com"])
def test_an_email_address_in_the_wrong_format_is_refused(email: str) -> None:
    assert error_for("reporter-email", **{"reporter-email": email}) == (
        "Enter an email address in the right format, like name@example.com"
    )


@pytest.mark.parametrize("phone", ["12345", "call me", "0127055501000000000000000000"])
def test_a_phone_number_in_the_wrong_format_is_refused(phone: str) -> None:
    assert error_for("reporter-phone", **{"reporter-phone": phone}) == (
        "Enter a telephone number, like 01632 960 001 or 07700 900 982"
    )


def test_every_safeguarding_box_ticked_becomes_its_risk_indicator() -> None:
    ticked = {risk_field(r): "yes" for r in RiskIndicator}

    assert report(**ticked).risk_indicators == tuple(RISK_LABELS)
    assert set(RISK_LABELS) == set(RiskIndicator)


def test_sexual_exploitation_ticked_alone() -> None:
    sent = report(**{risk_field(RiskIndicator.SEXUAL_EXPLOITATION): "yes"})

    assert sent.risk_indicators == (RiskIndicator.SEXUAL_EXPLOITATION,)


def test_other_children_are_read_and_blank_ones_left_out() -> None:
    sent = report(
        **{
            other_child_field(1, "first-name"): "Jo",
            other_child_field(1, "age"): "7",
            other_child_field(3, "last-name"): "Smith",
        }
    )

    assert [(c.name.forenames, c.name.surname, c.approximate_age) for c in sent.other_children] == [
        ("Jo", None, 7),
        (None, "Smith", None),
    ]


def test_an_other_childs_age_names_which_child() -> None:
    assert error_for(other_child_field(2, "age"), **{other_child_field(2, "age"): "old"}) == (
        "Age of other child 2 must be a number, like 9"
    )


def test_the_reporter_is_left_out_when_every_field_about_them_is_blank() -> None:
    blank = dict.fromkeys(REPORTER_FIELDS, " ")

    assert report(**blank).reporter is None


def test_a_reporter_who_gives_only_how_they_know_the_child() -> None:
    sent = report(**{"reporter-relationship": "neighbour"})

    assert sent.reporter is not None
    assert (sent.reporter.relationship_to_child, sent.reporter.name) == ("neighbour", None)


@pytest.mark.parametrize(
    ("field_id", "limit", "message"),
    [
        ("child-first-name", SHORT_MAX, "First name must be 100 characters or less"),
        ("child-address-line-1", 200, "Address line 1 must be 200 characters or less"),
        (
            "where-seen",
            WHERE_SEEN_MAX,
            "Where the child has been seen must be 2,000 characters or less",
        ),
        ("concern", CONCERN_MAX, "Your concern must be 5,000 characters or less"),
        ("reporter-name", SHORT_MAX, "Your name must be 100 characters or less"),
        (
            other_child_field(3, "last-name"),
            SHORT_MAX,
            "Last name of other child 3 must be 100 characters or less",
        ),
    ],
)
def test_values_over_the_maximum_length_are_refused(
    field_id: str, limit: int, message: str
) -> None:
    assert isinstance(concern_from_form({**MINIMAL, field_id: "x" * limit}, TODAY), ConcernReport)
    assert error_for(field_id, **{field_id: "x" * (limit + 1)}) == message


def test_errors_come_in_the_order_of_the_page() -> None:
    found = errors(
        {
            "reporter-email": "bad",
            "concern": "",
            "child-postcode": "bad",
            "child-first-name": "x" * 101,
            other_child_field(1, "age"): "old",
            **dob("1", "1", "15"),
        }
    )

    assert [e.field_id for e in found] == [
        "child-first-name",
        f"{DOB}-year",
        "child-postcode",
        "concern",
        other_child_field(1, "age"),
        "reporter-email",
    ]


FIELD_IDS = (
    *CHILD_FIELDS,
    "child-gender",
    "where-seen",
    "concern",
    *(risk_field(r) for r in RiskIndicator),
    *(other_child_field(n, p) for n in (1, 2, 3) for p in ("first-name", "last-name", "age")),
    *REPORTER_FIELDS,
)


@given(st.dictionaries(st.sampled_from(FIELD_IDS) | st.text(max_size=20), st.text(max_size=300)))
def test_any_field_values_give_a_report_or_errors_never_an_exception(
    fields: dict[str, str],
) -> None:
    result = concern_from_form(fields, TODAY)

    assert isinstance(result, ConcernReport) or (
        result and all(isinstance(e, FormError) for e in result)
    )


@given(
    st.fixed_dictionaries(
        {f: st.text(alphabet=st.characters(codec="utf-8"), max_size=12) for f in FIELD_IDS}
    )
)
def test_every_field_filled_with_anything_gives_a_report_or_errors(fields: dict[str, str]) -> None:
    result = concern_from_form(fields, TODAY)

    assert isinstance(result, ConcernReport) or all(e.field_id in FIELD_IDS for e in result)
