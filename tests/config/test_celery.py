import os
import subprocess
import uuid
from pathlib import Path

import pytest

from config.celery import ping
from tests import clock as suite_clock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(redis_url):
    """A real `celery worker` process, on a queue of its own so no other worker steals the task."""
    queue = f"test-{uuid.uuid4().hex}"
    process = subprocess.Popen(
        suite_clock.command(
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ),
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": redis_url},
    )
    yield queue
    process.terminate()
    process.wait(timeout=30)


def test_a_task_round_trips_through_redis_and_a_real_worker(worker):
    result = ping.apply_async(queue=worker)
    assert result.get(timeout=30) == "pong"
