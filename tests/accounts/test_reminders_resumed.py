"""Turning reminder emails back on re-arms what the user still owes (accounts tells the
pipeline through a signal: accounts sits below it and may not import it)."""

import pytest

from accounts import services
from accounts.forms import ProfileForm
from accounts.models import ReminderMode
from applications.models import FollowUp

PROFILE = {
    "display_name": "Alice",
    "time_zone": "Europe/Paris",
    "digest_hour": 8,
    "thank_you_hours": 24,
    "check_in_business_days": 7,
    "offer_days_before": 2,
    "inactivity_days": 30,
}


@pytest.fixture
def silenced(alice, application):
    """Alice had turned emails off: nothing of hers has a reminder due."""
    alice.reminder_mode = ReminderMode.NONE
    alice.save()
    FollowUp.objects.filter(owner=alice).update(remind_at=None)
    assert FollowUp.objects.filter(owner=alice).pending().exists()
    return alice


def save(user, mode: str):
    form = ProfileForm({**PROFILE, "reminder_mode": mode}, instance=user)
    assert form.is_valid(), form.errors
    return services.profile_save(form)


def armed(user) -> int:
    return FollowUp.objects.filter(owner=user, remind_at__isnull=False).count()


@pytest.mark.parametrize("mode", [ReminderMode.EACH, ReminderMode.DIGEST])
def test_turning_emails_back_on_re_arms_what_is_pending(silenced, mode):
    save(silenced, mode)
    assert armed(silenced) == FollowUp.objects.filter(owner=silenced).pending().count()


def test_keeping_emails_off_arms_nothing(silenced):
    save(silenced, ReminderMode.NONE)
    assert armed(silenced) == 0


def test_changing_between_email_modes_re_arms_nothing(alice, application):
    FollowUp.objects.filter(owner=alice).update(remind_at=None)  # reminded three times, say
    save(alice, ReminderMode.DIGEST)
    assert armed(alice) == 0


def test_a_follow_up_reminded_three_times_stays_quiet(silenced):
    FollowUp.objects.filter(owner=silenced).update(reminders_sent=3)
    save(silenced, ReminderMode.EACH)
    assert armed(silenced) == 0
