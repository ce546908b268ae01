"""Force routing by postcode area, and loading the force table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.police.force_config import (
    DEVELOPMENT_SECRET,
    DEVELOPMENT_TABLE,
    ForceConfigError,
    load_force_table,
)
from adapters.police.forces import Force, ForceTable, NoForce, postcode_area, route

SECRET = (b"x" * 40,)
TABLE = ForceTable(
    home="cheshire",
    forces={
        "cheshire": Force("cheshire", "https://che.example/a", SECRET, frozenset({"CW", "CH"})),
        "west-midlands": Force("west-midlands", "https://wm.example/a", SECRET, frozenset({"B"})),
        "lancashire": Force("lancashire", "https://lan.example/a", SECRET, frozenset({"BB"})),
        "gmp": Force("gmp", "https://gmp.example/a", SECRET, frozenset({"M"})),
    },
)


@pytest.mark.parametrize(
    ("postcode", "area"),
    [
        ("CW1 2BJ", "CW"),
        ("M1 1AE", "M"),
        ("B1 1AA", "B"),
        ("BB1 1AA", "BB"),
        ("SW1A 1AA", "SW"),
        ("W1A 1AA", "W"),
        ("cw1 2bj", "CW"),
        ("CW12BJ", "CW"),
        ("m11ae", "M"),
        ("  CW1   2BJ ", "CW"),
        ("CW1", "CW"),
        ("SW1A", "SW"),
        ("B11", "B"),
        ("CW", "CW"),
        ("", None),
        ("   ", None),
        ("12 345", None),
        (None, None),
    ],
)
def test_postcode_area_is_the_leading_letters_of_the_outward_code(
    postcode: str | None, area: str | None
) -> None:
    assert postcode_area(postcode) == area


@pytest.mark.parametrize(
    ("postcode", "force"),
    [
        ("CW1 2BJ", "cheshire"),
        ("CH1 1AA", "cheshire"),
        ("ch11aa", "cheshire"),
        ("B1 1AA", "west-midlands"),
        ("B33 8TH", "west-midlands"),
        ("BB1 1AA", "lancashire"),
        ("bb11aa", "lancashire"),
        ("M1 1AE", "gmp"),
        ("M11AE", "gmp"),
    ],
)
def test_postcode_routes_to_the_force_covering_its_area(postcode: str, force: str) -> None:
    assert route(postcode, TABLE).name == force


def test_one_letter_area_does_not_capture_two_letter_areas_starting_with_it() -> None:
    assert route("BL1 1AA", TABLE).name == "cheshire"  # BL: nobody's, so home; not B
    assert route("MK1 1AA", TABLE).name == "cheshire"  # MK is not M


@pytest.mark.parametrize("postcode", [None, "", "not a postcode", "ZZ9 9ZZ", "12345"])
def test_missing_malformed_or_unclaimed_postcode_goes_to_the_home_force(
    postcode: str | None,
) -> None:
    assert route(postcode, TABLE).name == "cheshire"


def test_empty_table_has_no_force_for_any_area() -> None:
    with pytest.raises(NoForce):
        route("CW1 2BJ", ForceTable(home="cheshire", forces={}))


def test_home_force_must_be_in_the_table() -> None:
    with pytest.raises(ValueError, match="home force 'nowhere'"):
        ForceTable(home="nowhere", forces=dict(TABLE.forces))


def test_an_area_cannot_belong_to_two_forces() -> None:
    twice = Force("twice", "https://t.example/a", SECRET, frozenset({"CW"}))
    with pytest.raises(ValueError, match="CW is claimed by both"):
        ForceTable(home="cheshire", forces={**TABLE.forces, "twice": twice})


@pytest.mark.parametrize("areas", [{"cw"}, {"CW1"}, {"CWX"}, {""}])
def test_postcode_areas_are_one_or_two_capitals(areas: set[str]) -> None:
    with pytest.raises(ValueError, match="postcode areas"):
        Force("cheshire", "https://c.example/a", SECRET, frozenset(areas))


def test_a_force_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        Force("cheshire", "https://c.example/a", (), frozenset())


def test_first_secret_signs() -> None:
    force = Force("cheshire", "https://c.example/a", (b"new", b"old"), frozenset())
    assert force.signing_secret == b"new"
    assert "new" not in repr(force)


# --- loading --------------------------------------------------------------------------------

TABLE_JSON = {
    "home": "cheshire",
    "forces": {
        "cheshire": {
            "endpoint": "https://alerts.cheshire.example/cmehub",
            "secret_env": "CMEHUB_POLICE_SECRET_CHESHIRE",
            "previous_secret_envs": ["CMEHUB_POLICE_SECRET_CHESHIRE_OLD"],
            "postcode_areas": ["CW", "ch"],
        },
        "gmp": {
            "endpoint": "https://alerts.gmp.example/cmehub",
            "secret_env": "CMEHUB_POLICE_SECRET_GMP",
            "postcode_areas": ["M"],
        },
    },
}
ENVIRON = {
    "CMEHUB_POLICE_SECRET_CHESHIRE": "c" * 40,
    "CMEHUB_POLICE_SECRET_CHESHIRE_OLD": "o" * 40,
    "CMEHUB_POLICE_SECRET_GMP": "g" * 40,
}


def test_table_loads_from_a_file_with_secrets_from_the_environment(tmp_path: Path) -> None:
    file = tmp_path / "forces.json"
    file.write_text(json.dumps(TABLE_JSON))
    table = load_force_table(file=file, inline=None, environ=ENVIRON, production=True)
    assert table.home == "cheshire"
    assert table.forces["cheshire"].secrets == (b"c" * 40, b"o" * 40)
    assert table.forces["cheshire"].postcode_areas == {"CW", "CH"}
    assert route("M1 1AE", table).endpoint == "https://alerts.gmp.example/cmehub"


def test_table_loads_from_inline_json() -> None:
    table = load_force_table(
        file=None, inline=json.dumps(TABLE_JSON), environ=ENVIRON, production=False
    )
    assert set(table.forces) == {"cheshire", "gmp"}


def test_secret_variable_not_set_is_named_in_the_error() -> None:
    environ = {k: v for k, v in ENVIRON.items() if k != "CMEHUB_POLICE_SECRET_GMP"}
    with pytest.raises(ForceConfigError, match="CMEHUB_POLICE_SECRET_GMP is not set"):
        load_force_table(
            file=None, inline=json.dumps(TABLE_JSON), environ=environ, production=False
        )


def test_secrets_cannot_be_written_in_the_file() -> None:
    bad = json.loads(json.dumps(TABLE_JSON))
    bad["forces"]["gmp"]["secret"] = "in-the-file"
    with pytest.raises(ForceConfigError, match=r"forces\.gmp\.secret"):
        load_force_table(file=None, inline=json.dumps(bad), environ=ENVIRON, production=False)


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ForceConfigError, match="cannot read police force table"):
        load_force_table(file=tmp_path / "nope.json", inline=None, environ={}, production=False)


def test_nothing_configured_gives_the_development_force_outside_production() -> None:
    table = load_force_table(file=None, inline=None, environ={}, production=False)
    assert table is DEVELOPMENT_TABLE
    cheshire = table.forces["cheshire"]
    assert (cheshire.endpoint, cheshire.secrets) == (
        "http://127.0.0.1:8099/alerts",
        (DEVELOPMENT_SECRET,),
    )
    assert cheshire.postcode_areas == {"CW", "CH", "WA", "SK"}


def test_production_refuses_the_development_default() -> None:
    with pytest.raises(ForceConfigError, match="refused in production"):
        load_force_table(file=None, inline=None, environ={}, production=True)


def test_production_refuses_plain_http_and_weak_or_development_secrets() -> None:
    plain = json.loads(json.dumps(TABLE_JSON))
    plain["forces"]["gmp"]["endpoint"] = "http://alerts.gmp.example/cmehub"
    with pytest.raises(ForceConfigError, match="must be https"):
        load_force_table(file=None, inline=json.dumps(plain), environ=ENVIRON, production=True)
    for weak in ("short", DEVELOPMENT_SECRET.decode()):
        environ = {**ENVIRON, "CMEHUB_POLICE_SECRET_GMP": weak}
        with pytest.raises(ForceConfigError, match="at least 32 bytes"):
            load_force_table(
                file=None, inline=json.dumps(TABLE_JSON), environ=environ, production=True
            )
