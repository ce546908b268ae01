"""``cmehub principals``: who may call the hub, and their API keys."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, NoReturn, TypeVar

import typer
from sqlalchemy.exc import IntegrityError

from adapters.auth.identity import IDENTITY, MIGRATIONS, Identity
from adapters.store.database import create_engine, ensure_schema, locate
from adapters.store.migrate import upgrade
from cmehub.settings import HubSettings

app = typer.Typer(
    help="Principals (schools, officers, agencies) and their API keys.", no_args_is_help=True
)
T = TypeVar("T")
SCOPE = re.compile(r"^(school:\d{6}|police:[a-z0-9-]{2,40}|la:\d{3}|officer|admin)$")


@asynccontextmanager
async def opened() -> AsyncIterator[Identity]:
    settings = HubSettings()
    location = locate(settings.database_url, IDENTITY, settings.namespace)
    await ensure_schema(location)
    engine = create_engine(location)
    await upgrade(engine, [MIGRATIONS], messaging=False)
    identity = Identity(engine)
    try:
        yield identity
    finally:
        await identity.close()


def run(work: Callable[[Identity], Awaitable[T]]) -> T:
    async def go() -> T:
        async with opened() as identity:
            return await work(identity)

    return asyncio.run(go())


def _add(principal_id: str, name: str, scopes: list[str]) -> None:
    bad = [scope for scope in scopes if not SCOPE.match(scope)]
    if bad:
        _fail(
            f"unknown scope(s) {', '.join(bad)}: use school:<URN>, police:<force>, "
            "la:<code>, officer or admin"
        )

    async def add(identity: Identity) -> str:
        await identity.add_principal(principal_id, name, scopes)
        return await identity.issue_key(principal_id)

    try:
        token = run(add)
    except IntegrityError:
        _fail(f"principal {principal_id!r} exists already; use `cmehub principals issue-key`")
    typer.echo(f"added {principal_id} ({', '.join(scopes)})")
    _show_key(token)


@app.command("add-school")
def add_school(
    urn: Annotated[str, typer.Argument(help="The school's URN (6 digits).")],
    name: Annotated[str, typer.Option(help="The school's name.")],
) -> None:
    """Add a school; its key may post returns for this URN only."""
    _add(f"school:{urn}", name, [f"school:{urn}"])


@app.command("add-officer")
def add_officer(
    user: Annotated[str, typer.Argument(help="A short user name, e.g. jsmith.")],
    name: Annotated[str, typer.Option(help="The officer's name.")],
    admin: Annotated[bool, typer.Option(help="Also an administrator.")] = False,
) -> None:
    """Add a CME officer (records concerns, works cases)."""
    _add(f"officer:{user}", name, ["officer", *(["admin"] if admin else [])])


@app.command("add")
def add(
    principal_id: Annotated[str, typer.Argument(help="Identifier, e.g. police:cheshire.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    scope: Annotated[list[str], typer.Option(help="A scope; repeat for several.")],
) -> None:
    """Add any principal with explicit scopes (police forces, other LAs)."""
    _add(principal_id, name, scope)


@app.command("issue-key")
def issue_key(principal_id: Annotated[str, typer.Argument()]) -> None:
    """Issue another API key for a principal (e.g. to rotate keys)."""
    try:
        token = run(lambda identity: identity.issue_key(principal_id))
    except IntegrityError:
        _fail(f"no principal {principal_id!r}")
    _show_key(token)


@app.command("revoke-key")
def revoke_key(key_id: Annotated[str, typer.Argument(help="The key id (cmeh_<id>_...).")]) -> None:
    """Revoke an API key at once."""
    if not run(lambda identity: identity.revoke_key(key_id)):
        _fail(f"no active key {key_id!r}")
    typer.echo(f"revoked {key_id}")


@app.command("list")
def list_principals() -> None:
    """Principals, their scopes and active key ids (never the keys)."""
    for record in run(lambda identity: identity.records()):
        principal = record.principal
        state = "disabled" if record.disabled else f"{len(record.active_keys)} key(s)"
        typer.echo(
            f"{principal.id:<30} {principal.name:<40} {','.join(sorted(principal.scopes))}"
            f"  {state} {' '.join(record.active_keys)}"
        )


def _show_key(token: str) -> None:
    typer.echo(f"API key (shown once, store it safely): {token}")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)
