"""Queueing a Celery task after the commit that recorded its work.

Every background job in Bridges first records what it has to do in the database (an outbox
row, an import batch, a mailbox's next poll), commits, and only then asks the broker to run
it. When the broker cannot be reached the work is still recorded, and a periodic sweep (or
the next page that looks at it) picks it up: so a missing broker must never turn into a
server error or a lost write. This module is that rule's one home.
"""

import logging
from collections.abc import Callable

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What a publish raises when the broker is away: kombu's own error, or the socket's.
BROKER_DOWN = (OperationalError, OSError)


def queue_now(task, *args, **kwargs) -> bool:
    """Sends `task` to the broker at once. False (and a warning logged) when the broker
    cannot be reached; the caller's recorded work is then left to its sweep."""
    try:
        task.delay(*args, **kwargs)
    except BROKER_DOWN as error:
        logger.warning("%s not queued (%s); its sweep will pick it up.", task.name, error)
        return False
    return True


def queue_after_commit(task, *args, **kwargs) -> None:
    """Queues `task` once the current transaction commits (at once outside one); a broker
    that is down is logged, never raised."""
    transaction.on_commit(lambda: queue_now(task, *args, **kwargs))


def after_commit(callback: Callable[[], object]) -> None:
    """Runs `callback` after the commit, swallowing a broker outage like `queue_now`."""

    def run() -> None:
        try:
            callback()
        except BROKER_DOWN as error:
            logger.warning("A task was not queued (%s); its sweep will pick it up.", error)

    transaction.on_commit(run)
