"""Hostile text typed into every free-text field of every form a user fills in, then every
page that shows it: escaped, never executed, never an error. NUL bytes get a form error, not
a server error (PostgreSQL cannot store them)."""

import pytest
from django import forms
from django.utils.html import escape

from accounts.forms import ProfileForm
from applications.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    ContactForm,
    InterviewForm,
    InvitationForm,
    MoveForm,
    NoteForm,
    OfferForm,
)
from applications.models import Application, Contact, Interview
from messaging.forms import ChoicesForm, DraftForm, UserTemplateForm
from messaging.models import MAX_BODY, UserTemplate
from tests.clock import iso_in
from tests.pages import page_text
from tests.security.conftest import values_for
from tests.security.urlconf import routes, url_for

LONG = 20_000  # characters in a field without a limit of its own


def hostile(label: str, length: int | None) -> str:
    """Script, attribute breakers, right-to-left text and emoji, made as long as allowed."""
    text = (
        f'<script>alert("{label}")</script>"\'><img src=x onerror=alert(1)> '
        "مرحبا بالعالم \u202edesrever\u202c שלום 👩🏽‍💻🙂 "
    )
    return (text + "W" * (length or LONG))[: length or LONG]


def marker(label: str) -> str:
    return escape(f'<script>alert("{label}")</script>')


def shown_escaped(text: str) -> str:
    """A page's text with its escaped quotes spelled one way: Django writes &quot; and
    &#x27;, Jinja2 (the pages' hot fragments) &#34; and &#39;; both are escaped."""
    return text.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


# Each form a user submits: where, and the valid values its other fields need.
FORMS = {
    "application": ("/applications/new/", ApplicationForm, {"stage": "applied", "priority": "3"}),
    "contact": ("/contacts/new/", ContactForm, {"role": "recruiter", "email": "c@example.com"}),
    "interview": (
        "/applications/{app}/interviews/new/",
        InterviewForm,
        {"round": "1", "starts_at": iso_in(30), "duration_minutes": "60"}
        | {"format": "video", "state": "scheduled"},
    ),
    "offer": (
        "/applications/{app}/offer/",
        OfferForm,
        {"amount": "60000", "deadline": iso_in(60)[:10]},
    ),
    "note": ("/applications/{app}/notes/", NoteForm, {}),
    "invitation": ("/applications/{app}/invitation/", InvitationForm, {"to_interview": "1"}),
    "template": ("/messages/templates/new/", UserTemplateForm, {"kind": "withdraw"}),
    "message": (
        "/applications/{app}/messages/send/",
        DraftForm,
        {"kind": "follow_up", "tone": "formal", "action": "copy", "to_email": "x@example.com"},
    ),
    "profile": ("/accounts/profile/", ProfileForm, {}),
}
# Fields that take a code, not free text (a currency is three capital letters, the
# profile's phone number digits and separators).
NOT_FREE_TEXT = {"salary_currency", "currency", ("ProfileForm", "phone")}
# Limits a form checks in its own code rather than on the field.
LIMITS = {("message", "body"): MAX_BODY}
# Each tag has a 40-character limit of its own inside the field.
TAGS = '<img src=x onerror=alert("tag")>🙂, <b>x'


def text_fields(form_class) -> dict[str, forms.CharField]:
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if type(field) is forms.CharField
        and name not in NOT_FREE_TEXT
        and (form_class.__name__, name) not in NOT_FREE_TEXT
    }


def test_every_form_has_free_text_to_attack():
    for name, (_, form_class, _) in FORMS.items():
        assert text_fields(form_class), f"{name}: no free-text field found"


def fill(client, alice, value_for, application):
    """Submits every form with each free-text field set by value_for(form, field, limit),
    yielding each answer; the forms of an application go to the one the first form created,
    or to `application` if it was refused."""
    ids = {"app": application.pk}
    profile = ProfileForm(instance=alice).initial
    for form_name, (path, form_class, base) in FORMS.items():
        data = dict(base)
        if form_name == "profile":
            data |= {k: ("" if v is None else v) for k, v in profile.items()}
        for name, field in text_fields(form_class).items():
            limit = LIMITS.get((form_name, name), field.max_length)
            data[name] = value_for(form_name, name, limit)
        if form_name == "application":
            data["tags"] = TAGS
        response = client.post(path.format(**ids), data)
        yield form_name, response
        if form_name == "application" and response.status_code == 302:
            ids["app"] = Application.objects.latest("id").pk


def test_hostile_text_is_saved_and_shown_escaped_on_every_page(client, alice, application):
    client.force_login(alice)
    value_for = lambda form, field, limit: hostile(f"{form}.{field}", limit)  # noqa: E731
    for form_name, response in fill(client, alice, value_for, application):
        assert response.status_code == 302, f"{form_name} was refused: {response.content[:2000]}"
    application = Application.objects.latest("id")
    contact = Contact.objects.latest("id")
    application.contacts.add(contact)
    ids = {
        "app": application.pk,
        "contact": contact.pk,
        "interview": Interview.objects.latest("id").pk,
        "template": UserTemplate.objects.latest("id").pk,
    }
    shown_on = {
        "/": ["profile.display_name"],
        "/applications/": ["application.company", "application.job_title"],
        "/applications/?status=all&q=script": ["application.company"],
        "/applications/board/": ["application.company", "application.job_title"],
        "/applications/{app}/": [
            "application.company",
            "application.location",
            "application.notes",
            "application.job_description",
            "contact.name",
            "contact.notes",
            "interview.location",
            "interview.notes",
            "offer.notes",
            "note.text",
            "invitation.note",
            "message.subject",
            "message.body",
        ],
        "/applications/{app}/edit/": ["application.company", "application.notes"],
        "/applications/{app}/interviews/{interview}/": ["interview.location", "interview.notes"],
        "/applications/{app}/offer/": ["offer.notes"],
        "/applications/{app}/messages/new/": ["application.company", "contact.name"],
        "/applications/{app}/delete/": ["application.company"],
        "/followups/": ["application.company"],
        "/contacts/": ["contact.name", "contact.company", "contact.phone"],
        "/contacts/{contact}/": ["contact.name", "contact.notes"],
        "/messages/templates/": ["template.name"],
        "/messages/templates/{template}/": ["template.subject", "template.body"],
        "/accounts/profile/": ["profile.display_name"],
        "/applications/company-history/?company=script": [],
    }
    for path, labels in shown_on.items():
        url = path.format(**ids)
        response = client.get(url)
        page = shown_escaped(response.content.decode())
        assert response.status_code == 200, url
        assert "<script>alert(" not in page, f"{url} shows a script unescaped"
        assert "<img src=x" not in page, f"{url} shows an attribute breaker unescaped"
        for label in labels:
            assert marker(label) in page, f"{url} does not show {label}"
    board = page_text(client, "/applications/board/")
    assert escape('<img src=x onerror=alert("tag")>🙂') in shown_escaped(
        page_text(client, f"/applications/{ids['app']}/")
    )
    assert "👩🏽‍💻" in board and "\u202e" in board


def test_nul_bytes_are_refused_with_a_form_error(client, alice, application):
    client.force_login(alice)
    value_for = lambda form, field, limit: "before\x00after"  # noqa: E731
    for form_name, response in fill(client, alice, value_for, application):
        # Each form is shown again with its error; nothing reaches the database.
        assert response.status_code in (200, 400), f"{form_name}: {response.status_code}"
        assert "Null characters are not allowed" in response.content.decode(), form_name


# Every parameter a page reads from its address or a form, to try NUL and junk in each.
QUERY_FIELDS = {
    *ApplicationFilterForm.base_fields,
    *ChoicesForm.base_fields,
    *MoveForm.base_fields,
    *DraftForm.base_fields,
    *{"page", "next", "company", "exclude", "events", "state", "period", "kind", "q"},
}


@pytest.mark.parametrize("junk", ["\x00", "a\x00b", "%", "'; DROP TABLE x; --", "9" * 30])
def test_junk_in_any_parameter_of_any_page_is_not_a_server_error(client, alice, world, junk):
    client.force_login(alice)
    query = {name: junk for name in QUERY_FIELDS}
    for route in routes():
        if route.is_admin or route.is_allauth:
            continue
        url = url_for(route, values_for(route, world))
        # The test client raises any exception a view lets out, failing the test with it.
        assert client.get(url, query).status_code < 500, url
        if not route.name.endswith("delete"):
            assert client.post(url, query).status_code < 500, url
