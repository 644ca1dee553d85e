"""The recruiter's daily digest: at 08:00 in their own time zone, the candidates of their office
(of their agency, for a recruiter with no office) who share and owe an employer an answer for
more than a day, with links into the admin. Nothing is sent when nothing is that late.

Once per recruiter and local day: the AgencyEmail row (unique per recipient and day) is the
claim, written with the list it will send, so two beats or a retried task send one email.
A beat that was down at 08:00 sends the day's digest when it is back, until noon: the list is
still what was late at 08:00, so a late start never lists more than the digest would have.
A recruiter turns it off on their Agency page, or with the link at the foot of every digest.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from agencies.models import AgencyEmail, CandidateMembership, RecruiterMembership
from agencies.scoping import sharing_in
from applications.models import FollowUp
from config.queueing import queue_after_commit

DIGEST_HOUR = 8
# A digest not sent at 08:00 (beat was down) is still sent this long after, and not later.
CATCH_UP = datetime.timedelta(hours=4)
# Only what is late by more than this: a day's grace before it reaches a recruiter's morning.
LATE_BY = datetime.timedelta(days=1)
_LINK_SALT = "bridges.agencies.digest-off"


def overdue_for(recruiter: RecruiterMembership, now: datetime.datetime) -> list[FollowUp]:
    """The answers the digest lists: owed, late by more than LATE_BY, by candidates sharing
    with the recruiter's agency (and office, if they have one); most overdue first. Each
    carries `membership_id`, the candidate's membership of that agency."""
    memberships = CandidateMembership.objects.filter(
        agency_id=recruiter.agency_id, candidate=OuterRef("owner")
    )
    return list(
        FollowUp.objects.owed_overdue(now - LATE_BY)
        .filter(sharing_in(recruiter.agency_id, "owner", recruiter.office_id))
        .with_effective_due()
        .annotate(membership_id=Subquery(memberships.values("pk")[:1]))
        .select_related("owner", "application")
        .order_by("effective_due_at", "id")
    )


def digest_moment(recruiter: RecruiterMembership, now: datetime.datetime):
    """Today's 08:00 where the recruiter lives, if `now` is at it or up to CATCH_UP after it;
    otherwise None."""
    local = now.astimezone(recruiter.user.zoneinfo)
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return moment if moment <= local < moment + CATCH_UP else None


def due_recruiters(now: datetime.datetime) -> list[RecruiterMembership]:
    """Recruiters with the digest on whose 08:00 has come (`digest_moment`), and who have not
    had today's (their local day)."""
    recruiters = (
        RecruiterMembership.objects.filter(
            digest_enabled=True, user__is_active=True, user__is_staff=True
        )
        .select_related("user", "agency", "office")
        .order_by("pk")
    )
    due = [r for r in recruiters if digest_moment(r, now) is not None]
    sent = set(
        AgencyEmail.objects.filter(
            kind=AgencyEmail.Kind.DIGEST, to__in=[r.user_id for r in due]
        ).values_list("to_id", "day")
    )
    return [r for r in due if (r.user_id, local_day(r, now)) not in sent]


def local_day(recruiter: RecruiterMembership, now: datetime.datetime) -> datetime.date:
    return now.astimezone(recruiter.user.zoneinfo).date()


def send_digests(now: datetime.datetime) -> list[int]:
    """Records (and queues after commit) the day's digest of every recruiter due one with
    something to list: the AgencyEmail ids created."""
    created = []
    for recruiter in due_recruiters(now):
        overdue = overdue_for(recruiter, digest_moment(recruiter, now))
        if overdue:
            row = _claim(recruiter, overdue, now)
            if row is not None:
                created.append(row.pk)
    return created


def _claim(recruiter, overdue: list[FollowUp], now) -> AgencyEmail | None:
    from agencies import tasks

    items = [
        {
            "candidate": followup.owner.get_full_name(),
            "membership": followup.membership_id,
            "owed": followup.get_kind_display(),
            "company": followup.application.company,
            "job_title": followup.application.job_title,
            "due_at": followup.effective_due_at.isoformat(),
        }
        for followup in overdue
    ]
    try:
        with transaction.atomic():
            row = AgencyEmail.objects.create(
                kind=AgencyEmail.Kind.DIGEST,
                to=recruiter.user,
                day=local_day(recruiter, now),
                created_at=now,
                payload={"items": items},
            )
            queue_after_commit(tasks.send_agency_email, row.pk)
    except IntegrityError:  # another beat, or a retry, claimed this day first
        return None
    return row


def days_late(due: datetime.datetime, at: datetime.datetime) -> str:
    days = (at - due).days
    return f"overdue {days} day{'' if days == 1 else 's'}"


def subject(candidates: int) -> str:
    if candidates == 1:
        return "1 candidate owes an employer an answer"
    return f"{candidates} candidates owe an employer an answer"


def off_token(recruiter: RecruiterMembership) -> str:
    return signing.dumps({"r": recruiter.pk}, salt=_LINK_SALT)


def read_off_token(token: str) -> int:
    """The recruiter membership the link turns off; raises signing.BadSignature. It does not
    expire: an unsubscribe link must keep working."""
    data = signing.loads(token, salt=_LINK_SALT)
    try:
        return int(data["r"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature(str(error)) from error


def digest_email(row: AgencyEmail):
    """The digest's email, from the list recorded when it was claimed."""
    from agencies.services import email_with_html

    recruiter = (
        RecruiterMembership.objects.select_related("agency", "office").filter(user=row.to).first()
    )
    if recruiter is None or not recruiter.digest_enabled:
        return None
    lines = []
    for item in row.payload.get("items", []):
        due = datetime.datetime.fromisoformat(item["due_at"])
        lines.append(
            {
                **item,
                "due": due,
                "late": days_late(due, row.created_at),
                "url": settings.SITE_URL
                + reverse("admin:agencies_candidatemembership_change", args=[item["membership"]]),
            }
        )
    candidates = len({item["membership"] for item in lines})
    off_url = settings.SITE_URL + reverse("agencies:digest_off", args=[off_token(recruiter)])
    context = {
        "recruiter": row.to,
        "where": recruiter.office.city if recruiter.office else recruiter.agency.name,
        "candidates": candidates,
        "lines": lines,
        "owed_url": settings.SITE_URL + reverse("admin:agencies_owedanswer_changelist"),
        "off_url": off_url,
        "settings_url": settings.SITE_URL + reverse("agencies:settings"),
    }
    return email_with_html(
        row=row,
        subject=subject(candidates),
        template="recruiter-digest",
        context=context,
        headers={"List-Unsubscribe": f"<{off_url}>"},
    )
