"""Logging for every CME Hub process: structlog and stdlib logging, one pipeline.

Each line goes to stdout, as JSON in production or pretty on a terminal, after a
processor has removed children's and reporters' personal data. Lines carry ids
(message, correlation, case) bound through contextvars, never names, contact details
or free text.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from contextlib import AbstractContextManager
from datetime import date, time
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, Final, Literal
from uuid import UUID

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

__all__ = [
    "IDENTIFIER_TOKENS",
    "OPERATIONAL_KEYS",
    "PERSONAL_DATA_KEYS",
    "LogFormat",
    "bind_context",
    "clear_context",
    "configure_logging",
    "get_logger",
    "is_personal_data_key",
    "log_context",
    "redact_personal_data",
    "scrub_personal_data",
]

LogFormat = Literal["auto", "json", "console"]

PERSONAL_DATA_KEYS: Final = frozenset(
    {
        # names and people
        "name", "names", "forename", "forenames", "surname", "surnames",
        "first_name", "last_name", "full_name", "middle_names", "preferred_name",
        "former_surname", "reporter", "parent", "parents", "carer", "carers",
        "contact", "contacts",
        # dates of birth
        "dob", "date_of_birth", "birth_date", "birthdate",
        # addresses
        "address", "addresses", "address_lines", "lines", "street", "town", "city",
        "postcode", "post_code", "postal_code", "future_address",
        # phones and emails
        "phone", "phones", "telephone", "tel", "mobile", "emergency_phone",
        "emergency_phones", "email", "emails", "email_address", "from_address",
        "reply_to",
        # personal identifiers
        "upn", "uln", "nhs_number", "ni_number",
        # free text that may carry any of the above
        "concern", "description", "note", "notes", "body", "text", "detail",
        "details", "where_seen", "child", "pupil", "payload",
    }
)  # fmt: skip
"""Key names (lower case, tokens joined by ``_``) whose values become ``[redacted]``.

A key matches when its tokens contain an entry's tokens, so ``child_surname`` and
``reporterEmail`` match ``surname`` and ``email``.
"""

IDENTIFIER_TOKENS: Final = frozenset(
    {
        "id", "ids", "uuid", "ref", "refs", "reference", "urn",
        "type", "kind", "status", "count",
    }
)  # fmt: skip
"""A key ending in one of these names an id or property, not the data: ``child_id``."""

OPERATIONAL_KEYS: Final = frozenset(
    {
        "queue_name", "exchange_name", "service_name", "logger_name", "schema_name",
        "event_name", "task_name", "handler_name", "host_name", "table_name",
    }
)  # fmt: skip
"""Whole keys that would match ``name`` but describe the hub's own machinery."""

REDACTED: Final = "[redacted]"
_TRUSTED_KEYS: Final = frozenset({"timestamp"})
_MAX_DEPTH: Final = 12
_PLAIN_TYPES: Final = (int, float, Decimal, UUID, date, time, Enum)
_HANDLER_NAME: Final = "cmehub"
_QUIET_LIBRARIES: Final = ("aio_pika", "aiormq", "sqlalchemy", "httpx", "httpcore")

_CAMEL_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_KEY_SEPARATORS: Final = re.compile(r"[\s_.\-]+")

_EMAIL_CHARS = r"\w.!#$%&'*+/=?^`{|}~\-"
_EMAIL: Final = re.compile(rf"(?<![{_EMAIL_CHARS}])[{_EMAIL_CHARS}]+@[\w\-]+(?:\.[\w\-]+)+")
_UPN: Final = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{11}[A-Za-z0-9](?![A-Za-z0-9])")
_DATE: Final = re.compile(
    r"(?<![\w/.\-])(?:0?[1-9]|[12]\d|3[01])([/.\-])(?:0?[1-9]|1[0-2])\1(?:19|20)\d\d"
    r"(?![\w/\-]|\.\d)",
    re.ASCII,
)
_PHONE: Final = re.compile(
    r"""
    (?<![\w+\-/.])
    (?: (?:\+|00)44[ ]?(?:\(0\)[ ]?)?    # UK international prefix, optional trunk (0)
      | \+[1-9]\d{0,2}[ ]?                # other country codes
      | \(?0 )                            # UK trunk prefix, optionally in brackets
    \d(?:[ \-]?\)?[ \-]?\d){8,10}          # 9 to 11 more digits in groups
    (?![\w\-/]|[.,]\d)
    """,
    re.ASCII | re.VERBOSE,
)
_POSTCODE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]{1,2}\d[A-Za-z\d]?|GIR)\s?\d[A-Za-z]{2}"
    r"(?![A-Za-z0-9])",
    re.ASCII | re.IGNORECASE,
)
_DIGIT: Final = re.compile(r"\d")
_DIGIT_PATTERNS: Final = (
    (_UPN, "[upn]"),
    (_DATE, "[date]"),
    (_PHONE, "[phone]"),
    (_POSTCODE, "[postcode]"),
)


def configure_logging(*, fmt: LogFormat = "auto", level: str = "INFO") -> None:
    """Send structlog and stdlib logging to stdout through the redacting pipeline.

    Safe to call again (for instance with another level): it replaces its own handler
    and leaves other handlers alone. ``auto`` means JSON unless stdout is a terminal.
    Start uvicorn with ``log_config=None`` so that it does not install its own
    handlers afterwards.
    """
    threshold = _parse_level(level)
    formatter = _formatter(fmt)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(ignore_frame_names=[__name__]),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Uncached, so reconfiguring and capture_logs() reach module-level loggers.
        cache_logger_on_first_use=False,
    )
    _install_root_handler(formatter, threshold)
    _tune_library_loggers(threshold)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """Return a logger named *name*, or after the calling module when *name* is None."""
    if name is None:
        return structlog.stdlib.get_logger()
    return structlog.stdlib.get_logger(name)


def bind_context(**ids: Any) -> None:
    """Add *ids* to every line logged from the current task or thread from now on."""
    structlog.contextvars.bind_contextvars(**ids)


def clear_context() -> None:
    structlog.contextvars.clear_contextvars()


def log_context(**ids: Any) -> AbstractContextManager[None]:
    """Bind *ids* for a ``with`` block or decorated function, then restore them."""
    return structlog.contextvars.bound_contextvars(**ids)


def redact_personal_data(
    logger: WrappedLogger, method_name: str, event_dict: EventDict
) -> EventDict:
    """Structlog processor: hide personal data in every key and string of *event_dict*.

    Values of personal-data keys (see `PERSONAL_DATA_KEYS`) at any depth become
    ``[redacted]``, except ``None`` and booleans, which carry no data. Every other
    string, including the event, is scrubbed by `scrub_personal_data`. Dataclasses and
    pydantic models are redacted field by field; other objects are stringified and
    scrubbed. Put it after ``format_exc_info`` so tracebacks are scrubbed too. It never
    raises: if redaction itself fails, the line is replaced by a notice rather than
    lost or leaked.
    """
    try:
        return {
            key: value if key in _TRUSTED_KEYS else _redact_entry(key, value, depth=0)
            for key, value in event_dict.items()
        }
    except Exception as error:  # noqa: BLE001 - a raising processor loses the line
        return _redaction_failed(event_dict, error)


def scrub_personal_data(text: str) -> str:
    """Replace emails, UK phone numbers, postcodes, UPNs and dd/mm/yyyy dates in *text*.

    Each becomes a typed placeholder such as ``[email]`` or ``[phone]``. UUIDs, hex ids
    and ISO 8601 timestamps are left as they are.
    """
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    if not _DIGIT.search(text):
        return text
    for pattern, placeholder in _DIGIT_PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


@lru_cache(maxsize=4096)
def is_personal_data_key(key: str) -> bool:
    """Tell whether the value stored under *key* should be hidden from logs."""
    tokens = _key_tokens(key)
    joined = "_".join(tokens)
    if not tokens or joined in OPERATIONAL_KEYS:
        return False
    padded = f"_{joined}_"
    matches = [entry for entry in PERSONAL_DATA_KEYS if f"_{entry}_" in padded]
    if matches and tokens[-1] in IDENTIFIER_TOKENS:
        return any(padded.endswith(f"_{entry}_") for entry in matches)
    return bool(matches)


def _key_tokens(key: str) -> tuple[str, ...]:
    words = _CAMEL_BOUNDARY.sub("_", key).lower()
    return tuple(token for token in _KEY_SEPARATORS.split(words) if token)


def _redact_entry(key: object, value: object, depth: int) -> object:
    if isinstance(key, str) and is_personal_data_key(key) and not _carries_no_data(value):
        return REDACTED
    return _redact_value(value, depth)


def _carries_no_data(value: object) -> bool:
    return value is None or isinstance(value, bool)


def _redact_value(value: object, depth: int) -> object:
    try:
        return _redact_any(value, depth)
    except Exception:  # noqa: BLE001 - e.g. a __str__ or property that raises
        return f"<unloggable {type(value).__name__}>"


def _redact_any(value: object, depth: int) -> object:
    if isinstance(value, str):
        return scrub_personal_data(value)
    if value is None or isinstance(value, _PLAIN_TYPES):
        return value
    if depth >= _MAX_DEPTH:
        return "[too deep]"
    return _redact_composite(value, depth + 1)


def _redact_composite(value: object, depth: int) -> object:
    if isinstance(value, Mapping):
        return _redact_mapping(value, depth)
    if isinstance(value, list | tuple | AbstractSet):
        items = [_redact_value(item, depth) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    fields = _fields_of(value)
    if fields is not None:
        return _redact_mapping(fields, depth)
    return _stringify(value)


def _redact_mapping(mapping: Mapping[Any, object], depth: int) -> dict[object, object]:
    return {_redact_key(key): _redact_entry(key, value, depth) for key, value in mapping.items()}


def _redact_key(key: object) -> object:
    return scrub_personal_data(key) if isinstance(key, str) else key


def _fields_of(value: object) -> Mapping[Any, object] | None:
    """Return the fields of a dataclass or pydantic model instance, else None."""
    if isinstance(value, type):
        return None
    if dataclasses.is_dataclass(value):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        dumped = model_dump()
        return dumped if isinstance(dumped, Mapping) else None
    return None


def _stringify(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return scrub_personal_data(bytes(value).decode("utf-8", errors="replace"))
    text = scrub_personal_data(str(value))
    return f"{type(value).__name__}: {text}" if isinstance(value, BaseException) else text


def _redaction_failed(event_dict: EventDict, error: Exception) -> EventDict:
    kept = {
        key: event_dict[key]
        for key in ("timestamp", "level", "logger")
        if isinstance(event_dict.get(key), str)
    }
    return {
        **kept,
        "event": "log line withheld: redaction failed",
        "error": type(error).__name__,
    }


def _shared_processors() -> list[Processor]:
    """Processors for structlog and stdlib lines alike, before redaction."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]


def _formatter(fmt: LogFormat) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            redact_personal_data,
            _renderer(fmt),
        ],
    )


def _renderer(fmt: LogFormat) -> Processor:
    if fmt not in ("auto", "json", "console"):
        raise ValueError(f"log format must be 'auto', 'json' or 'console', not {fmt!r}")
    on_terminal = _stdout_is_terminal()
    if fmt == "json" or (fmt == "auto" and not on_terminal):
        return structlog.processors.JSONRenderer(default=_json_default)
    return structlog.dev.ConsoleRenderer(colors=on_terminal)


def _stdout_is_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def _json_default(value: object) -> str:
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _parse_level(level: str) -> int:
    levels = logging.getLevelNamesMapping()
    try:
        return levels[level.upper()]
    except KeyError:
        names = ", ".join(sorted(levels))
        raise ValueError(f"log level must be one of {names}, not {level!r}") from None


def _install_root_handler(formatter: logging.Formatter, threshold: int) -> None:
    root = logging.getLogger()
    for old in [handler for handler in root.handlers if handler.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    root.setLevel(threshold)


def _tune_library_loggers(threshold: int) -> None:
    """Quieten chatty libraries, route uvicorn to our handler, drop its access log."""
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(threshold, logging.WARNING))
    for name in ("uvicorn", "uvicorn.error"):
        _route_to_root(logging.getLogger(name), max(threshold, logging.INFO))
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True


def _route_to_root(logger: logging.Logger, threshold: int) -> None:
    logger.handlers.clear()
    logger.propagate = True
    logger.disabled = False
    logger.setLevel(threshold)
