"""The fixed set of placeholders a user's own template may use, and their safe substitution.

A template is plain text. `{name}` is replaced by a value when `name` is in PLACEHOLDERS, and
only then; anything else between braces (`{x.__class__}`, `{company:>9}`, `{% tag %}`) is not
a placeholder and is reported. Values go in as plain text: no template engine and no
`str.format` ever sees the user's words, and pages escape the result like any other text.
"""

import re

PLACEHOLDERS = {
    "greeting": "“Dear Dr. Nair,” or “Hi Priya,”, or, with no contact, “Dear Acme hiring team,”",
    "company": "the company's name",
    "job_title": "the role you applied for",
    "contact_name": "the contact's full name (empty if there is none)",
    "contact_first_name": "the contact's first name, or “Dr. Nair” when only a surname is known "
    "(empty if there is no contact)",
    "your_name": "your name, from your profile",
    "interview_date": "the interview's day, e.g. “Tuesday 24 November” (or “the proposed date”)",
    "reason_sentence": "the reason you chose, phrased tactfully (empty for “no reason given”)",
    "liked": "what you said you liked about the company (may be empty)",
}

# Anything in single braces: a placeholder if its inside is a known name, otherwise reported.
_BRACES = re.compile(r"\{([^{}\n]{0,60})\}")


def unknown_placeholders(text: str) -> list[str]:
    """Every `{…}` in `text` that is not a known placeholder, in order, without repeats;
    doubled braces (`{{ … }}`, template-engine syntax) count as unknown too."""
    found = [match.group(0) for match in _BRACES.finditer(text)]
    doubled = ["{{"] if "{{" in text or "}}" in text else []
    return list(dict.fromkeys([*(f for f in found if f[1:-1] not in PLACEHOLDERS), *doubled]))


def substitute(text: str, values: dict[str, str], known=PLACEHOLDERS) -> str:
    """Replaces the known placeholders; leaves everything else exactly as written. Bridges'
    own wording passes its own set of names as `known`; a user's template uses the default."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        return str(values.get(name, "")) if name in known else match.group(0)

    return _BRACES.sub(replace, text)
