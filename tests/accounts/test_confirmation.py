"""Confirming the address: the browser that signed up is logged in, even a while later;
another browser is told plainly to log in. One wording: "Log in", "Log out"."""

import datetime
import re

import pytest
from django.core import mail

from tests.pages import page_text

pytestmark = pytest.mark.django_db


def signup(client):
    client.post(
        "/accounts/signup/",
        {
            "display_name": "Sam Rivera",
            "email": "sam@example.com",
            "password1": "violet-harbour-lantern",
            "password2": "violet-harbour-lantern",
            "time_zone": "Europe/London",
        },
    )
    return re.search(r"http://testserver(/accounts/confirm-email/\S+)", mail.outbox[0].body)[1]


def test_the_signup_browser_is_logged_in_when_it_confirms_an_hour_later(client, clock):
    link = signup(client)
    clock.move_to(clock.start + datetime.timedelta(hours=1))
    response = client.post(link, follow=True)
    assert response.context["user"].email == "sam@example.com"
    assert "Address confirmed: sam@example.com." in response.content.decode()


def test_another_browser_is_told_to_log_in(client, django_user_model):
    from django.test import Client

    link = signup(client)
    elsewhere = Client()
    response = elsewhere.post(link, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    page = response.content.decode()
    assert "Address confirmed: sam@example.com." in page
    assert "Now log in with it to start." in page
    assert not response.context["user"].is_authenticated


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/accounts/signup/", "/accounts/login/code/", "/accounts/password/reset/"],
)
def test_allauths_pages_say_log_in_in_sentence_case(client, url):
    page = page_text(client, url)
    assert "Sign In" not in page and "Sign in" not in page
    assert "sign-in" not in page.lower()


def test_the_login_page_says_log_in(client):
    page = page_text(client, "/accounts/login/")
    assert "<h1" in page and ">Log in</" in page.replace("\n", "").replace("  ", "")
    assert "Send me a login code" in page


def test_the_logout_page_and_message_say_log_out(client, alice):
    client.force_login(alice)
    page = page_text(client, "/accounts/logout/")
    assert "Sign Out" not in page and "sign out" not in page
    assert "Are you sure you want to log out?" in page
    response = client.post("/accounts/logout/", follow=True)
    assert "You have logged out." in response.content.decode()


def test_the_login_code_email_says_login_code(client, alice):
    client.post("/accounts/login/code/", {"email": alice.email})
    [message] = mail.outbox
    assert "login code" in message.subject.lower()
    assert "sign-in" not in (message.subject + message.body).lower()


def test_the_compiled_wording_is_the_written_one(tmp_path):
    """locale/en's django.mo is what its django.po compiles to: an edit is never half-done."""
    import shutil
    import subprocess
    from pathlib import Path

    from django.conf import settings

    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        pytest.skip("msgfmt (gettext) is not installed")
    folder = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(compiled), str(folder / "django.po")], check=True)
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes()
