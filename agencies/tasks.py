"""Celery tasks: thin, taking ids and calling agencies.services."""

from celery import shared_task

from agencies import services


@shared_task(name="agencies.send_nudge", bind=True, max_retries=6)
def send_nudge(self, nudge_id: int) -> str:
    try:
        return services.deliver_nudge(nudge_id)
    except services.NudgeSendFailed as failure:
        # The mail server failed: try again in 1, 2, 4… minutes.
        raise self.retry(countdown=60 * 2**self.request.retries, exc=failure) from failure
