"""An email to the CME team's address, read into ``ParsedEmail``, and made into a concern.

``parse_email`` never raises: whatever it cannot read goes into ``problems``, and the raw
bytes are kept as they came for the receipt. ``concern_from_email`` makes a ``ConcernReport``
from the email's text; an email cannot be parsed reliably for the child's details, so they
are left for an officer to complete, and ``where_seen`` points to the email text (see
docs/schools.md, "Concerns by email").
"""

from __future__ import annotations

import email.errors
import email.policy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesParser
from typing import TypeVar

from adapters.email_intake.body import Attachment, attachments, body_text
from adapters.email_intake.concern import concern_from_email
from adapters.email_intake.html_text import tidy

__all__ = ["MAX_BYTES", "Attachment", "ParsedEmail", "concern_from_email", "parse_email"]

MAX_BYTES = 25 * 1024 * 1024
_T = TypeVar("_T")
_UNREADABLE = (
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    UnicodeError,
    email.errors.MessageError,
)


@dataclass(frozen=True)
class ParsedEmail:
    raw: bytes
    subject: str | None = None
    from_name: str | None = None
    from_address: str | None = None
    date: datetime | None = None
    message_id: str | None = None
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_email(raw: bytes) -> ParsedEmail:
    """Read an RFC 5322 message; problems are recorded, never raised."""
    problems: list[str] = []
    if len(raw) > MAX_BYTES:
        problems.append(f"the message is {len(raw):,} bytes; over {MAX_BYTES:,} is not read")
        return ParsedEmail(raw=raw, problems=problems)
    message = _try(lambda: _parse(raw), "the message", problems)
    if message is None:
        return ParsedEmail(raw=raw, problems=problems)
    text, body = _try(lambda: body_text(message, problems), "the text", problems) or ("", None)
    name, address = _try(lambda: _sender(message), "From", problems) or (None, None)
    return ParsedEmail(
        raw=raw,
        subject=_try(lambda: _header(message, "subject"), "Subject", problems),
        from_name=name,
        from_address=address,
        date=_try(lambda: _date(message), "Date", problems),
        message_id=_try(lambda: _header(message, "message-id"), "Message-ID", problems),
        body=text,
        attachments=_try(lambda: attachments(message, body), "attachments", problems) or [],
        problems=problems,
    )


def _parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=email.policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage):
        raise TypeError("the default policy makes EmailMessage")
    return message


def _try(read: Callable[[], _T], what: str, problems: list[str]) -> _T | None:
    try:
        return read()
    except _UNREADABLE as exc:
        problems.append(f"{what} could not be read ({type(exc).__name__})")
        return None


def _header(message: EmailMessage, name: str) -> str | None:
    value = message.get(name)
    return tidy(" ".join(str(value).split())) or None if value is not None else None


def _sender(message: EmailMessage) -> tuple[str | None, str | None]:
    header = message.get("from")
    found = getattr(header, "addresses", ()) if header is not None else ()
    if not found:
        return None, None
    sender = found[0]
    return tidy(sender.display_name) or None, tidy(sender.addr_spec) or None


def _date(message: EmailMessage) -> datetime | None:
    header = message.get("date")
    value = getattr(header, "datetime", None) if header is not None else None
    return value if isinstance(value, datetime) else None
