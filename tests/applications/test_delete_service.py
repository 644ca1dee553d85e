"""Deleting an application or a contact goes through a service, which takes along all that
hangs on it and leaves nothing to be sent about it."""

from django.core import mail

from applications import services
from applications.models import Application, Contact, FollowUp, TimelineEvent
from messaging import reminders
from messaging import services as messaging
from messaging.models import Message, Outbox


def test_deleting_an_application_takes_its_timeline_messages_and_follow_ups(
    alice, application, make_application
):
    kept = make_application(alice, company="Initech")
    messaging.message_send(
        application=application,
        kind="follow_up",
        subject="Checking in",
        body="Hello",
        to_email="hr@example.com",
        queue=False,
    )
    reminder = Outbox.objects.create(
        owner=alice, followup=FollowUp.objects.filter(application=application).first(), sequence=1
    )
    services.application_delete(application=application)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not TimelineEvent.objects.filter(application_id=application.pk).exists()
    assert not FollowUp.objects.filter(application_id=application.pk).exists()
    assert not Message.objects.exists()
    assert list(Outbox.objects.values_list("pk", flat=True)) == [reminder.pk]
    assert reminders.deliver(reminder.pk) == "failed", "nothing left to remind about"
    assert not mail.outbox
    assert Application.objects.filter(pk=kept.pk).exists()


def test_deleting_a_contact_keeps_the_applications_it_was_on(alice, application, contact):
    application.contacts.add(contact)
    services.contact_delete(contact=contact)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert list(Application.objects.get(pk=application.pk).contacts.all()) == []


def test_deleting_needs_the_owner(alice, bob, application):
    # The service deletes only the owner's row, whatever object it is handed.
    application.owner_id = bob.pk
    services.application_delete(application=application)
    assert Application.objects.filter(pk=application.pk).exists()
