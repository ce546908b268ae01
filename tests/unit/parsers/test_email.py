"""Emails to the team's address: the text read whatever the encoding, and made a concern."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.email_intake.concern import MAX_CONCERN, WHERE_SEEN
from adapters.email_intake.parse import (
    Attachment,
    ParsedEmail,
    concern_from_email,
    parse_email,
)
from adapters.schools.results import FieldError
from services.intake.requests import ConcernReport

HEADERS = (
    b"From: Jo Bloggs <jo.bloggs@example.org>\r\nTo: cme@example.gov.uk\r\n"
    b"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\nMessage-ID: <m1@example.org>\r\n"
)
HTML = (
    "<html><head><title>Ignored</title><style>p {color: red}</style></head><body>"
    "<script>alert('x')</script><p>Dear team,</p><p>A girl of about 10<br>"
    "has not been at school since March.</p><ul><li>Seen on Mill Street</li>"
    "<li>Lives with her aunt</li></ul></body></html>"
)
HTML_TEXT = (
    "Dear team,\n\nA girl of about 10\nhas not been at school since March.\n\n"
    "- Seen on Mill Street\n- Lives with her aunt"
)


def message(subject: str | None = "Child not in school") -> EmailMessage:
    built = EmailMessage(policy=email.policy.SMTP)
    built["From"] = "Jo Bloggs <jo.bloggs@example.org>"
    built["To"] = "cme@example.gov.uk"
    if subject is not None:
        built["Subject"] = subject
    return built


def raw(headers: str, body: bytes) -> bytes:
    return HEADERS + headers.encode() + b"\r\n" + body


def test_a_plain_email_gives_its_headers_and_text() -> None:
    parsed = parse_email(
        raw(
            "Subject: Child not in school\r\n",
            b"I have seen a boy of about 9\r\non Market Street.\r\n",
        )
    )
    assert parsed.subject == "Child not in school"
    assert (parsed.from_name, parsed.from_address) == ("Jo Bloggs", "jo.bloggs@example.org")
    assert parsed.date == datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    assert parsed.message_id == "<m1@example.org>"
    assert parsed.body == "I have seen a boy of about 9\non Market Street."
    assert parsed.problems == []


def test_an_html_only_email_is_read_as_text_without_scripts_or_styles() -> None:
    built = message()
    built.set_content(HTML, subtype="html")
    parsed = parse_email(built.as_bytes())
    assert parsed.body == HTML_TEXT
    assert parsed.attachments == []


def test_multipart_alternative_prefers_the_plain_text() -> None:
    built = message()
    built.set_content("The plain version.")
    built.add_alternative(HTML, subtype="html")
    parsed = parse_email(built.as_bytes())
    assert parsed.body == "The plain version."
    assert parsed.attachments == []


def test_attachments_are_listed_by_name_and_type_never_read_into_the_text() -> None:
    built = message()
    built.set_content("Please see the attached letter.")
    built.add_alternative(HTML, subtype="html")
    built.add_attachment(
        b"%PDF-1.4 secret", maintype="application", subtype="pdf", filename="letter.pdf"
    )
    built.add_attachment("name,age\r\n", subtype="csv", filename="list.csv")
    parsed = parse_email(built.as_bytes())
    assert parsed.body == "Please see the attached letter."
    assert parsed.attachments == [
        Attachment("letter.pdf", "application/pdf", 15),
        Attachment("list.csv", "text/csv", 10),
    ]
    assert "secret" not in parsed.body


def test_a_forwarded_message_is_an_attachment() -> None:
    inner = message("Original report")
    inner.set_content("The original words.")
    outer = message("Fwd: Original report")
    outer.set_content("Forwarding this to you.")
    outer.add_attachment(inner)
    parsed = parse_email(outer.as_bytes())
    assert parsed.body == "Forwarding this to you."
    assert [a.content_type for a in parsed.attachments] == ["message/rfc822"]


@pytest.mark.parametrize(
    ("charset", "encoding", "body", "expected"),
    [
        (
            "windows-1252",
            "8bit",
            "Zo\xeb said \x93hello\x94 \x96 caf\xe9".encode("latin-1"),
            "Zoë said \u201chello\u201d \u2013 café",
        ),
        (
            "iso-8859-1",
            "8bit",
            "\x93quoted\x94 na\xefve".encode("latin-1"),
            "\u201cquoted\u201d naïve",
        ),
        ("utf-8", "quoted-printable", b"Zo=C3=AB =E2=80=93 soft=\r\nbreak", "Zoë \u2013 softbreak"),
        ("utf-8", "base64", b"Wm/DqyBpcyBtaXNzaW5n\r\n", "Zoë is missing"),
        ("koi8-r", "8bit", "привет".encode("koi8-r"), "привет"),
        ("x-unknown", "8bit", "Zoë".encode(), "Zoë"),
    ],
)
def test_transfer_encodings_and_charsets_are_decoded(
    charset: str, encoding: str, body: bytes, expected: str
) -> None:
    headers = (
        f"Subject: test\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
        f"charset={charset}\r\nContent-Transfer-Encoding: {encoding}\r\n"
    )
    assert parse_email(raw(headers, body)).body == expected


def test_an_encoded_subject_is_decoded() -> None:
    parsed = parse_email(raw("Subject: =?utf-8?q?Concern_=E2=80=93_Zo=C3=AB?=\r\n", b"x"))
    assert parsed.subject == "Concern \u2013 Zoë"


def test_nested_multipart_finds_the_text() -> None:
    inner = EmailMessage(policy=email.policy.SMTP)
    inner.set_content("Nested plain text.")
    inner.add_alternative(HTML, subtype="html")
    inner.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="photo.png")
    outer = message()
    outer.make_mixed()
    outer.attach(inner)
    outer.add_attachment(b"PK", maintype="application", subtype="zip", filename="files.zip")
    parsed = parse_email(outer.as_bytes())
    assert parsed.body == "Nested plain text."
    assert [a.filename for a in parsed.attachments] == ["photo.png", "files.zip"]


def test_a_missing_subject_is_none() -> None:
    parsed = parse_email(raw("", b"Just a body."))
    assert parsed.subject is None
    assert parsed.body == "Just a body."


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe\r\n\r\n", b"From: \r\n\r\n", b"::::"])
def test_empty_or_garbage_never_raises_and_keeps_the_raw_bytes(data: bytes) -> None:
    parsed = parse_email(data)
    assert parsed.raw == data


def test_an_email_becomes_a_concern_reported_by_the_sender() -> None:
    parsed = parse_email(raw("Subject: Child not in school\r\n", b"A boy of about 9."))
    report = concern_from_email(parsed)
    assert isinstance(report, ConcernReport)
    assert report.concern == "Subject: Child not in school\n\nA boy of about 9."
    assert report.where_seen == WHERE_SEEN
    assert report.reporter is not None
    assert (report.reporter.name, report.reporter.email) == ("Jo Bloggs", "jo.bloggs@example.org")
    assert report.child.name.forenames is None


def test_attachment_names_are_noted_in_the_concern() -> None:
    parsed = ParsedEmail(
        raw=b"",
        subject="See letter",
        body="Attached.",
        attachments=[Attachment("letter.pdf", "application/pdf", 9)],
    )
    report = concern_from_email(parsed)
    assert isinstance(report, ConcernReport)
    assert report.concern.endswith(
        "[Attachments, kept with the original email: letter.pdf (application/pdf)]"
    )


def test_a_long_email_is_cut_to_the_concern_limit_with_a_note() -> None:
    parsed = ParsedEmail(raw=b"", subject="Long", body="word " * 5_000)
    report = concern_from_email(parsed)
    assert isinstance(report, ConcernReport)
    assert len(report.concern) <= MAX_CONCERN
    assert report.concern.endswith(
        "[Cut: the email text is 24,999 characters; the whole message is kept with the receipt.]"
    )


def test_an_email_with_no_subject_and_no_text_is_not_a_concern() -> None:
    assert concern_from_email(parse_email(raw("", b"  \r\n"))) == [
        FieldError("body", "the email has no subject and no text: nothing to report")
    ]


def test_a_subject_alone_is_a_concern() -> None:
    report = concern_from_email(
        parse_email(raw("Subject: Boy at the park in school hours\r\n", b""))
    )
    assert isinstance(report, ConcernReport)


def test_an_unusable_sender_address_is_left_out_of_the_reporter() -> None:
    parsed = ParsedEmail(
        raw=b"", from_name="N" * 150, from_address="not-an-address", body="Concern."
    )
    report = concern_from_email(parsed)
    assert isinstance(report, ConcernReport)
    assert report.reporter is not None
    assert report.reporter.email is None
    assert report.reporter.name == "N" * 100


@given(st.binary(max_size=3_000))
@settings(max_examples=300)
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    parsed = parse_email(data)
    assert parsed.raw == data
    result = concern_from_email(parsed)
    assert isinstance(result, ConcernReport | list)


@given(st.text(max_size=200), st.text(max_size=500), st.sampled_from(["plain", "html"]))
@settings(max_examples=200)
def test_arbitrary_text_in_a_well_formed_email_never_raises(
    subject: str, body: str, subtype: str
) -> None:
    built = EmailMessage(policy=email.policy.SMTP)
    built["Subject"] = " ".join(subject.split())
    built.set_content(body, subtype=subtype)
    parsed = parse_email(built.as_bytes())
    result = concern_from_email(parsed)
    assert isinstance(result, ConcernReport | list)
    assert "\x00" not in parsed.body


@given(
    st.sampled_from(["utf-8", "windows-1252", "iso-8859-1", "us-ascii", "koi8-r", "x-bogus", ""]),
    st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-unknown"]),
    st.sampled_from(["text/plain", "text/html", "multipart/alternative", "application/pdf"]),
    st.binary(max_size=400),
)
@settings(max_examples=300)
def test_any_charset_encoding_and_type_never_raises(
    charset: str, encoding: str, content_type: str, body: bytes
) -> None:
    headers = (
        f"Subject: fuzz\r\nMIME-Version: 1.0\r\nContent-Type: {content_type}; "
        f'charset="{charset}"; boundary="b"\r\nContent-Transfer-Encoding: {encoding}\r\n'
    )
    parsed = parse_email(raw(headers, body))
    assert isinstance(concern_from_email(parsed), ConcernReport | list)
