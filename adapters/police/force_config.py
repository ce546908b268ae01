"""Loading the force table: JSON from a file or inline, secrets from environment variables.

The JSON names, for each force, the environment variable that holds its secret; secrets
are never written in the file::

    {
      "home": "cheshire",
      "forces": {
        "cheshire": {
          "endpoint": "https://alerts.cheshire.police.example/cmehub/alerts",
          "secret_env": "CMEHUB_POLICE_SECRET_CHESHIRE",
          "previous_secret_envs": ["CMEHUB_POLICE_SECRET_CHESHIRE_OLD"],
          "postcode_areas": ["CW", "CH", "WA", "SK"]
        }
      }
    }

With nothing configured, development gets one home force on loopback (the stand-in police
endpoint, ``cmehub standin police``) with a published development secret; production
refuses to start that way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adapters.police.forces import Force, ForceTable
from schemas.registry import describe

DEVELOPMENT_SECRET = b"development-only-police-secret"
DEVELOPMENT_TABLE = ForceTable(
    home="cheshire",
    forces={
        "cheshire": Force(
            name="cheshire",
            endpoint="http://127.0.0.1:8099/alerts",
            secrets=(DEVELOPMENT_SECRET,),
            postcode_areas=frozenset({"CW", "CH", "WA", "SK"}),
        )
    },
)
MIN_PRODUCTION_SECRET_BYTES = 32


class ForceConfigError(ValueError):
    """The force table cannot be used; the message says what to fix."""


class _ForceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(pattern=r"^https?://\S+$")
    secret_env: str = Field(pattern=r"^[A-Z_][A-Z0-9_]*$")
    previous_secret_envs: tuple[str, ...] = ()
    postcode_areas: tuple[str, ...] = ()


class _TableFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    home: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    forces: dict[str, _ForceEntry]


def load_force_table(
    *,
    file: Path | None,
    inline: str | None,
    environ: Mapping[str, str],
    production: bool,
) -> ForceTable:
    """The configured table, or the development default when nothing is configured."""
    if file is None and not inline:
        if production:
            raise ForceConfigError(
                "no police forces configured: set CMEHUB_POLICE_FORCES_FILE (or "
                "CMEHUB_POLICE_FORCES); the development default is refused in production"
            )
        return DEVELOPMENT_TABLE
    text = _read(file) if file is not None else str(inline)
    table = parse_force_table(text, environ)
    if production:
        _check_production(table)
    return table


def parse_force_table(text: str, environ: Mapping[str, str]) -> ForceTable:
    try:
        spec = _TableFile.model_validate_json(text)
    except ValidationError as error:
        raise ForceConfigError(f"police force table: {describe(error, root='table')}") from None
    try:
        forces = {name: _force(name, entry, environ) for name, entry in spec.forces.items()}
        return ForceTable(home=spec.home, forces=forces)
    except ValueError as error:
        raise ForceConfigError(f"police force table: {error}") from None


def _force(name: str, entry: _ForceEntry, environ: Mapping[str, str]) -> Force:
    secrets = tuple(
        _secret(name, variable, environ)
        for variable in (entry.secret_env, *entry.previous_secret_envs)
    )
    return Force(
        name=name,
        endpoint=entry.endpoint,
        secrets=secrets,
        postcode_areas=frozenset(area.strip().upper() for area in entry.postcode_areas),
    )


def _secret(force: str, variable: str, environ: Mapping[str, str]) -> bytes:
    value = environ.get(variable, "")
    if not value:
        raise ForceConfigError(f"force {force!r}: environment variable {variable} is not set")
    return value.encode()


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except OSError as error:
        raise ForceConfigError(f"cannot read police force table {file}: {error}") from None


def _check_production(table: ForceTable) -> None:
    if not table.forces:
        raise ForceConfigError("the police force table is empty")
    for force in table.forces.values():
        if not force.endpoint.startswith("https://"):
            raise ForceConfigError(f"force {force.name!r}: production endpoints must be https://")
        if any(
            secret == DEVELOPMENT_SECRET or len(secret) < MIN_PRODUCTION_SECRET_BYTES
            for secret in force.secrets
        ):
            raise ForceConfigError(
                f"force {force.name!r}: production secrets must be at least "
                f"{MIN_PRODUCTION_SECRET_BYTES} bytes and not the development secret"
            )
