"""The inbox's tests: a private Dovecot (tests/inbox/dovecot.py), a user on it per test, and
guards that hold every test to the rules: no traffic beyond this machine, and no IMAP inside
a database transaction."""

import ipaddress
import os
import socket

import pytest
from django.db import connection

from applications.models import Application, Contact
from inbox import imap
from inbox.models import Mailbox, Security
from inbox.services import Settings, mailbox_connect
from tests.inbox.dovecot import BINARY, Dovecot


@pytest.fixture(scope="session")
def dovecot():
    if not os.path.exists(BINARY):
        reason = f"no Dovecot at {BINARY} (apt-get install dovecot-imapd)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}, and REQUIRE_SERVICES=1 says it must be there.", pytrace=False)
        pytest.skip(reason)
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def imap_user(dovecot) -> str:
    """A fresh account on the private server, with an empty INBOX."""
    return dovecot.add_user()


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch):
    """Any connection attempt beyond this machine fails the test before a packet leaves."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise AssertionError(f"a test tried to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture(autouse=True)
def no_imap_in_a_transaction(monkeypatch):
    """Every line sent to a mail server is sent outside any transaction of the code's own
    (the test case's wrapping transaction aside)."""
    real = imap._Wire.send

    def send(self, data):
        open_blocks = [
            b for b in connection.atomic_blocks if not getattr(b, "_from_testcase", False)
        ]
        assert not open_blocks, f"IMAP sent inside a transaction: {data.split()[1:2]}"
        return real(self, data)

    monkeypatch.setattr(imap._Wire, "send", send)


@pytest.fixture
def plain(dovecot, imap_user) -> Settings:
    return Settings("127.0.0.1", dovecot.plain_port, Security.NONE, imap_user)


@pytest.fixture
def connect(dovecot, imap_user, alice):
    """Connects Alice's mailbox to her account on the private server, through the service."""

    def connect(security: str = Security.STARTTLS, *, backfill: bool = True, user=None) -> Mailbox:
        port = dovecot.tls_port if security == Security.TLS else dovecot.plain_port
        return mailbox_connect(
            user=user or alice,
            connection=Settings("127.0.0.1", port, security, imap_user),
            password=dovecot.passwords[imap_user],
            read_last_30_days=backfill,
        )

    return connect


@pytest.fixture
def acme(alice, make_application) -> Application:
    """Alice's application to Acme, with Priya (priya@acme.example) as its recruiter."""
    application = make_application(
        alice, "Acme", "Backend Engineer", posting_url="https://careers.acme.example/jobs/42"
    )
    priya = Contact.objects.create(owner=alice, name="Priya Nair", email="priya@acme.example")
    application.contacts.add(priya)
    return application


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the test's own thread, at once."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
