from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """The pipeline: applications, their stages and moves, follow-ups."""

    name = "applications"

    def ready(self):
        from accounts.signals import reminders_resumed
        from applications import followups
        from applications.postings import checks  # noqa: F401 (registers the system check)

        reminders_resumed.connect(followups.rearm_on_resume, dispatch_uid="applications-rearm")
