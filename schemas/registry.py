"""Which model reads which (type, version), and how an old version is lifted to the newest.

A handler subscribes to a message *type* and always sees its newest version: a v1 payload from
an older producer is validated against the frozen v1 model, then passed through the upcasters
(v1 -> v2 -> ...) and validated against the newest model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from schemas.envelope import Envelope, Payload, RawEnvelope

PayloadT = TypeVar("PayloadT", bound=type[Payload])
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def message(type_: str, version: int) -> Callable[[PayloadT], PayloadT]:
    """Mark a payload model as message ``type_`` at ``version`` (producer = first dotted part)."""
    producer, _, event = type_.partition(".")
    if not producer or not event:
        raise ValueError(f"message type must be '<producer>.<event-name>', got {type_!r}")

    def mark(model: PayloadT) -> PayloadT:
        model.message_type = type_
        model.message_version = version
        model.producer = producer
        return model

    return mark


class MessageParseError(Exception):
    """A message that can never be handled as it stands; it belongs in a dead-letter queue."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class MessageSpec:
    model: type[Payload]

    @property
    def type(self) -> str:
        return self.model.message_type

    @property
    def version(self) -> int:
        return self.model.message_version

    @property
    def producer(self) -> str:
        return self.model.producer

    @property
    def routing_key(self) -> str:
        return self.model.routing_key()

    @property
    def summary(self) -> str:
        return (self.model.__doc__ or self.type).strip().splitlines()[0]


class Registry:
    """A message catalogue: models by (type, version), plus the upcasters between versions."""

    def __init__(self, models: Iterable[type[Payload]] = ()) -> None:
        self._specs: dict[tuple[str, int], MessageSpec] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        for model in models:
            self.add(model)

    def add(self, model: type[Payload]) -> None:
        if not model.message_type:
            raise ValueError(f"{model.__name__} is not marked with @message(type, version)")
        key = (model.message_type, model.message_version)
        if key in self._specs and self._specs[key].model is not model:
            raise ValueError(f"{key} is already registered to {self._specs[key].model.__name__}")
        self._specs[key] = MessageSpec(model)

    def upcaster(self, type_: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register the function that turns a ``from_version`` payload into the next version."""

        def register(function: Upcaster) -> Upcaster:
            self._upcasters[(type_, from_version)] = function
            return function

        return register

    def specs(self) -> list[MessageSpec]:
        return sorted(self._specs.values(), key=lambda s: (s.type, s.version))

    def types(self) -> list[str]:
        return sorted({spec.type for spec in self._specs.values()})

    def spec(self, type_: str, version: int) -> MessageSpec:
        try:
            return self._specs[(type_, version)]
        except KeyError:
            raise MessageParseError(f"unknown message type {type_!r} version {version}") from None

    def latest(self, type_: str) -> MessageSpec:
        versions = [v for (t, v) in self._specs if t == type_]
        if not versions:
            raise MessageParseError(f"unknown message type {type_!r}")
        return self._specs[(type_, max(versions))]

    def parse(self, body: bytes | str) -> Envelope[Payload]:
        """Bytes off the wire -> an envelope holding the newest version of its payload."""
        raw = _read_raw(body)
        spec = self.spec(raw.type, raw.version)
        payload = _validate(spec, raw.payload)
        for version in range(raw.version, self.latest(raw.type).version):
            upcast = self._upcasters.get((raw.type, version))
            if upcast is None:
                raise MessageParseError(f"no upcaster from {raw.type} v{version} to v{version + 1}")
            payload = _validate(self.spec(raw.type, version + 1), upcast(payload.model_dump()))
        envelope_type = Envelope[type(payload)]  # type: ignore[misc,valid-type]
        fields = raw.model_dump(exclude={"payload", "version"})
        return envelope_type(**fields, version=payload.message_version, payload=payload)  # type: ignore[operator,no-any-return]


def encode(envelope: Envelope[Any]) -> bytes:
    """The wire form of an envelope: UTF-8 JSON."""
    return envelope.model_dump_json().encode()


def _read_raw(body: bytes | str) -> RawEnvelope:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MessageParseError(f"body is not JSON: {error}") from None
    try:
        return RawEnvelope.model_validate(data)
    except ValidationError as error:
        raise MessageParseError(f"envelope is invalid: {describe(error)}") from None


def _validate(spec: MessageSpec, data: dict[str, Any]) -> Payload:
    try:
        return spec.model.model_validate(data)
    except ValidationError as error:
        raise MessageParseError(
            f"payload of {spec.type} v{spec.version} is invalid: {describe(error)}"
        ) from None


def describe(error: ValidationError, *, root: str = "(root)") -> str:
    """'field.path: rule' for each problem, without echoing the (personal) input values."""
    parts = []
    for problem in error.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in problem["loc"]) or root
        parts.append(f"{location}: {problem['msg']}")
    return "; ".join(parts)
