"""Deleting an account: the password again, POST only, and nothing of the user remains."""

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.db import router

from accounts.models import User
from applications.models import Application
from dataio.models import CalendarFeed, ImportBatch
from messaging.models import Message, UserTemplate


def rows_pointing_at(user_pk: int) -> list[str]:
    """Every row of every installed model with a foreign key (or one-to-one) to the user."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            points_at_user = (
                (field.many_to_one or field.one_to_one)
                and field.concrete
                and field.related_model is User
            )
            if (
                points_at_user
                and model._default_manager.filter(**{field.attname: user_pk}).exists()
            ):
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_it_deletes_the_user_and_everything_they_own(
    client, alice, bob, password, application, interview, offer, contact, make_application
):
    Message.objects.create(application=application, kind="follow_up", channel="copied", body="x")
    UserTemplate.objects.create(owner=alice, kind="withdraw", name="T", subject="S", body="x")
    ImportBatch.objects.create(owner=alice, filename="a.csv", text="x")
    CalendarFeed.objects.create(owner=alice)
    bobs = make_application(bob, company="Bob Corp")
    collector = NestedObjects(using=router.db_for_write(User))
    collector.collect([alice])
    owned = [obj for objs in collector.data.values() for obj in objs]
    owned += [obj for queryset in collector.fast_deletes for obj in queryset]
    assert len(owned) > 10
    assert rows_pointing_at(alice.pk), "the walk finds Alice's rows before the deletion"

    client.force_login(alice)
    response = client.post("/accounts/delete/", {"password": password})

    assert response.url == "/"
    assert not User.objects.filter(pk=alice.pk).exists()
    assert rows_pointing_at(alice.pk) == []
    survivors = [obj for obj in owned if type(obj)._default_manager.filter(pk=obj.pk).exists()]
    assert survivors == []
    assert not client.get("/accounts/profile/").wsgi_request.user.is_authenticated
    assert Application.objects.filter(pk=bobs.pk).exists(), "other users keep their data"
    assert User.objects.filter(pk=bob.pk).exists()


def test_a_wrong_password_deletes_nothing(client, alice, application):
    client.force_login(alice)
    response = client.post("/accounts/delete/", {"password": "not-my-password"})
    assert response.status_code == 200
    assert "That is not your password; nothing was deleted." in response.content.decode()
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_get_only_asks(client, alice):
    client.force_login(alice)
    response = client.get("/accounts/delete/")
    assert "Delete my account and all my data" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
