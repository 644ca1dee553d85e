"""Production settings, read from a production environment by a fresh process (settings are
computed once, at import): the deployment checklist, security headers, secure cookies and
login throttling, as a browser on the real site would meet them."""

import json
import subprocess
from pathlib import Path

import pytest

from tests import clock as suite_clock

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "Too many failed login attempts"


def production_env(tmp_path) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "security-suite-" + "k" * 50,
        "ALLOWED_HOSTS": "bridges.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://bridges.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        # The process's own memory: the throttle's counts stay inside this probe.
        "CACHE_URL": "locmem://",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONWARNINGS": "ignore",
    }


def run(args, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        suite_clock.command(*args),
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def seen(tmp_path_factory) -> dict:
    result = run(["-m", "tests.security.production_probe"], tmp_path_factory.mktemp("prod"))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_deployment_checklist_is_clean(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_plain_http_is_sent_to_https(seen):
    assert seen["plain_http"]["status"] == 301
    assert seen["plain_http"]["location"] == "https://bridges.example.com/"


def test_pages_carry_the_security_headers(seen):
    headers = seen["login_page"]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_secure(seen):
    csrf = seen["login_page"]["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    assert seen["logged_in"]["status"] == 302
    session = seen["logged_in"]["cookies"]["sessionid"]
    assert session["value"] and session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def test_login_is_throttled_after_five_failures(seen):
    assert seen["failures"] == [200] * 5
    assert LOCKED in seen["after_five_failures"]["body"]
    session = seen["after_five_failures"]["cookies"].get("sessionid", {"value": ""})
    assert not session["value"], "a locked-out login must not start a session"
