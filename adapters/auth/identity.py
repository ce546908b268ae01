"""Principals and API keys, shared by every HTTP edge of the hub.

The identity database is the one piece of data more than one service reads (intake, tracing
and the agency callbacks all authenticate the same officers and agencies); it belongs to no
service, is written only by ``cmehub principals`` and is read-only to the services.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.auth.keys import ApiKey, hash_secret, new_key, parse_key, verify_secret
from adapters.auth.principal import Principal
from adapters.auth.tables import api_keys, principals
from adapters.clock import Clock, system_clock

MIGRATIONS = Path(__file__).parent / "migrations"
IDENTITY = "identity"
"""The name the identity database goes by (a schema or file like a service's)."""
CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class PrincipalRecord:
    principal: Principal
    active_keys: tuple[str, ...]
    disabled: bool


class Identity:
    def __init__(self, engine: AsyncEngine, *, clock: Clock = system_clock) -> None:
        self._engine = engine
        self._clock = clock
        self._verified: dict[bytes, tuple[float, Principal]] = {}

    async def authenticate(self, token: str) -> Principal | None:
        """The principal behind a bearer token, or None. Verified keys are cached briefly so a
        busy school MIS does not pay an argon2 verification per request."""
        fingerprint = hashlib.sha256(token.encode()).digest()
        cached = self._verified.get(fingerprint)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        key = parse_key(token)
        if key is None:
            return None
        principal = await self._verify(key)
        if principal is not None:
            self._verified[fingerprint] = (time.monotonic() + CACHE_SECONDS, principal)
        return principal

    async def _verify(self, key: ApiKey) -> Principal | None:
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(
                        api_keys.c.secret_hash,
                        principals.c.id,
                        principals.c.name,
                        principals.c.scopes,
                    )
                    .join(principals, principals.c.id == api_keys.c.principal_id)
                    .where(
                        api_keys.c.key_id == key.key_id,
                        api_keys.c.revoked_at.is_(None),
                        principals.c.disabled_at.is_(None),
                    )
                )
            ).first()
        secret_hash = row.secret_hash if row else None
        valid = await asyncio.to_thread(verify_secret, secret_hash, key.secret)
        if not valid or row is None:
            return None
        return Principal(row.id, row.name, frozenset(row.scopes))

    async def add_principal(self, principal_id: str, name: str, scopes: Iterable[str]) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                principals.insert().values(
                    id=principal_id, name=name, scopes=sorted(scopes), created_at=self._clock()
                )
            )

    async def issue_key(self, principal_id: str) -> str:
        """A new API key for the principal; the token is returned once and never stored."""
        key = new_key()
        async with self._engine.begin() as connection:
            await connection.execute(
                api_keys.insert().values(
                    key_id=key.key_id,
                    principal_id=principal_id,
                    secret_hash=hash_secret(key.secret),
                    created_at=self._clock(),
                )
            )
        return key.token

    async def revoke_key(self, key_id: str) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(api_keys)
                .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=self._clock())
            )
        self._verified.clear()
        return bool(result.rowcount)

    async def close(self) -> None:
        await self._engine.dispose()

    async def records(self) -> list[PrincipalRecord]:
        async with self._engine.connect() as connection:
            people = (await connection.execute(select(principals).order_by(principals.c.id))).all()
            keys = (
                await connection.execute(
                    select(api_keys.c.key_id, api_keys.c.principal_id).where(
                        api_keys.c.revoked_at.is_(None)
                    )
                )
            ).all()
        return [
            PrincipalRecord(
                Principal(p.id, p.name, frozenset(p.scopes)),
                tuple(k.key_id for k in keys if k.principal_id == p.id),
                p.disabled_at is not None,
            )
            for p in people
        ]
