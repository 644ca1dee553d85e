"""The "Recruiters" group: view-only permissions on what an agency may read, nothing else.

Kept in step after every migrate, so a new model a recruiter should read is one line here.
What they may *see* of those models is decided by agencies.scoping, row by row.
"""

from django.apps import apps as global_apps

RECRUITERS = "Recruiters"

# app label → model names a recruiter may view (all read-only: no add, change or delete).
RECRUITER_VIEWS = {
    "agencies": ["candidatemembership", "owedanswer"],
    "applications": ["application", "interview", "offer", "timelineevent"],
    "messaging": ["message"],
}


def sync_recruiters_group(sender=None, apps=global_apps, using="default", verbosity=0, **kwargs):
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are made per app after its migrations; make sure all of ours exist first.
    for label in RECRUITER_VIEWS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=RECRUITERS)
    wanted = Permission.objects.using(using).filter(
        content_type__app_label__in=list(RECRUITER_VIEWS),
        codename__in=[f"view_{model}" for models in RECRUITER_VIEWS.values() for model in models],
    )
    wanted = [
        p
        for p in wanted.select_related("content_type")
        if p.codename.removeprefix("view_") in RECRUITER_VIEWS[p.content_type.app_label]
    ]
    group.permissions.set(wanted)
