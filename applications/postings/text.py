"""Text out of markup: a posting's description becomes plain text, safe to show anywhere.

Nothing from a posting page is ever shown as HTML: its markup is parsed (never executed),
scripts and styles are dropped with their content, and what is left is text that the templates
escape like any other.
"""

import html
import re
import unicodedata

import html_text
import lxml.etree
import lxml.html

DESCRIPTION_LIMIT = 20_000
_TAG = re.compile(r"<[a-zA-Z/!?][^>]*>")
_ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z][^&]{0,200}?&gt;")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[^\S\n]+")
_WRAPPERS = {"p", "div", "span", "strong", "b", "em", "i"}


def one_line(value, limit: int = 200) -> str:
    """A name or a title: markup and entities resolved, whitespace collapsed, cut to `limit`."""
    if not isinstance(value, str | int | float):
        return ""
    text = str(value)
    if _TAG.search(text) or "&" in text:
        text = _from_markup(text) if _TAG.search(text) else html.unescape(text)
    text = " ".join(_printable(text).split())
    return text[:limit].rstrip()


def description(value) -> str:
    """A posting's description as plain text with its paragraphs and list items kept.

    Descriptions come as HTML, as HTML escaped once more inside the JSON (“&lt;p&gt;…”), or
    as plain text; each ends up as the same readable text.
    """
    if not isinstance(value, str):
        return ""
    text = _printable(value)
    if _ESCAPED_TAG.search(text) and not _TAG.search(text):
        text = html.unescape(text)
    text = _from_markup(text) if _TAG.search(text) else html.unescape(text)
    return tidy(text)[:DESCRIPTION_LIMIT].rstrip()


def tidy(text: str) -> str:
    """Plain text with control characters dropped, runs of spaces and blank lines collapsed."""
    text = _printable(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _from_markup(markup: str) -> str:
    try:
        tree = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _TAG.sub(" ", markup)
    for item in tree.iter("li"):
        # The bullet goes before the item's first words, even inside a paragraph of its own.
        first = item
        while not (first.text or "").strip() and len(first) and first[0].tag in _WRAPPERS:
            first = first[0]
        first.text = "• " + (first.text or "").lstrip()
    return html_text.extract_text(tree, guess_layout=True)


# Format characters that scripts need to be written right (zero-width non-joiner, joiner).
_JOINERS = {"\u200c", "\u200d"}


def _printable(text: str) -> str:
    """Letters, marks, punctuation, symbols and spaces only: no control characters, and no
    format characters (bidirectional overrides, invisible separators) that could disguise
    the text. Line breaks of any kind become newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch
        for ch in text
        if ch in "\n\t" or ch in _JOINERS or not unicodedata.category(ch).startswith("C")
    )
