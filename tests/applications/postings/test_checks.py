"""The setting that lets the fetcher reach loopback exists for the test suite alone."""

from django.core import checks


def errors(settings, *, allow_loopback: bool, debug: bool) -> list[str]:
    settings.POSTINGS_ALLOW_LOOPBACK = allow_loopback
    settings.DEBUG = debug
    return [issue.id for issue in checks.run_checks(tags=[checks.Tags.security])]


def test_the_site_refuses_to_run_with_loopback_allowed_and_debug_off(settings):
    assert "postings.E001" in errors(settings, allow_loopback=True, debug=False)


def test_debug_or_the_default_setting_raises_nothing(settings):
    assert "postings.E001" not in errors(settings, allow_loopback=True, debug=True)
    assert "postings.E001" not in errors(settings, allow_loopback=False, debug=False)
