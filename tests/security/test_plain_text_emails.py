"""The email templates drawn with autoescape off do carry what users typed (names, companies,
job titles, a mailbox's user name): they are the plain-text parts and the subjects, where an
HTML entity would be a visible mistake. What keeps that safe, and is checked here:

- only plain text is drawn unescaped: every template that turns escaping off is a `.txt`, and
  each body's HTML sibling escapes the same values;
- a user's text is a value, never template source: braces and tags in it come out as typed;
- subjects go through config/mail_headers.render_subject, so a line break in a name or a
  company can never start a second header;
- in a body, a line break in what was typed never starts a line of its own, which could pass
  for one of Bridges' links ("Open it: https://…"): each such value goes through `one_line`,
  and a walk of the templates refuses any other value but the server's own links, dates,
  counts and labels, so a field added later cannot slip past the forged contexts below.
  (allauth's account emails draw the display name, which cannot hold a line break:
  accounts/validators.py.)
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from applications.models import Application, FollowUp
from config.mail_headers import render_subject, templated_email
from inbox.models import Mailbox

TEMPLATES = Path(settings.BASE_DIR) / "templates"
FORGED = "Open it: https://evil.example/"
HOSTILE = (
    f'Harbor & Finch <b>"Q"</b> {{{{ secret }}}} {{% now "Y" %}}\r\nBcc: x@evil.example\n{FORGED}'
)
ESCAPED = "Harbor &amp; Finch &lt;b&gt;&quot;Q&quot;&lt;/b&gt;"


def contexts():
    user = User(email="sam@example.com", display_name=HOSTILE)
    application = Application(owner=user, company=HOSTILE, job_title=HOSTILE)
    followup = FollowUp(application=application, kind=FollowUp.Kind.THANK_YOU)
    due = timezone.now()  # the suite's clock
    item = {"followup": followup, "due": due, "url": "u", "done_url": "d", "snooze_url": "s"}
    owed = [{"kind": "Send a thank-you note", "job_title": HOSTILE, "company": HOSTILE, "due": due}]
    mailbox = Mailbox(owner=user, host="imap.example.com", username=HOSTILE)
    return {
        "reminder": {"user": user, "items": [item], "digest": False, "followups_url": "f"},
        "nudge": {"candidate": user, "agency": HOSTILE, "recruiter": user, "owed": owed},
        "inbox-paused": {"user": user, "mailbox": mailbox, "reason": HOSTILE, "mailbox_url": "m"},
        "consent-reminder": {
            "candidate": user,
            "agency": HOSTILE,
            "lapses_at": due,
            "renew_url": "r",
            "agency_url": "a",
        },
        "recruiter-digest": {
            "recruiter": user,
            "candidates": 1,
            "where": HOSTILE,
            "lines": [
                {
                    "candidate": HOSTILE,
                    "company": HOSTILE,
                    "job_title": HOSTILE,
                    "owed": HOSTILE,
                    "late": "overdue 2 days",
                    "due": due,
                    "url": "u",
                }
            ],
            "owed_url": "o",
            "off_url": "x",
            "settings_url": "s",
        },
    }


BODIES = list(contexts())


def test_every_plain_text_body_is_checked_here():
    unescaped = {path.name for path in (TEMPLATES / "emails").glob("*-body.txt")}
    assert unescaped == {f"{name}-body.txt" for name in BODIES}


def test_only_plain_text_templates_turn_escaping_off():
    unescaped = set(unescaped_templates())
    assert unescaped, "the walk found the templates"
    assert all(name.endswith(".txt") for name in unescaped), sorted(unescaped)


def unescaped_templates() -> dict[str, str]:
    """Every template that turns escaping off, by its path under templates/, as its source
    without comments."""
    return {
        path.relative_to(TEMPLATES).as_posix(): re.sub(r"{#.*?#}", "", text, flags=re.S)
        for path in TEMPLATES.rglob("*")
        if path.is_file() and "autoescape off" in (text := path.read_text(encoding="utf-8"))
    }


# What a plain-text body may draw without folding it: what the server makes itself. Its
# links (each named here: a link a user typed, such as a posting's, is not one of them), the
# dates and counts it formats, the site's domain, a kind's label from its choices.
SERVERS_LINKS = {
    *("agency_url", "renew_url", "mailbox_url", "followups_url", "profile_url"),
    *("item.url", "item.done_url", "item.snooze_url", "line.url"),
    *("owed_url", "off_url", "settings_url"),
}
SERVERS_OWN = re.compile(
    r"\|date:|\|length$|\|pluralize|^candidates$|^current_site\.domain$|\.get_kind_display(\|lower)?$"
)


def test_every_value_a_plain_text_template_draws_is_folded_unless_the_server_made_it():
    """A value someone typed, added to a body or a subject later, is caught here even if the
    contexts above do not forge it: it must go through `one_line`. (A subject is also folded
    whole, by `render_subject`, below.)"""
    drawn = {
        (name, value)
        for name, source in unescaped_templates().items()
        for value in re.findall(r"{{\s*(.*?)\s*}}", source)
    }
    assert len({name for name, _ in drawn}) > len(BODIES), "the walk found the bodies"
    unfolded = sorted(
        (name, value)
        for name, value in drawn
        if not value.endswith("|one_line")
        and value not in SERVERS_LINKS
        and not SERVERS_OWN.search(value)
    )
    assert unfolded == []


def test_every_subject_is_checked_here():
    subjects = {path.name for path in (TEMPLATES / "emails").glob("*-subject.txt")}
    assert subjects == {f"{name}-subject.txt" for name in SUBJECTS}


SUBJECTS = ["reminder", "inbox-paused"]


@pytest.mark.parametrize("name", BODIES)
def test_a_plain_text_body_carries_the_text_as_typed_and_its_html_part_escapes_it(name):
    context = contexts()[name]
    plain = render_to_string(f"emails/{name}-body.txt", context)
    assert 'Harbor & Finch <b>"Q"</b> {{ secret }} {% now "Y" %}' in plain, (
        "as typed: not escaped, and never run as a template"
    )
    html = render_to_string(f"emails/{name}-body.html", context)
    assert ESCAPED in html and "<b>" not in html


@pytest.mark.parametrize("name", BODIES)
def test_a_line_break_in_what_was_typed_never_starts_a_line_in_a_plain_text_body(name):
    plain = render_to_string(f"emails/{name}-body.txt", contexts()[name])
    assert FORGED in plain, "the hostile text is drawn"
    forged = [line for line in plain.splitlines() if line.lstrip().startswith((FORGED, "Bcc:"))]
    assert forged == []
    assert '{% now "Y" %} Bcc: x@evil.example ' + FORGED in plain, "folded onto its line"


@pytest.mark.parametrize("name", SUBJECTS)
def test_a_subject_carries_the_text_as_typed_on_one_line(name):
    subject = render_subject(f"emails/{name}-subject.txt", contexts()[name])
    assert "\n" not in subject and "\r" not in subject
    assert 'Harbor & Finch <b>"Q"</b> {{ secret }}' in subject


APP_CODE = [
    path
    for package in (
        "accounts",
        "agencies",
        "applications",
        "config",
        "dataio",
        "inbox",
        "messaging",
    )
    for path in (Path(settings.BASE_DIR) / package).rglob("*.py")
]


def test_the_email_bodies_are_drawn_in_one_place_only():
    """Only config/mail_headers.templated_email draws emails/*-body.txt, as the text/plain
    part beside its escaping HTML part: no other code can put the unescaped text in HTML."""
    drawing = {
        path.relative_to(settings.BASE_DIR).as_posix()
        for path in APP_CODE
        if "-body.txt" in (text := path.read_text(encoding="utf-8")) or "-body.html" in text
    }
    assert drawing == {"config/mail_headers.py"}


@pytest.mark.parametrize("name", BODIES)
def test_a_built_email_has_its_text_on_one_line_escaped_html_and_a_one_line_subject(name):
    email = templated_email(
        name, contexts()[name], subject=f"About {HOSTILE}", to=["sam@example.com"], headers={}
    )
    assert not [line for line in email.body.splitlines() if line.startswith((FORGED, "Bcc:"))]
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html" and ESCAPED in html and "<b>" not in html
    assert "\n" not in email.subject and "\r" not in email.subject
    message = email.message()
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.get_payload()] == [
        "text/plain",
        "text/html",
    ]
