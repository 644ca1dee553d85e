"""Two tabs on one edit form: the later save never overwrites the earlier one without a word.

Each edit form of the pipeline (an application, a contact, an interview, an offer) is opened
twice, as two tabs would; both are filled in and saved one after the other."""

import pytest
from django.test import Client
from django.utils.html import escape

from applications import services
from applications.models import Application, Contact, Interview, Offer
from applications.stages import Stage
from tests.applications.forms_helper import form_data
from tests.threads import at_once


# Each edit form: its address, the row it edits, and a second field to edit on its own.
def _application(application):
    return f"/applications/{application.pk}/edit/", application, "location", "Porto"


def _contact(contact):
    return f"/contacts/{contact.pk}/", contact, "phone", "+33 1 23 45 67 89"


def _interview(interview):
    url = f"/applications/{interview.application_id}/interviews/{interview.pk}/"
    return url, interview, "location", "https://meet.example/room"


def _offer(offer):
    return f"/applications/{offer.application_id}/offer/", offer, "currency", "USD"


FORMS = {"application": _application, "contact": _contact, "interview": _interview, "offer": _offer}


@pytest.fixture(params=FORMS)
def edited(request):
    """(url, row, other field, a value for it) for each edit form."""
    return FORMS[request.param](request.getfixturevalue(request.param))


def resubmitted(response) -> dict:
    """What the browser posts when the user saves the form drawn again as it is."""
    data = response.context["form"].data
    return {name: data.getlist(name) for name in data}


def test_a_stale_form_is_refused_with_the_clash_shown_and_the_first_save_kept(logged_in, edited):
    url, row, _, _ = edited
    first = form_data(logged_in, url, notes="Salary band confirmed by phone.")
    second = form_data(logged_in, url, notes="Ask about the on-call rota.")
    assert logged_in.post(url, first).status_code == 302

    response = logged_in.post(url, second)

    assert response.status_code == 200, "the second save is refused, and the form shown again"
    page = response.content.decode()
    assert "your changes are not saved yet" in page
    table = page.split('id="conflict-title"')[1].split("</table>")[0]
    assert "Notes" in table
    assert "Salary band confirmed by phone." in table, "what was saved meanwhile"
    assert "Ask about the on-call rota." in table, "what this tab typed"
    assert escape("Ask about the on-call rota.") in page.split("</table>")[1], (
        "the typed text is still in the form"
    )
    row.refresh_from_db()
    assert row.notes == "Salary band confirmed by phone."


def test_saving_the_refused_form_again_keeps_the_second_tabs_input(logged_in, edited):
    url, row, _, _ = edited
    first = form_data(logged_in, url, notes="Salary band confirmed by phone.")
    second = form_data(logged_in, url, notes="Ask about the on-call rota.")
    logged_in.post(url, first)
    refused = logged_in.post(url, second)

    response = logged_in.post(url, resubmitted(refused))

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.notes == "Ask about the on-call rota."


def test_a_stale_form_that_changed_another_field_is_merged(logged_in, edited):
    url, row, other, value = edited
    first = form_data(logged_in, url, notes="Salary band confirmed by phone.")
    second = form_data(logged_in, url, **{other: value})
    logged_in.post(url, first)

    response = logged_in.post(url, second, follow=True)

    row.refresh_from_db()
    assert (getattr(row, other), row.notes) == (value, "Salary band confirmed by phone.")
    assert "Changed meanwhile elsewhere and kept as saved: notes." in response.content.decode()


def test_the_application_form_keeps_a_tag_added_meanwhile(logged_in, application):
    url = f"/applications/{application.pk}/edit/"
    first = form_data(logged_in, url, notes="Referred by Priya.", tags="fintech")
    second = form_data(logged_in, url, location="Porto")
    logged_in.post(url, first)

    assert logged_in.post(url, second).status_code == 302

    application.refresh_from_db()
    assert application.location == "Porto"
    assert application.notes == "Referred by Priya."
    assert [tag.name for tag in application.tags.all()] == ["fintech"]


def test_a_clash_draws_the_untouched_fields_as_saved_meanwhile(logged_in, application):
    """Tab one changes the notes and a tag; tab two the notes too (a clash) and the location.
    Saving tab two's form again must not bring back the tag list it showed at first."""
    url = f"/applications/{application.pk}/edit/"
    first = form_data(logged_in, url, notes="Referred by Priya.", tags="fintech")
    second = form_data(logged_in, url, notes="Cold application.", location="Porto")
    logged_in.post(url, first)
    refused = logged_in.post(url, second)
    assert refused.status_code == 200

    logged_in.post(url, resubmitted(refused))

    application.refresh_from_db()
    assert (application.notes, application.location) == ("Cold application.", "Porto")
    assert [tag.name for tag in application.tags.all()] == ["fintech"]


def test_two_tabs_recording_the_first_offer_clash(logged_in, application):
    url = f"/applications/{application.pk}/offer/"
    first = form_data(logged_in, url, amount="50000")
    second = form_data(logged_in, url, amount="65000")
    assert logged_in.post(url, first).status_code == 302

    response = logged_in.post(url, second)

    assert response.status_code == 200
    assert "your changes are not saved yet" in response.content.decode()
    assert list(Offer.objects.values_list("amount", flat=True)) == [50000]


def test_an_edit_without_what_it_showed_saves_nothing(logged_in, application):
    """A post that does not say what its form showed (not from the page) cannot be told
    apart from a stale one: it is shown again, not saved."""
    url = f"/applications/{application.pk}/edit/"
    data = form_data(logged_in, url, notes="Typed elsewhere.")
    del data["seen"]
    response = logged_in.post(url, data)
    assert response.status_code == 200
    assert Application.objects.get().notes == ""
    assert logged_in.post(url, resubmitted(response)).status_code == 302
    assert Application.objects.get().notes == "Typed elsewhere."


def test_an_edit_is_still_scoped_to_its_owner(client, bob, contact, interview):
    client.force_login(bob)
    assert client.post(f"/contacts/{contact.pk}/", {"name": "x"}).status_code == 404
    url = f"/applications/{interview.application_id}/interviews/{interview.pk}/"
    assert client.post(url, {"notes": "x"}).status_code == 404
    assert Contact.objects.get().name == contact.name
    assert Interview.objects.get().notes == ""


@pytest.mark.django_db(transaction=True)
def test_two_stale_saves_at_once_keep_one_and_show_the_other_the_clash(
    postgresql, alice, application
):
    """Both tabs save the notes at the same moment: the row lock makes the second compare
    with the first's save, so one is saved and the other refused, never both written."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(alice)
    url = f"/applications/{application.pk}/edit/"
    typed = ["Salary band confirmed by phone.", "Ask about the on-call rota."]
    forms = [
        form_data(client, url, notes=notes) for client, notes in zip(clients, typed, strict=True)
    ]
    answers = at_once([lambda n=n: clients[n].post(url, forms[n]) for n in range(2)])

    codes = [answer.status_code for answer in answers]
    assert sorted(codes) == [200, 302]
    refused = answers[codes.index(200)].content.decode()
    assert "your changes are not saved yet" in refused
    assert Application.objects.get().notes == typed[codes.index(302)]


def test_an_edit_never_undoes_a_move_made_meanwhile(application):
    stale = Application.objects.get(pk=application.pk)
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    stale.location = "Porto"
    services.application_update(
        application=stale, changed_fields=["location"], tag_names=[], contacts=[]
    )
    application.refresh_from_db()
    assert (application.stage, application.location) == (Stage.REJECTED, "Porto")
