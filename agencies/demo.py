"""The demo agency: three offices, a recruiter, candidates who share and one who does not."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from agencies import services
from agencies.models import Agency, CandidateMembership, Office, RecruiterMembership
from agencies.permissions import RECRUITERS
from applications.demo import Story, seed_pipeline
from applications.models import EndReason, FollowUp, Source, WorkplaceType
from applications.stages import Stage

AGENCY = "Meridian Talent"
OFFICES = ["London", "Manchester", "Edinburgh"]
RECRUITER_EMAIL = "recruiter@bridges.example"
K = FollowUp.Kind
MANCHESTER = {"location": "Manchester", "salary_min": 38000, "salary_max": 46000}
EDINBURGH = {"location": "Edinburgh", "salary_min": 45000, "salary_max": 55000}

# Each candidate's own search, at its own pace: Jordan owes a thank-you since last week, Amira
# an answer to an invitation and soon to an offer; Chris, who does not share, owes nothing.
JORDAN = [
    Story("Calder Water", "Data Analyst", [(1, "20:15", "save", {})], MANCHESTER),
    Story("Mosaic Foods", "BI Analyst", [(6, "09:30", "apply", {})], MANCHESTER),
    Story(
        "Brightline Rail",
        "Data Analyst",
        [
            (10, "11:00", "apply", {}),
            (3, "10:20", "invite", {"to_interview": False}),
            (3, "12:00", "interview", {"round": 1, "on": (-1, "11:30")}),
        ],
        {**MANCHESTER, "source": Source.JOB_BOARD},
    ),
    Story(
        "Redwood Credit Union",
        "Analytics Engineer",
        [
            (20, "08:45", "apply", {}),
            (14, "15:10", "invite", {"to_interview": True}),
            (14, "15:40", "interview", {"round": 1, "on": (9, "10:00")}),
            (9, "11:00", "held", {"round": 1}),
        ],
        {**MANCHESTER, "source": Source.AGENCY},
    ),
    Story(
        "Ferris Logistics",
        "Reporting Analyst",
        [
            (25, "14:00", "apply", {}),
            (5, "09:10", "end", {"stage": Stage.REJECTED, "reason": EndReason.NOT_SELECTED}),
        ],
        MANCHESTER,
    ),
]
AMIRA = [
    Story("Loch Studio", "UI Designer", [(4, "10:05", "apply", {})], EDINBURGH),
    Story(
        "Northern Lights Bank",
        "UX Designer",
        [(9, "13:00", "apply", {}), (2, "10:00", "invite", {"to_interview": True})],
        {**EDINBURGH, "source": Source.AGENCY},
    ),
    Story(
        "Thistle Games",
        "Product Designer",
        [
            (15, "09:00", "apply", {}),
            (8, "11:45", "invite", {"to_interview": True}),
            (8, "12:10", "interview", {"round": 1, "on": (5, "14:00")}),
            (5, "15:00", "held", {"round": 1}),
            (5, "18:20", "done", {"kind": K.THANK_YOU}),
            (1, "16:30", "offer", {"amount": 52000, "deadline_in": 4}),
        ],
        {**EDINBURGH, "workplace_type": WorkplaceType.HYBRID},
    ),
    Story(
        "Granite Insurance",
        "Service Designer",
        [
            (18, "10:30", "apply", {}),
            (3, "09:00", "end", {"stage": Stage.WITHDRAWN, "reason": EndReason.OTHER_OFFER}),
            (3, "09:30", "done", {"kind": K.TELL_EMPLOYER}),
        ],
        EDINBURGH,
    ),
]
CHRIS = [
    Story("Kite Travel", "SDET", [(3, "18:00", "save", {})]),
    Story("Aster Robotics", "QA Engineer", [(7, "09:00", "apply", {})]),
    Story(
        "Meadow Health",
        "Test Engineer",
        [
            (18, "10:00", "apply", {}),
            (12, "14:00", "invite", {"to_interview": True}),
            (12, "14:30", "interview", {"round": 1, "on": (8, "10:00")}),
            (8, "11:00", "held", {"round": 1}),
            (8, "17:00", "done", {"kind": K.THANK_YOU}),
        ],
    ),
]
# (email, name, office, shares?, their search)
CANDIDATES = [
    ("jordan@bridges.example", "Jordan Lee", "Manchester", True, JORDAN),
    ("amira@bridges.example", "Amira Haddad", "Edinburgh", True, AMIRA),
    ("chris@bridges.example", "Chris Doyle", "London", False, CHRIS),
]


def _login(email: str, password: str, **fields) -> User:
    user, _ = User.objects.update_or_create(email=email, defaults=fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_agency(demo_candidate: User, password: str) -> User:
    """Creates (or resets) the agency; the demo candidate shares from the London office.
    Returns the recruiter."""
    agency, _ = Agency.objects.get_or_create(name=AGENCY)
    offices = {city: Office.objects.get_or_create(agency=agency, city=city)[0] for city in OFFICES}
    recruiter = _login(
        RECRUITER_EMAIL, password, display_name="Morgan Ellis", time_zone="Europe/London"
    )
    recruiter.is_staff = True
    recruiter.save(update_fields=["is_staff"])
    recruiter.groups.add(Group.objects.get(name=RECRUITERS))
    RecruiterMembership.objects.update_or_create(
        user=recruiter, defaults={"agency": agency, "office": offices["London"]}
    )
    people = [(demo_candidate, "London", True)]
    for email, name, city, shares, search in CANDIDATES:
        candidate = _login(email, password, display_name=name, time_zone="Europe/London")
        seed_pipeline(candidate, search)
        people.append((candidate, city, shares))
    for candidate, city, shares in people:
        CandidateMembership.objects.filter(candidate=candidate, agency=agency).delete()
        membership = CandidateMembership.objects.create(
            candidate=candidate, agency=agency, office=offices[city]
        )
        if shares:
            services.set_sharing(membership=membership, share=True)
    return recruiter
