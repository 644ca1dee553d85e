"""Tidying what the user typed before it goes into a message.

One home for the rules: a name read into honorific, first and last names; a company whose
name ends in a full stop; a title that already says “role”; the “something you liked” text
placed mid-sentence. Every message, call script and voicemail reads the facts through here.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

# Honorifics in the languages users most often type them in, and how an English message says
# each one. Sir and Dame go with the first name (“Dear Sir John”), the others with the surname.
HONORIFICS = {
    "dr": "Dr.",
    "doctor": "Dr.",
    "prof": "Prof.",
    "professor": "Prof.",
    "mr": "Mr.",
    "mrs": "Mrs.",
    "ms": "Ms.",
    "miss": "Ms.",
    "mx": "Mx.",
    "sir": "Sir",
    "dame": "Dame",
    "sr": "Mr.",
    "sra": "Ms.",
    "srta": "Ms.",
    "señor": "Mr.",
    "señora": "Ms.",
    "señorita": "Ms.",
    "herr": "Mr.",
    "frau": "Ms.",
    "m": "Mr.",
    "mme": "Ms.",
    "mlle": "Ms.",
    "monsieur": "Mr.",
    "madame": "Ms.",
    "sig": "Mr.",
    "sig.ra": "Ms.",
    "signora": "Ms.",
    "dott": "Dr.",
    "dra": "Dr.",
}
WITH_FIRST_NAME = {"Sir", "Dame"}
# Words that stay lower case inside a name typed all in lower case (“ludwig van beethoven”).
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "bin"}
# A company's legal form, left off when the check looks for the company in a message.
LEGAL_SUFFIX = re.compile(
    r"[\s,]+(inc|incorporated|ltd|limited|llc|llp|plc|co|corp|corporation|company|gmbh|ag|"
    r"s\.?a\.?|s\.?a\.?s\.?|s\.?r\.?l\.?|b\.?v\.?|n\.?v\.?|pty\.? ltd|oy|ab|as|kk|k\.k\.)\.?$",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(r"\s+(role|position|job|post|vacancy)\s*$", re.IGNORECASE)
# Words that open a phrase without being a name, so “Your mentoring programme” is lowered.
_OPENERS = {
    "your", "the", "their", "its", "how", "that", "this", "these", "those", "a", "an", "our",
    "working", "learning", "hearing", "being", "what", "everyone's", "all", "everything",
}  # fmt: skip


def _squash(text: str) -> str:
    return " ".join((text or "").split())


def uncased(text: str) -> bool:
    """True when the name is in a script without capitals (Chinese, Japanese, Arabic…)."""
    return any(ch.isalpha() and ch.lower() == ch.upper() for ch in text)


def _capitalise(word: str, first: bool) -> str:
    if not first and word in _PARTICLES:
        return word
    return "-".join(
        "'".join(part[:1].upper() + part[1:] for part in piece.split("'"))
        for piece in word.split("-")
    )


@dataclass(frozen=True)
class Name:
    """A person's name as typed, read into its parts."""

    typed: str
    honorific: str = ""  # in English: “Dr.”, “Ms.”…
    first: str = ""  # empty when it cannot be told (a surname on its own)
    last: str = ""
    full: str = ""  # the name without its honorific, tidied

    @property
    def known(self) -> bool:
        return bool(self.full)

    @property
    def formal(self) -> str:
        """“Dr. Nair”, “Ms. Peña”, “Sir John”; the full name when there is no honorific."""
        if self.honorific in WITH_FIRST_NAME and self.first:
            return f"{self.honorific} {self.first}"
        if self.honorific and self.last:
            return f"{self.honorific} {self.last}"
        return self.full

    @property
    def warm(self) -> str:
        """The first name when it is known; otherwise the formal form."""
        return self.first or self.formal


@functools.lru_cache(maxsize=512)
def read_name(typed: str) -> Name:
    """Reads “Dr. Priya Nair”, “Nair, Priya”, “sra. lucía peña”, “Okafor”, “王伟”."""
    text = _squash(typed).strip(" ,;")
    if not text:
        return Name(typed)
    if uncased(text):  # no capitals to fix, and no telling which part is the given name
        return Name(typed, full=text)
    if text.islower():
        words = text.split()
        text = " ".join(_capitalise(w, i == 0) for i, w in enumerate(words))
    if text.count(",") == 1:  # “Last, First”
        last, first = (part.strip() for part in text.split(","))
        if last and first:
            text = f"{first} {last}"
    words = text.split()
    honorific = ""
    while words and words[0].lower().rstrip(".") in HONORIFICS:
        said = HONORIFICS[words[0].lower().rstrip(".")]
        # “Herr Dr. Becker” is greeted as a doctor: an academic title outranks a civil one.
        if not honorific or said in ("Dr.", "Prof."):
            honorific = said
        words = words[1:]
    if not words:
        return Name(typed)
    if len(words) == 1:
        # One word: after an honorific it is a surname (“Dr. Nair”), and without one there is
        # no telling, so it is used as typed and never as a first name.
        first = words[0] if honorific in WITH_FIRST_NAME else ""
        last = "" if honorific in WITH_FIRST_NAME else words[0]
        return Name(typed, honorific, first, last, words[0])
    # A surname may open with a particle: “Jan van der Berg” is Mr. van der Berg.
    start = next(
        (i for i, w in enumerate(words[1:-1], 1) if w.lower() in _PARTICLES), len(words) - 1
    )
    return Name(typed, honorific, words[0], " ".join(words[start:]), " ".join(words))


def person(typed: str) -> str:
    """The user's own name for a signature: tidied, without an honorific."""
    name = read_name(typed)
    return name.full


def company(typed: str) -> str:
    return _squash(typed)


def without_legal_suffix(name: str) -> str:
    """“Northwind Traders Inc.” → “Northwind Traders”; a name that is only a suffix stays."""
    base = LEGAL_SUFFIX.sub("", _squash(name)).strip(" ,")
    return base or _squash(name)


def job_title(typed: str) -> str:
    """“Product Designer role” → “Product Designer”: the messages add “role” themselves."""
    title = _squash(typed)
    return _ROLE_WORDS.sub("", title).strip() or title


def liked(typed: str) -> str:
    """The liked text as it fits after “impressed by”: no end stop, no capital on a plain
    opening word (“Your mentoring programme” → “your mentoring programme”)."""
    text = _squash(typed).rstrip(".!;, ")
    if not text:
        return ""
    first, _, rest = text.partition(" ")
    if first.lower() in _OPENERS and first[:1].isupper() and not first[1:].isupper():
        text = first.lower() + (f" {rest}" if rest else "")
    return text


def short_list(items: list[str]) -> str:
    """“a, b or c”."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"


def times(typed: str) -> list[str]:
    """Up to three times the user typed, one a line or separated by semicolons."""
    parts = re.split(r"[\n;]+", typed or "")
    return [_squash(p).rstrip(".,") for p in parts if _squash(p)][:3]


def phone(typed: str) -> str:
    return _squash(typed)


def tidy_stops(text: str) -> str:
    """No doubled full stop where a fact ending in one ends a sentence (“Inc..”), and no
    “.,” or “.?” where it sits before other punctuation that a sentence adds."""
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    return unicodedata.normalize("NFC", text)
