"""The same child reported twice joins one record; different children never do."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.eligibility.rules.matching import (
    Candidate,
    Identity,
    Match,
    MatchRule,
    find_match,
    match_key,
    match_rule,
    name_tokens,
    normalise_name,
)

BORN = date(2015, 5, 5)
UPN = "B801200005001"
OTHER_UPN = "A801200005002"


def identity(**changes: Any) -> Identity:
    base = Identity(
        upn=None, forenames="Amelia", surname="Smith", date_of_birth=BORN, postcode="CW1 2BJ"
    )
    return replace(base, **changes)


def known(**changes: Any) -> Candidate:
    return Candidate(child_id=uuid4(), identity=identity(**changes))


def matched(report: Identity, *candidates: Candidate) -> Match | None:
    return find_match(report, candidates)


# --- UPN ----------------------------------------------------------------------------------------


def test_same_upn_matches_even_when_the_name_changed() -> None:
    record = known(upn=UPN, surname="Jones")
    assert matched(identity(upn=UPN), record) == Match(record.child_id, MatchRule.UPN)


def test_upn_compares_without_spaces_or_case() -> None:
    record = known(upn=UPN)
    assert matched(identity(upn=" b801 2000 05001 "), record) == Match(
        record.child_id, MatchRule.UPN
    )


def test_upn_conflict_means_different_children_even_with_the_same_name_and_birth() -> None:
    assert matched(identity(upn=UPN), known(upn=OTHER_UPN)) is None


def test_upn_known_on_one_side_only_falls_back_to_name_and_birth() -> None:
    record = known(upn=None)
    assert matched(identity(upn=UPN), record) == Match(record.child_id, MatchRule.NAME_AND_DOB)


def test_upn_match_beats_a_name_and_birth_match_with_another_record() -> None:
    by_upn = known(upn=UPN, surname="Jones")
    by_name = known(upn=None)
    assert matched(identity(upn=UPN), by_name, by_upn) == Match(by_upn.child_id, MatchRule.UPN)


def test_blank_upn_counts_as_missing() -> None:
    record = known(upn="  ")
    assert matched(identity(upn=UPN), record) == Match(record.child_id, MatchRule.NAME_AND_DOB)


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "recorded"),
    [
        (("Amelia", "Smith"), ("Smith", "Amelia")),  # forename and surname swapped
        (("Amelia", "Smith-Jones"), ("Amelia", "Smith Jones")),  # hyphen
        (("Amelia", "Smith Jones"), ("Amelia Jones", "Smith")),  # name order
        (("Zoë", "Smith"), ("Zoe", "Smith")),  # diaeresis
        (("ZOË", "SMITH"), ("zoe", "smith")),  # case
        (("Łukasz", "Wójcik"), ("Lukasz", "Wojcik")),  # ł is not decomposed by NFKD
        (("Søren", "Kjærgaard"), ("Soren", "Kjaergaard")),  # ø, æ
        (("Jürgen", "Straße"), ("Jurgen", "Strasse")),  # ß
        (("Đorđe", "Petrović"), ("Dorde", "Petrovic")),  # đ
        (("Þóra", "Guðmundsdóttir"), ("Thora", "Gudmundsdottir")),  # þ, ð
        (("Siobhán", "O'Brien"), ("Siobhan", "O\u2019Brien")),  # straight and curly apostrophe
        (("Siobhan", "O'Brien"), ("Siobhan", "OBrien")),  # apostrophe removed, not split
        (("Siobhan", "O\uff07Brien"), ("Siobhan", "O'Brien")),  # full-width apostrophe
        (("  Amelia ", "Smith"), ("Amelia", "  Smith")),  # spaces
        (("Zoe\u0308", "Smith"), ("Zo\u00eb", "Smith")),  # decomposed and composed ë
    ],
)
def test_names_that_are_the_same_match(
    reported: tuple[str, str], recorded: tuple[str, str]
) -> None:
    record = known(forenames=recorded[0], surname=recorded[1])
    report = identity(forenames=reported[0], surname=reported[1])
    assert matched(report, record) == Match(record.child_id, MatchRule.NAME_AND_DOB)


@pytest.mark.parametrize(
    ("reported", "recorded"),
    [
        (("A", "Smith"), ("Amelia", "Smith")),  # initials are not expanded
        (("Amelia Rose", "Smith"), ("Amelia", "Smith")),  # a middle name on one side only
        ((None, "Smith"), ("Amelia", "Smith")),  # surname only
        (("Amelia", "Smyth"), ("Amelia", "Smith")),  # no fuzzy spelling
        ((None, None), (None, None)),  # no name at all
    ],
)
def test_names_that_differ_do_not_match(
    reported: tuple[str | None, str | None], recorded: tuple[str | None, str | None]
) -> None:
    record = known(forenames=recorded[0], surname=recorded[1])
    assert matched(identity(forenames=reported[0], surname=reported[1]), record) is None


def test_name_tokens_split_on_hyphens_and_spaces() -> None:
    assert name_tokens("Mary-Jane", "Smith Jones") == {"mary", "jane", "smith", "jones"}


def test_name_tokens_of_no_name_are_empty() -> None:
    assert name_tokens(None, None) == frozenset()
    assert name_tokens(" - ", "") == frozenset()


# --- dates of birth, postcodes, twins -----------------------------------------------------------


def test_different_dates_of_birth_never_match_even_at_the_same_postcode() -> None:
    assert matched(identity(), known(date_of_birth=date(2015, 5, 6))) is None


def test_missing_date_of_birth_matches_on_name_and_postcode() -> None:
    record = known()
    report = identity(date_of_birth=None, postcode="cw12bj")
    assert matched(report, record) == Match(record.child_id, MatchRule.NAME_AND_POSTCODE)


def test_missing_date_of_birth_on_the_record_matches_on_name_and_postcode() -> None:
    record = known(date_of_birth=None)
    assert matched(identity(), record) == Match(record.child_id, MatchRule.NAME_AND_POSTCODE)


def test_missing_date_of_birth_and_different_postcode_do_not_match() -> None:
    assert matched(identity(date_of_birth=None), known(postcode="CW2 6AA")) is None


def test_missing_date_of_birth_and_missing_postcode_do_not_match() -> None:
    assert matched(identity(date_of_birth=None, postcode=None), known(postcode=None)) is None
    assert matched(identity(date_of_birth=None, postcode=None), known()) is None


def test_twins_never_match_each_other() -> None:
    brother = known(forenames="Oliver")
    assert matched(identity(forenames="Olivia"), brother) is None


def test_a_twin_matches_their_own_record_not_their_twins() -> None:
    sister, brother = known(forenames="Olivia"), known(forenames="Oliver")
    assert matched(identity(forenames="Olivia"), brother, sister) == Match(
        sister.child_id, MatchRule.NAME_AND_DOB
    )


# --- ambiguity ----------------------------------------------------------------------------------


def test_two_records_matching_by_name_and_birth_are_ambiguous() -> None:
    assert matched(identity(), known(), known(surname="SMITH")) is None


def test_two_records_matching_by_name_and_postcode_are_ambiguous() -> None:
    assert matched(identity(date_of_birth=None), known(), known(date_of_birth=None)) is None


def test_two_records_with_the_same_upn_are_ambiguous() -> None:
    assert matched(identity(upn=UPN), known(upn=UPN), known(upn=UPN)) is None


def test_a_stronger_rule_beats_an_ambiguous_weaker_one() -> None:
    by_birth = known()
    by_postcode = known(date_of_birth=None)
    assert matched(identity(), by_birth, by_postcode) == Match(
        by_birth.child_id, MatchRule.NAME_AND_DOB
    )


def test_the_same_record_listed_twice_is_not_ambiguous() -> None:
    record = known()
    assert matched(identity(), record, record) == Match(record.child_id, MatchRule.NAME_AND_DOB)


def test_no_candidates_no_match() -> None:
    assert matched(identity()) is None


# --- blocking key -------------------------------------------------------------------------------


def test_match_key_is_the_sorted_name_tokens() -> None:
    assert match_key(identity(forenames="Zoë", surname="Smith-Jones")) == "jones smith zoe"


def test_match_key_is_none_without_a_name() -> None:
    assert match_key(identity(forenames=None, surname=" ")) is None


def test_match_key_ignores_birth_so_postcode_matches_share_it() -> None:
    assert match_key(identity(date_of_birth=None)) == match_key(identity())


# --- properties ---------------------------------------------------------------------------------

NAME_PARTS = st.none() | st.text(max_size=20)
SIMPLE_NAMES = st.none() | st.sampled_from(
    ["Amelia", "Smith", "Zoë", "Zoe", "Smith-Jones", "Łukasz", "O'Brien", "Jones", "A"]
)
IDENTITIES = st.builds(
    Identity,
    upn=st.none() | st.sampled_from([UPN, OTHER_UPN, "b8012 00005001"]),
    forenames=SIMPLE_NAMES,
    surname=SIMPLE_NAMES,
    date_of_birth=st.none() | st.sampled_from([BORN, date(2015, 5, 6)]),
    postcode=st.none() | st.sampled_from(["CW1 2BJ", "cw12bj", "CW2 6AA"]),
)
CHILD_IDS = st.sampled_from([UUID(int=n) for n in range(4)])
CANDIDATES = st.lists(st.builds(Candidate, child_id=CHILD_IDS, identity=IDENTITIES), max_size=5)


LATIN_AND_FULL_WIDTH = [
    chr(cp) for r in (range(0x250), range(0x1E00, 0x1F00), range(0xFF00, 0xFFF0)) for cp in r
]


def test_name_normalisation_is_idempotent_for_every_latin_and_full_width_character() -> None:
    unstable = [
        c for c in LATIN_AND_FULL_WIDTH if normalise_name(normalise_name(c)) != normalise_name(c)
    ]
    assert unstable == []


@given(st.text(max_size=30))
def test_name_normalisation_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(NAME_PARTS, NAME_PARTS)
def test_name_tokens_of_tokens_are_the_same_tokens(
    forenames: str | None, surname: str | None
) -> None:
    tokens = name_tokens(forenames, surname)
    assert name_tokens(" ".join(sorted(tokens)), None) == tokens


@given(NAME_PARTS, NAME_PARTS)
def test_name_tokens_ignore_which_part_a_name_is_in(
    forenames: str | None, surname: str | None
) -> None:
    assert name_tokens(forenames, surname) == name_tokens(surname, forenames)


@given(IDENTITIES, CANDIDATES)
def test_find_match_is_the_same_with_forename_and_surname_swapped(
    report: Identity, candidates: list[Candidate]
) -> None:
    swapped = replace(report, forenames=report.surname, surname=report.forenames)
    assert find_match(swapped, candidates) == find_match(report, candidates)


@given(IDENTITIES, IDENTITIES)
def test_match_rule_is_symmetric(a: Identity, b: Identity) -> None:
    assert match_rule(a, b) == match_rule(b, a)


@given(IDENTITIES, IDENTITIES)
def test_name_matches_share_a_blocking_key(a: Identity, b: Identity) -> None:
    if match_rule(a, b) in {MatchRule.NAME_AND_DOB, MatchRule.NAME_AND_POSTCODE}:
        assert match_key(a) is not None
        assert match_key(a) == match_key(b)


@given(IDENTITIES, CANDIDATES)
def test_a_match_is_one_of_the_candidates_by_the_rule_it_names(
    report: Identity, candidates: list[Candidate]
) -> None:
    found = find_match(report, candidates)
    if found is not None:
        assert any(
            c.child_id == found.child_id and match_rule(report, c.identity) is found.rule
            for c in candidates
        )


@given(IDENTITIES, CANDIDATES)
def test_find_match_ignores_candidate_order(report: Identity, candidates: list[Candidate]) -> None:
    assert find_match(report, candidates) == find_match(report, candidates[::-1])
