"""Email headers that stay on one line, subjects drawn without HTML escaping, and the one
builder of every templated email (reminders, nudges, the recruiter's digest, consent and inbox
notices): one home for every email Bridges builds, users' own messages included.

A header value with a line break is refused by Django (BadHeaderError): a name or a subject
that somehow holds one (a profile saved before line breaks were refused, a company or agency
name pasted with one) must fold to one line here rather than fail every send.
"""

import re
import zoneinfo

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

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


def templated_email(
    template: str,
    context: dict,
    *,
    subject: str,
    to: list[str],
    headers: dict,
    reply_to=(),
    zone: zoneinfo.ZoneInfo | None = None,
) -> EmailMultiAlternatives:
    """The email drawn from emails/`template`-body.txt, its plain-text body, and
    -body.html, its HTML part: the only place those templates are drawn, so the unescaped
    plain text (which folds what people typed to one line, `config/plain_text.py`) is only
    ever a text/plain part, and the HTML part escapes. The subject goes on one line. With
    `zone`, every date and time is drawn as its reader lives them."""
    with timezone.override(zone or timezone.get_current_timezone()):
        email = EmailMultiAlternatives(
            subject=one_line(subject),
            body=render_to_string(f"emails/{template}-body.txt", context),
            to=to,
            reply_to=list(reply_to),
            headers=headers,
        )
        email.attach_alternative(
            render_to_string(f"emails/{template}-body.html", context), "text/html"
        )
    return email
