import types
import uuid

import pytest
from allauth.core.internal import ratelimit
from django.core import mail
from django.test import Client

from accounts import devices
from accounts.models import User

LOCKED = "Too many failed login attempts"


def log_in(client, email="alice@example.com", password="wrong-password-1", **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def later(monkeypatch, seconds):
    """Moves allauth's rate-limit clock forward, as if `seconds` had passed."""
    real = ratelimit.time
    clock = types.SimpleNamespace(time=lambda: real.time() + seconds, monotonic=real.monotonic)
    monkeypatch.setattr(ratelimit, "time", clock)


def test_it_logs_in_with_email_and_password(client, alice, password):
    response = log_in(client, password=password)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").context["user"] == alice


def test_it_says_when_the_password_is_wrong(client, alice):
    response = log_in(client)
    assert response.status_code == 200
    assert (
        "email address and/or password you specified are not correct" in response.content.decode()
    )
    assert not response.context["user"].is_authenticated


def test_it_logs_out_on_post_and_only_on_post(client, alice):
    client.force_login(alice)
    client.get("/accounts/logout/")
    assert client.get("/").context["user"].is_authenticated, (
        "a GET (a link, an image) must not log out"
    )
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_an_unconfirmed_address_cannot_log_in_and_gets_a_new_link(client, db, password):
    User.objects.create_user("new@example.com", password)
    response = log_in(client, email="new@example.com", password=password)
    assert response.url == "/accounts/confirm-email/"
    assert not client.get("/").context["user"].is_authenticated
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_it_locks_an_account_after_five_failures_even_for_the_right_password(
    client, alice, password
):
    for _ in range(5):
        log_in(client)
    response = log_in(client, password=password)
    assert LOCKED in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_it_locks_an_address_that_tries_many_accounts(client, alice, password):
    for n in range(10):
        log_in(client, email=f"guess{n}@example.com")
    response = log_in(client, password=password)
    assert LOCKED in response.content.decode()


def test_it_lifts_the_lock_once_the_window_has_passed(client, alice, password, monkeypatch):
    for _ in range(6):
        log_in(client)
    later(monkeypatch, 5 * 60 + 1)
    response = log_in(client, password=password)
    assert response.status_code == 302, "the lockout should expire after five minutes"


def test_a_stranger_failing_on_purpose_cannot_lock_the_owners_own_browser(alice, password):
    owners_browser, stranger = Client(), Client()
    log_in(owners_browser, password=password)
    owners_browser.post("/accounts/logout/")
    for _ in range(6):
        log_in(stranger, REMOTE_ADDR=f"198.51.100.{_}")
    assert LOCKED in log_in(Client(), password=password).content.decode(), "a new browser waits"
    assert log_in(owners_browser, password=password).status_code == 302


def test_the_device_cookie_does_not_reveal_the_address(client, alice, password):
    response = log_in(client, password=password)
    cookie = response.cookies[devices.COOKIE]
    assert cookie["httponly"]
    assert "alice" not in cookie.value.lower()


def test_a_password_reset_lifts_the_lock_at_once(client, alice, password):
    # An attacker failing on purpose must not be able to keep the owner out.
    for _ in range(6):
        log_in(client, REMOTE_ADDR="203.0.113.9")
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line)
    form_url = client.get(link.strip()).url
    new_password = "a-brand-new-passphrase"
    client.post(form_url, {"password1": new_password, "password2": new_password})
    client.logout()
    assert log_in(client, password=new_password).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_goes_through_the_throttled_login(client, settings):
    response = client.get(f"/{settings.ADMIN_URL}login/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_lock_holds_in_redis_as_in_production(client, alice, password, settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "TIMEOUT": 60,
        }
    }
    for _ in range(5):
        log_in(client)
    assert LOCKED in log_in(client, password=password).content.decode()
