"""The app password: encrypted at rest, rotated with the keys, never logged, never on an
error report, never shown again."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.views.debug import ExceptionReporter

from inbox import crypto, imap, polling
from inbox.models import Mailbox
from tests.inbox.test_polling import from_priya

pytestmark = pytest.mark.django_db


def test_the_password_is_stored_encrypted(dovecot, imap_user, connect):
    connect()
    password = dovecot.passwords[imap_user]
    stored = Mailbox.objects.values_list("password_encrypted", flat=True).get()
    assert password not in stored
    assert crypto.decrypt(stored) == password


def test_keys_rotate_new_first_and_the_command_reencrypts(
    dovecot, imap_user, connect, acme, clock, settings
):
    old, new = settings.INBOX_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    mailbox = connect()
    settings.INBOX_ENCRYPTION_KEYS = [new, old]  # deployed with the new key first
    dovecot.append(imap_user, [from_priya(clock)])
    assert polling.poll(mailbox.pk).kept == 1, "passwords under the old key still work"
    call_command("inbox_reencrypt")
    settings.INBOX_ENCRYPTION_KEYS = [new]  # the old key removed
    stored = Mailbox.objects.values_list("password_encrypted", flat=True).get()
    assert Fernet(new).decrypt(stored.encode()).decode() == dovecot.passwords[imap_user]
    assert polling.poll(mailbox.pk).state == "read"


def test_a_key_removed_too_early_asks_the_user_again(connect, acme, settings):
    mailbox = connect()
    settings.INBOX_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    outcome = polling.poll(mailbox.pk)
    assert outcome.state == "failed" and "cannot be read" in outcome.error
    assert Mailbox.objects.get(pk=mailbox.pk).auth_failures == 1


def test_a_malformed_key_stops_the_start():
    with pytest.raises(ImproperlyConfigured, match="INBOX_ENCRYPTION_KEYS: key 2"):
        crypto.check_keys([Fernet.generate_key().decode(), "not-a-key"])


def test_without_a_key_connecting_says_it_is_not_set_up(client, alice, settings):
    settings.INBOX_ENCRYPTION_KEYS = []
    client.force_login(alice)
    assert "not set up on this server" in client.get("/inbox/mailbox/").content.decode()


def test_the_password_is_never_logged(dovecot, imap_user, connect, acme, clock, caplog, client):
    caplog.set_level(logging.DEBUG)
    for name in ("imapclient", "imapclient.imaplib", "inbox", "django"):
        caplog.set_level(logging.DEBUG, logger=name)
    password = dovecot.passwords[imap_user]
    mailbox = connect()
    dovecot.append(imap_user, [from_priya(clock)])
    polling.poll(mailbox.pk)
    client.force_login(mailbox.owner)
    client.post("/inbox/mailbox/test/")
    client.post(  # a failing connection too
        "/inbox/mailbox/",
        dovecot.form(imap_user, password + "-wrong"),
    )
    Mailbox.objects.update(password_encrypted=crypto.encrypt(password + "-revoked"))
    polling.poll(mailbox.pk)
    assert caplog.records, "the check must see the logs"
    for record in caplog.records:
        text = record.getMessage() + (
            logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        )
        assert password not in text, record.name


def test_the_password_is_never_on_an_error_report(
    dovecot, imap_user, alice, monkeypatch, settings, caplog
):
    """A crash while connecting: the page is the friendly 500 and the report operators get
    (what AdminEmailHandler mails) shows neither the password nor the form's value."""
    settings.DEBUG = False
    password = dovecot.passwords[imap_user]

    def crash(self):
        raise RuntimeError("the server answered something unexpected")

    monkeypatch.setattr(imap.Session, "examine", crash)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.post(
        "/inbox/mailbox/",
        dovecot.form(imap_user, password),
    )
    assert response.status_code == 500 and password not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    report = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    assert "the server answered something unexpected" in report.get_traceback_text()
    assert password not in report.get_traceback_text()
    assert password not in report.get_traceback_html()


def test_the_password_is_never_shown_again(dovecot, imap_user, connect, client):
    mailbox = connect()
    client.force_login(mailbox.owner)
    password = dovecot.passwords[imap_user]
    for url in ("/inbox/mailbox/", "/inbox/", "/accounts/profile/", "/export/everything.json"):
        response = client.get(url)
        assert response.status_code == 200 and password.encode() not in response.content, url
    refused = client.post(
        "/inbox/mailbox/",
        dovecot.form(imap_user, password + "-typo"),
    )
    assert "refused the user name or password" in refused.content.decode()
    assert (password + "-typo").encode() not in refused.content, "the form does not echo it"
