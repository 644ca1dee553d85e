"""Consent that lapses: a candidate's yes to sharing lasts a year from when it was given or
last renewed (CandidateMembership.consent_lapses_at).

- The moment it lapses the agency sees nothing: `CandidateMembershipQuerySet.sharing()` compares
  the lapse with the time of the query, so no sweep has to run first.
- The sweep (beat, agencies.sweep_consent) emails the candidate REMINDER_BEFORE the lapse, once
  per lapse (an AgencyEmail row is the claim), and records each lapse: the membership's
  stopped_sharing_at becomes its lapse, by a conditional update, with an audit event. Both are
  safe when two beats or two workers run at once.
- The email's link renews without a login, for that one membership and that one lapse: a GET
  shows a button, the POST renews (a mail scanner following links renews nothing).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import dateformat, timezone

from agencies.models import AgencyEmail, AuditEvent, CandidateMembership, a_year_after
from config.queueing import queue_after_commit

REMINDER_BEFORE = datetime.timedelta(days=14)
LINK_MAX_AGE = 30 * 24 * 60 * 60
_LINK_SALT = "bridges.agencies.renew-sharing"


class NotSharing(Exception):
    """The membership no longer shares (stopped, lapsed or left): there is nothing to renew."""


def renewal_token(membership: CandidateMembership) -> str:
    """Names one membership and the lapse it was made for: once renewed, the link is spent."""
    return signing.dumps(
        {"m": membership.pk, "l": membership.consent_lapses_at.isoformat()}, salt=_LINK_SALT
    )


def renewal_url(membership: CandidateMembership) -> str:
    return settings.SITE_URL + reverse("agencies:renew_link", args=[renewal_token(membership)])


def read_renewal_token(token: str) -> tuple[int, datetime.datetime]:
    """(membership id, the lapse it renews); raises signing.BadSignature (or its subclass
    SignatureExpired) for a link that was changed or is older than LINK_MAX_AGE."""
    data = signing.loads(token, salt=_LINK_SALT, max_age=LINK_MAX_AGE)
    try:
        return int(data["m"]), datetime.datetime.fromisoformat(data["l"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature(str(error)) from error


@transaction.atomic
def renew(*, membership_id: int) -> CandidateMembership:
    """Another year of sharing, counted from now. Raises NotSharing once it has stopped."""
    from agencies.services import audit

    now = timezone.now()
    membership = (
        CandidateMembership.objects.select_for_update(of=("self",))
        .select_related("agency", "candidate")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not membership.is_sharing:
        raise NotSharing(str(membership_id))
    membership.consent_lapses_at = a_year_after(now)
    membership.save(update_fields=["consent_lapses_at"])
    audit(
        actor=membership.candidate,
        action=AuditEvent.Action.CONSENT_RENEWED,
        agency=membership.agency,
        candidate=membership.candidate,
        what=f"sharing until {membership.consent_lapses_at:%Y-%m-%d}",
    )
    return membership


def record_lapse(membership_id: int, now: datetime.datetime) -> bool:
    """Records a lapse that has come: claimed by a conditional update, so it is audited once."""
    from agencies.services import audit

    with transaction.atomic():
        claimed = (
            CandidateMembership.objects.lapsed_unrecorded(now)
            .filter(pk=membership_id)
            .update(stopped_sharing_at=F("consent_lapses_at"))
        )
        if claimed:
            membership = CandidateMembership.objects.select_related("agency", "candidate").get(
                pk=membership_id
            )
            audit(
                actor=membership.candidate,
                action=AuditEvent.Action.CONSENT_LAPSED,
                agency=membership.agency,
                candidate=membership.candidate,
                what="a year after the candidate's yes, not renewed",
            )
    return bool(claimed)


def lapse_day(membership: CandidateMembership) -> datetime.date:
    """The key of a lapse's one reminder: its date in UTC."""
    return membership.consent_lapses_at.astimezone(datetime.UTC).date()


def remind(now: datetime.datetime) -> list[int]:
    """Records (and queues after commit) one email per consent lapsing within REMINDER_BEFORE
    that has not had its reminder: the AgencyEmail ids created."""
    due = list(
        CandidateMembership.objects.sharing(now)
        .filter(consent_lapses_at__lte=now + REMINDER_BEFORE)
        .select_related("agency", "candidate")
    )
    reminded = set(
        AgencyEmail.objects.filter(
            kind=AgencyEmail.Kind.CONSENT_REMINDER, membership__in=due
        ).values_list("membership_id", "day")
    )
    created = []
    for membership in due:
        if (membership.pk, lapse_day(membership)) not in reminded:
            row = _claim_reminder(membership, now)
            if row is not None:
                created.append(row.pk)
    return created


def _claim_reminder(membership: CandidateMembership, now: datetime.datetime) -> AgencyEmail | None:
    from agencies import tasks
    from agencies.services import audit

    try:
        with transaction.atomic():
            row = AgencyEmail.objects.create(
                kind=AgencyEmail.Kind.CONSENT_REMINDER,
                to=membership.candidate,
                membership=membership,
                day=lapse_day(membership),
                created_at=now,
                payload={"lapses_at": membership.consent_lapses_at.isoformat()},
            )
            audit(
                actor=membership.candidate,
                action=AuditEvent.Action.CONSENT_REMINDED,
                agency=membership.agency,
                candidate=membership.candidate,
                what=f"sharing lapses {membership.consent_lapses_at:%Y-%m-%d}",
            )
            queue_after_commit(tasks.send_agency_email, row.pk)
    except IntegrityError:  # another sweep recorded it first
        return None
    return row


def record_lapses(now: datetime.datetime) -> int:
    """Records every lapse that has come since the last sweep; how many."""
    ids = CandidateMembership.objects.lapsed_unrecorded(now).values_list("pk", flat=True)
    return sum(record_lapse(membership_id, now) for membership_id in list(ids))


def on_day(moment: datetime.datetime, zone) -> str:
    """“16 December 2027”, the day `moment` falls on where the reader lives."""
    return dateformat.format(timezone.localtime(moment, zone), "j F Y")


def reminder_email(row: AgencyEmail):
    """The reminder's email, or None if the lapse it was about is gone (stopped, renewed)."""
    from agencies.services import email_with_html

    membership = row.membership
    if membership is None or not membership.is_sharing:
        return None
    if membership.consent_lapses_at.isoformat() != row.payload.get("lapses_at"):
        return None
    candidate = row.to
    context = {
        "candidate": candidate,
        "agency": membership.agency,
        "lapses_at": membership.consent_lapses_at,
        "renew_url": renewal_url(membership),
        "agency_url": settings.SITE_URL + reverse("agencies:settings"),
    }
    return email_with_html(
        row=row,
        subject=f"{membership.agency} stops seeing your pipeline on "
        f"{on_day(membership.consent_lapses_at, candidate.zoneinfo)} unless you renew",
        template="consent-reminder",
        context=context,
    )
