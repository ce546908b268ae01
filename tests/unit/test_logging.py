"""Logs carry ids, never a child's or reporter's personal data."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pydantic
import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st
from structlog.testing import capture_logs

from cmehub.logging import (
    bind_context,
    clear_context,
    configure_logging,
    get_logger,
    log_context,
    redact_personal_data,
    scrub_personal_data,
)

LIBRARY_LOGGERS = (
    "aio_pika",
    "aiormq",
    "sqlalchemy",
    "httpx",
    "httpcore",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
)


def redact(**event: Any) -> dict[str, Any]:
    return dict(redact_personal_data(None, "info", event))


def render_json(**event: Any) -> str:
    redacted = redact_personal_data(None, "info", event)
    return str(structlog.processors.JSONRenderer()(None, "info", redacted))


def json_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.fixture(autouse=True)
def empty_context() -> Iterator[None]:
    clear_context()
    yield
    clear_context()


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo configure_logging's changes to global logging state after the test."""
    root = logging.getLogger()
    root_state = (root.level, list(root.handlers))
    library_state = {
        name: (logger.level, list(logger.handlers), logger.propagate, logger.disabled)
        for name in LIBRARY_LOGGERS
        for logger in [logging.getLogger(name)]
    }
    structlog_config = structlog.get_config()
    yield
    root.setLevel(root_state[0])
    root.handlers[:] = root_state[1]
    for name, (level, handlers, propagate, disabled) in library_state.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.disabled = disabled
    structlog.configure(**structlog_config)


# Key-based redaction


def test_personal_data_keys_are_redacted_at_any_depth() -> None:
    event = redact(
        event="case opened",
        case={
            "case_id": "c-1",
            "children": [{"child_id": "k-1", "forenames": "Amy Jo", "dob": "2014-03-02"}],
            "reporter": {"name": "Sam Smith", "phone": "07700 900123"},
            "addresses": ({"lines": ["1 High St"], "postcode": "CW1 2BJ"},),
        },
    )

    assert event["case"] == {
        "case_id": "c-1",
        "children": [{"child_id": "k-1", "forenames": "[redacted]", "dob": "[redacted]"}],
        "reporter": "[redacted]",
        "addresses": "[redacted]",
    }


@pytest.mark.parametrize(
    "key",
    [
        "surname",
        "Surname",
        "child_surname",
        "parent_phone",
        "reporter_email",
        "reporterEmail",
        "dateOfBirth",
        "child-date-of-birth",
        "emergency_phones",
        "address_lines",
        "from_address",
        "reply_to",
        "where_seen",
        "payload",
        "child",
        "pupil.former_surname",
        "post_code",
        "phone_number",
    ],
)
def test_key_naming_personal_data_has_its_value_redacted(key: str) -> None:
    assert redact(**{key: "Amy Smith"})[key] == "[redacted]"


@pytest.mark.parametrize(
    "key",
    [
        "message_id",
        "correlation_id",
        "case_id",
        "child_id",
        "reference",
        "routing_key",
        "queue",
        "queue_name",
        "urn",
        "la_code",
        "service",
        "type",
        "contact_type",
        "reporter_ids",
    ],
)
def test_id_and_operational_keys_pass_through_unchanged(key: str) -> None:
    value = "c0a80101-0000-4000-8000-00000000002a"

    assert redact(**{key: value})[key] == value


def test_event_key_is_scrubbed_but_not_redacted() -> None:
    assert redact(event="case opened")["event"] == "case opened"


def test_none_and_booleans_under_personal_keys_are_kept_as_they_carry_no_data() -> None:
    event = redact(email=None, phone_verified=True, surname=False)

    assert event == {"email": None, "phone_verified": True, "surname": False}


def test_dataclass_values_are_redacted_field_by_field() -> None:
    @dataclasses.dataclass
    class Child:
        child_id: str
        surname: str

    assert redact(record=Child("k-1", "Smith"))["record"] == {
        "child_id": "k-1",
        "surname": "[redacted]",
    }


def test_pydantic_model_values_are_redacted_field_by_field() -> None:
    class Reporter(pydantic.BaseModel):
        role: str
        email: str

    reporter = Reporter(role="teacher", email="sam@school.example")

    assert redact(record=reporter)["record"] == {"role": "teacher", "email": "[redacted]"}


# Pattern scrubbing


@pytest.mark.parametrize(
    ("personal", "placeholder"),
    [
        ("jane.doe+cme@example.co.uk", "[email]"),
        ("07700 900123", "[phone]"),
        ("07700900123", "[phone]"),
        ("+44 7700 900123", "[phone]"),
        ("+447700900123", "[phone]"),
        ("0044 7700 900123", "[phone]"),
        ("01270 555 0100", "[phone]"),
        ("(020) 7946 0958", "[phone]"),
        ("+44 (0)20 7946 0958", "[phone]"),
        ("0161-496-0000", "[phone]"),
        ("SW1A 1AA", "[postcode]"),
        ("CW1 2BJ", "[postcode]"),
        ("m1 1ae", "[postcode]"),
        ("EC1A1BB", "[postcode]"),
        ("B801200005001", "[upn]"),
        ("A12345678901B", "[upn]"),
        ("02/03/2014", "[date]"),
        ("2.3.2014", "[date]"),
        ("31-12-2009", "[date]"),
    ],
)
def test_personal_data_pattern_is_replaced_by_typed_placeholder_in_free_text(
    personal: str, placeholder: str
) -> None:
    event = redact(summary=f"seen with {personal}, then left.")

    assert event["summary"] == f"seen with {placeholder}, then left."


def test_patterns_are_scrubbed_inside_the_event_message() -> None:
    event = redact(event="reporter sam@example.org on 07700 900123 saw B801200005001")

    assert event["event"] == "reporter [email] on [phone] saw [upn]"


def test_strings_nested_in_lists_and_dict_keys_are_scrubbed() -> None:
    event = redact(summary={"sam@example.org": ["call 07700 900123"]})

    assert event["summary"] == {"[email]": ["call [phone]"]}


def test_formatted_exception_text_is_scrubbed() -> None:
    traceback = (
        "Traceback (most recent call last):\n"
        '  File "/app/cmehub/match.py", line 12, in find\n'
        "LookupError: no pupil B801200005001 at CW1 2BJ for jane@example.org"
    )

    scrubbed = redact(exception=traceback)["exception"]

    assert scrubbed.endswith("LookupError: no pupil [upn] at [postcode] for [email]")
    assert 'File "/app/cmehub/match.py", line 12' in scrubbed


def test_logger_timestamp_is_left_untouched() -> None:
    timestamp = "2025-01-31T09:05:07.123456Z"

    assert redact(timestamp=timestamp)["timestamp"] == timestamp


@pytest.mark.parametrize(
    "text",
    [
        "550e8400-e29b-41d4-a716-446655440000",
        "01234567-0123-4567-8901-234567890123",
        uuid.UUID(int=7).hex,
        hashlib.sha1(b"x").hexdigest(),
        "2025-01-31T09:05:07.123456+00:00",
        "2025-01-31",
        "took 0.0012345678 s",
        "E06000049",
        "case-opened.v1 from school 100000",
    ],
)
def test_ids_timestamps_and_numbers_are_not_mistaken_for_personal_data(text: str) -> None:
    assert scrub_personal_data(text) == text


@given(st.uuids())
def test_uuids_survive_scrubbing_in_any_form(value: uuid.UUID) -> None:
    text = f"message {value} hex {value.hex} urn:uuid:{value}"

    assert scrub_personal_data(text) == text


@given(st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.just(UTC)))
def test_iso_timestamps_survive_scrubbing(moment: datetime) -> None:
    text = f"at {moment.isoformat()} ok"

    assert scrub_personal_data(text) == text


def test_uuid_objects_are_kept_as_values() -> None:
    message_id = uuid.uuid4()

    assert redact(message_id=message_id)["message_id"] is message_id


@st.composite
def uk_phone_numbers(draw: st.DrawFn) -> str:
    significant = draw(st.sampled_from("127")) + draw(st.text("0123456789", min_size=9, max_size=9))
    sizes = draw(st.sampled_from([(10,), (4, 6), (2, 4, 4), (3, 3, 4), (4, 3, 3)]))
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    groups = [significant[start : start + size] for start, size in zip(starts, sizes, strict=True)]
    separator = draw(st.sampled_from([" ", "-", ""]))
    if len(groups) > 1 and draw(st.booleans()):
        return f"(0{groups[0]}) " + separator.join(groups[1:])
    prefix = draw(st.sampled_from(["0", "+44 ", "+44", "0044 ", "+44 (0)"]))
    return prefix + separator.join(groups)


@given(before=st.text(), contact=st.emails() | uk_phone_numbers(), after=st.text())
def test_rendered_line_never_contains_an_email_or_phone_from_free_text(
    before: str, contact: str, after: str
) -> None:
    text = f"{before} {contact} {after}"

    rendered = render_json(event=text, summary=text, detail_list=[text])

    assert contact not in rendered


# Never raises


def test_value_whose_str_raises_is_logged_as_its_type_name() -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    assert redact(thing=Unprintable())["thing"] == "<unloggable Unprintable>"


def test_exception_values_keep_their_type_and_are_scrubbed() -> None:
    error = ValueError("bad email sam@example.org")

    assert redact(error=error)["error"] == "ValueError: bad email [email]"


def test_unexpected_failure_withholds_the_line_instead_of_raising() -> None:
    class ExplodingEvent(dict[str, Any]):
        def items(self) -> Any:
            raise RuntimeError("surname Smith")

    event = ExplodingEvent(event="x", level="info", surname="Smith")

    assert redact_personal_data(None, "info", event) == {
        "level": "info",
        "event": "log line withheld: redaction failed",
        "error": "RuntimeError",
    }


# Context helpers


def test_log_context_binds_ids_for_the_block_and_restores_previous_values() -> None:
    bind_context(correlation_id="outer")

    with log_context(correlation_id="inner", case_id="c-1"):
        inside = structlog.contextvars.get_contextvars()

    assert inside == {"correlation_id": "inner", "case_id": "c-1"}
    assert structlog.contextvars.get_contextvars() == {"correlation_id": "outer"}


def test_clear_context_removes_all_bound_ids() -> None:
    bind_context(message_id="m-1")

    clear_context()

    assert structlog.contextvars.get_contextvars() == {}


def test_capture_logs_can_check_what_a_logger_would_emit() -> None:
    with (
        capture_logs(
            processors=[structlog.contextvars.merge_contextvars, redact_personal_data]
        ) as logs,
        log_context(case_id="c-1"),
    ):
        get_logger("cmehub.test").info("concern raised", reporter_email="sam@example.org")

    assert logs == [
        {
            "event": "concern raised",
            "reporter_email": "[redacted]",
            "case_id": "c-1",
            "log_level": "info",
        }
    ]


# The configured pipeline


@pytest.mark.usefixtures("restore_logging")
def test_library_line_through_stdlib_is_rendered_as_json_with_data_scrubbed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(fmt="json")

    logging.getLogger("some.lib").warning("call 07700 900123 about SW1A 1AA")

    [line] = json_lines(capsys)

    assert line["event"] == "call [phone] about [postcode]"
    assert line["logger"] == "some.lib"
    assert line["level"] == "warning"
    assert datetime.fromisoformat(line["timestamp"]).utcoffset() == timedelta(0)


@pytest.mark.usefixtures("restore_logging")
def test_structlog_line_carries_bound_ids_and_redacts_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(fmt="json")

    with log_context(correlation_id="corr-1"):
        get_logger("cmehub.intake").info("report received", child_surname="Smith", case_id="c-9")

    [line] = json_lines(capsys)

    assert line["correlation_id"] == "corr-1"
    assert line["case_id"] == "c-9"
    assert line["child_surname"] == "[redacted]"


@pytest.mark.usefixtures("restore_logging")
def test_library_lines_carry_ids_bound_in_context(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(fmt="json")

    with log_context(message_id="m-1"):
        logging.getLogger("aiormq.connection").warning("connection lost")

    [line] = json_lines(capsys)

    assert line["message_id"] == "m-1"


@pytest.mark.usefixtures("restore_logging")
def test_logged_exception_traceback_is_scrubbed(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(fmt="json")

    try:
        raise LookupError("no pupil B801200005001 for jane@example.org")
    except LookupError:
        get_logger("cmehub.matching").exception("lookup failed")
        logging.getLogger("some.lib").exception("lookup failed")

    lines = json_lines(capsys)

    assert len(lines) == 2
    for line in lines:
        assert line["exception"].endswith("LookupError: no pupil [upn] for [email]")
        assert "jane@example.org" not in json.dumps(line)


@pytest.mark.usefixtures("restore_logging")
def test_logger_without_name_is_named_after_the_calling_module(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(fmt="json")

    get_logger().info("hello")

    [line] = json_lines(capsys)

    assert line["logger"] == __name__


@pytest.mark.usefixtures("restore_logging")
def test_noisy_libraries_log_only_warnings_and_uvicorn_access_is_silent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(fmt="json")

    logging.getLogger("aio_pika.robust_connection").info("reconnecting")
    logging.getLogger("aiormq").warning("connection lost")
    logging.getLogger("uvicorn.access").info("GET /cases 200")
    logging.getLogger("uvicorn.error").info("Application startup complete.")

    events = [line["event"] for line in json_lines(capsys)]

    assert events == ["connection lost", "Application startup complete."]


@pytest.mark.usefixtures("restore_logging")
def test_configuring_twice_installs_a_single_handler(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(fmt="json")

    configure_logging(fmt="json", level="debug")

    get_logger("cmehub.test").debug("once")

    assert [line["event"] for line in json_lines(capsys)] == ["once"]


@pytest.mark.usefixtures("restore_logging")
def test_auto_format_is_json_when_stdout_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging()

    get_logger("cmehub.test").info("started")

    assert json_lines(capsys)[0]["event"] == "started"


@pytest.mark.usefixtures("restore_logging")
def test_console_format_is_scrubbed_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(fmt="console")

    logging.getLogger("some.lib").warning("call 07700 900123 about SW1A 1AA")

    output = capsys.readouterr().out
    assert "call [phone] about [postcode]" in output
    assert not output.lstrip().startswith("{")


@pytest.mark.usefixtures("restore_logging")
def test_unknown_level_is_refused_with_the_allowed_names() -> None:
    with pytest.raises(ValueError, match=r"log level must be one of .*INFO.*'LOUD'"):
        configure_logging(level="LOUD")


@pytest.mark.usefixtures("restore_logging")
def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="log format must be"):
        configure_logging(fmt="xml")  # type: ignore[arg-type]
