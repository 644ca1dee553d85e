import pytest

from applications.models import Contact


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def manager(alice, application) -> Contact:
    contact = Contact.objects.create(
        owner=alice, name="Priya Nair", role=Contact.Role.HIRING_MANAGER, email="priya@acme.example"
    )
    application.contacts.add(contact)
    return contact
