"""``cmehub standin ...``: stand-in agency endpoints for demos (the tests start them in-process)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from adapters.police.force_config import DEVELOPMENT_SECRET
from cmehub.logging import configure_logging
from cmehub.standins.police import Mode, PoliceStandin

app = typer.Typer(help="Stand-in agency endpoints for demos and tests.", no_args_is_help=True)


@app.callback()
def standins() -> None:
    """Stand-in agency endpoints for demos and tests."""


@app.command("police")
def police(
    port: Annotated[int, typer.Option(help="Port to listen on (loopback).")] = 8099,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    secret: Annotated[
        list[str] | None,
        typer.Option(
            envvar="CMEHUB_STANDIN_POLICE_SECRET",
            help="Shared secret (repeat for old ones: the first signs callbacks, all verify). "
            "Default: the hub's development secret.",
        ),
    ] = None,
    mode: Annotated[Mode, typer.Option(help="How to acknowledge alerts.")] = Mode.RESPONSE,
    hub_url: Annotated[
        str, typer.Option(help="The hub's base URL, for callback acknowledgements.")
    ] = "http://127.0.0.1:8000",
    callback_delay: Annotated[
        float, typer.Option(help="Seconds before a callback acknowledgement.")
    ] = 1.0,
) -> None:
    """A stand-in police force: POST /alerts, GET /received, POST /control {"mode": ...}."""
    configure_logging(fmt="auto", level="INFO")
    secrets = [s.encode() for s in secret] if secret else [DEVELOPMENT_SECRET]
    standin = PoliceStandin(secrets, mode=mode, hub_url=hub_url, callback_delay_s=callback_delay)
    typer.echo(f"stand-in police force on http://{host}:{port}/alerts (mode {mode.value})")
    uvicorn.run(standin.app, host=host, port=port, log_config=None, access_log=False)
