"""Email headers that stay on one line, and subjects drawn without HTML escaping: one home for
every email Bridges builds (reminders, users' messages, nudges, inbox notices).

A header value with a line break is refused by Django (BadHeaderError): a name or a subject
that somehow holds one (a profile saved before line breaks were refused, a company or agency
name pasted with one) must fold to one line here rather than fail every send.
"""

import re

from django.template.loader import render_to_string

# Line breaks, NUL and the other control characters have no place in a header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def one_line(text: str) -> str:
    """`text` as a header may carry it: control characters and line breaks become spaces,
    runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def render_subject(template_name: str, context: dict) -> str:
    """An email's subject from a template: plain text (no `&amp;`), on one line. The subject
    templates are written without escaping ({% autoescape off %}); this folds the lines."""
    return one_line(render_to_string(template_name, context))
