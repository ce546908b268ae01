"""JSON Schema and AsyncAPI 3.0 documents generated from a message registry.

``export`` writes one JSON Schema per (type, version) for the whole envelope with that payload,
at ``<directory>/<type>/v<version>.schema.json``, and ``<directory>/asyncapi.json``. Output is
deterministic (sorted keys, 2-space indent, trailing newline), so the committed copy in
``schemas/published`` can be compared byte for byte. A published schema is frozen: ``export``
refuses to change one unless told to (``replace_frozen``), e.g. for a version never released.
"""

from __future__ import annotations

import copy
import inspect
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from schemas.envelope import Envelope, Payload
from schemas.registry import MessageSpec, Registry

JsonObject = dict[str, Any]

EXCHANGE = "cmehub.events"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
AMQP_BINDING_VERSION = "0.3.0"
SERVER = "rabbitmq"


class FrozenSchemaError(Exception):
    """An export would change the schema of a version that is already published."""


def published_dir() -> Path:
    """Where the committed copy of the generated documents lives: ``schemas/published``."""
    return Path(__file__).resolve().parent / "published"


def schema_path(directory: Path, spec: MessageSpec) -> Path:
    return directory / spec.type / f"v{spec.version}.schema.json"


def message_id(spec: MessageSpec) -> str:
    return spec.routing_key


def render(document: JsonObject) -> str:
    """The canonical text of a generated document."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def message_schema(spec: MessageSpec) -> JsonObject:
    """JSON Schema (2020-12) of the envelope carrying this message's payload."""
    schema = _envelope_model(spec.model).model_json_schema()
    _describe_envelope(schema, spec)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"urn:cmehub:message:{spec.type}:v{spec.version}",
        **schema,
    }


def asyncapi_document(
    registry: Registry,
    subscriptions: Mapping[str, Iterable[str]],
    *,
    exchange: str = EXCHANGE,
) -> JsonObject:
    """AsyncAPI 3.0.0 document: a channel per (type, version), sends by producers, receives."""
    specs = registry.specs()
    return {
        "asyncapi": "3.0.0",
        "info": copy.deepcopy(_INFO),
        "defaultContentType": "application/json",
        "servers": {SERVER: copy.deepcopy(_SERVER_OBJECT)},
        "channels": {message_id(s): _channel(s, exchange) for s in specs},
        "operations": _operations(registry, subscriptions),
        "components": {
            "schemas": _component_schemas(specs),
            "messages": {message_id(s): _message(s) for s in specs},
        },
    }


def export(
    registry: Registry,
    subscriptions: Mapping[str, Iterable[str]],
    directory: Path,
    *,
    exchange: str = EXCHANGE,
    replace_frozen: bool = False,
) -> list[Path]:
    """Write every message's JSON Schema and the AsyncAPI document; return the paths written."""
    documents = {schema_path(directory, s): render(message_schema(s)) for s in registry.specs()}
    if not replace_frozen:
        _refuse_changes_to_published(documents)
    asyncapi = asyncapi_document(registry, subscriptions, exchange=exchange)
    documents[directory / "asyncapi.json"] = render(asyncapi)
    for path, text in documents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(documents)


def _refuse_changes_to_published(documents: Mapping[Path, str]) -> None:
    for path, text in documents.items():
        if path.exists() and _parsed(path.read_text(encoding="utf-8")) != json.loads(text):
            version = path.name.removesuffix(".schema.json")
            raise FrozenSchemaError(
                f"published schema for {path.parent.name} {version} changed: publish a new "
                "version instead of editing (replace it only if it was never released)"
            )


def _parsed(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def _envelope_model(model: type[Payload]) -> type[BaseModel]:
    envelope: type[BaseModel] = Envelope[model]  # type: ignore[valid-type]
    return envelope


def _describe_envelope(schema: JsonObject, spec: MessageSpec) -> None:
    """Title and describe the envelope, and pin its type, version and producer."""
    schema["title"] = f"{spec.type} v{spec.version}"
    schema["description"] = f"Envelope carrying {spec.type} v{spec.version}: {spec.summary}"
    properties = schema["properties"]
    properties["type"].update(const=spec.type, examples=[spec.type])
    properties["version"].update(const=spec.version, examples=[spec.version])
    properties["producer"].update(const=spec.producer, examples=[spec.producer])


# --- AsyncAPI parts ------------------------------------------------------------------------

_INFO: JsonObject = {
    "title": "CME Hub events",
    "version": "1.0.0",
    "description": (
        "Events and commands exchanged by the CME Hub services over one durable RabbitMQ topic "
        "exchange. Routing key: `<producer>.<event-name>.v<version>`. Every message is a JSON "
        "envelope (message_id, type, version, occurred_at, correlation_id, causation_id, "
        "producer) around a typed payload. A published version is frozen; readers ignore "
        "unknown fields. Payloads carry personal data about children: handle them as such."
    ),
    "license": {"name": "MIT"},
}

_SERVER_OBJECT: JsonObject = {
    "host": "{host}:{port}",
    "protocol": "amqp",
    "protocolVersion": "0.9.1",
    "description": "The deployment's RabbitMQ broker.",
    "variables": {
        "host": {"default": "localhost", "description": "Broker host name."},
        "port": {"default": "5672", "description": "AMQP port."},
    },
}


def _ref(*path: str) -> JsonObject:
    return {"$ref": "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)}


def _channel(spec: MessageSpec, exchange: str) -> JsonObject:
    return {
        "address": spec.routing_key,
        "title": f"{spec.type} v{spec.version}",
        "summary": spec.summary,
        "servers": [_ref("servers", SERVER)],
        "messages": {message_id(spec): _ref("components", "messages", message_id(spec))},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {
                    "name": exchange,
                    "type": "topic",
                    "durable": True,
                    "autoDelete": False,
                    "vhost": "/",
                },
                "bindingVersion": AMQP_BINDING_VERSION,
            }
        },
    }


def _message(spec: MessageSpec) -> JsonObject:
    return {
        "name": spec.model.__name__,
        "title": f"{spec.type} v{spec.version}",
        "summary": spec.summary,
        "description": inspect.cleandoc(spec.model.__doc__ or spec.summary),
        "contentType": "application/json",
        "payload": _ref("components", "schemas", message_id(spec)),
        "correlationId": {
            "description": "Ties together every message of one referral or case chain.",
            "location": "$message.payload#/correlation_id",
        },
        "bindings": {"amqp": {"messageType": spec.type, "bindingVersion": AMQP_BINDING_VERSION}},
    }


def _operations(registry: Registry, subscriptions: Mapping[str, Iterable[str]]) -> JsonObject:
    operations = {
        f"{s.producer}.send.{message_id(s)}": _operation("send", s.producer, s)
        for s in registry.specs()
    }
    known = set(registry.types())
    for service in sorted(subscriptions):
        for type_ in sorted(set(subscriptions[service])):
            if type_ not in known:
                raise ValueError(f"{service} subscribes to unknown message type {type_!r}")
            for spec in (s for s in registry.specs() if s.type == type_):
                operations[f"{service}.receive.{message_id(spec)}"] = _operation(
                    "receive", service, spec
                )
    return operations


def _operation(action: str, service: str, spec: MessageSpec) -> JsonObject:
    verb = "publishes" if action == "send" else "consumes"
    amqp: JsonObject = (
        {"deliveryMode": 2, "mandatory": True, "timestamp": True}
        if action == "send"
        else {"ack": True}
    )
    return {
        "action": action,
        "channel": _ref("channels", message_id(spec)),
        "messages": [_ref("channels", message_id(spec), "messages", message_id(spec))],
        "summary": f"{service} {verb} {spec.type} v{spec.version}.",
        "tags": [{"name": service}],
        "bindings": {"amqp": {**amqp, "bindingVersion": AMQP_BINDING_VERSION}},
    }


def _component_schemas(specs: Sequence[MessageSpec]) -> JsonObject:
    """Every envelope and sub-model schema, with refs into ``#/components/schemas``."""
    mode: Literal["validation"] = "validation"
    keyed = [((_envelope_model(s.model), mode), s) for s in specs]
    refs, top = models_json_schema(
        [key for key, _ in keyed], ref_template="#/components/schemas/{model}"
    )
    schemas: JsonObject = dict(top.get("$defs", {}))
    prefix = "#/components/schemas/"
    for key, spec in keyed:
        envelope = schemas.pop(refs[key]["$ref"].removeprefix(prefix))
        _describe_envelope(envelope, spec)
        schemas[message_id(spec)] = envelope
    return schemas
