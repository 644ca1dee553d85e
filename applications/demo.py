"""A realistic demo pipeline: every stage, with the events that got each application there."""

import datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    Contact,
    EndReason,
    Interview,
    Offer,
    Source,
    TimelineEvent,
    WorkplaceType,
)
from applications.stages import Stage

# company, job title, stage reached, days ago it was added, extra fields
PIPELINE = [
    ("Northwind Analytics", "Data Engineer", Stage.SAVED, 2, {"priority": 4}),
    ("Kestrel Labs", "Platform Engineer", Stage.SAVED, 6, {"workplace_type": WorkplaceType.REMOTE}),
    ("Bluefin Health", "Backend Developer", Stage.APPLIED, 5, {"source": Source.JOB_BOARD}),
    ("Orchard Logistics", "Python Engineer", Stage.APPLIED, 16, {"source": Source.COMPANY_SITE}),
    ("Tidewater Energy", "Software Engineer", Stage.SCREENING, 12, {"source": Source.REFERRAL}),
    ("Lumen Books", "Senior Django Developer", Stage.INTERVIEWING, 20, {"priority": 5}),
    ("Harbor & Finch", "Full-stack Engineer", Stage.INTERVIEWING, 25, {"source": Source.AGENCY}),
    ("Cobalt Payments", "Backend Engineer", Stage.OFFER, 35, {"priority": 5}),
    ("Pine Street Media", "Junior Developer", Stage.ACCEPTED, 400, {}),
    ("Granite Insurance", "Java Developer", Stage.DECLINED, 30, {}),
    ("Sable Studios", "Tech Lead", Stage.WITHDRAWN, 28, {"workplace_type": WorkplaceType.ONSITE}),
    ("Vantage Retail", "Backend Engineer", Stage.REJECTED, 45, {}),
    ("Quill Publishing", "Web Developer", Stage.CLOSED, 60, {}),
]

END_REASONS = {
    Stage.DECLINED: EndReason.COMPENSATION,
    Stage.WITHDRAWN: EndReason.LOCATION,
    Stage.REJECTED: EndReason.NOT_SELECTED,
    Stage.CLOSED: EndReason.NO_RESPONSE,
}


def seed_pipeline(user) -> list[Application]:
    """Replaces the user's applications and contacts with the demo pipeline."""
    with timezone.override(user.zoneinfo):
        return _seed(user)


def _seed(user) -> list[Application]:
    Application.objects.for_user(user).delete()
    Contact.objects.for_user(user).delete()
    now = timezone.now()
    recruiter = Contact.objects.create(
        owner=user,
        name="Priya Nair",
        role=Contact.Role.RECRUITER,
        company="Lumen Books",
        email="priya.nair@lumen.example",
    )
    manager = Contact.objects.create(
        owner=user,
        name="Tom Becker",
        role=Contact.Role.HIRING_MANAGER,
        company="Cobalt Payments",
        email="tom.becker@cobalt.example",
        phone="+44 20 7946 0321",
    )
    applications = []
    for company, title, stage, days_ago, extra in PIPELINE:
        application = services.application_create(
            application=Application(
                owner=user,
                company=company,
                job_title=title,
                location=extra.pop("location", "London"),
                salary_min=55000,
                salary_max=70000,
                salary_currency="GBP",
                **extra,
            ),
            tag_names=["python"] if "Python" in title or "Django" in title else [],
            contacts=[recruiter] if company == "Lumen Books" else [],
        )
        _walk_to(application, stage, now - datetime.timedelta(days=days_ago * 0.3))
        _shift_into_past(application, datetime.timedelta(days=days_ago))
        applications.append(application)
    cobalt = next(a for a in applications if a.company == "Cobalt Payments")
    cobalt.contacts.add(manager)
    return applications


def _walk_to(application: Application, stage: Stage, held_at: datetime.datetime) -> None:
    if stage == Stage.SAVED:
        return
    services.application_move(application=application, target=Stage.APPLIED)
    if stage == Stage.SCREENING:
        services.application_record_invitation(application=application, to_interview=False)
    if stage in (Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.DECLINED, Stage.WITHDRAWN):
        services.application_record_invitation(application=application, to_interview=True)
        held = services.interview_schedule(
            interview=Interview(
                application=application,
                round=1,
                starts_at=held_at,
                format=Interview.Format.VIDEO,
                location="Video call link in the invitation",
            )
        )
        services.interview_mark_held(interview=held)
    if application.company == "Lumen Books":
        services.interview_schedule(
            interview=Interview(
                application=application,
                round=2,
                starts_at=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
                + datetime.timedelta(days=2),
                format=Interview.Format.ONSITE,
                location="12 Fleet Street, London",
            )
        )
    if stage in (Stage.OFFER, Stage.ACCEPTED):
        services.offer_record(
            offer=Offer(
                application=application,
                amount=Decimal(68000),
                currency="GBP",
                deadline=timezone.localdate() + datetime.timedelta(days=5),
            )
        )
    if stage == Stage.ACCEPTED:
        services.application_move(application=application, target=Stage.ACCEPTED)
    if stage in END_REASONS:
        services.application_move(application=application, target=stage, reason=END_REASONS[stage])


def _shift_into_past(application: Application, age: datetime.timedelta) -> None:
    """Spreads the demo's history over the weeks it would really have taken.

    Events after the first keep their order, compressed into the application's age; the
    upcoming interview keeps its future date. (A query update: events are otherwise append-only.)
    """
    events = TimelineEvent.objects.filter(application=application)
    step = age / max(events.count(), 1)
    for position, event in enumerate(events.order_by("at", "id")):
        at = timezone.now() - age + step * position
        events.filter(pk=event.pk).update(at=at)
    Application.objects.filter(pk=application.pk).update(
        created_at=F("created_at") - age,
        stage_changed_at=timezone.now() - step,
        applied_on=None if application.stage == Stage.SAVED else timezone.localdate() - age,
    )
