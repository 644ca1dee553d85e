import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "display_name": "Sam Rivera",
        "email": "sam@example.com",
        "password1": "violet-harbour-lantern",
        "password2": "violet-harbour-lantern",
        "time_zone": "America/Chicago",
    }
    return client.post("/accounts/signup/", {**data, **overrides})


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body)[1]


def test_it_shows_the_signup_form_with_name_and_time_zone(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    for field in ("display_name", "email", "password1", "password2", "time_zone"):
        assert f'name="{field}"' in response.content.decode(), f"signup lacks {field}"


def test_it_creates_the_account_and_asks_to_confirm_the_address(client):
    response = signup(client)
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="sam@example.com")
    assert (user.display_name, user.time_zone) == ("Sam Rivera", "America/Chicago")
    assert not client.get("/").context["user"].is_authenticated
    assert mail.outbox[0].to == ["sam@example.com"]


def test_confirming_the_address_logs_the_new_user_in(client):
    signup(client)
    link = confirmation_link(mail.outbox[0])
    assert "Hello from Bridges" in mail.outbox[0].body
    client.post(link)
    assert client.get("/").context["user"].email == "sam@example.com"


def test_signing_up_with_a_taken_address_reveals_nothing(client, alice):
    response = signup(client, email="ALICE@example.com")
    assert response.url == "/accounts/confirm-email/", "same answer as a new address"
    assert User.objects.count() == 1
    assert mail.outbox[0].to == ["alice@example.com"], "the owner hears about it instead"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("tiny-pw1", "too short"),
        ("password123", "too common"),
        ("sam@example.com", "too similar"),
        ("8364917253", "entirely numeric"),
    ],
)
def test_it_refuses_weak_passwords(client, password, message):
    response = signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_an_unknown_time_zone(client):
    response = signup(client, time_zone="Mars/Olympus_Mons")
    assert "not one of the available choices" in response.content.decode()
    assert not User.objects.exists()


def test_it_requires_a_name_to_sign_messages_with(client):
    response = signup(client, display_name="")
    assert response.context["form"].errors["display_name"] == ["This field is required."]
    assert not User.objects.exists()


def test_it_refuses_a_name_with_a_line_break(client):
    response = signup(client, display_name="Sam\r\nBcc: everyone@example.com")
    assert response.status_code == 200
    assert "Your name must be one line" in response.content.decode()
    assert not User.objects.filter(email="sam@example.com").exists()
    assert not mail.outbox
