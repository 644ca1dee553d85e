"""Exactly once, proven with real parts: Celery workers against a real Redis, PostgreSQL, and a
real SMTP server on loopback (aiosmtpd) that counts what arrives.

1,000 due reminders must give 1,000 emails, none twice, through overlapping sweeps, a worker
killed with SIGKILL in the middle and restarted, and Redis restarted (losing its queue). The one
duplicate the design allows is a crash after the SMTP server accepted a message and before the
database recorded it; the kill test checks that any duplicate is exactly such a message.
"""

import datetime
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from applications.models import Application, FollowUp
from messaging.models import Outbox
from tests import clock as suite_clock

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 1_000
# Real processes wait on each other in real time: the clock runs, and the workers and sweeps
# run on it too (tests/clock.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.ticking, pytest.mark.slow]


def worker_env(redis_url: str, smtp_port: int) -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        # As in production: with debug on, Django would keep every query of the run in memory.
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "delivery-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "CACHE_URL": "locmem://",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        # Short, so that work a killed worker held is taken over within the test.
        "REMINDER_LEASE_SECONDS": "5",
        "REMINDER_STALE_SECONDS": "15",
    }


class Worker:
    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            suite_clock.command(
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ),
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )

    def kill(self):
        """SIGKILL the worker and its pool: no chance to finish or acknowledge anything."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def sweep(env: dict) -> subprocess.Popen:
    """One sweep in a process of its own, as beat's task would run it."""
    code = "import django; django.setup(); from messaging.tasks import sweep_reminders; sweep_reminders()"
    return subprocess.Popen(
        suite_clock.command("-c", code),
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )


def seed_due_reminders(count: int) -> None:
    owner = User.objects.create_user("many@example.com", "x", display_name="Many Reminders")
    applications = Application.objects.bulk_create(
        Application(owner=owner, company=f"Company {n}", job_title="Engineer", stage="applied")
        for n in range(20)
    )
    due = timezone.now() - datetime.timedelta(minutes=1)
    FollowUp.objects.bulk_create(
        FollowUp(
            owner=owner,
            application=applications[n % 20],
            kind="check_in",
            due_at=due,
            remind_at=due,
        )
        for n in range(count)
    )


def wait_until(condition, env, timeout=150, sweep_every=1.0):
    """Runs overlapping sweeps (two at once) until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sweeps = [sweep(env), sweep(env)]
        for process in sweeps:
            process.wait(timeout=60)
        if condition():
            return
        time.sleep(sweep_every)
    raise AssertionError("delivery did not finish in time")


def everything_sent(sink) -> bool:
    return (
        len(sink.counts()) == REMINDERS
        and not Outbox.objects.exclude(state=Outbox.State.SENT).exists()
    )


def test_a_thousand_reminders_give_a_thousand_emails_through_overlapping_sweeps(
    services_required, smtp, private_redis
):
    sink, smtp_port = smtp
    env = worker_env(private_redis.url, smtp_port)
    seed_due_reminders(REMINDERS)
    worker = Worker(env)
    try:
        wait_until(lambda: everything_sent(sink), env)
    finally:
        worker.stop()
    counts = sink.counts()
    assert len(counts) == REMINDERS, f"{REMINDERS - len(counts)} reminders never arrived"
    assert max(counts.values()) == 1, f"sent twice: {[i for i, c in counts.items() if c > 1]}"
    assert Outbox.objects.filter(state=Outbox.State.SENT).count() == REMINDERS


def test_a_killed_worker_and_a_restarted_redis_lose_nothing_and_double_nothing(
    services_required, smtp, private_redis
):
    sink, smtp_port = smtp
    env = worker_env(private_redis.url, smtp_port)
    seed_due_reminders(REMINDERS)
    worker = Worker(env)
    try:
        wait_until(lambda: len(sink.counts()) >= 150, env, sweep_every=0.2)
        worker.kill()
        # What was accepted by the mail server but not yet recorded when the worker died:
        # the only messages allowed to arrive twice.
        accepted = set(sink.counts())
        recorded = set(Outbox.objects.filter(state=Outbox.State.SENT).values_list("pk", flat=True))
        in_the_window = accepted - recorded
        private_redis.stop()
        private_redis.start()  # its queue is gone: the sweeps must find the lost work
        worker = Worker(env)
        wait_until(lambda: everything_sent(sink), env)
    finally:
        worker.stop()
    counts = sink.counts()
    duplicates = {outbox_id for outbox_id, count in counts.items() if count > 1}
    assert len(counts) == REMINDERS, f"{REMINDERS - len(counts)} reminders were lost"
    assert duplicates <= in_the_window, (
        f"sent twice outside the crash window: {duplicates - in_the_window}"
    )
    assert len(in_the_window) <= 2, "at most one message per pool process can be mid-send"
