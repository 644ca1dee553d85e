import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from agencies.management.commands.demo_data import DEMO_EMAIL, DEMO_PASSWORD
from applications.models import Application, FollowUp, TimelineEvent
from applications.stages import Stage
from tests import clock as suite_clock
from tests.conftest import FAST_HASHERS

Kind = TimelineEvent.Kind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once at the suite's moment for the tests that only read it (the
    TestTheSeededDemo class), and rolled back after them. Its output is what it printed."""
    out = StringIO()
    with (
        django_db_blocker.unblock(),
        time_machine.travel(suite_clock.anchor(), tick=False),
        # What tests/conftest.py's _fast_and_isolated sets for every test, which this precedes.
        override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        call_command("demo_data", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_it_can_run_again_and_resets_the_password(django_user_model):
    call_command("demo_data", stdout=StringIO())
    demo = django_user_model.objects.get(email=DEMO_EMAIL)
    demo.set_password("changed-by-someone")
    demo.save()
    call_command("demo_data", stdout=StringIO())
    assert django_user_model.objects.filter(email=DEMO_EMAIL).count() == 1
    assert django_user_model.objects.get(email=DEMO_EMAIL).check_password(DEMO_PASSWORD)
    assert Application.objects.filter(owner__email=DEMO_EMAIL).count() == 13


def test_it_refuses_to_publish_a_login_on_a_production_site(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to create a demo login"):
        call_command("demo_data", stdout=StringIO())
    call_command("demo_data", "--force", stdout=StringIO())


def test_the_demo_agency_has_three_offices_and_a_recruiter_who_sees_only_sharers(client):
    from agencies.demo import CANDIDATES, RECRUITER_EMAIL
    from agencies.models import Agency

    out = StringIO()
    call_command("demo_data", stdout=out)
    call_command("demo_data", stdout=StringIO())  # and again: a reset, not a second agency
    assert f"{RECRUITER_EMAIL} / {DEMO_PASSWORD}" in out.getvalue()
    agency = Agency.objects.get()
    assert agency.offices.count() == 3
    response = client.post(
        "/accounts/login/", {"login": RECRUITER_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    candidates = client.get("/backoffice/agencies/candidatemembership/")
    shown = {m.candidate.email for m in candidates.context["cl"].result_list}
    sharing = {c[0] for c in CANDIDATES if c[3]}
    not_sharing = {c[0] for c in CANDIDATES if not c[3]}
    assert shown == {DEMO_EMAIL, *sharing}
    assert not_sharing and not (shown & not_sharing)


class TestTheSeededDemo:
    """What the demo holds once seeded: these tests read it and change nothing that matters."""

    def test_it_prints_a_demo_login_that_works(self, client, demo):
        assert f"{DEMO_EMAIL} / {DEMO_PASSWORD}" in demo
        response = client.post("/accounts/login/", {"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
        assert response.url == "/"

    def test_the_demo_pipeline_covers_every_stage_with_its_history(self, demo):
        applications = Application.objects.filter(owner__email=DEMO_EMAIL)
        assert set(applications.values_list("stage", flat=True)) == set(Stage.values)
        for application in applications:
            moves = application.events.filter(to_stage=application.stage)
            assert moves.exists(), f"{application} reached {application.stage} with no event"

    def test_the_demo_dates_agree_with_each_other(self, demo):
        for application in Application.objects.all():
            events = list(application.events.order_by("at", "id"))
            assert events[0].at >= application.created_at - datetime.timedelta(seconds=1)
            assert all(event.at <= timezone.now() for event in events), "nothing in the future"
            moves = [e for e in events if e.to_stage == application.stage]
            last_move = moves[-1].at if moves else application.created_at
            assert abs(application.stage_changed_at - last_move) < datetime.timedelta(seconds=1), (
                f"{application}: in its stage since {application.stage_changed_at}, moved {last_move}"
            )
            causes = {Kind.INVITATION_RECEIVED, Kind.INTERVIEW_SCHEDULED}
            caused = [e.at for e in events if e.kind in causes]
            for move in events:
                if move.kind == Kind.STAGE_MOVED and move.to_stage in (
                    Stage.SCREENING,
                    Stage.INTERVIEWING,
                ):
                    assert move.at in caused, "moved on by an invitation, at the same moment"

    def test_each_demo_candidate_has_a_search_of_their_own(self, demo):
        searches = [
            frozenset(Application.objects.filter(owner=user).values_list("company", "job_title"))
            for user in User.objects.filter(applications__isnull=False).distinct()
        ]
        assert len(searches) == 4
        assert len(set(searches)) == 4, "no two candidates have the same pipeline"

    def test_the_demo_candidate_owes_a_believable_mix_today(self, demo):
        demo = User.objects.get(email=DEMO_EMAIL)
        now = timezone.now()
        pending = FollowUp.objects.for_user(demo).pending()
        overdue = [f for f in pending if f.effective_due <= now]
        upcoming = [f for f in pending if f.effective_due > now]
        assert 2 <= len(overdue) <= 6, [str(f) for f in overdue]
        assert upcoming, "something is coming up, too"
        assert all(now - f.effective_due < datetime.timedelta(days=10) for f in overdue), (
            "nothing has been left waiting for weeks"
        )
