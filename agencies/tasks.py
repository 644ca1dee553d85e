"""Celery tasks: thin, taking ids and calling agencies.services."""

from celery import shared_task
from django.utils import timezone

from agencies import services
from config.queueing import queue_now


@shared_task(name="agencies.send_nudge", bind=True, max_retries=6)
def send_nudge(self, nudge_id: int) -> str:
    try:
        return services.deliver_nudge(nudge_id)
    except services.NudgeSendFailed as failure:
        # The mail server failed: try again in 1, 2, 4… minutes.
        raise self.retry(countdown=60 * 2**self.request.retries, exc=failure) from failure


@shared_task(name="agencies.sweep_nudges")
def sweep_nudges() -> int:
    """Run by beat every few minutes: queues again each nudge whose task was lost. Sending is
    safe to run twice (a sent nudge is skipped)."""
    unsent = services.unsent_nudges(timezone.now())
    for nudge_id in unsent:
        queue_now(send_nudge, nudge_id)
    return len(unsent)
