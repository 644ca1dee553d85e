"""`Application.next_owed_at`, which the database keeps (migration 0012), says what
`FollowUp.effective_due` says of the application's owed follow-ups, after every kind of write:
the services, a bulk update, a raw delete."""

import datetime

import pytest

from applications import followups
from applications.models import Application, FollowUp


def earliest_owed(application) -> datetime.datetime | None:
    owed = FollowUp.objects.filter(application=application).owed()
    return min((followup.effective_due for followup in owed), default=None)


def stored(application) -> datetime.datetime | None:
    return Application.objects.values_list("next_owed_at", flat=True).get(pk=application.pk)


@pytest.mark.django_db
def test_the_next_owed_answer_follows_every_write_to_follow_ups(alice, make_application, clock):
    application = make_application(alice)
    other = make_application(alice, company="Globex")
    assert stored(application) == earliest_owed(application) is not None  # the check-in

    first = FollowUp.objects.filter(application=application).owed().get()
    soon = FollowUp.objects.create(
        owner=alice,
        application=application,
        kind=FollowUp.Kind.THANK_YOU,
        due_at=clock.start + datetime.timedelta(hours=3),
        remind_at=clock.start + datetime.timedelta(hours=3),
    )
    assert stored(application) == soon.due_at

    # Snoozed past the other one: the snooze's end counts, as on the follow-ups page.
    followups.followup_snooze(followup=soon, period="7d")
    assert stored(application) == earliest_owed(application)
    assert stored(application) == min(first.due_at, FollowUp.objects.get(pk=soon.pk).effective_due)

    # Optional (low priority) follow-ups are not owed answers.
    FollowUp.objects.filter(pk=first.pk).update(low_priority=True)
    assert (
        stored(application)
        == earliest_owed(application)
        == FollowUp.objects.get(pk=soon.pk).effective_due
    )

    # Handed to another application: both are worked out again.
    FollowUp.objects.filter(pk=soon.pk).update(application=other)
    assert stored(application) is None
    assert stored(other) == earliest_owed(other)

    followups.followup_done(followup=FollowUp.objects.get(pk=soon.pk))
    assert stored(other) == earliest_owed(other)

    FollowUp.objects.filter(application=other).delete()
    assert stored(other) is None


@pytest.mark.django_db
def test_what_the_reminders_write_leaves_the_next_owed_answer_alone(alice, make_application):
    application = make_application(alice)
    before = stored(application)
    FollowUp.objects.filter(application=application).update(reminders_sent=3, remind_at=None)
    assert stored(application) == before
