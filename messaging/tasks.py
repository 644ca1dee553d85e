"""Celery tasks: thin, taking ids and calling messaging.reminders (STYLE.md)."""

from celery import shared_task
from django.db import transaction

from messaging import reminders


@shared_task(name="messaging.sweep_reminders")
def sweep_reminders() -> int:
    """Run by beat every minute: claims due reminders and queues their delivery, batch by
    batch (each batch is committed before its tasks are queued)."""
    result = reminders.sweep(on_claimed=_queue)
    transaction.on_commit(lambda: _queue(result.requeued or []))
    return len(result.claimed)


def _queue(outbox_ids: list[int]) -> None:
    for outbox_id in outbox_ids:
        deliver_reminder.delay(outbox_id)


@shared_task(name="messaging.deliver_reminder", bind=True, max_retries=8)
def deliver_reminder(self, outbox_id: int) -> str:
    try:
        return reminders.deliver(outbox_id, max_attempts=self.max_retries)
    except reminders.Busy as busy:
        # Another delivery holds the lease (or died holding it): come back when it runs out.
        raise self.retry(countdown=busy.seconds, max_retries=None) from busy
    except reminders.TransientFailure as failure:
        # The mail server failed: back off 30 s, 1 min, 2 min… up to 30 minutes.
        countdown = reminders.retry_delay(self.request.retries + 1).total_seconds()
        raise self.retry(countdown=countdown, exc=failure) from failure
