"""Every save and delete of what the candidate's pages show forgets their cached drawing.

Bulk writes (`update`, `bulk_create`) send no signals; `OwnedQuerySet` reports those itself.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from applications import pagecache
from applications.models import (
    Application,
    Interview,
    TimelineEvent,
    owner_pk,
)

# The models the pages draw (pagecache.SHOWN).
SHOWN = tuple(apps.get_model(label) for label in sorted(pagecache.SHOWN))
# Timeline events are append-only: they go only with their application or their owner, whose
# own deletion is what forgets the pages. Not listening keeps those cascades fast deletes.
DELETED_ONLY_WITH_THEIR_APPLICATION = (TimelineEvent,)


def connect() -> None:
    # A proxy's saves and deletes are sent under the proxy (the admin's owed answers are
    # follow-ups): each model is heard under every name it has.
    proxies = [m for m in apps.get_models() if m._meta.proxy and m._meta.concrete_model in SHOWN]
    for model in (*SHOWN, *proxies):
        post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
        if model._meta.concrete_model not in DELETED_ONLY_WITH_THEIR_APPLICATION:
            post_delete.connect(
                _deleted, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}"
            )
        if model._meta.concrete_model._default_manager._queryset_class.owner_path == "owner":
            post_init.connect(
                _loaded, sender=model, dispatch_uid=f"pagecache-init-{model._meta.label}"
            )
    for relation in (Application.tags, Application.contacts, Interview.interviewers):
        m2m_changed.connect(_linked, sender=relation.through, dispatch_uid=f"pagecache-{relation}")
    # The navigation shows the user's name (and the admin link to staff).
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="pagecache-user-save")
    post_delete.connect(_user_deleted, sender=get_user_model(), dispatch_uid="pagecache-user")


def _saved(sender, instance, update_fields=None, **kwargs):
    if pagecache.shows(sender, update_fields):
        # A row handed to another user (nothing does it; the admin forbids it) leaves both.
        pagecache.changed(owner_pk(instance), getattr(instance, "_owner_at_load", None))
    if "owner_id" in instance.__dict__:
        instance._owner_at_load = instance.owner_id


def _loaded(sender, instance, **kwargs):
    instance._owner_at_load = instance.__dict__.get("owner_id")


def _deleted(sender, instance, origin=None, **kwargs):
    # Deleted along with something else (its application, its owner): that one's own
    # deletion forgets the pages, without a query per row here to find the owner.
    if isinstance(origin, QuerySet):
        origin = origin.model
    elif origin is not None:
        origin = type(origin)
    if origin is None or origin._meta.concrete_model is sender._meta.concrete_model:
        pagecache.changed(owner_pk(instance))


def _linked(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        pagecache.changed(owner_pk(instance))


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login: nothing the pages show
    pagecache.changed(instance.pk)


def _user_deleted(sender, instance, **kwargs):
    pagecache.changed(instance.pk)
