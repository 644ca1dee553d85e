"""Logging in, signing up and resetting a password while Redis (the cache holding the rate
limits) is down: the limits move to the database for the outage, and nobody sees a 500."""

import uuid

import pytest
import redis
from django.core import mail
from django.test import Client

from accounts.models import User
from config import cache as failover

LOCKED = "Too many failed login attempts"


@pytest.fixture
def cache_on(db, settings, private_redis, services_required, monkeypatch):
    """The production cache (Redis, failing over to the database) on a Redis of the test's own."""
    monkeypatch.setattr(failover, "_down_until", {})
    before = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailoverCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield private_redis
    settings.CACHES = before  # the suite's own cleanup then clears the suite's own cache


def log_in(client, password, **extra):
    data = {"login": "alice@example.com", "password": password}
    return client.post("/accounts/login/", data, **extra)


def test_the_login_page_logs_in_while_redis_is_down(cache_on, alice, password):
    cache_on.stop()
    client = Client(raise_request_exception=False)
    assert client.get("/accounts/login/").status_code == 200
    response = log_in(client, password)
    assert response.status_code == 302
    assert client.get("/").context["user"] == alice


def test_the_throttle_still_holds_while_redis_is_down(cache_on, alice, password):
    cache_on.stop()
    client = Client(raise_request_exception=False)
    answers = [log_in(client, "wrong-password-1").status_code for _ in range(5)]
    assert answers == [200] * 5
    response = log_in(client, password)
    assert response.status_code == 200
    assert LOCKED in response.content.decode(), "the counts went to the database"


def test_signup_and_password_reset_work_while_redis_is_down(cache_on, alice):
    cache_on.stop()
    client = Client(raise_request_exception=False)
    assert client.get("/accounts/signup/").status_code == 200
    data = {
        "display_name": "Sam Rivera",
        "email": "sam@example.com",
        "password1": "violet-harbour-lantern",
        "password2": "violet-harbour-lantern",
        "time_zone": "UTC",
    }
    response = client.post("/accounts/signup/", data)
    assert (response.status_code, response.url) == (302, "/accounts/confirm-email/")
    assert User.objects.filter(email="sam@example.com").exists()

    assert client.get("/accounts/password/reset/").status_code == 200
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert (response.status_code, response.url) == (302, "/accounts/password/reset/done/")
    assert mail.outbox[-1].to == ["alice@example.com"]


def test_the_cache_goes_back_to_redis_once_it_answers(cache_on, alice, password, monkeypatch):
    from django.core.cache import cache

    cache_on.stop()
    assert log_in(Client(), password).status_code == 302
    cache_on.start()  # a fresh, empty Redis on the same port
    monkeypatch.setattr(failover, "_down_until", {})  # as if RETRY_SECONDS had passed
    cache.set("probe", "after the outage")
    assert redis.Redis.from_url(cache_on.url).keys("*:probe"), "the value went to Redis"
