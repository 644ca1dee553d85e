"""Celery tasks: thin, taking ids and calling agencies.services."""

from celery import shared_task
from django.utils import timezone

from agencies import consent, digest, services
from config.queueing import queue_now


@shared_task(name="agencies.send_nudge", bind=True, max_retries=6)
def send_nudge(self, nudge_id: int) -> str:
    try:
        return services.deliver_nudge(nudge_id)
    except services.SendFailed as failure:
        # The mail server failed: try again in 1, 2, 4… minutes.
        raise self.retry(countdown=60 * 2**self.request.retries, exc=failure) from failure


@shared_task(name="agencies.send_agency_email", bind=True, max_retries=6)
def send_agency_email(self, email_id: int) -> str:
    """A consent reminder or a recruiter's digest, recorded before it was queued."""
    try:
        return services.deliver_agency_email(email_id)
    except services.SendFailed as failure:
        raise self.retry(countdown=60 * 2**self.request.retries, exc=failure) from failure


@shared_task(name="agencies.sweep_nudges")
def sweep_nudges() -> int:
    """Run by beat every few minutes: queues again each nudge, consent reminder or digest
    whose task was lost. Sending is safe to run twice (a sent one is skipped)."""
    now = timezone.now()
    unsent = services.unsent_nudges(now)
    for nudge_id in unsent:
        queue_now(send_nudge, nudge_id)
    emails = services.unsent_agency_emails(now)
    for email_id in emails:
        queue_now(send_agency_email, email_id)
    return len(unsent) + len(emails)


@shared_task(name="agencies.sweep_consent")
def sweep_consent() -> dict:
    """Run by beat: reminds candidates whose sharing lapses within 14 days (once per lapse)
    and records the lapses that have come. Safe to overlap."""
    now = timezone.now()
    return {"reminded": len(consent.remind(now)), "lapsed": consent.record_lapses(now)}


@shared_task(name="agencies.send_digests")
def send_digests() -> int:
    """Run by beat every few minutes: the digest of each recruiter for whom it is 08:00 and
    who has not had today's. Safe to overlap (one per recruiter and local day)."""
    return len(digest.send_digests(timezone.now()))
