"""Reading a posting page, best source first:

1. every JSON-LD block (`<script type="application/ld+json">`): single objects, arrays and
   `@graph`s, JobPostings nested anywhere in them, `{"@id": …}` references resolved; a broken
   block is skipped and said so, the others still count;
2. microdata (`itemscope itemtype=".../JobPosting"`), through extruct;
3. the page's Open Graph tags and title, as a guess the user is asked to check.

A page with none of these gives a Reading with no posting: the card asks the user to fill it in.
"""

import json
import re

import lxml.etree
import lxml.html
from w3lib.encoding import html_to_unicode

from applications.postings import schema, text
from applications.postings.found import GUESS, JSON_LD, MICRODATA, TEXT, Posting, Reading

MOST_POSTINGS = 20
_MOST_DEPTH = 8
_COMMENTS = re.compile(r"^\s*(<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(-->|//\s*\]\]>|\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_LOOKS_LIKE_HTML = re.compile(
    r"<(!doctype|html|head|body|meta|title|script|div|section|article|main|p|h[1-6]|ul|li|span)\b",
    re.I,
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014-]\s+")

BROKEN_BLOCK = (
    "Part of the page's job data is broken (it is not valid JSON), so Bridges skipped it."
)
GUESSED = (
    "This page has no job posting data, so these details are guessed from its title: "
    "check them before saving."
)
NOTHING = "Bridges found no job posting on this page. Fill in what you know; the link is kept."
FROM_TEXT = (
    "Bridges read this as plain text: the first line is taken as the job title. "
    "Check the details before saving."
)
SEVERAL = "This page lists {count} postings: pick the one you are applying for."
TOO_MANY = f"This page lists more postings than Bridges shows; here are the first {MOST_POSTINGS}."


def read_page(content: bytes | str, *, url: str = "", content_type: str = "") -> Reading:
    """Reads a whole HTML page (bytes as fetched, decoded by its header or its own meta tag)."""
    if isinstance(content, bytes):
        _, content = html_to_unicode(content_type or None, content)
    reading = Reading(url=url)
    tree = _parse(content)
    if tree is None:
        reading.notes.append(NOTHING)
        return reading
    blocks = [
        script.text_content()
        for script in tree.iter("script")
        if _is_json_ld(script.get("type", ""))
    ]
    found = _from_blocks(blocks, reading)
    if not found:
        found = _from_microdata(tree, url)
    if not found and (guess := _guess(tree)):
        found = [guess]
        reading.notes.append(GUESSED)
    _keep(reading, found)
    return reading


def read_blocks(blocks: list[str], *, url: str = "") -> Reading:
    """Reads JSON-LD blocks on their own (as the bookmarklet sends them from a page)."""
    reading = Reading(url=url)
    _keep(reading, _from_blocks(blocks, reading))
    return reading


def read_pasted(content: str, *, url: str = "") -> Reading:
    """Reads what a user pasted: a page's HTML, its JSON-LD, or the posting as plain text."""
    stripped = content.strip()
    if stripped[:1] in ("{", "["):
        reading = read_blocks([stripped], url=url)
        if reading.found or not reading.notes:
            return reading
    if _LOOKS_LIKE_HTML.search(stripped):
        return read_page(stripped, url=url)
    reading = Reading(url=url)
    body = text.tidy(stripped)
    if body:
        first_line = body.split("\n", 1)[0]
        title = text.one_line(first_line) if len(first_line) <= 120 else ""
        posting = Posting(job_title=title, description=body[: text.DESCRIPTION_LIMIT], source=TEXT)
        _keep(reading, [posting])
        reading.notes.append(FROM_TEXT)
    else:
        reading.notes.append(NOTHING)
    return reading


# --- The page ---------------------------------------------------------------------------------


def _parse(content: str):
    # The text was decoded already: an XML declaration naming its encoding would stop lxml.
    data = content.encode("utf-8", "replace")
    try:
        return lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return None


def _is_json_ld(kind: str) -> bool:
    return kind.split(";")[0].strip().lower() == "application/ld+json"


def _keep(reading: Reading, found: list[Posting]) -> None:
    unique = {}
    for posting in found:
        key = (posting.job_title.lower(), posting.company.lower(), posting.location.lower())
        unique.setdefault(key, posting)
    postings = list(unique.values())
    if len(postings) > MOST_POSTINGS:
        reading.notes.append(TOO_MANY)
        postings = postings[:MOST_POSTINGS]
    if len(postings) > 1:
        reading.notes.append(SEVERAL.format(count=len(postings)))
    for posting in postings:
        # One posting: the address the user read it at. Several: each its own, if it has one.
        if reading.url and (len(postings) == 1 or not posting.posting_url):
            posting.posting_url = reading.url
    reading.postings = postings
    if not postings and NOTHING not in reading.notes:
        reading.notes.append(NOTHING)


# --- 1. JSON-LD -------------------------------------------------------------------------------


def _from_blocks(blocks: list[str], reading: Reading) -> list[Posting]:
    nodes = []
    for block in blocks:
        try:
            nodes.append(_load(block))
        except ValueError:
            if BROKEN_BLOCK not in reading.notes:
                reading.notes.append(BROKEN_BLOCK)
    refs: dict = {}
    postings: list[dict] = []
    for node in nodes:
        _walk(node, refs, postings, depth=0)
    return [schema.read_job_posting(node, refs=refs, source=JSON_LD) for node in postings]


def _load(block: str):
    """One JSON-LD block, forgiving what pages commonly get wrong: a comment or CDATA marker
    around the JSON, raw line breaks inside strings, a comma before a closing bracket."""
    lines = [line for line in block.strip().splitlines() if not _COMMENTS.fullmatch(line)]
    source = "\n".join(lines)
    try:
        return json.loads(source, strict=False)
    except ValueError:
        return json.loads(_TRAILING_COMMA.sub(r"\1", source), strict=False)


def _walk(node, refs: dict, postings: list[dict], depth: int) -> None:
    """Collects every JobPosting and every node with an @id, however deeply nested."""
    if depth > _MOST_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, refs, postings, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("@id"), str) and set(node) - {"@id", "@type"}:
        refs.setdefault(node["@id"], node)
    if "JobPosting" in schema.kind_of(node):
        postings.append(node)
    for key, value in node.items():
        if key != "@context" and isinstance(value, dict | list):
            _walk(value, refs, postings, depth + 1)


# --- 2. Microdata ----------------------------------------------------------------------------


def _from_microdata(tree, url: str) -> list[Posting]:
    # Imported here: importing extruct loads all its extractors (RDFa and microformats with
    # rdflib and friends), a second and more that every process loading the URLconf (web,
    # workers, sweeps) would pay, for the few pages that have no JSON-LD posting.
    from extruct.w3cmicrodata import MicrodataExtractor

    try:
        items = MicrodataExtractor().extract_items(tree, base_url=url or None)
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return []
    postings: list[dict] = []
    refs: dict = {}
    _walk([_as_json_ld(item) for item in items], refs, postings, depth=0)
    return [schema.read_job_posting(node, refs=refs, source=MICRODATA) for node in postings]


def _as_json_ld(value):
    """extruct's microdata item ({"type": …, "properties": {…}}) in JSON-LD's own shape."""
    if isinstance(value, list):
        return [_as_json_ld(item) for item in value]
    if isinstance(value, dict) and "properties" in value:
        node = {key: _as_json_ld(item) for key, item in value["properties"].items()}
        if value.get("type"):
            node["@type"] = value["type"]
        return node
    return value


# --- 3. The page's own title, as a guess ------------------------------------------------------


def _guess(tree) -> Posting | None:
    meta = {}
    for tag in tree.iter("meta"):
        name = (tag.get("property") or tag.get("name") or "").strip().lower()
        if name and name not in meta and tag.get("content"):
            meta[name] = tag.get("content")
    title_tag = next(tree.iter("title"), None)
    title = text.one_line(
        meta.get("og:title")
        or meta.get("twitter:title")
        or (title_tag.text_content() if title_tag is not None else ""),
        limit=300,
    )
    if not title:
        return None
    company = text.one_line(meta.get("og:site_name", ""))
    job_title, named = _split_title(title, company)
    canonical = next(
        (link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical"), ""
    )
    return Posting(
        job_title=job_title,
        company=company or named,
        posting_url=schema.web_address(meta.get("og:url") or canonical),
        description=text.description(meta.get("og:description") or meta.get("description") or ""),
        source=GUESS,
    )


def _split_title(title: str, site_name: str) -> tuple[str, str]:
    """“Backend Engineer - Acme | Careers”: the job title, and the company it seems to name."""
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part]
    if site_name:
        parts = [part for part in parts if part.lower() != site_name.lower()] or parts
    first = parts[0]
    if " at " in first:
        job_title, company = first.rsplit(" at ", 1)
        return job_title.strip()[:200], company.strip()[:200]
    return first[:200], (parts[1][:200] if len(parts) > 1 else "")
