"""Reminders go out in batches: one task and one SMTP connection per batch of rows, every row
still leased, recorded and retried on its own."""

import re
import smtplib

import pytest
from django.core import mail
from django.core.mail import message as message_module
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from applications import services
from applications.models import FollowUp
from messaging import reminders, tasks
from messaging.models import Outbox


class CountingBackend(LocmemBackend):
    """The test outbox, counting the connections opened and refusing chosen recipients."""

    opened = 0
    refuse_subjects: tuple[str, ...] = ()
    unreachable = False
    handed_over: list[int] = []  # outbox ids, in the order the server took them
    unrecorded_before: list[int] = []  # at each, how many taken before were not yet recorded

    def open(self):
        if CountingBackend.unreachable:
            raise smtplib.SMTPConnectError(421, "mail server down")
        CountingBackend.opened += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            if any(word in message.subject for word in CountingBackend.refuse_subjects):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"mailbox full")})
            taken = CountingBackend.handed_over
            recorded = Outbox.objects.filter(pk__in=taken, state=Outbox.State.SENT).count()
            CountingBackend.unrecorded_before.append(len(taken) - recorded)
            taken.append(int(message.extra_headers["X-Bridges-Outbox"]))
        return super().send_messages(messages)


@pytest.fixture
def backend(settings):
    settings.EMAIL_BACKEND = "tests.messaging.test_batch_delivery.CountingBackend"
    CountingBackend.opened, CountingBackend.refuse_subjects = 0, ()
    CountingBackend.unreachable = False
    CountingBackend.handed_over, CountingBackend.unrecorded_before = [], []
    return CountingBackend


@pytest.fixture
def due(clock, alice, make_application):
    """Five invitations received at 10:00, due (and reminded) at 18:00: five outbox rows."""
    for n in range(5):
        application = make_application(alice, company=f"Company {n}")
        services.application_record_invitation(application=application, to_interview=False)
    clock.move_to(clock.at(0, 18, 0))
    return reminders.sweep().claimed


def test_a_batch_goes_out_over_one_connection_and_each_row_is_recorded(backend, due):
    result = reminders.deliver_many(due)
    assert result.states == dict.fromkeys(due, Outbox.State.SENT)
    assert len(mail.outbox) == 5
    assert backend.opened == 1, "one SMTP connection for the whole batch"
    assert {m.extra_headers["X-Bridges-Outbox"] for m in mail.outbox} == {str(pk) for pk in due}
    assert not Outbox.objects.exclude(state=Outbox.State.SENT).exists()
    assert reminders.deliver_many(due).states == dict.fromkeys(due, Outbox.State.SENT)
    assert len(mail.outbox) == 5, "a batch delivered twice sends nothing more"


def test_each_message_goes_out_only_once_the_one_before_is_recorded(transactional_db, backend, due):
    """What a worker killed mid-batch may leave unrecorded: the one message in flight, never
    more. Each row is committed as a worker's is (no test transaction around it), and read back
    as the next message is handed over."""
    result = reminders.deliver_many(due)
    assert result.states == dict.fromkeys(due, Outbox.State.SENT)
    assert sorted(backend.handed_over) == sorted(due)
    assert backend.unrecorded_before == [0] * 5
    assert Outbox.objects.filter(state=Outbox.State.SENT).count() == 5


def test_a_refused_message_is_retried_alone_and_the_others_go_out(backend, due):
    backend.refuse_subjects = ("Company 2",)
    result = reminders.deliver_many(due)
    refused = Outbox.objects.get(followup__application__company="Company 2")
    assert set(result.retry) == {refused.pk}
    assert "mailbox full" in result.retry[refused.pk]
    assert len(mail.outbox) == 4
    refused.refresh_from_db()
    assert (refused.state, refused.attempts) == (Outbox.State.PENDING, 1)
    assert refused.queued_at > refused.created_at, "it waits for its backoff"


def test_an_unreachable_server_leaves_the_whole_batch_for_its_retry(backend, due):
    backend.unreachable = True
    result = reminders.deliver_many(due)
    assert set(result.retry) == set(due)
    assert not mail.outbox
    assert set(Outbox.objects.values_list("state", flat=True)) == {Outbox.State.PENDING}
    backend.unreachable = False
    assert reminders.deliver_many(due).states == dict.fromkeys(due, Outbox.State.SENT)


def test_after_its_last_attempt_a_row_fails_for_good(backend, due):
    backend.unreachable = True
    reminders.deliver_many(due[:1], max_attempts=1)
    row = Outbox.objects.get(pk=due[0])
    assert row.state == Outbox.State.FAILED and "mail server down" in row.last_error


def test_rows_another_delivery_holds_are_left_to_it(backend, due, clock):
    Outbox.objects.filter(pk=due[0]).update(
        state=Outbox.State.SENDING, lease_until=clock.now() + reminders.lease()
    )
    result = reminders.deliver_many(due)
    assert set(result.busy) == {due[0]}
    assert len(mail.outbox) == 4


def test_the_sweep_queues_one_task_per_batch_of_fifty(monkeypatch, clock, alice, make_application):
    queued: list[list[int]] = []
    monkeypatch.setattr(tasks.deliver_reminders, "delay", queued.append)
    application = make_application(alice)
    FollowUp.objects.bulk_create(
        FollowUp(owner=alice, application=application, kind="check_in", due_at=clock.start,
                 remind_at=clock.start)
        for _ in range(120)
    )  # fmt: skip
    tasks.sweep_reminders()
    assert [len(batch) for batch in queued] == [50, 50, 20]
    assert len({pk for batch in queued for pk in batch}) == 120


def test_the_task_comes_back_for_what_is_left(backend, due, monkeypatch):
    backend.refuse_subjects = ("Company 1",)
    retried = {}

    def retry(**kwargs):
        retried.update(kwargs)
        return RuntimeError("retry")

    monkeypatch.setattr(tasks.deliver_reminders, "retry", retry)
    with pytest.raises(RuntimeError):
        tasks.deliver_reminders.run(due)
    refused = Outbox.objects.get(followup__application__company="Company 1")
    assert retried["args"] == [[refused.pk]]
    assert retried["countdown"] == 30, "the first backoff"


# --- Over SMTP: the emails built ahead, sent as Django's SMTP backend sends them -------------


class FakeSMTP:
    """An SMTP connection that keeps what each `sendmail` was given, or refuses one."""

    def __init__(self):
        self.sent: list[tuple] = []
        self.refuse: str | None = None

    def sendmail(self, from_addr, to_addrs, msg):
        if self.refuse and self.refuse.encode() in msg:
            raise smtplib.SMTPDataError(554, b"rejected")
        self.sent.append((from_addr, to_addrs, msg))
        return {}

    def quit(self):
        pass


class CapturingSMTPBackend(SMTPBackend):
    """Django's SMTP backend, its own `_send` and all, over a FakeSMTP."""

    servers: list[FakeSMTP] = []
    refuse: str | None = None

    def open(self):
        if self.connection:
            return False
        self.connection = FakeSMTP()
        self.connection.refuse = CapturingSMTPBackend.refuse
        CapturingSMTPBackend.servers.append(self.connection)
        return True


@pytest.fixture
def smtp(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.messaging.test_batch_delivery.CapturingSMTPBackend"
    CapturingSMTPBackend.servers, CapturingSMTPBackend.refuse = [], None
    # Two of the three things written differently at each build, fixed so the bytes compare
    # (the multipart boundary is the third, `same_but_boundary`).
    monkeypatch.setattr(message_module, "make_msgid", lambda domain=None: "<fixed@bridges>")
    monkeypatch.setattr(message_module, "formatdate", lambda **kwargs: "Mon, 30 Nov 2026 17:00:00")
    return CapturingSMTPBackend


def same_but_boundary(data: bytes) -> bytes:
    """The bytes with their multipart boundary (drawn at random at each build) made one."""
    return re.sub(rb"=+\d+==", b"BOUNDARY", data)


def test_over_smtp_each_email_goes_out_as_djangos_smtp_backend_would_send_it(smtp, due):
    result = reminders.deliver_many(due)
    assert result.states == dict.fromkeys(due, Outbox.State.SENT)
    [server] = smtp.servers
    assert len(server.sent) == 5
    rows = {row.pk: row for row in Outbox.objects.select_related("owner", "message")}
    # What Django's own SMTP backend hands to sendmail for the same emails, built here.
    for (from_addr, to_addrs, data), pk in zip(server.sent, sorted(due), strict=True):
        row = rows[pk]
        followups = reminders._followups_of([row])[pk]
        email = reminders._email(row, followups, reminders._links())
        django_sends = CapturingSMTPBackend()
        django_sends.connection = FakeSMTP()
        assert django_sends._send(email)
        theirs = django_sends.connection.sent[0]
        assert (from_addr, to_addrs) == theirs[:2]
        assert same_but_boundary(data) == same_but_boundary(theirs[2])
        assert f"X-Bridges-Outbox: {pk}".encode() in data


def test_over_smtp_a_refused_email_is_retried_alone(smtp, due):
    refused = sorted(due)[2]
    smtp.refuse = f"X-Bridges-Outbox: {refused}"
    result = reminders.deliver_many(due)
    assert result.states[refused] == Outbox.State.PENDING and refused in result.retry
    assert [pk for pk in due if result.states[pk] == Outbox.State.SENT] == [
        pk for pk in due if pk != refused
    ]
    assert len(smtp.servers[0].sent) == 4


def test_an_email_that_cannot_be_built_fails_its_row_and_the_others_go_out(
    backend, due, monkeypatch
):
    broken = sorted(due)[1]
    build = reminders._email

    def build_or_break(outbox, followups, links):
        if outbox.pk == broken:
            raise ValueError("a template that does not draw")
        return build(outbox, followups, links)

    monkeypatch.setattr(reminders, "_email", build_or_break)
    result = reminders.deliver_many(due)
    assert result.states[broken] == Outbox.State.FAILED
    assert Outbox.objects.get(pk=broken).last_error == "ValueError: a template that does not draw"
    assert all(result.states[pk] == Outbox.State.SENT for pk in due if pk != broken)
    assert len(mail.outbox) == 4
