from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """The pipeline: applications, their stages and moves, follow-ups."""

    name = "applications"

    def ready(self):
        from applications.postings import checks  # noqa: F401 (registers the system check)
