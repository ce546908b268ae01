"""API keys: ``cmeh_<key id>_<secret>``; only an argon2id hash of the secret is stored."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_KEY = re.compile(r"^cmeh_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_hasher = PasswordHasher()
# Verified against when the key id is unknown, so a miss costs the same time as a hit.
_DECOY_HASH = _hasher.hash(secrets.token_urlsafe(32))


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    secret: str

    @property
    def token(self) -> str:
        return f"cmeh_{self.key_id}_{self.secret}"


def new_key() -> ApiKey:
    return ApiKey(secrets.token_hex(8), secrets.token_urlsafe(32))


def parse_key(token: str) -> ApiKey | None:
    match = _KEY.match(token.strip())
    return ApiKey(match[1], match[2]) if match else None


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(secret_hash: str | None, secret: str) -> bool:
    """Constant-time comparison (argon2); an unknown key id is checked against a decoy."""
    try:
        return bool(_hasher.verify(secret_hash or _DECOY_HASH, secret)) and secret_hash is not None
    except (VerificationError, InvalidHashError):
        return False
