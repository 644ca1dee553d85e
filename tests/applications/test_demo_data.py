from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from applications.management.commands.demo_data import DEMO_EMAIL, DEMO_PASSWORD
from applications.models import Application
from applications.stages import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def test_it_prints_a_demo_login_that_works(client):
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert f"{DEMO_EMAIL} / {DEMO_PASSWORD}" in out.getvalue()
    response = client.post("/accounts/login/", {"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.url == "/"


def test_the_demo_pipeline_covers_every_stage_with_its_history():
    call_command("demo_data", stdout=StringIO())
    applications = Application.objects.filter(owner__email=DEMO_EMAIL)
    assert set(applications.values_list("stage", flat=True)) == set(Stage.values)
    for application in applications:
        moves = application.events.filter(to_stage=application.stage)
        assert moves.exists(), f"{application} reached {application.stage} with no event"


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
    sharing = {email for email, _, _, shares in CANDIDATES if shares}
    not_sharing = {email for email, _, _, shares in CANDIDATES if not shares}
    assert shown == {DEMO_EMAIL, *sharing}
    assert not_sharing and not (shown & not_sharing)
