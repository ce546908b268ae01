"""Element text as the CTF readers want it: stripped, and None when empty or absent."""

from __future__ import annotations

from lxml import etree


def text(parent: etree._Element | None, path: str) -> str | None:
    if parent is None:
        return None
    value = parent.findtext(path)
    return value.strip() or None if value is not None else None


def texts(parent: etree._Element | None, path: str) -> tuple[str, ...]:
    if parent is None:
        return ()
    return tuple(value for element in parent.iterfind(path) if (value := _own_text(element)))


def _own_text(element: etree._Element) -> str | None:
    value = element.text
    return value.strip() or None if value is not None else None
