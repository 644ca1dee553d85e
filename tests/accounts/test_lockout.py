"""A stranger cannot keep the owner out, nor use Bridges to flood an inbox.

Failing on purpose with the owner's address locks new browsers for a while; the owner's own
browser keeps its count (test_login.py), and on any browser a one-time code by email gets in.
Password reset and sign-in code emails are capped per address and per IP address."""

import re

import pytest
from django.core import mail
from django.test import Client

LOCKED = "Too many failed login attempts"
RESET_DONE = "/accounts/password/reset/done/"


def log_in(client, password="wrong-password-1", **extra):
    return client.post(
        "/accounts/login/", {"login": "alice@example.com", "password": password}, **extra
    )


def lock_alice_out():
    """A stranger's failures from rotating IP addresses, as in the attack."""
    stranger = Client()
    for n in range(6):
        log_in(stranger, REMOTE_ADDR=f"198.51.100.{n}")


def test_the_locked_out_page_offers_a_sign_in_code_and_the_code_gets_in(alice, password):
    lock_alice_out()
    new_browser = Client()
    page = log_in(new_browser, password=password).content.decode()
    assert LOCKED in page, "the stranger's failures lock a new browser for a while"
    assert "or choose “Send me a login code”" in page
    assert 'href="/accounts/login/code/"' in page

    response = new_browser.post("/accounts/login/code/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/code/confirm/")
    assert mail.outbox[-1].to == ["alice@example.com"]
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE)[1]
    response = new_browser.post(response.url, {"code": code})
    assert response.status_code == 302
    assert new_browser.get("/").context["user"] == alice


def test_a_wrong_sign_in_code_does_not_get_in(alice):
    lock_alice_out()
    browser = Client()
    response = browser.post("/accounts/login/code/", {"email": "alice@example.com"})
    for _ in range(3):
        browser.post(response.url, {"code": "WRONG1"})
    assert not browser.get("/").context["user"].is_authenticated


def test_sign_in_codes_are_capped_per_address(alice):
    answers = [
        Client().post(
            "/accounts/login/code/", {"email": "alice@example.com"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        for n in range(5)
    ]
    assert len(mail.outbox) == 3
    assert answers[-1].status_code == 200
    assert "Too many failed login attempts" in answers[-1].content.decode()


def request_reset(email, ip):
    return Client().post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_reset_emails_to_one_address_are_capped_at_three_an_hour(alice, email, clock):
    # From rotating IP addresses, so only the per-address cap can stop it.
    answers = [request_reset(email, f"203.0.113.{n}") for n in range(6)]
    assert [len(m.to) for m in mail.outbox] == [1, 1, 1]
    assert all(m.to == [email] for m in mail.outbox)
    assert {(a.status_code, a.url) for a in answers} == {(302, RESET_DONE)}, (
        "past the cap the page answers exactly as before"
    )
    clock.shift(hours=1, minutes=1)
    request_reset(email, "203.0.113.200")
    assert len(mail.outbox) == 4, "an hour later the owner can ask again"


def test_reset_emails_from_one_ip_address_to_rotating_addresses_are_capped(db):
    answers = [request_reset(f"victim{n}@example.com", "203.0.113.7") for n in range(10)]
    assert len(mail.outbox) == 5
    assert [a.status_code for a in answers[5:]] == [429] * 5
