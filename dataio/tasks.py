"""Celery tasks: thin, taking ids and calling dataio.services."""

from celery import shared_task

from dataio import services


@shared_task(name="dataio.run_import")
def run_import(batch_id: int) -> str:
    """A large CSV import, in the background so the page can show its progress."""
    return services.import_run(batch_id=batch_id).state
