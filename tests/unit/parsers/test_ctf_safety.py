"""CTF files are untrusted: entities are never expanded, nothing is fetched, nothing raises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.dfe.ctf import ctf_to_returns, parse_ctf
from tests.unit.parsers.support import ctf, ctf_pupil

PASSWD = Path("/etc/passwd")
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CTfile><Header/><CTFpupilData><Pupil><Surname>&lol9;</Surname></Pupil></CTFpupilData></CTfile>
"""


def xxe(declaration: str) -> bytes:
    body = ctf(ctf_pupil(surname="&xxe;")).split(b"?>", 1)[1]
    return b'<?xml version="1.0"?>\n' + declaration.encode() + body


def passwd_lines() -> list[str]:
    lines = PASSWD.read_text(errors="replace").splitlines() if PASSWD.exists() else []
    return [line for line in lines if len(line) > 8] or ["root:x:0:0"]


def test_entity_expansion_is_refused_without_expanding() -> None:
    parsed = parse_ctf(BILLION_LAUGHS)
    assert parsed.pupils == []
    assert parsed.errors == [
        "the file declares XML entities (<!ENTITY ...>); a CTF never needs them, so the file "
        "is refused"
    ]
    assert "lollol" not in repr(parsed)


def test_an_external_entity_is_never_read() -> None:
    for declaration in (
        '<!DOCTYPE CTfile [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE CTfile [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    ):
        parsed = parse_ctf(xxe(declaration))
        results = ctf_to_returns(
            parsed,
            school_urn="100000",
            ground=None,
            deletion_date=date(2025, 3, 14),
            admission_date=None,
        )
        seen = repr(parsed) + repr(results)
        assert parsed.pupils == []
        assert parsed.errors
        assert not any(line in seen for line in passwd_lines())


def test_an_external_dtd_is_not_loaded() -> None:
    data = xxe('<!DOCTYPE CTfile SYSTEM "file:///etc/passwd">').replace(b"&xxe;", b"Smith")
    parsed = parse_ctf(data)
    assert parsed.errors == []
    assert [p.surname for p in parsed.pupils] == ["Smith"]
    assert not any(line in repr(parsed) for line in passwd_lines())


def test_an_undeclared_entity_is_a_syntax_error_not_a_lookup() -> None:
    [error] = parse_ctf(ctf(ctf_pupil(surname="&xxe;"))).errors
    assert error.startswith("not XML: Entity 'xxe' not defined")


@given(st.binary(max_size=3_000))
@settings(max_examples=300)
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    parsed = parse_ctf(data)
    results = ctf_to_returns(
        parsed,
        school_urn="100000",
        ground=None,
        deletion_date=date(2025, 3, 14),
        admission_date=date(2025, 3, 14),
    )
    assert results


def escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;")


xml_text = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=40).map(escape)


@given(xml_text, xml_text, xml_text, xml_text, xml_text, xml_text)
@settings(max_examples=200)
def test_arbitrary_element_text_never_raises(
    surname: str, dob: str, gender: str, order: str, flag: str, phone: str
) -> None:
    contact = (
        f"<Contacts><Contact><Order>{order}</Order><Forename>A</Forename><Surname>B</Surname>"
        f"<Relationship>PAR</Relationship><Responsible>{flag}</Responsible>"
        f"<AddressAsPupil>{flag}</AddressAsPupil>"
        f"<Phones><Phone><TelephoneNumber>{phone}</TelephoneNumber></Phone></Phones>"
        "</Contact></Contacts>"
    )
    pupil = ctf_pupil(surname=surname, dob=dob, extra=contact).replace(
        "<Gender>F</Gender>", f"<Gender>{gender}</Gender>"
    )
    results = ctf_to_returns(
        parse_ctf(ctf(pupil)),
        school_urn="100000",
        ground=None,
        deletion_date=date(2025, 3, 14),
        admission_date=None,
    )
    assert all((r.request is None) == bool(r.errors) for r in results)
