"""Pointing a hub at a stand-in police force through its environment."""

from __future__ import annotations

import json
from collections.abc import Sequence


def one_force_env(
    endpoint: str, secret: bytes, *, areas: Sequence[str] = ("CW",)
) -> dict[str, str]:
    """The environment of a hub whose only police force (its home force, Cheshire) is at
    ``endpoint`` and shares ``secret``."""
    forces = {
        "home": "cheshire",
        "forces": {
            "cheshire": {
                "endpoint": endpoint,
                "secret_env": "CMEHUB_POLICE_SECRET_CHESHIRE",
                "postcode_areas": list(areas),
            }
        },
    }
    return {
        "CMEHUB_POLICE_FORCES": json.dumps(forces),
        "CMEHUB_POLICE_SECRET_CHESHIRE": secret.decode(),
    }
