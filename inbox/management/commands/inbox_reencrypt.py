"""Rewrites every stored app password with the first of INBOX_ENCRYPTION_KEYS.

Key rotation: put the new key first in INBOX_ENCRYPTION_KEYS and keep the old ones after it,
deploy, run this command, then remove the old keys. Passwords no key can read are reported
(their mailboxes pause at their next poll and ask the user for a new app password).
"""

from django.core.management.base import BaseCommand

from inbox import crypto
from inbox.models import Mailbox


class Command(BaseCommand):
    help = "Re-encrypts every stored IMAP app password with the first INBOX_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        rewritten = unreadable = 0
        for pk, token in Mailbox.objects.values_list("pk", "password_encrypted").iterator():
            try:
                fresh = crypto.reencrypt(token)
            except crypto.Unreadable:
                unreadable += 1
                continue
            # Only if unchanged meanwhile: a password saved during the run is already new.
            rewritten += Mailbox.objects.filter(pk=pk, password_encrypted=token).update(
                password_encrypted=fresh
            )
        self.stdout.write(f"Re-encrypted {rewritten} app password(s) with the first key.")
        if unreadable:
            self.stderr.write(
                f"{unreadable} app password(s) could not be read with any configured key."
            )
