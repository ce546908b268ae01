"""Reference numbers people quote: short, unambiguous to read aloud, not guessable."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O, U, so nothing is misread on the phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "CME") -> str:
    """``CME-7K4P-9QX2``: 40 random bits."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{code[:4]}-{code[4:]}"
