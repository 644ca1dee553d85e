"""Demo pipelines: a few weeks of a real job search, replayed step by step at the moments they
happened, so every date on the pages agrees with every other (the days in a stage, the
timeline, what is owed and since when).

Each application is a list of steps, each `(days ago, "HH:MM", what, details)`. The steps run
through the same services a user's clicks do, with the clock set to that moment; what is owed
today therefore comes out of the ordinary follow-up rules, not out of the demo.
"""

import contextlib
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from applications import followups, services
from applications.models import (
    Application,
    Contact,
    EndReason,
    FollowUp,
    Interview,
    Offer,
    Source,
    WorkplaceType,
)
from applications.stages import Stage

K = FollowUp.Kind


@dataclass
class Story:
    company: str
    job_title: str
    steps: list[tuple]
    fields: dict = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    contact: str = ""


# The demo candidate's search: about five weeks of it, every stage reached by some application,
# and today's mix of what a candidate owes: an invitation to answer today, a thank-you a day
# late, a check-in overdue, an offer to decide this week, a decision not yet told.
SAM = [
    Story(
        "Northwind Analytics",
        "Data Engineer",
        [(2, "21:10", "save", {"closes_in": 9})],
        {"priority": 4, "source": Source.JOB_BOARD},
    ),
    Story(
        "Kestrel Labs",
        "Platform Engineer",
        [(6, "08:40", "save", {})],
        {"workplace_type": WorkplaceType.REMOTE, "location": ""},
    ),
    Story(
        "Bluefin Health",
        "Backend Developer",
        [(8, "19:05", "save", {}), (5, "09:15", "apply", {})],
        {"source": Source.JOB_BOARD},
    ),
    Story(
        "Orchard Logistics",
        "Python Engineer",
        [(13, "20:30", "apply", {})],
        {"source": Source.COMPANY_SITE},
        tags=("python",),
    ),
    Story(
        "Tidewater Energy",
        "Software Engineer",
        [(12, "10:00", "apply", {}), (1, "19:20", "invite", {"to_interview": False})],
        {"source": Source.REFERRAL, "location": "Bristol"},
    ),
    Story(
        "Lumen Books",
        "Senior Django Developer",
        [
            (21, "09:00", "apply", {}),
            (15, "11:20", "invite", {"to_interview": True}),
            (15, "13:05", "interview", {"round": 1, "on": (11, "10:00")}),
            (11, "11:00", "held", {"round": 1}),
            (11, "16:30", "done", {"kind": K.THANK_YOU}),
            (3, "14:10", "invite", {"to_interview": True, "note": "Second round, on site."}),
            (3, "15:00", "interview", {"round": 2, "on": (-2, "14:00"), "onsite": True}),
        ],
        {"priority": 5},
        tags=("python",),
        contact="recruiter",
    ),
    Story(
        "Harbor & Finch",
        "Full-stack Engineer",
        [
            (24, "12:40", "apply", {}),
            (17, "09:30", "invite", {"to_interview": True}),
            (17, "10:15", "interview", {"round": 1, "on": (2, "15:00")}),
            (2, "16:00", "held", {"round": 1}),
        ],
        {"source": Source.AGENCY},
    ),
    Story(
        "Cobalt Payments",
        "Backend Engineer",
        [
            (34, "10:10", "apply", {}),
            (28, "16:45", "invite", {"to_interview": True}),
            (28, "17:00", "interview", {"round": 1, "on": (24, "11:00")}),
            (24, "12:00", "held", {"round": 1}),
            (24, "18:30", "done", {"kind": K.THANK_YOU}),
            (18, "10:00", "invite", {"to_interview": True}),
            (18, "10:30", "interview", {"round": 2, "on": (13, "15:00")}),
            (13, "16:00", "held", {"round": 2}),
            (12, "09:00", "done", {"kind": K.THANK_YOU}),
            (2, "17:30", "offer", {"amount": 68000, "deadline_in": 6}),
        ],
        {"priority": 5},
        contact="manager",
    ),
    Story(
        "Pine Street Media",
        "Junior Developer",
        [
            (430, "09:00", "apply", {}),
            (420, "10:00", "invite", {"to_interview": True}),
            (420, "10:30", "interview", {"round": 1, "on": (414, "14:00")}),
            (414, "15:00", "held", {"round": 1}),
            (414, "19:00", "done", {"kind": K.THANK_YOU}),
            (409, "11:00", "offer", {"amount": 32000, "deadline_in": -402}),
            (407, "10:00", "accept", {}),
        ],
        {"salary_min": 30000, "salary_max": 34000},
    ),
    Story(
        "Granite Insurance",
        "Java Developer",
        [
            (30, "09:40", "apply", {}),
            (26, "14:00", "invite", {"to_interview": True}),
            (26, "14:30", "interview", {"round": 1, "on": (21, "10:00")}),
            (21, "11:00", "held", {"round": 1}),
            (21, "17:00", "done", {"kind": K.THANK_YOU}),
            (1, "17:40", "end", {"stage": Stage.DECLINED, "reason": EndReason.COMPENSATION}),
        ],
    ),
    Story(
        "Sable Studios",
        "Tech Lead",
        [
            (27, "08:50", "apply", {}),
            (20, "12:00", "invite", {"to_interview": True}),
            (20, "12:20", "interview", {"round": 1, "on": (16, "09:30")}),
            (16, "10:30", "held", {"round": 1}),
            (16, "18:00", "done", {"kind": K.THANK_YOU}),
            (6, "09:00", "end", {"stage": Stage.WITHDRAWN, "reason": EndReason.LOCATION}),
            (6, "09:20", "done", {"kind": K.TELL_EMPLOYER}),
        ],
        {"workplace_type": WorkplaceType.ONSITE, "location": "Leeds"},
    ),
    Story(
        "Vantage Retail",
        "Backend Engineer",
        [
            (44, "10:00", "apply", {}),
            (38, "15:00", "invite", {"to_interview": False}),
            (38, "15:30", "interview", {"round": 1, "on": (35, "16:00")}),
            (35, "16:30", "held", {"round": 1}),
            (35, "19:00", "done", {"kind": K.THANK_YOU}),
            (19, "11:30", "end", {"stage": Stage.REJECTED, "reason": EndReason.NOT_SELECTED}),
        ],
    ),
    Story(
        "Quill Publishing",
        "Web Developer",
        [
            (60, "13:00", "apply", {}),
            (15, "10:00", "end", {"stage": Stage.CLOSED, "reason": EndReason.NO_RESPONSE}),
        ],
    ),
]


def seed_pipeline(user, stories: list[Story] | None = None) -> list[Application]:
    """Replaces the user's applications and contacts with a demo search (by default, the one
    that reaches every stage)."""
    with timezone.override(user.zoneinfo):
        Application.objects.for_user(user).delete()
        Contact.objects.for_user(user).delete()
        contacts = _contacts(user)
        now = timezone.now()
        return [_replay(user, story, contacts, now) for story in stories or SAM]


def _contacts(user) -> dict[str, Contact]:
    return {
        "recruiter": Contact.objects.create(
            owner=user,
            name="Priya Nair",
            role=Contact.Role.RECRUITER,
            company="Lumen Books",
            email="priya.nair@lumen.example",
        ),
        "manager": Contact.objects.create(
            owner=user,
            name="Tom Becker",
            role=Contact.Role.HIRING_MANAGER,
            company="Cobalt Payments",
            email="tom.becker@cobalt.example",
            phone="+44 20 7946 0321",
        ),
    }


def _moment(now: datetime.datetime, days_ago: int, clock: str) -> datetime.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    day = timezone.localdate(now) - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


@contextlib.contextmanager
def _clock_at(moment: datetime.datetime):
    """Runs the services as if it were `moment`: every `timezone.now()` (and so every
    default date they write) answers it. Only the demo command does this."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _replay(user, story: Story, contacts: dict[str, Contact], now) -> Application:
    application = None
    interviews: dict[int, Interview] = {}
    for days_ago, clock, what, details in story.steps:
        # A step dated later today than the moment the demo runs happens just before it.
        moment = min(_moment(now, days_ago, clock), now - datetime.timedelta(minutes=1))
        with _clock_at(moment):
            if application is None:
                application = _create(user, story, contacts, moment)
                if what == "save":
                    if "closes_in" in details:
                        followups.open_apply_before(
                            application,
                            timezone.localdate() + datetime.timedelta(details["closes_in"]),
                        )
                    continue
            _step(application, what, details, interviews, now)
    return application


def _create(user, story: Story, contacts, moment) -> Application:
    fields = {
        "location": "London",
        "salary_min": 55000,
        "salary_max": 70000,
        "salary_currency": "GBP",
        **story.fields,
    }
    return services.application_create(
        application=Application(
            owner=user,
            company=story.company,
            job_title=story.job_title,
            stage_changed_at=moment,
            **fields,
        ),
        tag_names=list(story.tags),
        contacts=[contacts[story.contact]] if story.contact else [],
    )


def _step(application, what: str, details: dict, interviews: dict, now) -> None:
    if what == "apply":
        services.application_move(application=application, target=Stage.APPLIED)
    elif what == "invite":
        services.application_record_invitation(application=application, **details)
    elif what == "interview":
        days_ago, clock = details["on"]
        onsite = details.get("onsite", False)
        interviews[details["round"]] = services.interview_schedule(
            interview=Interview(
                application=application,
                round=details["round"],
                starts_at=_moment(now, days_ago, clock),
                format=Interview.Format.ONSITE if onsite else Interview.Format.VIDEO,
                location="12 Fleet Street, London"
                if onsite
                else "Video call link in the invitation",
            )
        )
    elif what == "held":
        services.interview_mark_held(interview=interviews[details["round"]])
    elif what == "done":
        for owed in application.followups.pending().filter(kind=details["kind"]):
            followups.followup_done(followup=owed)
    elif what == "offer":
        services.offer_record(
            offer=Offer(
                application=application,
                amount=Decimal(details["amount"]),
                currency="GBP",
                deadline=timezone.localdate(now) + datetime.timedelta(days=details["deadline_in"]),
            )
        )
    elif what == "accept":
        services.application_move(application=application, target=Stage.ACCEPTED)
    elif what == "end":
        services.application_move(
            application=application, target=details["stage"], reason=details["reason"]
        )
    else:
        raise ValueError(f"Unknown demo step {what!r}")
