"""The Redis outage of the attack, with real parts: while Redis (broker and cache) is down,
users send from Bridges; every send answers and is recorded; when Redis is back, beat's sweep
and a real Celery worker deliver each message once to a real SMTP server on loopback."""

import time

import pytest

from applications.models import Contact, TimelineEvent
from config.celery import app as celery_app
from messaging.models import Message, Outbox
from tests.conftest import make_user
from tests.messaging.test_delivery_e2e import Worker, sweep, worker_env
from tests.messaging.test_flow import draft, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.ticking, pytest.mark.slow]
SENDS = 12


@pytest.fixture
def down(settings, private_redis):
    """This process's broker and cache on the test's own Redis, which is then stopped."""
    caches = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        }
    }
    broker_url = celery_app.conf.broker_url
    celery_app.conf.broker_url = private_redis.url
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    private_redis.stop()
    yield private_redis
    settings.CACHES = caches
    celery_app.conf.broker_url = broker_url
    celery_app._pool, celery_app.amqp._producer_pool = None, None


def test_sends_during_a_redis_outage_are_recorded_then_delivered_once(
    services_required,
    client,
    smtp,
    down,
    make_application,
):
    sink, smtp_port = smtp
    users = [make_user(f"user{n}@example.com", display_name=f"User {n}") for n in range(3)]
    for n in range(SENDS):
        owner = users[n % len(users)]
        application = make_application(owner, company=f"Company {n}")
        contact = Contact.objects.create(owner=owner, name="Priya", email=f"hr{n}@co.example")
        application.contacts.add(contact)
        client.force_login(owner)
        response = send(client, application, "send", **draft(client, application, kind="follow_up"))
        assert response.status_code == 302, f"send {n} answered {response.status_code}"
    assert Message.objects.count() == SENDS
    assert set(Outbox.objects.values_list("state", flat=True)) == {Outbox.State.PENDING}
    assert not sink.counts(), "nothing can have gone: no task was queued"

    down.start()
    env = worker_env(down.url, smtp_port)
    worker = Worker(env)
    try:
        deadline = time.monotonic() + 90
        while Outbox.objects.exclude(state=Outbox.State.SENT).exists():
            assert time.monotonic() < deadline, "the messages were not delivered in time"
            sweep(env).wait(timeout=60)
            time.sleep(1)
    finally:
        worker.stop()
    counts = sink.counts()
    assert sorted(counts) == sorted(Outbox.objects.values_list("pk", flat=True))
    assert max(counts.values()) == 1, "each message once"
    emailed = TimelineEvent.objects.filter(
        kind=TimelineEvent.Kind.MESSAGE_LOGGED, text__contains="Emailed to"
    )
    assert emailed.count() == SENDS
