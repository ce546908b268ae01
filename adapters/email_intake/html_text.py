"""HTML email bodies as plain text: scripts and styles dropped, paragraphs and lines kept."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_DROPPED = ("head", "title", "script", "style", "noscript", "template")
_PARAGRAPHS = frozenset(
    {
        "p",
        "div",
        "table",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
    }
)
_LINES = frozenset({"li", "tr", "dt", "dd"})
_SPACES = re.compile(r"[ \t\f\v\xa0\u200b]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def html_to_text(html: str) -> str:
    """Readable text of an HTML document; empty for a document with no text."""
    if not html.strip():
        return ""
    try:
        document = lxml.html.document_fromstring(
            html.encode("utf-8", errors="replace"),
            parser=lxml.html.HTMLParser(
                encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
            ),
        )
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return ""
    _drop_hidden(document)
    _mark_breaks(document)
    return tidy(etree.tostring(document, encoding="unicode", method="text", with_tail=False))


def tidy(text: str) -> str:
    """One space between words, no control characters or trailing spaces, and at most one
    blank line in a row."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _drop_hidden(document: etree._Element) -> None:
    for element in list(document.iter(*_DROPPED)):
        tail = element.tail
        element.clear()
        element.tail = tail


def _mark_breaks(document: etree._Element) -> None:
    for element in document.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag == "li":
            element.text = "- " + (element.text or "")
        if tag in _LINES or tag == "td":
            element.tail = ("\n" if tag in _LINES else " ") + (element.tail or "")
        elif tag in _PARAGRAPHS:
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
