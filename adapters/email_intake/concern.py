"""A concern report from an email: the email's words are the concern; the sender reports it.

Nothing in free text identifies a child reliably, so the child's details are left for an
officer and ``where_seen`` says the details are in the email text: that makes the report
actionable (the request model asks for some way to find the child) without guessing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from adapters.schools.results import FieldError
from adapters.schools.validation import Draft, validate
from schemas.v1.common import EmailAddress
from services.intake.requests import ConcernReport

if TYPE_CHECKING:
    from adapters.email_intake.parse import ParsedEmail

WHERE_SEEN = "See the email text (reported by email)"
MAX_CONCERN = 10_000
_NAME_MAX = 100
_EMAIL = TypeAdapter(EmailAddress)


def concern_from_email(parsed: ParsedEmail) -> ConcernReport | list[FieldError]:
    """The concern the email reports, or why there is none (no subject and no text)."""
    text = concern_text(parsed)
    if not text:
        return [FieldError("body", "the email has no subject and no text: nothing to report")]
    draft = Draft()
    draft.put(("concern",), text, "body")
    draft.put(("where_seen",), WHERE_SEEN, "body")
    draft.put(("reporter",), _reporter(parsed), "from")
    report, errors = validate(ConcernReport, draft)
    return report if report is not None else errors


def concern_text(parsed: ParsedEmail) -> str:
    """Subject, body and attachment names, cut to the concern's 10,000 characters if longer."""
    head = f"Subject: {parsed.subject}\n\n" if parsed.subject else ""
    tail = _attachment_note(parsed)
    body = parsed.body.strip()
    if not body and not parsed.subject:
        return ""
    room = MAX_CONCERN - len(head) - len(tail)
    if len(body) > room:
        note = (
            f"\n\n[Cut: the email text is {len(body):,} characters; the whole message is "
            "kept with the receipt.]"
        )
        body = body[: max(room - len(note), 0)].rstrip() + note
    return (head + body + tail).strip()


def _attachment_note(parsed: ParsedEmail) -> str:
    if not parsed.attachments:
        return ""
    names = ", ".join(
        f"{item.filename or 'unnamed'} ({item.content_type})" for item in parsed.attachments
    )
    return f"\n\n[Attachments, kept with the original email: {names}]"[:1_000]


def _reporter(parsed: ParsedEmail) -> dict[str, str] | None:
    reporter = {}
    if parsed.from_name:
        reporter["name"] = parsed.from_name[:_NAME_MAX]
    if parsed.from_address and _valid_email(parsed.from_address):
        reporter["email"] = parsed.from_address
    return reporter or None


def _valid_email(address: str) -> bool:
    try:
        _EMAIL.validate_python(address)
    except ValidationError:
        return False
    return True
