import re

from django.core import mail

from accounts.models import User

NEW_PASSWORD = "lighthouse-meadow-copper"


def reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+)", message.body)[1]


def test_it_emails_a_reset_link_that_sets_a_new_password(client, alice):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    form_url = client.get(reset_link(mail.outbox[0])).url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_reset_link_works_only_once(client, alice):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    link = reset_link(mail.outbox[0])
    form_url = client.get(link).url
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = client.get(link, follow=True)
    assert "This link does not work" in response.content.decode()


def test_a_reset_for_an_unknown_address_reveals_no_account(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302, "the page must not say whether the account exists"
    assert "/password/reset/key/" not in "".join(m.body for m in mail.outbox)
    assert not User.objects.exists()


def test_it_changes_the_password_of_a_logged_in_user(client, alice, password):
    client.force_login(alice)
    client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_refuses_a_password_change_without_the_old_password(client, alice, password):
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it-at-all", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(password)
