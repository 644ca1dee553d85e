import datetime
import os

import pytest
import redis
import time_machine
from allauth.account.models import EmailAddress
from django.core.cache import cache

from accounts.models import User
from applications import services
from applications.models import Application, Contact, Interview, Offer
from applications.stages import Stage
from tests import clock as suite_clock

# The private redis-server and SMTP server (and the check that PostgreSQL and redis-server are
# there), for every test that stops or restarts Redis or counts what a mail server received.
from tests.services import private_redis, services_required, smtp  # noqa: F401

PASSWORD = "correct-horse-battery-staple"
# Password hashing is deliberately slow; tests only need it to be correct.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        default=os.environ.get(suite_clock.ENV) or None,
        metavar="YYYY-MM-DD",
        help="run the suite as if the calendar said this day (or set BRIDGES_TEST_TODAY)",
    )


def pytest_report_header(config):
    day = suite_clock.suite_day()
    return f"suite's day: {day:%a %Y-%m-%d}; each test starts at {suite_clock.anchor():%a %Y-%m-%d %H:%M %Z}"


def pytest_unconfigure(config):
    suite_clock.stop_suite()


def pytest_configure(config):
    try:
        suite_clock.start_suite(config.getoption("--today"))
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    # CI must not pass quietly on SQLite when it was meant to prove PostgreSQL.
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("REQUIRE_SERVICES") == "1" and not engine.endswith("postgresql"):
        raise pytest.UsageError(
            f"REQUIRE_SERVICES=1 needs DATABASE_URL to point at PostgreSQL (the engine is {engine})."
        )


@pytest.fixture(autouse=True, scope="session")
def jinja2_pages_record_their_context():
    """The test client records the context of every Django template a response draws
    (`response.context`); the pages drawn by Jinja2 (templates/jinja2/) record theirs too."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def recorded(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return render(self, context, request)

    Template.render = recorded
    yield
    Template.render = render


@pytest.fixture(autouse=True)
def clock(request, monkeypatch):
    """Every test starts at the suite's moment (tests/clock.py), frozen unless marked `ticking`.

    Autouse, and first among the function fixtures, so no fixture can create data before the
    clock is set; fixtures that create data ask for it too, to say so."""
    ticking = request.node.get_closest_marker("ticking") is not None
    start = suite_clock.anchor()
    real_now = suite_clock.real_time()
    # Child processes (workers, sweeps) started with suite_clock.command() share this clock.
    monkeypatch.setenv(suite_clock.OFFSET_ENV, str(start.timestamp() - real_now))
    with time_machine.travel(start, tick=ticking) as traveller:
        yield suite_clock.Clock(traveller, start, ticking)


@pytest.fixture(autouse=True)
def _fast_and_isolated(clock, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # Rate limits live in the cache: one test's failed logins must not lock out the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


def make_user(email: str, **fields) -> User:
    """A user whose email address is verified, as every real login must be."""
    user = User.objects.create_user(email, PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def alice(db, clock) -> User:
    return make_user("alice@example.com", display_name="Alice Martin", time_zone="Europe/Paris")


@pytest.fixture
def bob(db, clock) -> User:
    """The outsider: another candidate, who must never see or touch Alice's data."""
    return make_user("bob@example.com", display_name="Bob Stone")


@pytest.fixture
def logged_in(client, alice):
    """Alice's browser, logged in: the client most page tests drive."""
    client.force_login(alice)
    return client


@pytest.fixture
def redis_url(settings) -> str:
    """The Redis the suite was pointed at; without it the test fails or is skipped."""
    url = settings.REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis is not answering at REDIS_URL={url} ({exc})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}, and REQUIRE_SERVICES=1 says it must.", pytrace=False)
        pytest.skip(f"{reason}; set REQUIRE_SERVICES=1 to make this a failure.")
    return url


@pytest.fixture
def make_application(db, clock):
    """Creates an application through the services, so it has its timeline like a real one."""

    def make(owner, company="Acme", job_title="Backend Engineer", stage=Stage.APPLIED, **fields):
        return services.application_create(
            application=Application(
                owner=owner, company=company, job_title=job_title, stage=stage, **fields
            )
        )

    return make


@pytest.fixture
def application(alice, make_application) -> Application:
    return make_application(alice)


@pytest.fixture
def contact(alice) -> Contact:
    return Contact.objects.create(owner=alice, name="Priya Nair", email="priya@acme.example")


@pytest.fixture
def interview(clock, application) -> Interview:
    """Two days after the clock's start: Wednesday at 10:00 in Paris."""
    return services.interview_schedule(
        interview=Interview(
            application=application, starts_at=clock.start + datetime.timedelta(days=2)
        )
    )


@pytest.fixture
def offer(clock, application) -> Offer:
    """60,000 EUR, to be answered within three weeks."""
    return services.offer_record(
        offer=Offer(application=application, amount=60000, deadline=clock.day(21))
    )


@pytest.fixture
def postgresql():
    """For a test of what only PostgreSQL does: row locks seen from a second connection,
    threads that each hold a connection of their own (SQLite's test database lives in one
    connection's memory). A bare `make test` on SQLite leaves it out and says so (CI, with
    REQUIRE_SERVICES=1, runs on PostgreSQL only: `pytest_configure` refuses anything else)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and connections of its own")


@pytest.fixture
def migrate(transactional_db):
    """`migrate(("app", "migration"), …)` moves the schema there, as `manage.py migrate app
    migration` would, on the rows the test saved. The test is transactional (SQLite's schema
    editor cannot run inside the test's transaction), so the schema is put back at the end,
    every app at its latest, whether the test passed or not."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def to(*targets) -> None:
        MigrationExecutor(connection).migrate(list(targets))

    yield to
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # every later test would fail on the old schema, obscurely
        pytest.exit(f"the schema could not be put back at the latest migrations: {exc!r}", 3)
