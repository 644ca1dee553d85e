"""What accounts tells the apps above it, which it may not import (see the import contract in
pyproject.toml)."""

from django.dispatch import Signal

# Sent with `user` once a user who had turned reminder emails off turns them back on (inside
# the transaction that saves it): the pipeline re-arms what they still owe.
reminders_resumed = Signal()
