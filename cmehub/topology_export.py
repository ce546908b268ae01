"""The hub's RabbitMQ definitions: topology, one user per service, least-privilege permissions.

The document is the JSON that ``rabbitmqctl import_definitions`` and ``load_definitions`` in
``rabbitmq.conf`` read. It holds the events exchange, every quorum queue with exactly the
arguments the hub declares itself (``adapters.broker.topology``), the bindings, and users whose
permissions allow only what each process does once that topology exists:

- configure: nothing. The topology comes from this document; the passive declares the hub
  makes (consumer start, dead-letter browsing) need no permission.
- write: the events exchange for a producer; ``amq.default`` (the name RabbitMQ checks for the
  default exchange) for a consumer, which moves failed messages into its own retry and
  dead-letter queues through it.
- read: a consumer's own main queue.
- topic write on the events exchange: exactly the routing keys the service produces.

An ``operator`` user (``cmehub dlq``) reads every dead-letter queue and writes ``amq.default``;
a ``hub`` user holds what all services together need (``cmehub run`` in one process).

Passwords never appear: a user carries a salted ``password_hash`` only when one is given.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.broker.topology import Topology
from schemas.registry import Registry

DEFAULT_EXCHANGE = "amq.default"
NOTHING = "^$"
EVERYTHING = "^.*$"
HASHING_ALGORITHM = "rabbit_password_hashing_sha256"
PASSWORD_VARIABLE_PREFIX = "CMEHUB_BROKER_PASSWORD_"  # noqa: S105 - a variable name, no secret
OPERATOR = "operator"
WHOLE_HUB = "hub"
ADMIN = "admin"
_RESOURCE_NAME = re.compile(r"[A-Za-z0-9._-]+")


class MissingPassword(LookupError):
    """A user's password was asked for from the environment and is not there."""


@dataclass(frozen=True)
class BrokerUser:
    """One RabbitMQ user and its permissions (anchored regular expressions)."""

    role: str
    name: str
    configure: str
    write: str
    read: str
    topic_write: str | None = None
    tags: tuple[str, ...] = ()


def broker_users(
    topology: Topology, registry: Registry, *, admin: bool = False
) -> list[BrokerUser]:
    """Every service's user, then the whole-hub, operator and (if asked) admin users."""
    services = sorted(_producers(registry) | set(topology.service_names()))
    reserved = {WHOLE_HUB, OPERATOR, ADMIN} & set(services)
    if reserved:
        raise ValueError(f"service name(s) {sorted(reserved)} clash with broker user roles")
    users = [_service_user(topology, registry, service) for service in services]
    users += [_whole_hub_user(topology, registry), _operator_user(topology)]
    if admin:
        users.append(_admin_user(topology))
    return users


def rabbitmq_definitions(
    topology: Topology,
    registry: Registry,
    *,
    vhost: str = "/",
    password_hashes: Mapping[str, str] | None = None,
    admin: bool = False,
) -> dict[str, Any]:
    """The definitions document; ``password_hashes`` maps user names to RabbitMQ hashes."""
    users = broker_users(topology, registry, admin=admin)
    hashes = dict(password_hashes or {})
    unknown = set(hashes) - {user.name for user in users}
    if unknown:
        raise ValueError(f"password hashes for unknown user(s): {sorted(unknown)}")
    return {
        "vhosts": [{"name": vhost}],
        "users": [_user_entry(user, hashes.get(user.name)) for user in users],
        "permissions": [_permission_entry(user, vhost) for user in users],
        "topic_permissions": [
            _topic_permission_entry(user, vhost, topology.exchange)
            for user in users
            if user.topic_write is not None
        ],
        "exchanges": [_exchange_entry(topology.exchange, vhost)],
        "queues": [_queue_entry(spec.name, spec.arguments, vhost) for spec in topology.queues()],
        "bindings": [
            _binding_entry(topology.exchange, binding.queue, binding.routing_key, vhost)
            for binding in topology.bindings()
        ],
    }


def export_definitions(
    topology: Topology,
    registry: Registry,
    *,
    vhost: str = "/",
    admin: bool = False,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The definitions as JSON text; with ``environ``, each user's password comes from it."""
    hashes = None
    if environ is not None:
        hashes = password_hashes_from_env(broker_users(topology, registry, admin=admin), environ)
    document = rabbitmq_definitions(
        topology, registry, vhost=vhost, password_hashes=hashes, admin=admin
    )
    return render(document)


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def password_variable(role: str) -> str:
    """``police-notifier`` -> ``CMEHUB_BROKER_PASSWORD_POLICE_NOTIFIER``."""
    return PASSWORD_VARIABLE_PREFIX + role.upper().replace("-", "_")


def password_hashes_from_env(
    users: Iterable[BrokerUser], environ: Mapping[str, str]
) -> dict[str, str]:
    """A fresh salted hash of each user's password, read from ``password_variable(role)``."""
    missing = [
        password_variable(u.role) for u in users if not environ.get(password_variable(u.role))
    ]
    if missing:
        raise MissingPassword(f"set a broker password in {', '.join(missing)}")
    return {user.name: password_hash(environ[password_variable(user.role)]) for user in users}


def password_hash(password: str, *, salt: bytes | None = None) -> str:
    """RabbitMQ's ``rabbit_password_hashing_sha256``: base64(salt + sha256(salt + password))."""
    salt = os.urandom(4) if salt is None else salt
    if len(salt) != 4:
        raise ValueError("RabbitMQ password salts are 4 bytes")
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def any_of(names: Iterable[str]) -> str:
    """An anchored regular expression matching exactly these resource names."""
    literals = sorted({_literal(name) for name in names})
    if not literals:
        return NOTHING
    if len(literals) == 1:
        return f"^{literals[0]}$"
    return f"^({'|'.join(literals)})$"


def _service_user(topology: Topology, registry: Registry, service: str) -> BrokerUser:
    routing_keys = [s.routing_key for s in registry.specs() if s.producer == service]
    consumes = service in topology.service_names()
    writes = [topology.exchange] if routing_keys else []
    writes += [DEFAULT_EXCHANGE] if consumes else []
    reads = [topology.service(service).main] if consumes else []
    return _user(
        topology,
        service,
        write=any_of(writes),
        read=any_of(reads),
        topic_write=any_of(routing_keys) if routing_keys else None,
    )


def _whole_hub_user(topology: Topology, registry: Registry) -> BrokerUser:
    return _user(
        topology,
        WHOLE_HUB,
        write=any_of([topology.exchange, DEFAULT_EXCHANGE]),
        read=any_of(queues.main for queues in topology.services),
        topic_write=any_of(spec.routing_key for spec in registry.specs()),
    )


def _operator_user(topology: Topology) -> BrokerUser:
    return _user(
        topology,
        OPERATOR,
        write=any_of([DEFAULT_EXCHANGE]),
        read=any_of(queues.dead_letter for queues in topology.services),
    )


def _admin_user(topology: Topology) -> BrokerUser:
    return _user(
        topology,
        ADMIN,
        configure=EVERYTHING,
        write=EVERYTHING,
        read=EVERYTHING,
        tags=("administrator",),
    )


def _user(
    topology: Topology,
    role: str,
    *,
    write: str,
    read: str,
    topic_write: str | None = None,
    configure: str = NOTHING,
    tags: tuple[str, ...] = (),
) -> BrokerUser:
    name = f"{topology.namespace}-{role}"
    return BrokerUser(role, name, configure, write, read, topic_write, tags)


def _producers(registry: Registry) -> set[str]:
    return {spec.producer for spec in registry.specs()}


def _literal(name: str) -> str:
    if not _RESOURCE_NAME.fullmatch(name):
        raise ValueError(f"resource name {name!r} has characters a permission cannot name")
    return name.replace(".", r"\.")


def _user_entry(user: BrokerUser, hash_: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": user.name, "tags": list(user.tags)}
    if hash_ is not None:
        entry |= {"password_hash": hash_, "hashing_algorithm": HASHING_ALGORITHM}
    return entry


def _permission_entry(user: BrokerUser, vhost: str) -> dict[str, Any]:
    return {
        "user": user.name,
        "vhost": vhost,
        "configure": user.configure,
        "write": user.write,
        "read": user.read,
    }


def _topic_permission_entry(user: BrokerUser, vhost: str, exchange: str) -> dict[str, Any]:
    return {
        "user": user.name,
        "vhost": vhost,
        "exchange": exchange,
        "write": user.topic_write,
        "read": NOTHING,
    }


def _exchange_entry(name: str, vhost: str) -> dict[str, Any]:
    return {
        "name": name,
        "vhost": vhost,
        "type": "topic",
        "durable": True,
        "auto_delete": False,
        "internal": False,
        "arguments": {},
    }


def _queue_entry(name: str, arguments: Mapping[str, Any], vhost: str) -> dict[str, Any]:
    return {
        "name": name,
        "vhost": vhost,
        "durable": True,
        "auto_delete": False,
        "arguments": dict(arguments),
    }


def _binding_entry(exchange: str, queue: str, routing_key: str, vhost: str) -> dict[str, Any]:
    return {
        "source": exchange,
        "vhost": vhost,
        "destination": queue,
        "destination_type": "queue",
        "routing_key": routing_key,
        "arguments": {},
    }
