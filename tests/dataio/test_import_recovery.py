"""Background imports always have a way forward: a batch queued while the broker was down, or
left running by a worker that died, is queued again (by the beat sweep or by its status page);
a run that lost its claim writes nothing; discarding works in every state; starting an import
while the broker is down records it and says it will start shortly."""

import datetime
import logging
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from kombu.exceptions import OperationalError

from applications.models import Application
from config.celery import app as celery_app
from dataio import services, tasks
from dataio.models import ImportBatch
from tests.pages import page_text

FILE = "Company,Title\n" + "".join(f"Co {n},Dev\n" for n in range(5))
MAPPING = {"0": "company", "1": "job_title"}


@pytest.fixture
def queued(monkeypatch):
    """The batch ids run_import was sent, instead of the broker."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.run_import, "delay", sent.append)
    return sent


def make_batch(owner, **fields) -> ImportBatch:
    return ImportBatch.objects.create(
        owner=owner, filename="jobs.csv", text=FILE, mapping=MAPPING, total_rows=5, **fields
    )


def sweep(capture) -> int:
    with capture(execute=True):
        return tasks.sweep_imports()


def test_the_sweep_is_scheduled_every_minute():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "dataio.sweep_imports"
    )
    assert entry["schedule"] <= 60
    assert tasks.sweep_imports.name in celery_app.tasks


def test_a_batch_queued_while_the_broker_was_down_is_queued_again_by_the_sweep(
    logged_in, alice, clock, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_ROWS", 2)
    batch = make_batch(alice)

    def broker_down(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_import, "delay", broker_down)
    data = {"column_0": "company", "column_1": "job_title", "day_first": "1", "action": "import"}
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(f"/import/{batch.pk}/", data)
    assert response.url == f"/import/{batch.pk}/status/"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED

    sent: list[int] = []
    monkeypatch.setattr(tasks.run_import, "delay", sent.append)
    assert sweep(django_capture_on_commit_callbacks) == 0, "not yet: its task may be on its way"
    assert sent == []
    clock.shift(minutes=2)
    assert sweep(django_capture_on_commit_callbacks) == 1
    assert sent == [batch.pk]
    assert sweep(django_capture_on_commit_callbacks) == 0, "queued again once a minute at most"
    assert tasks.run_import(batch.pk) == "done"
    assert Application.objects.filter(owner=alice).count() == 5


def test_a_batch_left_running_by_a_dead_worker_is_taken_over_by_the_sweep(
    alice, clock, queued, django_capture_on_commit_callbacks
):
    # The worker was killed inside the import's transaction: rolled back, nothing written.
    batch = make_batch(alice, state="running", started_at=clock.now(), run_token="dead")
    clock.shift(minutes=2)
    assert sweep(django_capture_on_commit_callbacks) == 0, "a run seen two minutes ago may live"
    assert queued == []
    clock.shift(minutes=2)
    assert sweep(django_capture_on_commit_callbacks) == 1
    assert queued == [batch.pk]
    batch.refresh_from_db()
    assert (batch.state, batch.run_token) == ("queued", ""), "the dead run's claim is withdrawn"
    assert tasks.run_import(batch.pk) == "done"
    assert tasks.run_import(batch.pk) == "done", "the task delivered twice imports once"
    assert Application.objects.filter(owner=alice).count() == 5


@pytest.mark.parametrize(
    ("state", "wait"),
    [("queued", datetime.timedelta(minutes=2)), ("running", datetime.timedelta(minutes=4))],
)
def test_the_status_page_takes_over_a_stale_batch(
    logged_in, alice, clock, queued, django_capture_on_commit_callbacks, state, wait
):
    batch = make_batch(alice, state=state, queued_at=clock.now(), started_at=clock.now())
    url = f"/import/{batch.pk}/status/"
    page_text(logged_in, url)
    assert queued == [], "a batch seen a moment ago is left alone"
    clock.shift(wait)
    with django_capture_on_commit_callbacks(execute=True):
        page = page_text(logged_in, url, headers={"HX-Request": "true"})
    assert "the import will start shortly" in page
    assert 'hx-trigger="every 1s"' in page
    assert queued == [batch.pk]
    tasks.run_import(batch.pk)
    assert "Imported 5 applications" in page_text(logged_in, url)


def test_a_run_that_lost_its_claim_writes_nothing(alice, clock, queued, monkeypatch):
    """A run so slow it was taken for dead: the run that took over (here its task delivered
    again) imports the file, and the slow one, when it gets to saving, finds its claim
    withdrawn and writes nothing."""
    # Duplicates imported on purpose: the file's own rows must not be what keeps it single.
    batch = make_batch(alice, state="queued", skip_duplicates=False)
    original = services.import_check
    calls = []

    def slow_check(batch, on_progress=None):
        calls.append(batch.pk)
        if len(calls) == 1:
            clock.shift(minutes=4)
            assert services.import_run(batch_id=batch.pk).state == "done"
        return original(batch, on_progress=on_progress)

    monkeypatch.setattr(services, "import_check", slow_check)
    assert services.import_run(batch_id=batch.pk).state == "done"
    assert len(calls) == 2
    assert Application.objects.filter(owner=alice).count() == 5, "imported once, not twice"


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("draft", "The uploaded file is discarded; nothing was imported."),
        ("failed", "The uploaded file is discarded; nothing was imported."),
        ("queued", "The import of jobs.csv is cancelled; nothing was imported."),
        ("running", "The import of jobs.csv is cancelled; nothing was imported."),
    ],
)
def test_discard_works_in_every_state_before_the_import(
    logged_in, alice, clock, queued, state, message
):
    batch = make_batch(alice, state=state, queued_at=clock.now(), started_at=clock.now())
    response = logged_in.post(f"/import/{batch.pk}/discard/")
    assert response.url == "/import/"
    assert message in page_text(logged_in, "/import/")
    assert not ImportBatch.objects.filter(pk=batch.pk).exists()
    assert tasks.run_import(batch.pk) == "discarded", "its task, if it comes, does nothing"
    assert not Application.objects.exists()


def test_discarding_a_finished_import_keeps_its_applications(logged_in, alice):
    batch = make_batch(alice)
    services.import_run(batch_id=batch.pk)
    response = logged_in.post(f"/import/{batch.pk}/discard/")
    assert response.url == "/import/"
    page = page_text(logged_in, "/import/")
    assert "The import of jobs.csv is cleared; the 5 applications it imported stay" in page
    assert Application.objects.filter(owner=alice).count() == 5


def test_the_status_page_offers_cancel_while_waiting(logged_in, alice, clock):
    batch = make_batch(alice, state="queued", queued_at=clock.now())
    page = page_text(logged_in, f"/import/{batch.pk}/status/")
    assert f'action="/import/{batch.pk}/discard/"' in page
    assert "Cancel this import" in page


def test_nobody_else_can_discard_a_batch(client, alice, bob, clock):
    batch = make_batch(alice, state="queued", queued_at=clock.now())
    client.force_login(bob)
    assert client.post(f"/import/{batch.pk}/discard/").status_code == 404
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_whose_rows_are_being_saved_is_left_to_finish(postgresql, logged_in, alice, clock):
    batch = make_batch(alice, state="running", started_at=clock.now(), run_token="live")
    locked, release = threading.Event(), threading.Event()

    def saving():
        try:
            with transaction.atomic():
                ImportBatch.objects.select_for_update().get(pk=batch.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    saver = threading.Thread(target=saving)
    saver.start()
    try:
        assert locked.wait(10)
        response = logged_in.post(f"/import/{batch.pk}/discard/")
    finally:
        release.set()
        saver.join()
    assert response.url == f"/import/{batch.pk}/status/"
    assert "saving its rows at this moment" in page_text(logged_in, response.url)
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


def test_starting_an_import_while_the_broker_is_down_records_it_and_says_so(
    logged_in, alice, private_redis, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_ROWS", 2)
    monkeypatch.setattr(celery_app.conf, "broker_url", private_redis.url)
    monkeypatch.setattr(celery_app.conf, "result_backend", private_redis.url)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    private_redis.stop()
    batch = make_batch(alice)
    data = {"column_0": "company", "column_1": "job_title", "day_first": "1", "action": "import"}
    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, "config.queueing"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = logged_in.post(f"/import/{batch.pk}/", data)
    took = time.monotonic() - started
    print(f"queueing with the broker down answered in {took:.2f} s")
    assert response.status_code == 302
    assert response.url == f"/import/{batch.pk}/status/"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED, "the work is recorded"
    assert "dataio.run_import not queued" in caplog.text
    page = page_text(logged_in, response.url)
    assert "Waiting to start: the import will start shortly." in page
    assert not Application.objects.exists()
