from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """The pipeline: applications, their stages and moves, follow-ups."""

    name = "applications"
