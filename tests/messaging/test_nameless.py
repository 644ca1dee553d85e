"""A user without a name is asked for one before Bridges emails on their behalf."""

from django.core import mail

from applications import services as pipeline
from applications.models import Contact
from messaging.models import Message
from tests.messaging.test_flow import draft, send


def test_sending_without_a_name_asks_for_one_and_keeps_the_draft(logged_in, alice, application):
    type(alice).objects.filter(pk=alice.pk).update(display_name="")
    application.contacts.add(
        Contact.objects.create(owner=alice, name="Priya Nair", email="priya@acme.example")
    )
    pipeline.application_record_invitation(application=application, to_interview=True)
    fields = draft(logged_in, application, kind="decline_interview")
    fields["body"] += "\nA line I added."
    response = send(logged_in, application, "send", **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Add your name to your profile before Bridges sends this" in page
    assert "A line I added." in page, "the draft is kept"
    assert not Message.objects.exists() and mail.outbox == []

    copied = send(logged_in, application, "copy", **fields)
    assert copied.status_code == 302, "copying it to send yourself is still possible"
