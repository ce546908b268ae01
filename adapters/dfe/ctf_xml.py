"""Reading untrusted XML safely: no entities, no DTDs, no network, no huge trees."""

from __future__ import annotations

from typing import Any

from lxml import etree

MAX_BYTES = 10 * 1024 * 1024
ENTITIES_REFUSED = (
    "the file declares XML entities (<!ENTITY ...>); a CTF never needs them, so the file is refused"
)


class XmlRefused(Exception):
    """The bytes are not XML we will read; the message says why, for the sender."""


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
        load_dtd=False,
    )


def read_root(data: bytes, *, expected: str, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root element, namespaces removed; raises ``XmlRefused`` for anything else."""
    if len(data) > max_bytes:
        raise XmlRefused(
            f"the file is {len(data):,} bytes; the limit is {max_bytes:,} bytes "
            f"({max_bytes // (1024 * 1024)} MB)"
        )
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRefused(_syntax_message(exc)) from None
    except etree.LxmlError as exc:
        raise XmlRefused(f"not XML: {exc}") from None
    _refuse_entities(root)
    _drop_namespaces(root)
    if root.tag != expected:
        raise XmlRefused(f"the root element is <{root.tag}>, not <{expected}>")
    return root


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = (exc.msg or "malformed").strip()
    if "amplification" in message:  # libxml2 stops entity bombs even before we look
        return ENTITIES_REFUSED
    if exc.lineno and "line" not in message:
        message = f"{message}, line {exc.lineno}"
    return f"not XML: {message}"


def _refuse_entities(root: etree._Element) -> None:
    dtd: Any = root.getroottree().docinfo.internalDTD  # lxml-stubs lacks DTD.iterentities
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise XmlRefused(ENTITIES_REFUSED)


def _drop_namespaces(root: etree._Element) -> None:
    for element in root.iter(etree.Element):
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
