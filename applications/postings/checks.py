"""Refuses to run a site whose posting fetcher may reach this machine itself."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def loopback_only_in_tests(app_configs, **kwargs):
    if getattr(settings, "POSTINGS_ALLOW_LOOPBACK", False) and not settings.DEBUG:
        return [
            checks.Error(
                "POSTINGS_ALLOW_LOOPBACK is on while DEBUG is off: links typed by users could "
                "make the server fetch pages from itself.",
                hint="Only the test suite turns it on; remove it from these settings.",
                id="postings.E001",
            )
        ]
    return []
