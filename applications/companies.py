"""Telling whether two company names mean the same company, as a person would: “Acme” is
“ACME Robotics Ltd”, “Müller” is “Muller GmbH”, but “A” is nobody in particular."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Words that say what kind of company it is, not which one.
LEGAL_FORMS = frozenset(
    [
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "kg",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "as",
        "asa",
        "oy",
        "oyj",
        "pty",
        "pte",
        "bhd",
        "kk",
        "sl",
        "sro",
        "zoo",
    ]
)
# Small words that join a name rather than name anything.
JOINING_WORDS = frozenset(
    ["the", "and", "of", "de", "la", "le", "les", "der", "die", "das", "und", "et", "y"]
)
# Words this short match only as a whole word ("HP", "EY"), never as the start of another.
TINY = 2


@lru_cache(maxsize=16384)
def company_words(name: str) -> tuple[str, ...]:
    """The words that name the company: without accents, case, punctuation, legal forms,
    joining words or single letters. A pure function of the name, so each process works a
    name out once (a page compares one name with every company a user applied to)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    # An apostrophe joins a word rather than splitting it: “O'Reilly” is “oreilly”.
    text = re.sub("['\\u2019`]", "", text)
    return tuple(
        word
        for word in re.findall(r"[^\W_]+", text)
        if len(word) > 1 and word not in LEGAL_FORMS and word not in JOINING_WORDS
    )


def _within(words: tuple[str, ...], others: tuple[str, ...]) -> bool:
    """Each of `words` starts a word of `others` (a tiny one must be a whole word)."""
    return bool(words) and all(
        any(other == word if len(word) <= TINY else other.startswith(word) for other in others)
        for word in words
    )


def same_company(typed: str, saved: str) -> bool:
    """Whether `saved` is (probably) the company typed: one name's words each start a word
    of the other ("Acme" and "Acme Robotics", either way round)."""
    mine, theirs = company_words(typed), company_words(saved)
    return _within(mine, theirs) or _within(theirs, mine)


@lru_cache(maxsize=16384)
def openings(name: str) -> frozenset[str]:
    """The first two letters of each of the name's words. When two names are the same
    company, one name's openings are all among the other's (each of its words starts a word
    of the other, and no word is shorter than two letters), so most names are told apart by
    these sets alone; the database keeps each name's openings to find the few that might be
    (`CompanyNameOpening`)."""
    return frozenset(word[:2] for word in company_words(name))


def same_company_names(typed: str, names: Iterable[str]) -> list[str]:
    """Those of `names` that are (probably) the company typed, as `same_company` tells, in
    their order: what a page asks of the companies a user applied to."""
    mine = openings(typed)
    if not mine:
        return []  # no word names a company: nothing is the same company as it
    return [
        name
        for name in names
        if (mine <= (theirs := openings(name)) or theirs <= mine) and same_company(typed, name)
    ]
