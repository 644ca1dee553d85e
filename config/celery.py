"""The Celery app: settings come from Django's, under the CELERY_ prefix.

Run a worker with `celery -A config worker` and the scheduler with `celery -A config beat`
(exactly one beat per deployment).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("bridges")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="bridges.ping", ignore_result=False)
def ping() -> str:
    """Health check: proves a worker is consuming from the broker and can store a result."""
    return "pong"
