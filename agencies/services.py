"""Writes to agencies: joining, the sharing switch, code rotation, nudges and the audit log."""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies import codes
from agencies.models import (
    Agency,
    AgencyEmail,
    AuditEvent,
    CandidateMembership,
    Nudge,
    Office,
    a_year_after,
)
from applications.models import FollowUp
from config.mail_headers import templated_email
from config.queueing import queue_after_commit

NUDGE_INTERVAL = datetime.timedelta(days=1)


class JoinError(Exception):
    """Why a code did not join the candidate to an agency, in words for them."""


def audit(
    *, actor, action: str, agency=None, candidate=None, candidate_id=None, what: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=actor.email,
        action=action,
        agency=agency,
        candidate=candidate,
        candidate_id=candidate_id if candidate is None else candidate.pk,
        what=what[:300],
    )


def find_code(typed: str) -> tuple[Agency, Office | None] | None:
    code = codes.normalise(typed)
    if len(code) != codes.LENGTH:
        return None
    office = Office.objects.select_related("agency").filter(invite_code=code).first()
    if office:
        return office.agency, office
    agency = Agency.objects.filter(invite_code=code).first()
    return (agency, None) if agency else None


@transaction.atomic
def join(*, candidate, code: str) -> CandidateMembership:
    """Joins the agency (and office) the code belongs to. Shares nothing yet."""
    found = find_code(code)
    if found is None:
        raise JoinError("That code does not match any agency. Check it with your recruiter.")
    agency, office = found
    existing = CandidateMembership.objects.filter(candidate=candidate, agency=agency).first()
    if existing:
        if office and existing.office_id != office.pk:
            existing.office = office
            existing.save(update_fields=["office"])
        return existing
    try:
        with transaction.atomic():
            membership = CandidateMembership.objects.create(
                candidate=candidate, agency=agency, office=office
            )
    except IntegrityError:  # the same code sent twice at once
        return CandidateMembership.objects.get(candidate=candidate, agency=agency)
    audit(actor=candidate, action=AuditEvent.Action.JOINED, agency=agency, candidate=candidate)
    return membership


@transaction.atomic
def set_sharing(*, membership: CandidateMembership, share: bool) -> CandidateMembership:
    """The candidate's yes or no. Effective at once: recruiters' queries read these columns."""
    now = timezone.now()
    membership = CandidateMembership.objects.select_for_update().get(pk=membership.pk)
    if share == membership.is_sharing:
        return membership
    if share:
        from agencies import consent

        # A yes that ran out is recorded as lapsed before the new yes (if the sweep has not).
        consent.record_lapse(membership.pk, now)
        membership.shared_since, membership.stopped_sharing_at = now, None
        membership.consent_lapses_at = a_year_after(now)
        action = AuditEvent.Action.SHARED
    else:
        membership.stopped_sharing_at = now
        action = AuditEvent.Action.STOPPED_SHARING
    membership.save(update_fields=["shared_since", "stopped_sharing_at", "consent_lapses_at"])
    audit(
        actor=membership.candidate,
        action=action,
        agency=membership.agency,
        candidate=membership.candidate,
    )
    return membership


@transaction.atomic
def leave(*, membership: CandidateMembership) -> None:
    audit(
        actor=membership.candidate,
        action=AuditEvent.Action.LEFT,
        agency=membership.agency,
        candidate=membership.candidate,
    )
    membership.delete()


def rotate_code(obj: Agency | Office) -> str:
    """A new invitation code; the old one stops working at once. Memberships stay."""
    while True:
        code = codes.new_code()
        taken = (
            Agency.objects.filter(invite_code=code).exists()
            or Office.objects.filter(invite_code=code).exists()
        )
        if not taken:
            break
    type(obj).objects.filter(pk=obj.pk).update(invite_code=code)
    obj.invite_code = code
    return code


def owed_by(candidate) -> list[FollowUp]:
    """What the candidate owes employers now, most overdue first (as the nudge lists it)."""
    return list(
        FollowUp.objects.for_user(candidate)
        .pending()
        .filter(low_priority=False)
        .select_related("application")
        .order_by("due_at", "id")
    )


class NothingOwed(Exception):
    """The candidate owes no employer an answer: there is nothing to nudge about."""


@transaction.atomic
def nudge(*, recruiter, membership: CandidateMembership) -> Nudge | None:
    """Queues one email to the candidate listing what they owe, at most once a day per agency.

    Raises NothingOwed when they owe nothing; returns None (and sends nothing) when the agency
    nudged them in the last 24 hours, or they no longer share. The claim is a conditional
    update, so two recruiters nudging at the same moment send one email.
    """
    now = timezone.now()
    owed = owed_by(membership.candidate)
    if not owed:
        raise NothingOwed(str(membership))
    claimed = (
        CandidateMembership.objects.sharing()
        .filter(pk=membership.pk)
        .filter(Q(last_nudged_at__isnull=True) | Q(last_nudged_at__lte=now - NUDGE_INTERVAL))
        .update(last_nudged_at=now)
    )
    if not claimed:
        return None
    result = Nudge.objects.create(
        membership=membership,
        recruiter=recruiter,
        created_at=now,
        owed=[
            {
                "kind": followup.get_kind_display(),
                "company": followup.application.company,
                "job_title": followup.application.job_title,
                "due_at": followup.effective_due.isoformat(),
            }
            for followup in owed
        ],
    )
    audit(
        actor=recruiter,
        action=AuditEvent.Action.NUDGED,
        agency=membership.agency,
        candidate=membership.candidate,
        what=f"{len(owed)} owed",
    )
    from agencies import tasks

    queue_after_commit(tasks.send_nudge, result.pk)
    return result


# A nudge not sent this long after it was asked for lost its task (the broker was away, or the
# worker died): the sweep queues it again. One older than a day is left alone, out of date.
NUDGE_STALE = datetime.timedelta(minutes=2)
NUDGE_GIVES_UP = datetime.timedelta(days=1)


def unsent_nudges(now: datetime.datetime) -> list[int]:
    """The nudges the sweep queues again: asked for, not sent, and past NUDGE_STALE."""
    return _unsent(Nudge, now)


def unsent_agency_emails(now: datetime.datetime) -> list[int]:
    """The reminders and digests the sweep queues again, as for nudges."""
    return _unsent(AgencyEmail, now)


def _unsent(model, now: datetime.datetime) -> list[int]:
    return list(
        model.objects.filter(
            sent_at__isnull=True,
            created_at__lte=now - NUDGE_STALE,
            created_at__gt=now - NUDGE_GIVES_UP,
        ).values_list("pk", flat=True)
    )


class SendFailed(Exception):
    """The mail server did not take the email; the task tries again later."""


def send_and_mark(row: Nudge | AgencyEmail, email: EmailMultiAlternatives) -> str:
    """Sends the email recorded by `row` and marks the row sent, or records the error and
    raises SendFailed (a worker dying between the two can, rarely, send it twice)."""
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        type(row).objects.filter(pk=row.pk).update(last_error=f"{type(error).__name__}: {error}")
        raise SendFailed(str(error)) from error
    type(row).objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
    return "sent"


def deliver_nudge(nudge_id: int) -> str:
    """Sends a queued nudge once it is committed. Safe to run twice: a sent nudge is skipped."""
    nudge = (
        Nudge.objects.select_related("membership__candidate", "membership__agency", "recruiter")
        .filter(pk=nudge_id)
        .first()
    )
    if nudge is None:
        return "gone"
    if nudge.sent_at:
        return "sent"
    candidate = nudge.membership.candidate
    context = {
        "candidate": candidate,
        "agency": nudge.membership.agency,
        "recruiter": nudge.recruiter,
        "owed": [{**item, "due": _parse(item["due_at"])} for item in nudge.owed],
        "followups_url": settings.SITE_URL + reverse("applications:followups"),
        "agency_url": settings.SITE_URL + reverse("agencies:settings"),
    }
    email = email_to(
        candidate,
        subject=f"{nudge.membership.agency}: a reminder of the answers you owe employers",
        template="nudge",
        context=context,
        headers={"X-Bridges-Nudge": str(nudge.pk)},
        reply_to=[nudge.recruiter.email] if nudge.recruiter else [],
    )
    return send_and_mark(nudge, email)


def deliver_agency_email(email_id: int) -> str:
    """Sends a recorded consent reminder or digest once committed; a sent one is skipped."""
    from agencies import consent, digest

    row = (
        AgencyEmail.objects.select_related("to", "membership__agency", "membership__candidate")
        .filter(pk=email_id)
        .first()
    )
    if row is None:
        return "gone"
    if row.sent_at:
        return "sent"
    builders = {
        AgencyEmail.Kind.CONSENT_REMINDER: consent.reminder_email,
        AgencyEmail.Kind.DIGEST: digest.digest_email,
    }
    email = builders[row.kind](row)
    if email is None:  # nothing left to say (the candidate stopped sharing meanwhile)
        AgencyEmail.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="moot")
        return "moot"
    return send_and_mark(row, email)


def email_with_html(*, row, subject: str, template: str, context: dict, headers=None):
    """The email of an AgencyEmail row to its recipient (`email_to`), marked with the row."""
    headers = {"X-Bridges-Agency-Email": str(row.pk), **(headers or {})}
    return email_to(row.to, subject=subject, template=template, context=context, headers=headers)


def email_to(user, *, subject: str, template: str, context: dict, headers, reply_to=()):
    """An email to `user` from the `template` pair (`templated_email`), drawn in the user's time
    zone (every date and time as the reader lives them), the subject on one line."""
    return templated_email(
        template,
        context,
        subject=subject,
        to=[user.email],
        headers=headers,
        reply_to=reply_to,
        zone=user.zoneinfo,
    )


def _parse(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)
