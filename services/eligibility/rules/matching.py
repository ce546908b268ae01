"""Whether a reported child is a child the hub already knows: the same child joins one record.

Rules, strongest first:

- **UPN**: both known and equal. Both known and different means different children, whatever
  the names and dates of birth say.
- **Name and date of birth**: the same set of normalised name tokens (see `name_tokens`) and
  the same date of birth, both known. Different dates of birth never match.
- **Name and postcode**: the same name tokens, either date of birth missing, and the same
  postcode, both known.

Only one candidate may qualify by the strongest rule that any candidate meets; two or more is
ambiguous and gives no match, so the report starts a new child record. Merging two children's
records wrongly mixes their histories and can send an officer to the wrong family; a duplicate
record is harmless until an officer merges it.

Names match as whole tokens: no initials, nicknames or fuzzy spelling ("J Smith" is not "John
Smith"), and every token must agree, so a middle name given on one side and not the other does
not match. Near misses become duplicates an officer can merge, never wrong merges.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

TRANSLITERATION = str.maketrans(
    {
        "\u0142": "l",  # ł, Polish
        "\u00f8": "o",  # ø, Danish and Norwegian
        "\u00e6": "ae",  # æ
        "\u00df": "ss",  # ß, German (casefold already gives "ss")
        "\u0111": "d",  # đ, Croatian, Vietnamese
        "\u00f0": "d",  # ð, Icelandic
        "\u00fe": "th",  # þ, Icelandic
        "\u0153": "oe",  # œ
        "\u0131": "i",  # Turkish dotless i
    }
)
"""Lower-case letters that Unicode decomposition leaves whole, spelt as English records do."""
APOSTROPHES = re.compile("['`\u2018\u2019\u02bc\u00b4]")
"""Removed, not split on: "O'Brien" is "obrien" (straight, curly, modifier and accent marks)."""
SEPARATORS = re.compile(r"[\W_]+")
"""Hyphens, spaces, full stops and any other non-letter split a name into tokens."""


@dataclass(frozen=True)
class Identity:
    """What identifies a child, as far as it is known."""

    upn: str | None
    forenames: str | None
    surname: str | None
    date_of_birth: date | None
    postcode: str | None


@dataclass(frozen=True)
class Candidate:
    """An existing child record."""

    child_id: UUID
    identity: Identity


class MatchRule(StrEnum):
    """Which rule joined a report to an existing child (strongest first)."""

    UPN = "upn"
    NAME_AND_DOB = "name-and-dob"
    NAME_AND_POSTCODE = "name-and-postcode"


@dataclass(frozen=True)
class Match:
    child_id: UUID
    rule: MatchRule


def normalise_name(text: str) -> str:
    """Apostrophes removed, casefolded, accents stripped (NFKD), other letters transliterated."""
    compatible = unicodedata.normalize("NFKD", APOSTROPHES.sub("", text))
    decomposed = unicodedata.normalize("NFKD", compatible.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return APOSTROPHES.sub("", bare.translate(TRANSLITERATION))  # again: NFKD makes some


def name_tokens(forenames: str | None, surname: str | None) -> frozenset[str]:
    """The set of normalised tokens of all the names, in any order.

    >>> sorted(name_tokens("Zoë", "Smith-Jones")) == sorted(name_tokens("jones smith", "ZOE"))
    True
    """
    text = normalise_name(" ".join(part for part in (forenames, surname) if part))
    return frozenset(token for token in SEPARATORS.split(text) if token)


def normalise_code(value: str | None) -> str | None:
    """A UPN or postcode without spaces, in capitals; None when missing or blank."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return compact or None


def match_key(identity: Identity) -> str | None:
    """Blocking key for finding candidates cheaply: the sorted name tokens, or None without any.

    Every name-based match has equal token sets, so equal keys, whether it matches on date of
    birth or on postcode (which is why the date of birth is not part of the key). A UPN match
    needs no key: look candidates up by UPN as well (`normalise_code(identity.upn)`).
    """
    tokens = name_tokens(identity.forenames, identity.surname)
    return " ".join(sorted(tokens)) or None


def same_name(a: Identity, b: Identity) -> bool:
    tokens = name_tokens(a.forenames, a.surname)
    return bool(tokens) and tokens == name_tokens(b.forenames, b.surname)


def match_rule(a: Identity, b: Identity) -> MatchRule | None:
    """The rule by which two identities are the same child, or None (symmetric in a and b)."""
    upn_a, upn_b = normalise_code(a.upn), normalise_code(b.upn)
    if upn_a and upn_b:
        return MatchRule.UPN if upn_a == upn_b else None
    if not same_name(a, b):
        return None
    if a.date_of_birth is not None and b.date_of_birth is not None:
        return MatchRule.NAME_AND_DOB if a.date_of_birth == b.date_of_birth else None
    postcode_a, postcode_b = normalise_code(a.postcode), normalise_code(b.postcode)
    if postcode_a and postcode_a == postcode_b:
        return MatchRule.NAME_AND_POSTCODE
    return None


def find_match(identity: Identity, candidates: Iterable[Candidate]) -> Match | None:
    """The one existing child this identity is, by the strongest rule; None if none or ambiguous."""
    qualifying: defaultdict[MatchRule, set[UUID]] = defaultdict(set)
    for candidate in candidates:
        if (rule := match_rule(identity, candidate.identity)) is not None:
            qualifying[rule].add(candidate.child_id)
    best = next((rule for rule in MatchRule if qualifying[rule]), None)
    if best is None or len(qualifying[best]) > 1:
        return None
    (child_id,) = qualifying[best]
    return Match(child_id, best)
