import datetime

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application, Contact, Interview, Offer
from applications.stages import Stage


@pytest.fixture
def make_application(db):
    """Creates an application through the services, so it has its timeline like a real one."""

    def make(owner, company="Acme", job_title="Backend Engineer", stage=Stage.APPLIED, **fields):
        return services.application_create(
            application=Application(
                owner=owner, company=company, job_title=job_title, stage=stage, **fields
            )
        )

    return make


@pytest.fixture
def application(alice, make_application) -> Application:
    return make_application(alice)


@pytest.fixture
def contact(alice) -> Contact:
    return Contact.objects.create(owner=alice, name="Priya Nair", email="priya@acme.example")


@pytest.fixture
def interview(application) -> Interview:
    return services.interview_schedule(
        interview=Interview(
            application=application, starts_at=timezone.now() + datetime.timedelta(days=2)
        )
    )


@pytest.fixture
def offer(application) -> Offer:
    return services.offer_record(
        offer=Offer(application=application, amount=60000, deadline=datetime.date(2030, 1, 31))
    )
