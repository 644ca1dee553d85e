"""Celery tasks: thin, taking ids and calling dataio.services."""

from celery import shared_task

from dataio import services


@shared_task(name="dataio.run_import")
def run_import(batch_id: int) -> str:
    """A large CSV import, in the background so the page can show its progress. Safe to run
    twice, and after its batch was discarded (it then does nothing)."""
    batch = services.import_run(batch_id=batch_id)
    return batch.state if batch else "discarded"


@shared_task(name="dataio.sweep_imports")
def sweep_imports() -> int:
    """Run by beat every minute: queues again the imports that lost their task (queued while
    the broker was down, or running when their worker died)."""
    return len(services.import_revive())
