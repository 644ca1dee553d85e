"""Hostile message templates: Django template tags, attribute access, format specs and huge
inputs are refused when saved, and stay inert text if one is in the database anyway."""

import pytest

from messaging.models import MAX_BODY, UserTemplate

HOSTILE_TEMPLATES = [
    "{% load static %}{% debug %}",
    "{{ request.user.password }}",
    "{x.__class__}",
    "{company.__class__.__mro__}",
    "{company:>999999999}",
    "{0}",
    "{}",
    "{company!r}",
    "{your_name.__globals__[settings]}",
]


@pytest.mark.parametrize("body", HOSTILE_TEMPLATES)
def test_a_hostile_template_is_refused_when_saved(client, alice, body):
    client.force_login(alice)
    data = {"kind": "withdraw", "name": "Mine", "subject": "About {company}", "body": body}
    response = client.post("/messages/templates/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["body"], "refused with a reason on the message"
    assert not UserTemplate.objects.exists()


def test_a_huge_template_is_refused(client, alice):
    client.force_login(alice)
    data = {"kind": "withdraw", "name": "Mine", "subject": "Hi", "body": "{company} " * MAX_BODY}
    response = client.post("/messages/templates/new/", data)
    assert response.status_code == 200
    assert "at most 10000 characters" in response.content.decode()
    assert not UserTemplate.objects.exists()


def test_a_hostile_template_already_saved_stays_inert_text(client, alice, application):
    # As if saved before the rules existed: the compose page substitutes only placeholders.
    body = " ".join(HOSTILE_TEMPLATES) + " {greeting} <b>bold</b>"
    template = UserTemplate.objects.create(
        owner=alice, kind="follow_up", name="Old", subject="{company:>9}", body=body
    )
    client.force_login(alice)
    response = client.get(
        f"/applications/{application.pk}/messages/new/",
        {"filled": 1, "kind": "follow_up", "tone": "formal", "template": template.pk},
    )
    draft = response.context["draft_form"]
    assert draft["subject"].value() == "{company:>9}"
    assert draft["body"].value().startswith(HOSTILE_TEMPLATES[0])
    assert "{x.__class__}" in draft["body"].value()
    assert "Dear Acme hiring team," in draft["body"].value()
    page = response.content.decode()
    assert "<class" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_a_huge_message_is_refused_with_a_reason_not_an_error(client, alice, application):
    client.force_login(alice)
    data = {"kind": "follow_up", "tone": "formal", "action": "copy", "body": "x" * 1_000_000}
    response = client.post(f"/applications/{application.pk}/messages/send/", data)
    assert response.status_code == 400
    assert "the limit is 10,000" in response.content.decode()
    check = client.post(f"/applications/{application.pk}/messages/check/", data)
    assert check.status_code == 200
