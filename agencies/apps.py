from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    """Staffing agencies: offices, recruiters, candidates who share their pipeline, and the
    recruiter's admin, scoped to their own agency."""

    name = "agencies"

    def ready(self):
        from django.db.models.signals import post_migrate

        from agencies.permissions import sync_recruiters_group

        post_migrate.connect(sync_recruiters_group, sender=self)
