"""The settings module as a deployment meets it: loaded fresh, in its own process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "bridges.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://bridges.example.com",
    "DATABASE_URL": "postgres://bridges@db.internal:5432/bridges",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "CACHE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list the site's host names" in result.stderr


def test_it_names_the_variable_that_has_a_bad_value():
    result = manage("check", **{**PRODUCTION, "SECURE_HSTS_SECONDS": "a year"})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS='a year' is not a whole number" in result.stderr


def test_development_needs_nothing_but_debug():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_a_served_process_without_settings_refuses_to_start_in_debug():
    # gunicorn loads config.wsgi: with nothing set it must not fall back to debug mode.
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "CACHE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={k: v for k, v in clean.items() if k != "DJANGO_DEBUG"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-Zq8",  # too short
        "ab" * 40,  # long, but two different characters
        "django-insecure-" + secrets.token_urlsafe(50),  # Django's placeholder prefix
    ],
)
def test_it_refuses_to_start_with_a_weak_secret_key_when_debug_is_off(key):
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr


def test_a_weak_secret_key_is_still_fine_in_development():
    result = manage("check", DJANGO_DEBUG="1", SECRET_KEY="dev")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_just_in_time():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(
    ("setting", "threshold", "generic"),
    [(None, "0", True), ("1", "0", True), ("0", "None", False)],
)
def test_prepared_statements_are_on_unless_turned_off(setting, threshold, generic):
    # A pooler in transaction mode that cannot keep them needs them off; on, each is planned
    # once, generically.
    env = {**PRODUCTION}
    if setting is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = setting
    shown = "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
    shown += "print(o.get('prepare_threshold'), o['options'])"
    result = manage("shell", "-c", shown, **env)
    assert result.returncode == 0, result.stderr
    printed, options = result.stdout.splitlines()[-1].split(" ", 1)
    assert printed == threshold
    assert "-c jit=off" in options
    assert ("-c plan_cache_mode=force_generic_plan" in options) == generic
