"""Two agencies, and candidates who share, do not share, or share with the other agency.

Each candidate's data carries their own marker word, so a test can prove a page never shows
a word it must not.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from agencies import services
from agencies.models import Agency, CandidateMembership, Office, RecruiterMembership
from agencies.permissions import RECRUITERS
from applications import services as pipeline
from applications.models import FollowUp, Interview
from config.celery import app as celery_app
from messaging.models import Message
from tests.conftest import make_user


def make_recruiter(email: str, agency: Agency, office: Office | None = None):
    user = make_user(email, display_name=email.split("@")[0].title(), is_staff=True)
    user.groups.add(Group.objects.get(name=RECRUITERS))
    RecruiterMembership.objects.create(user=user, agency=agency, office=office)
    return user


def make_candidate(email, name, marker, make_application):
    """A candidate with an overdue answer, an interview and a logged message, all marked."""
    user = make_user(email, display_name=name)
    application = make_application(user, company=f"{marker}Corp", job_title=f"{marker} Engineer")
    pipeline.application_record_invitation(application=application, to_interview=True)
    pipeline.interview_schedule(
        interview=Interview(
            application=application,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            location=f"{marker} meeting room",
            notes=f"{marker} private interview notes",
        )
    )
    Message.objects.create(
        application=application,
        kind="follow_up",
        channel="mail_app",
        subject=f"{marker}Subject",
        body=f"{marker} body",
    )
    FollowUp.objects.filter(application=application).update(
        due_at=timezone.now() - datetime.timedelta(days=2)
    )
    return user


def join(candidate, agency, office=None, share=True) -> CandidateMembership:
    membership = CandidateMembership.objects.create(
        candidate=candidate, agency=agency, office=office
    )
    if share:
        membership = services.set_sharing(membership=membership, share=True)
    return membership


@pytest.fixture
def world(db, make_application):
    """Agency A (London, Leeds) and agency B (Paris), their recruiters and candidates.

    alice shares with A from London; carol joined A but does not share; dave shares with B.
    """
    a = Agency.objects.create(name="Alpha Staffing")
    london = Office.objects.create(agency=a, city="London")
    leeds = Office.objects.create(agency=a, city="Leeds")
    b = Agency.objects.create(name="Beta Recruiting")
    paris = Office.objects.create(agency=b, city="Paris")
    alice = make_candidate("alice@example.com", "Alice Martin", "Alicemark", make_application)
    carol = make_candidate("carol@example.com", "Carol Hidden", "Carolmark", make_application)
    dave = make_candidate("dave@example.com", "Dave Elsewhere", "Davemark", make_application)
    world = {
        "a": a,
        "b": b,
        "london": london,
        "leeds": leeds,
        "paris": paris,
        "alice": alice,
        "carol": carol,
        "dave": dave,
        "alice_at_a": join(alice, a, london),
        "carol_at_a": join(carol, a, leeds, share=False),
        "dave_at_b": join(dave, b, paris),
        "recruiter": make_recruiter("rita@alpha.example", a, london),
        "other_recruiter": make_recruiter("boris@beta.example", b, paris),
    }
    return world


HIDDEN = ("Carolmark", "CarolmarkCorp", "Carol Hidden", "carol@example.com", "Davemark")
HIDDEN += ("DavemarkCorp", "Dave Elsewhere")
HIDDEN += ("dave@example.com", "Beta Recruiting", "Paris")
PRIVATE = ("private interview notes", "meeting room")


@pytest.fixture
def eager_tasks():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
