"""Production settings, read from a production environment by a fresh process (settings are
computed once, at import): the deployment checklist, security headers, secure cookies and
login throttling, as a browser on the real site would meet them."""

import json
import subprocess
from pathlib import Path

import pytest

from tests import clock as suite_clock
from tests.services import free_port

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


def run(args, tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        suite_clock.command(*args),
        cwd=ROOT,
        env=production_env(tmp_path) | env,
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


@pytest.fixture(scope="module")
def seen_without_redis(tmp_path_factory) -> dict:
    # The production cache (Redis) at a port where nothing answers, as during an outage.
    down = {"CACHE_URL": f"redis://127.0.0.1:{free_port()}/1"}
    result = run(
        ["-m", "tests.security.production_probe", "redis-down"],
        tmp_path_factory.mktemp("prod-no-redis"),
        **down,
    )
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


def test_login_signup_and_reset_answer_while_redis_is_down(seen_without_redis):
    seen = seen_without_redis
    for page in ("login_page", "signup_page", "reset_page"):
        assert seen[page]["status"] == 200, f"{page}: {seen[page]['status']}"
    assert seen["logged_in"]["status"] == 302
    assert seen["logged_in"]["cookies"]["sessionid"]["value"], "the session needs no Redis"
    assert (seen["signed_up"]["status"], seen["signed_up"]["location"]) == (
        302,
        "/accounts/confirm-email/",
    )
    assert (seen["reset"]["status"], seen["reset"]["location"]) == (
        302,
        "/accounts/password/reset/done/",
    )


def test_private_pages_are_not_stored_by_caches_and_the_public_home_may_be(seen):
    for page in ("private_home", "export"):
        assert seen[page]["status"] == 200
        assert "no-store" in seen[page]["headers"]["Cache-Control"]
        assert "private" in seen[page]["headers"]["Cache-Control"]
    assert seen["public_home"]["status"] == 200
    assert "no-store" not in seen["public_home"]["headers"].get("Cache-Control", "")
