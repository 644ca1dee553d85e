from django.apps import AppConfig


class InboxConfig(AppConfig):
    """Answers found in the user's mailbox: read-only IMAP polling, matching, proposals."""

    name = "inbox"

    def ready(self):
        from inbox import crypto
        from inbox.templatetags import inbox  # noqa: F401 (registers the navigation's read)

        # A key that cannot be used fails every process at start-up, naming the variable.
        crypto.check_keys()
