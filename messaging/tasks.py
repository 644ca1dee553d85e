"""Celery tasks: thin, taking ids and calling messaging.reminders."""

from celery import shared_task
from django.db import transaction

from config.queueing import queue_now
from messaging import reminders


@shared_task(name="messaging.sweep_reminders")
def sweep_reminders() -> int:
    """Run by beat every minute: claims due reminders and queues their delivery, batch by
    batch (each batch is committed before its tasks are queued)."""
    result = reminders.sweep(on_claimed=_queue)
    transaction.on_commit(lambda: _queue(result.requeued or []))
    return len(result.claimed)


def _queue(outbox_ids: list[int]) -> None:
    """One delivery task per batch of rows: one SMTP connection each."""
    size = reminders.BATCH_SIZE
    for start in range(0, len(outbox_ids), size):
        deliver_reminders.delay(outbox_ids[start : start + size])


def deliver_after_commit(outbox_ids: list[int]) -> None:
    """Queues the delivery of these outbox rows once the transaction that recorded them
    commits. A broker that is away is logged, not raised (config/queueing.py), and the rows are
    left for the next sweep, which queues them again when the broker is back."""

    def run() -> None:
        if not queue_now(deliver_reminders, outbox_ids):
            reminders.leave_to_sweep(outbox_ids)

    transaction.on_commit(run)


@shared_task(name="messaging.deliver_reminders", bind=True)
def deliver_reminders(self, outbox_ids: list[int]) -> dict[str, int]:
    """Sends a batch of outbox rows (reminders, digests or users' messages, despite the name
    it keeps for the tasks already queued); comes back for the rows another delivery held (when its lease runs
    out) or the mail server failed (after their backoff: 30 s, 1 min… up to 30 minutes). A row
    stops after MAX_ATTEMPTS sends, so the retries end."""
    result = reminders.deliver_many(outbox_ids)
    left = {**result.busy, **{pk: None for pk in result.retry}}
    if left:
        waits = [*result.busy.values()]
        waits += [
            reminders.retry_delay(self.request.retries + 1).total_seconds() for _ in result.retry
        ]
        raise self.retry(args=[sorted(left)], countdown=min(waits), max_retries=None)
    counts: dict[str, int] = {}
    for state in result.states.values():
        counts[state] = counts.get(state, 0) + 1
    return counts


@shared_task(name="messaging.deliver_reminder")
def deliver_reminder(outbox_id: int) -> None:
    """Kept for tasks queued before batches: hands the row to a batch delivery."""
    deliver_reminders.delay([outbox_id])
