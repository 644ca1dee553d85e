"""Sending a message from Bridges goes through the outbox: recorded with its timeline entry in
one transaction, delivered after the commit, shown as sending, sent or failed; never a 500 and
never a lost draft, whether the mail server, the broker or Redis is away."""

import smtplib

import psycopg
import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from accounts.models import User
from applications import services as pipeline
from applications.models import Application, Contact, FollowUp, TimelineEvent
from applications.stages import Stage
from config.celery import app as celery_app
from messaging import reminders, tasks
from messaging.models import Channel, Message, Outbox
from tests.messaging.test_flow import draft, send
from tests.pages import page_text


class WatchingBackend(LocmemBackend):
    """The test outbox, noting for each message whether it was handed over inside a
    transaction and whether the row of the application it is about (`rows`: recipient →
    application id) could be locked by someone else meanwhile; and refusing everything while
    `failing`. `connections` holds each backend (one SMTP connection) that sent something."""

    failing = False
    rows: dict[str, int] = {}
    seen: list[dict] = []
    connections: list = []

    def send_messages(self, messages):
        if not any(backend is self for backend in WatchingBackend.connections):
            WatchingBackend.connections.append(self)
        for message in messages:
            application_id = WatchingBackend.rows.get(message.to[0])
            WatchingBackend.seen.append(
                {
                    "in_transaction": connection.in_atomic_block,
                    "row_free": _row_is_free(application_id) if application_id else None,
                }
            )
        if WatchingBackend.failing:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def _row_is_free(application_id: int) -> bool:
    """Tries, from a second database connection, to lock the application's row without
    waiting: False if someone holds it."""
    with psycopg.connect(**connection.get_connection_params()) as other:
        try:
            other.execute(
                "SELECT 1 FROM applications_application WHERE id = %s FOR UPDATE NOWAIT",
                [application_id],
            )
        except psycopg.errors.LockNotAvailable:
            return False
    return True


@pytest.fixture
def backend(settings):
    settings.EMAIL_BACKEND = "tests.messaging.test_sending.WatchingBackend"
    WatchingBackend.failing, WatchingBackend.rows = False, {}
    WatchingBackend.seen, WatchingBackend.connections = [], []
    return WatchingBackend


def detail(client, application) -> str:
    return page_text(client, f"/applications/{application.pk}/")


def logged_event(application) -> TimelineEvent:
    return application.events.get(kind=TimelineEvent.Kind.MESSAGE_LOGGED)


# --- The mail server fails ---------------------------------------------------------------------


def test_a_mail_server_failure_loses_nothing_shows_the_error_and_a_retry_sends_it(
    logged_in, application, manager, backend
):
    backend.failing = True
    values = draft(logged_in, application, kind="withdraw")
    response = send(logged_in, application, "send", **values)
    assert response.status_code == 302 and response.url == f"/applications/{application.pk}/"

    message = Message.objects.get()
    assert (message.channel, message.body) == (Channel.EMAIL, values["body"]), "nothing lost"
    outbox = message.delivery
    assert outbox.state == Outbox.State.FAILED
    assert outbox.attempts == reminders.MESSAGE_MAX_ATTEMPTS
    assert "Connection unexpectedly closed" in outbox.last_error
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN, "recorded with the move it implies"
    assert "Not sent to priya@acme.example" in logged_event(application).text
    assert not mail.outbox
    page = detail(logged_in, application)
    assert "Not sent" in page and "Connection unexpectedly closed" in page
    assert f"/messages/{message.pk}/retry/" in page, "a failed one can be tried again"
    assert "mailto:priya%40acme.example?subject=" in page, "or copied into the mail app"

    backend.failing = False
    response = logged_in.post(f"/applications/{application.pk}/messages/{message.pk}/retry/")
    assert response.url == f"/applications/{application.pk}/"
    outbox.refresh_from_db()
    assert (outbox.state, outbox.last_error) == (Outbox.State.SENT, "")
    assert [m.extra_headers["X-Bridges-Outbox"] for m in mail.outbox] == [str(outbox.pk)]
    assert mail.outbox[0].body == values["body"]
    assert "Emailed to priya@acme.example" in logged_event(application).text
    assert "Sent" in detail(logged_in, application)

    logged_in.post(f"/applications/{application.pk}/messages/{message.pk}/retry/")
    assert len(mail.outbox) == 1, "a sent message is not sent again"


def test_no_mail_server_is_talked_to_in_a_transaction_or_with_the_row_locked(
    postgresql, transactional_db, logged_in, application, manager, backend
):
    backend.rows = {manager.email: application.pk}
    send(logged_in, application, "send", **draft(logged_in, application, kind="follow_up"))
    assert len(mail.outbox) == 1
    assert backend.seen == [{"in_transaction": False, "row_free": True}]
    assert Message.objects.get().delivery.state == Outbox.State.SENT


# --- The broker (and the cache: the same Redis) is away ---------------------------------------


@pytest.fixture
def redis_down(settings, private_redis):
    """The broker and the cache on a Redis of the test's own, which is then stopped; tasks are
    published for real (not run in the test's process)."""
    caches = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        }
    }
    broker_url, eager = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = private_redis.url, False
    _forget_connections()
    private_redis.stop()
    yield private_redis
    settings.CACHES = caches
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = broker_url, eager
    _forget_connections()


def _forget_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_redis_down_the_send_answers_is_recorded_and_the_sweep_delivers_it(
    logged_in, application, manager, backend, redis_down, django_capture_on_commit_callbacks
):
    values = draft(logged_in, application, kind="follow_up")
    response = send(logged_in, application, "send", **values)
    assert response.status_code == 302, "no server error, the draft is not lost"
    message = Message.objects.get()
    assert message.body == values["body"]
    assert message.delivery.state == Outbox.State.PENDING
    assert "Sending from Bridges to priya@" in logged_event(application).text
    assert not mail.outbox, "not sent: no task could be queued"
    assert "Sending from Bridges to priya@acme.example" in detail(logged_in, application)

    # The broker is back; beat's next sweep queues the row again and a worker delivers it.
    redis_down.start()
    celery_app.conf.task_always_eager = True  # the worker, in the test's process
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_reminders()
    assert [m.extra_headers["X-Bridges-Outbox"] for m in mail.outbox] == [str(message.delivery.pk)]
    assert Outbox.objects.get().state == Outbox.State.SENT
    assert "Emailed to priya@" in logged_event(application).text


def test_the_page_says_sending_until_the_server_took_it(
    logged_in, application, manager, backend, monkeypatch
):
    monkeypatch.setattr(tasks, "queue_now", lambda task, *args: False)  # no broker answers
    send(logged_in, application, "send", **draft(logged_in, application, kind="follow_up"))
    page = detail(logged_in, application)
    assert "Sending from Bridges to priya@acme.example" in page
    assert "Emailed to" not in page and ">Sent<" not in page


# --- The close-out page: several at once, the same path ---------------------------------------


@pytest.fixture
def others(alice, make_application, application):
    pipeline.application_move(application=application, target=Stage.OFFER)
    pipeline.application_move(application=application, target=Stage.ACCEPTED)
    interviewing = make_application(alice, company="Initech", stage=Stage.INTERVIEWING)
    offered = make_application(alice, company="Globex", stage=Stage.OFFER)
    wish = make_application(alice, company="Hooli", stage=Stage.SAVED)
    return interviewing, offered, wish


def close_out_send(client, application, others) -> object:
    url = f"/applications/{application.pk}/close-out/"
    forms = client.get(url).context["formset"].forms
    data = {"form-TOTAL_FORMS": len(forms), "form-INITIAL_FORMS": len(forms), "action": "send"}
    for n, row in enumerate(forms):
        data |= {f"form-{n}-{name}": row[name].value() or "" for name in ("subject", "body")}
        company = Application.objects.get(pk=row["application"].value()).company
        data |= {
            f"form-{n}-application": row["application"].value(),
            f"form-{n}-include": "on",
            f"form-{n}-to_email": f"hr@{company.lower()}.example",
        }
    return client.post(url, data)


def test_closing_out_records_every_message_then_delivers_them_as_one_batch(
    postgresql, transactional_db, logged_in, application, others, backend
):
    backend.rows = {"hr@initech.example": others[0].pk, "hr@globex.example": others[1].pk}
    response = close_out_send(logged_in, application, others)
    assert response.url == f"/applications/{application.pk}/"
    interviewing, offered, wish = (Application.objects.get(pk=a.pk) for a in others)
    assert (interviewing.stage, offered.stage, wish.stage) == (
        Stage.WITHDRAWN,
        Stage.DECLINED,
        Stage.CLOSED,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["hr@globex.example", "hr@initech.example"]
    assert len(backend.connections) == 1, "one SMTP connection for the batch"
    assert backend.seen == [{"in_transaction": False, "row_free": True}] * 2
    assert set(Outbox.objects.values_list("state", flat=True)) == {Outbox.State.SENT}


def test_a_close_out_the_mail_server_refuses_loses_nothing(logged_in, application, others, backend):
    backend.failing = True
    response = close_out_send(logged_in, application, others)
    assert response.status_code == 302
    assert Message.objects.filter(channel=Channel.EMAIL).count() == 2
    assert set(Outbox.objects.values_list("state", flat=True)) == {Outbox.State.FAILED}
    for other in others[:2]:
        page = detail(logged_in, other)
        assert "Not sent" in page and "Try again" in page


# --- Retrying is the owner's alone ---------------------------------------------------------------


def test_an_outsider_cannot_retry_someone_elses_message(
    client, bob, logged_in, application, manager, backend, make_application
):
    backend.failing = True
    send(logged_in, application, "send", **draft(logged_in, application, kind="follow_up"))
    message = Message.objects.get()
    backend.failing = False
    bobs = make_application(bob, company="Bob's own")
    client.force_login(bob)
    for url in (
        f"/applications/{application.pk}/messages/{message.pk}/retry/",
        f"/applications/{bobs.pk}/messages/{message.pk}/retry/",
    ):
        assert client.post(url).status_code == 404
    message.delivery.refresh_from_db()
    assert message.delivery.state == Outbox.State.FAILED and not mail.outbox


def test_retry_is_a_post_only(logged_in, application, manager, backend):
    backend.failing = True
    send(logged_in, application, "send", **draft(logged_in, application, kind="follow_up"))
    message = Message.objects.get()
    url = f"/applications/{application.pk}/messages/{message.pk}/retry/"
    assert logged_in.get(url).status_code == 405


# --- Headers: a line break in a name or subject never breaks sending ------------------------------


def test_a_name_with_a_line_break_already_saved_still_sends_on_one_line(
    logged_in, alice, application, manager, backend
):
    User.objects.filter(pk=alice.pk).update(display_name="Alice\r\nBcc: everyone@evil.example\n")
    values = draft(logged_in, application, kind="follow_up")
    response = send(logged_in, application, "send", **values)
    assert response.status_code == 302
    email = mail.outbox[0]
    headers = email.message()
    assert email.from_email.startswith('"Alice Bcc: everyone@evil.example via Bridges" <')
    assert "Bcc" not in headers and "\n" not in headers["From"]
    assert "everyone@evil.example" not in email.recipients()
    assert Message.objects.get().delivery.state == Outbox.State.SENT


@pytest.mark.parametrize("subject", ["Two\r\nBcc: x@evil.example", "Nul\x00byte", "Line\u2028sep"])
def test_a_subject_with_a_line_break_goes_out_folded(alice, application, subject):
    message = Message(
        application=application,
        kind="follow_up",
        channel=Channel.EMAIL,
        to_email="priya@acme.example",
        subject=subject,
        body="Hello",
    )
    outbox = Outbox(pk=1, owner=alice, message=message, sequence=0)
    from messaging import outgoing

    headers = outgoing.message_email(outbox).message()
    assert "\n" not in headers["Subject"] and "\x00" not in headers["Subject"]
    assert headers["Bcc"] is None


# --- Subjects are plain text ----------------------------------------------------------------------

AWKWARD = 'Harbor & Finch <Labs> "Q"'


def test_a_reminder_subject_shows_the_company_as_written(clock, alice, make_application):
    application = make_application(alice, company=AWKWARD)
    pipeline.application_record_invitation(application=application, to_interview=False)
    clock.move_to(clock.at(0, 18, 0))
    for outbox_id in reminders.sweep().claimed:
        reminders.deliver(outbox_id)
    subjects = [email.subject for email in mail.outbox]
    assert f"Reminder: answer the invitation ({AWKWARD})" in subjects
    assert FollowUp.objects.get(kind=FollowUp.Kind.ANSWER_INVITATION).reminders_sent == 1


def test_a_message_subject_shows_the_company_as_written(
    logged_in, alice, make_application, backend
):
    application = make_application(alice, company=AWKWARD, job_title=AWKWARD)
    contact = Contact.objects.create(owner=alice, name="Priya Nair", email="priya@hf.example")
    application.contacts.add(contact)
    values = draft(logged_in, application, kind="follow_up")
    assert AWKWARD in values["subject"]
    send(logged_in, application, "send", **values)
    assert mail.outbox[0].subject == values["subject"]
    assert "&amp;" not in mail.outbox[0].message().as_string()
