from io import StringIO

import pytest
from django.core.management import call_command

from applications.management.commands.demo_data import DEMO_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_it_prints_a_demo_login_that_works(client):
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert f"{DEMO_EMAIL} / {DEMO_PASSWORD}" in out.getvalue()
    response = client.post("/accounts/login/", {"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_it_can_run_again_and_resets_the_password(client, django_user_model):
    call_command("demo_data", stdout=StringIO())
    demo = django_user_model.objects.get(email=DEMO_EMAIL)
    demo.set_password("changed-by-someone")
    demo.save()
    call_command("demo_data", stdout=StringIO())
    assert django_user_model.objects.filter(email=DEMO_EMAIL).count() == 1
    assert django_user_model.objects.get(email=DEMO_EMAIL).check_password(DEMO_PASSWORD)
