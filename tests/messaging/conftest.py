import pytest

from applications.models import Contact
from config.celery import app as celery_app


@pytest.fixture
def eager_delivery():
    """Celery runs a queued task at once, in the test's process: a message sent from Bridges
    is delivered before the request that sent it answers, as a worker would do just after."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def logged_in(logged_in, eager_delivery, django_capture_on_commit_callbacks):
    """Alice's browser (tests/conftest.py), whose requests commit: each request's on-commit
    work runs when it answers, as it does when a real request's transaction commits (the
    test's own transaction never does)."""
    client = logged_in
    request = client.request

    def committing(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(**kwargs)

    client.request = committing
    return client


@pytest.fixture
def manager(alice, application) -> Contact:
    contact = Contact.objects.create(
        owner=alice, name="Priya Nair", role=Contact.Role.HIRING_MANAGER, email="priya@acme.example"
    )
    application.contacts.add(contact)
    return contact
