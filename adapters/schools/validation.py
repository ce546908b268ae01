"""Validate a request built from an external record, and name each error by the sender's field.

A parser builds the request's data with a ``Draft``, recording which of its own fields (CSV
column, CTF element) fills each model location. ``validate`` then runs the request model and
turns every pydantic error, including the model-level rules written as ``"path: rule"``, back
into a ``FieldError`` that names the sender's field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from adapters.schools.results import FieldError

Loc = tuple[str | int, ...]
Model = TypeVar("Model", bound=BaseModel)

_PATH_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_RULE_WITH_PATH = re.compile(r"^([A-Za-z_][A-Za-z0-9_.\[\]]*): (.+)$", re.DOTALL)
_FRIENDLY_PATTERN_RULES = {
    "urn": "a URN is 6 digits",
    "la_code": "an LA code is 3 digits",
    "email": "an email address, like name@example.org",
}


class FieldMap:
    """Model location -> the sender's field name; a location maps by its longest known prefix."""

    def __init__(self) -> None:
        self._names: dict[Loc, str] = {}

    def add(self, loc: Loc, name: str) -> None:
        self._names.setdefault(loc, name)

    def name_for(self, loc: Loc) -> str:
        for end in range(len(loc), 0, -1):
            name = self._names.get(loc[:end])
            if name is not None:
                return name
        return _dotted(loc) or "record"


class Draft:
    """Request data under construction, with the sender's field for each location."""

    def __init__(self, fields: FieldMap | None = None, prefix: Loc = ()) -> None:
        self.data: dict[str, Any] = {}
        self.fields = fields if fields is not None else FieldMap()
        self.prefix = prefix

    def put(self, path: tuple[str, ...], value: object, name: str) -> None:
        """Set ``value`` at ``path`` (nested dicts), unless it is None; remember ``name``."""
        self.fields.add((*self.prefix, *path), name)
        if value is None:
            return
        target = self.data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value

    def nested(self, *path: str | int) -> Draft:
        """A draft for a sub-record (a parent, an address) that shares this field map;
        ``attach`` puts its data in place."""
        return Draft(self.fields, (*self.prefix, *path))

    def attach(self, key: str, child: Draft, *, always: bool = False) -> None:
        """Put ``child``'s data at ``key``: only if it has any, unless ``always``."""
        if child.data or always:
            self.data[key] = child.data


def validate(
    model: type[Model], draft: Draft, known: Iterable[FieldError] = ()
) -> tuple[Model | None, list[FieldError]]:
    """The model built from ``draft``, or the errors; ``known`` errors (bad formats found while
    reading) come first, and the model's errors about the same fields are left out."""
    errors = list(known)
    try:
        request = model.model_validate(draft.data)
    except ValidationError as exc:
        reported = {error.field for error in errors}
        for detail in exc.errors(include_url=False):
            error = _field_error(detail, draft.fields)
            if error.field not in reported and error not in errors:
                errors.append(error)
        return None, errors
    return (None, errors) if errors else (request, errors)


def _field_error(detail: ErrorDetails, fields: FieldMap) -> FieldError:
    loc: Loc = tuple(detail["loc"])
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "value_error":
        located = _RULE_WITH_PATH.match(message)
        if located is not None:
            loc = (*loc, *_parse_path(located.group(1)))
            message = located.group(2)
    return FieldError(fields.name_for(loc), _rule(detail, loc, message))


def _rule(detail: ErrorDetails, loc: Loc, message: str) -> str:
    kind = detail["type"]
    if kind == "missing" and loc[-1:] == ("lines",):
        return "required when any other part of the address is given"
    if kind == "missing":
        return "required"
    if kind == "enum":
        return f"must be {detail.get('ctx', {}).get('expected', 'one of the listed codes')}"
    if kind == "string_pattern_mismatch":
        last = next((step for step in reversed(loc) if isinstance(step, str)), "")
        return _FRIENDLY_PATTERN_RULES.get(last, message)
    return message


def _parse_path(path: str) -> Loc:
    return tuple(name if name else int(index) for name, index in _PATH_STEP.findall(path))


def _dotted(loc: Loc) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in loc).lstrip(".")
