"""An email's readable text and its attachments (names and types, never contents)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage, Message

from adapters.email_intake.html_text import html_to_text, tidy

_MISLABELLED = {
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
}
"""Charsets that mailers often declare for text in a superset (as web browsers assume)."""


@dataclass(frozen=True)
class Attachment:
    filename: str | None
    content_type: str
    size: int | None


def body_text(message: EmailMessage, problems: list[str]) -> tuple[str, Message | None]:
    """The text of the plain part (or, failing that, the HTML part as text), and that part."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        problems.append("the email has no text or HTML part")
        return "", None
    text = decode_text(part, problems)
    if part.get_content_subtype() == "html":
        return html_to_text(text), part
    return tidy(text), part


def decode_text(part: Message, problems: list[str]) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    declared = (part.get_content_charset() or "us-ascii").lower()
    for charset in (_MISLABELLED.get(declared, declared), "utf-8"):
        try:
            return payload.decode(charset)
        except LookupError:
            problems.append(f"unknown charset {declared!r}: read as UTF-8")
        except UnicodeDecodeError:
            continue
    problems.append(f"the text is not valid {declared}: unreadable characters replaced")
    return payload.decode("cp1252", errors="replace")


def attachments(message: EmailMessage, body: Message | None) -> list[Attachment]:
    """Every part that is not the body or another version of it (multipart/alternative)."""
    return [
        Attachment(part.get_filename(), part.get_content_type(), _size(part))
        for part in _leaves(message)
        if part is not body and not _text_version(part)
    ]


def _leaves(part: Message) -> Iterator[Message]:
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub)
    else:
        yield part


def _text_version(part: Message) -> bool:
    return (
        part.get_content_type() in {"text/plain", "text/html"}
        and part.get_filename() is None
        and part.get_content_disposition() != "attachment"
    )


def _size(part: Message) -> int | None:
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else None
