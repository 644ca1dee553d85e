"""Where Bridges connects, and how: TLS and a verified certificate everywhere but to this
machine; never a private network; the address checked is the address connected to."""

import socket
import ssl

import pytest

from inbox import imap, services
from inbox.addresses import HostRefused, target
from inbox.models import Security
from inbox.services import Settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["192.0.2.10", "imap.example.com", "2001:db8::1"])
def test_no_tls_is_refused_to_any_host_but_this_machine(host, alice, monkeypatch):
    def no_lookups(*args, **kwargs):
        raise AssertionError("refused before any lookup or connection")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookups)
    with pytest.raises(HostRefused, match="unencrypted"):
        services.mailbox_connect(
            user=alice, connection=Settings(host, 143, Security.NONE, "a"), password="p"
        )


def test_the_form_says_so_too(client, alice):
    client.force_login(alice)
    response = client.post(
        "/inbox/mailbox/",
        {"host": "192.0.2.10", "port": "143", "security": "none", "username": "a", "password": "p"},
    )
    assert response.status_code == 200
    assert "your password would cross the network unencrypted" in response.content.decode()


def test_starttls_and_tls_both_work_to_this_machine(dovecot, imap_user, connect):
    for security in (Security.STARTTLS, Security.TLS):
        mailbox = connect(security)
        assert mailbox.security == security and mailbox.uidvalidity


def test_certificates_are_verified_for_any_other_host(dovecot, imap_user):
    """The private server's certificate is self-signed: a verifying client (as for every host
    but this machine) refuses it before sending the password."""
    where = target("127.0.0.1", dovecot.tls_port, Security.TLS)
    session = imap.Session(where, timeout=5, verify=True)
    with pytest.raises(imap.TlsFailed, match="could not be verified"):
        session.open(imap_user, dovecot.passwords[imap_user])
    assert f"Login: user=<{imap_user}>" not in dovecot.log()


def test_a_verifying_context_checks_the_certificate_and_the_host_name():
    context = imap.tls_context(verify=True)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_a_server_without_starttls_is_refused_before_the_password(dovecot, imap_user, monkeypatch):
    """A plain listener that does not offer STARTTLS: nothing is sent in the clear."""
    real = imap.IMAPClient.has_capability
    monkeypatch.setattr(
        imap.IMAPClient,
        "has_capability",
        lambda self, name: False if name == "STARTTLS" else real(self, name),
    )
    session = imap.Session(target("127.0.0.1", dovecot.plain_port, Security.STARTTLS), timeout=5)
    with pytest.raises(imap.TlsFailed, match="does not offer STARTTLS"):
        session.open(imap_user, dovecot.passwords[imap_user])
    assert f"user=<{imap_user}>" not in dovecot.log(), "no login was even tried"


@pytest.mark.parametrize(
    ("host", "reason"),
    [("10.1.2.3", "private"), ("169.254.169.254", "private"), ("192.168.0.8", "private")],
)
def test_private_networks_are_refused(host, reason):
    with pytest.raises(HostRefused, match=reason):
        target(host, 993, Security.TLS)


def test_this_machine_is_refused_where_it_is_not_allowed(settings):
    settings.INBOX_ALLOW_LOOPBACK = False
    with pytest.raises(HostRefused, match="own address"):
        target("127.0.0.1", 993, Security.TLS)


def test_a_name_is_resolved_once_and_that_address_is_used(monkeypatch):
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 993))]])
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: next(answers))
    where = target("mail.example.org", 993, Security.TLS)
    assert (where.host, where.address, where.loopback) == ("mail.example.org", "127.0.0.1", True)


def test_a_name_pointing_here_and_elsewhere_is_refused(monkeypatch):
    infos = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 993)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.9", 993)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: infos)
    with pytest.raises(HostRefused, match="both"):
        target("mail.example.org", 993, Security.TLS)


def test_the_test_step_says_plainly_what_failed(dovecot, imap_user):
    from tests.inbox.dovecot import free_port

    wrong_port = Settings("127.0.0.1", free_port(), Security.TLS, imap_user)
    with pytest.raises(imap.Unreachable, match=r"refused the connection\. Check the port"):
        services.check_connection(wrong_port, "x")
    plain_on_tls = Settings("127.0.0.1", dovecot.plain_port, Security.TLS, imap_user)
    with pytest.raises(imap.TlsFailed, match="Check the security setting"):
        services.check_connection(plain_on_tls, "x")
    wrong_password = Settings("127.0.0.1", dovecot.tls_port, Security.TLS, imap_user)
    with pytest.raises(imap.AuthFailed, match="refused the user name or password"):
        services.check_connection(wrong_password, "not-it")
