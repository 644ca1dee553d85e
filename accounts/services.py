from django.db import transaction

from accounts.models import User


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Deletes the user and, through the database's cascades, everything they own: their
    applications and all that hangs on them, contacts, templates, follow-ups, reminders,
    imports, calendar feed, email addresses, and any agency membership (sharing ends)."""
    user.delete()
