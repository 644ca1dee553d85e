"""Real services a test starts for itself: a free loopback port, an SMTP server on loopback that
counts what it accepts, and a redis-server of its own that it can stop and start without
touching the suite's Redis (to prove what a page does while Redis is down, or that delivery
survives a restart)."""

import datetime
import os
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.db import connection

from tests.clock import real_time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def services_required():
    if connection.vendor != "postgresql" or not shutil.which("redis-server"):
        reason = "needs PostgreSQL (workers share its test database) and a redis-server binary"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"This test {reason}.", pytrace=False)
        pytest.skip(reason)


class PrivateRedis:
    """A redis-server of the test's own, so it can be restarted without touching anyone else's."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


class Sink:
    """An SMTP server that records the outbox id of every message it accepts."""

    def __init__(self):
        self.received: list[int] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        outbox_id = message_from_bytes(envelope.content)["X-Bridges-Outbox"]
        with self.lock:
            self.received.append(int(outbox_id))
        return "250 OK"

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.received)


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


def self_signed(directory: Path, host: str = "localhost") -> tuple[Path, Path]:
    """A certificate for `host` that no authority signed, valid by the machine's real clock
    (OpenSSL's, not the suite's), written as cert.pem and key.pem in `directory`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.fromtimestamp(real_time(), datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path
