"""Races, reproduced: callables started at the same moment in threads of their own."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(works: list[Callable[[], object]], timeout: float = 60) -> list:
    """Runs every callable in its own thread, all released together by a barrier; returns
    their results in order. Each thread has its own database connection, closed when done
    (so a test on PostgreSQL sees real concurrent transactions)."""
    barrier, results = threading.Barrier(len(works)), [None] * len(works)

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[n] = works[n]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def in_threads(count: int, work: Callable[[], object]) -> list:
    """`work()` run `count` times at once."""
    return at_once([work] * count)
