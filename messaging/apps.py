from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Words and delivery: the message catalogue, courtesy check, reminders."""

    name = "messaging"
