"""The email that tells a user their mailbox was paused: sent once, after the commit that
paused it, by a task that leases the notice so two deliveries never both send it."""

import datetime
import smtplib

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from config.mail_headers import render_subject, templated_email
from inbox.models import PauseNotice

LEASE = datetime.timedelta(minutes=2)
MAX_ATTEMPTS = 8


class NoticeFailed(Exception):
    """The mail server did not take the notice; the task tries again later."""


def deliver(notice_id: int) -> str:
    now = timezone.now()
    won = (
        PauseNotice.objects.filter(pk=notice_id, sent_at__isnull=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(lease_until=now + LEASE, attempts=F("attempts") + 1)
    )
    notice = PauseNotice.objects.select_related("owner", "mailbox").filter(pk=notice_id).first()
    if notice is None:
        return "gone"  # disconnected meanwhile: nothing to say
    if not won:
        return "sent" if notice.sent_at else "taken"
    context = {
        "user": notice.owner,
        "mailbox": notice.mailbox,
        "reason": notice.reason,
        "mailbox_url": settings.SITE_URL + reverse("inbox:mailbox"),
    }
    email = templated_email(
        "inbox-paused",
        context,
        subject=render_subject("emails/inbox-paused-subject.txt", context),
        to=[notice.owner.email],
        headers={"X-Bridges-Pause-Notice": str(notice.pk)},
        zone=notice.owner.zoneinfo,
    )
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        PauseNotice.objects.filter(pk=notice.pk).update(
            lease_until=None, last_error=f"{type(error).__name__}: {error}"
        )
        raise NoticeFailed(str(error)) from error
    PauseNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now(), lease_until=None)
    return "sent"


def unsent(now: datetime.datetime) -> list[int]:
    """Notices whose task was lost (a broker restart): unsent, not leased, a while old."""
    return list(
        PauseNotice.objects.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lte=now),
            sent_at__isnull=True,
            attempts__lt=MAX_ATTEMPTS,
            created_at__lte=now - datetime.timedelta(minutes=10),
        ).values_list("pk", flat=True)[:100]
    )
