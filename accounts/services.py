from django.db import transaction

from accounts import signals
from accounts.models import ReminderMode, User


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Deletes the user and, through the database's cascades, everything they own: their
    applications and all that hangs on them, contacts, templates, follow-ups, reminders,
    imports, calendar feed, email addresses, and any agency membership (sharing ends)."""
    user.delete()


@transaction.atomic
def profile_save(form) -> User:
    """Saves a valid profile form. Turning reminder emails back on (from none) re-arms what the
    user still owes (`signals.reminders_resumed`), in the same transaction."""
    user = form.instance
    was_silent = User.objects.filter(pk=user.pk, reminder_mode=ReminderMode.NONE).exists()
    user = form.save()
    if was_silent and user.reminder_mode != ReminderMode.NONE:
        signals.reminders_resumed.send(sender=User, user=user)
    return user
