"""The ``cmehub`` command."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from adapters.broker.dead_letters import DeadLetter
from cmehub.cli_principals import app as principals_app
from cmehub.dead_letters import DeadLetterDesk
from cmehub.logging import configure_logging
from cmehub.settings import HubSettings
from cmehub.standins.cli import app as standins_app
from cmehub.topology import hub_topology
from cmehub.topology_export import MissingPassword, export_definitions
from schemas.catalogue import CATALOGUE
from schemas.export import FrozenSchemaError, export
from services.catalogue import ALL_SERVICES, subscriptions

app = typer.Typer(
    help="CME Hub: finds children missing education.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold personal data
)
schemas_app = typer.Typer(help="Message schemas: JSON Schema and AsyncAPI.", no_args_is_help=True)
dlq_app = typer.Typer(help="Dead letters: list, show and replay.", no_args_is_help=True)
topology_app = typer.Typer(help="Broker topology: RabbitMQ definitions.", no_args_is_help=True)
app.add_typer(schemas_app, name="schemas")
app.add_typer(dlq_app, name="dlq")
app.add_typer(topology_app, name="topology")
app.add_typer(principals_app, name="principals")
app.add_typer(standins_app, name="standin")

SERVICE_NAMES = [service.name for service in ALL_SERVICES]


@app.command()
def run(
    services: Annotated[
        list[str] | None,
        typer.Argument(help=f"Services to run (default: all of {', '.join(SERVICE_NAMES)})."),
    ] = None,
) -> None:
    """Run the hub (every service in one process) or the services named."""
    settings = HubSettings()
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    chosen = services or SERVICE_NAMES
    _require_known(chosen)
    from cmehub.server import serve  # noqa: PLC0415 - keeps the other commands fast to start

    serve(settings, ALL_SERVICES, chosen)


@schemas_app.command("export")
def export_schemas(
    directory: Annotated[Path, typer.Argument(help="Folder to write the files into.")],
    replace_frozen: Annotated[
        bool,
        typer.Option(
            help="Overwrite a published version's schema (only for a version never released)."
        ),
    ] = False,
) -> None:
    """Write JSON Schema for every message and the AsyncAPI 3.0 document."""
    try:
        written = export(CATALOGUE, subscriptions(), directory, replace_frozen=replace_frozen)
    except FrozenSchemaError as error:
        _fail(str(error))
    typer.echo(f"wrote {len(written)} files to {directory}")


@topology_app.command("export")
def export_topology(
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
    passwords_from_env: Annotated[
        bool,
        typer.Option(
            help="Give each user the password in CMEHUB_BROKER_PASSWORD_<ROLE>, stored as a "
            "salted hash (see deploy/README.md)."
        ),
    ] = False,
    admin: Annotated[bool, typer.Option(help="Add an administrator, <namespace>-admin.")] = False,
    vhost: Annotated[str, typer.Option(help="RabbitMQ virtual host.")] = "/",
) -> None:
    """Write the RabbitMQ definitions: exchange, quorum queues, bindings, users, permissions."""
    topology = hub_topology(HubSettings(), ALL_SERVICES)
    environ = os.environ if passwords_from_env else None
    try:
        text = export_definitions(topology, CATALOGUE, vhost=vhost, admin=admin, environ=environ)
    except MissingPassword as error:
        _fail(str(error))
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}", err=True)


@app.command()
def demo(
    hub_url: Annotated[str, typer.Option(help="Where the hub serves HTTP.")] = "",
    police_port: Annotated[
        int, typer.Option(help="Port for the stand-in police endpoint (the development force's).")
    ] = 8099,
) -> None:
    """Post sample returns and concerns to the running hub and print what happened to each."""
    from cmehub.demo import run_demo  # noqa: PLC0415 - only this command needs it

    settings = HubSettings()
    configure_logging(fmt="console", level="WARNING")
    url = hub_url or f"http://{settings.http_host}:{settings.http_port}"
    failures = asyncio.run(run_demo(url, police_port, typer.echo))
    if failures:
        _fail(f"{failures} scenario(s) did not finish; is the hub running at {url}?")


@dlq_app.command("list")
def dlq_list(
    service: Annotated[str | None, typer.Argument(help="Only this service's dead letters.")] = None,
) -> None:
    """List dead letters: id, service, type, when, why."""
    try:
        letters = asyncio.run(_desk().browse(_known(service)))
    except LookupError as error:
        _fail(str(error))
    for letter in letters:
        typer.echo(
            f"{letter.id}  {letter.service:<15} {letter.message_type or '-':<40} "
            f"{letter.dead_lettered_at or '-'}  {letter.reason}"
        )
    typer.echo(f"{len(letters)} dead letter(s)")


@dlq_app.command("show")
def dlq_show(
    letter_id: Annotated[str, typer.Argument(help="Dead letter id (or its start).")],
) -> None:
    """Show one dead letter: why it died, where it came from, its headers and body."""
    letter = _find(letter_id)
    typer.echo(json.dumps(_describe(letter), indent=2, default=str))


@dlq_app.command("replay")
def dlq_replay(
    letter_id: Annotated[str | None, typer.Argument(help="Dead letter id (or its start).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Replay every dead letter.")] = False,
    service: Annotated[str | None, typer.Option(help="Only this service's dead letters.")] = None,
) -> None:
    """Send dead letters back to the queue they died in, and remove them from the DLQ."""
    if (letter_id is None) == (not all_):
        raise typer.BadParameter("give a dead letter id or --all (not both)")
    try:
        replayed = asyncio.run(_desk().replay(letter_id, _known(service)))
    except LookupError as error:
        _fail(str(error))
    if letter_id is not None and not replayed:
        _fail(f"no dead letter with id {letter_id!r} (see `cmehub dlq list`)")
    for letter in replayed:
        typer.echo(f"replayed {letter.id} to {letter.service} ({letter.original_routing_key})")
    typer.echo(f"{len(replayed)} dead letter(s) replayed")


def _desk() -> DeadLetterDesk:
    settings = HubSettings()
    return DeadLetterDesk(settings.amqp_url, hub_topology(settings, ALL_SERVICES))


def _find(letter_id: str) -> DeadLetter:
    try:
        letter = asyncio.run(_desk().find(letter_id))
    except LookupError as error:
        _fail(str(error))
    if letter is None:
        _fail(f"no dead letter with id {letter_id!r} (see `cmehub dlq list`)")
    return letter


def _describe(letter: DeadLetter) -> dict[str, object]:
    try:
        body: object = json.loads(letter.body)
    except ValueError:
        body = letter.body.decode(errors="replace")
    return {
        "id": letter.id,
        "service": letter.service,
        "reason": letter.reason,
        "original_routing_key": letter.original_routing_key,
        "dead_lettered_at": letter.dead_lettered_at,
        "type": letter.message_type,
        "correlation_id": letter.correlation_id,
        "headers": letter.headers,
        "body": body,
    }


def _known(service: str | None) -> str | None:
    if service is not None:
        _require_known([service])
    return service


def _require_known(names: list[str]) -> None:
    unknown = sorted(set(names) - set(SERVICE_NAMES))
    if unknown:
        _fail(f"unknown service(s) {', '.join(unknown)}; choose from {', '.join(SERVICE_NAMES)}")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def main() -> None:
    app()
