"""The add form sent twice adds one application: one after the other, or both at once."""

import pytest
from django.test import Client

from applications.models import Application
from tests.applications.forms_helper import form_data
from tests.threads import at_once


def test_the_add_form_sent_twice_adds_one_application_and_opens_it(logged_in, alice):
    data = form_data(logged_in, "/applications/new/", company="Globex", job_title="SRE")
    first = logged_in.post("/applications/new/", data)
    second = logged_in.post("/applications/new/", data)
    application = Application.objects.get(owner=alice)
    assert first.url == second.url == f"/applications/{application.pk}/"


def test_a_confirmed_duplicate_sent_twice_adds_one_more(logged_in, alice, application):
    """Ticking “save it anyway” skips the duplicate check: the form's key still holds."""
    data = form_data(
        logged_in,
        "/applications/new/",
        company=application.company,
        job_title=application.job_title,
        confirm_duplicate="on",
    )
    logged_in.post("/applications/new/", data)
    logged_in.post("/applications/new/", data)
    assert Application.objects.filter(owner=alice).count() == 2


def test_two_add_forms_add_two_applications(logged_in, alice):
    """Each page drawn is a new form: adding again on purpose still works."""
    for _ in range(2):
        data = form_data(logged_in, "/applications/new/", company="Globex", job_title="SRE") | {
            "confirm_duplicate": "on"
        }
        assert logged_in.post("/applications/new/", data).status_code == 302
    assert Application.objects.filter(owner=alice).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_add_form_sent_twice_at_once_adds_one_application(postgresql, alice):
    """Two posts of one form at the same moment (a double click with JavaScript off, a
    retried request): both pass the form's checks before either has saved."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(alice)
    data = form_data(clients[0], "/applications/new/", company="Globex", job_title="SRE")
    answers = at_once([lambda c=c: c.post("/applications/new/", data) for c in clients])

    application = Application.objects.get(owner=alice)
    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer.url for answer in answers} == {f"/applications/{application.pk}/"}
    assert application.events.count() == 1, "one timeline, opened once"
