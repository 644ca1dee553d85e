"""Celery tasks: thin, taking ids and calling inbox.polling and inbox.notices."""

from celery import shared_task
from django.utils import timezone

from inbox import notices, polling


@shared_task(name="inbox.poll_mailboxes")
def poll_mailboxes() -> int:
    """Run by beat every minute: queues a poll of each mailbox that is due (every
    INBOX_POLL_SECONDS, sooner after a fault's backoff), and any notice whose task was lost."""
    now = timezone.now()
    due = polling.queue_due(now)
    for mailbox_id in due:
        poll_mailbox.delay(mailbox_id)
    for notice_id in notices.unsent(now):
        send_pause_notice.delay(notice_id)
    return len(due)


# A poll holds its mailbox for INBOX_POLL_LEASE_SECONDS (300 by default): the time limits
# end it before the lease runs out, so no poll is ever taken over while still running.
@shared_task(name="inbox.poll_mailbox", soft_time_limit=200, time_limit=240)
def poll_mailbox(mailbox_id: int) -> str:
    outcome = polling.poll(mailbox_id)
    if outcome.more:
        poll_mailbox.delay(mailbox_id)  # the rest of a large batch, at once
    return outcome.state


@shared_task(name="inbox.send_pause_notice", bind=True, max_retries=notices.MAX_ATTEMPTS)
def send_pause_notice(self, notice_id: int) -> str:
    try:
        return notices.deliver(notice_id)
    except notices.NoticeFailed as failure:
        # The mail server failed: try again in 1, 2, 4… minutes.
        raise self.retry(countdown=60 * 2**self.request.retries, exc=failure) from failure
