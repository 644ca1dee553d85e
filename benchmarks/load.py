"""Requests per second and latency of the pages a candidate uses most, served by gunicorn.

Run from the repository root (it needs PostgreSQL and Redis):

    DJANGO_DEBUG=1 python -m benchmarks.load [--seconds 5] [--max-requests 2000] [--rounds 3]

It seeds the pipeline benchmark's user (2,000 applications, 200 of them active, 20,000 events)
in its own database (DATABASE_URL, by default .../bridges_bench), collects static files, and
starts gunicorn on 127.0.0.1 with production settings (debug off, cache on Redis) plus one
minimal page that only the benchmark serves. A load generator in this process (8 threads, one
keep-alive connection each, logged in as that user) then asks for each page in turn, with the
minimal page before, between and after them, in three rounds, each run bounded by time and by
count, and reports requests per second and p50/p95 latency, and each page's ratio to the minimal
page as measured around it (the median of the rounds), between writes and right after them:
reported, not held to a goal (the pages' goals are their in-process times, benchmarks/pipeline.py).
Results go to
benchmarks/RESULTS.md with the reminder sweep and delivery figures (RESULTS-reminders.md).
"""

import argparse
import datetime
import http.client
import math
import os
import platform
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import pipeline

ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
REMINDERS_RESULTS = Path(__file__).resolve().parent / "RESULTS-reminders.md"
CLIENTS = 8
WARMUP_SECONDS = 2.0
# gunicorn on a 2-core machine shared with PostgreSQL, Redis and this load generator: two
# worker processes (one per core: page rendering is CPU-bound Python, so more processes only
# contend), each with two threads so one request's database round trips overlap another's
# rendering, and keep-alive connections (gthread keeps them; sync workers do not).
WORKERS, THREADS = 2, 2
CACHE_DB = 14  # a Redis database of the benchmark's own
MINIMAL_PATH = "/bench/minimal/"


@dataclass
class Result:
    label: str
    path: str
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(port: int) -> dict:
    from django.conf import settings

    redis = settings.REDIS_URL.rsplit("/", 1)[0]
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_URL": f"{redis}/{CACHE_DB}",
        # Plain HTTP on loopback: no redirect to HTTPS, cookies sent over it.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(port: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    args = [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS)]
    args += ["--keep-alive", "30", "--log-level", "warning", "--backlog", "64"]
    process = subprocess.Popen(args, cwd=ROOT, env=server_env(port))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise pipeline.BenchError("gunicorn did not answer /healthz/ within 30 s")


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def hammer(
    port, cookie, result: Result, seconds: float, max_requests: int, record: bool, write=None
):
    """CLIENTS threads asking for the page until the time or the count runs out; with
    `write` (a path), each request comes right after a POST there, untimed."""
    lock = threading.Lock()
    counter = {"sent": 0}
    deadline = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        while time.monotonic() < deadline:
            with lock:
                if counter["sent"] >= max_requests:
                    return
                counter["sent"] += 1
            try:
                if write:
                    connection.request("POST", write, headers=headers)
                    connection.getresponse().read()
                started = time.perf_counter()
                connection.request("GET", result.path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    result.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if response.status != 200:
                    result.errors.append(f"HTTP {response.status}")
                elif record:
                    result.latencies_ms.append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if record:
        result.seconds = time.perf_counter() - started


def pooled(runs: list[Result]) -> Result:
    together = Result(runs[0].label, runs[0].path)
    for run in runs:
        together.latencies_ms += run.latencies_ms
        together.seconds += run.seconds
        together.errors += run.errors
    return together


def ratio(page: Result, before: Result, after: Result) -> float:
    """A page's requests per second against the minimal page's runs just before and after."""
    baseline = (before.rps + after.rps) / 2
    return page.rps / baseline if baseline else 0.0


def table(rounds) -> list[str]:
    """One row a page: its req/s, latencies and ratio to the minimal page around it."""
    lines = [
        "| Page | Path | Requests | Req/s | p50 (ms) | p95 (ms) | Minimal req/s around it "
        "| Ratio per round | Ratio (median) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for i, first in enumerate(rounds[0][0]):
        runs = [(pages[i], minimals[i], minimals[i + 1]) for pages, minimals in rounds]
        page = pooled([run[0] for run in runs])
        if not page.latencies_ms:
            lines.append(f"| {first.label} | `{first.path}` | error | | | | | | |")
            continue
        ratios = [ratio(*run) for run in runs]
        baseline = statistics.mean((before.rps + after.rps) / 2 for _, before, after in runs)
        median = statistics.median(ratios)
        lines.append(
            f"| {page.label} | `{page.path}` | {len(page.latencies_ms):,} "
            f"| {page.rps:.0f} | {page.percentile(0.5):.1f} | {page.percentile(0.95):.1f} "
            f"| {baseline:.0f} | {', '.join(f'{r:.2f}' for r in ratios)} | {median:.2f} |"
        )
    minimal = pooled([run for _, minimals in rounds for run in minimals])
    if minimal.latencies_ms:
        lines.append(
            f"| Minimal page, all {len(rounds) * len(rounds[0][1])} runs | `{minimal.path}` "
            f"| {len(minimal.latencies_ms):,} | {minimal.rps:.0f} "
            f"| {minimal.percentile(0.5):.1f} | {minimal.percentile(0.95):.1f} | | | 1.00 |"
        )
    return lines


def results_markdown(rounds, written, seeded, args, load_before, load_after, db_version) -> str:
    """Each round is (pages, minimals), `minimals[i]` run just before `pages[i]` and
    `minimals[i + 1]` just after: each page is compared with the minimal page as the machine
    was around it, and the median of the rounds' ratios is what counts."""
    import django

    c = seeded.counts
    now = datetime.datetime.now(datetime.UTC)
    lines = [
        "# Benchmarks",
        "",
        "## Pages under load",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC; load average {load_before:.1f} at the start, "
        f"{load_after:.1f} at the end (the machine is shared)",
        f"- Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, Django {django.get_version()}, {db_version}, Redis cache",
        f"- Server: gunicorn, {WORKERS} workers of {THREADS} threads (gthread, keep-alive), "
        "production settings (DEBUG off), on 127.0.0.1",
        f"- Load: {CLIENTS} concurrent clients (threads with keep-alive `http.client` "
        f"connections, in one process on the same machine), logged in as one user; each path "
        f"{WARMUP_SECONDS:.0f} s of warm-up, then each run {args.seconds:g} s or "
        f"{args.max_requests:,} requests, whichever comes first",
        f"- Data: {c['applications']:,} applications ({c['active']} active, {c['ended']:,} "
        f"ended), {c['events']:,} timeline events; the detail page's application has "
        f"{c['star events']} events",
        f"- {len(rounds)} rounds of: minimal page, board, minimal page, list, minimal page, "
        "detail, minimal page, follow-ups, minimal page. In each round a page is compared with "
        "the mean of the two minimal runs around it, so a busy moment of the shared machine "
        "weighs on both sides of its ratio; the median of the rounds' ratios is what counts. "
        "Requests, req/s and latencies are over all rounds",
        "- Ratios reported, not held to a goal: the minimal page draws nothing, and the pages' "
        "goals are their in-process times against it (RESULTS-pipeline.md). The earlier goal "
        "here, half the minimal page's requests per second between writes, was met only while "
        "whole pages were cached, which could serve them stale",
        "",
        "",
        "### Between writes",
        "",
        *table(rounds),
        "",
        "### Each request right after a write",
        "",
        "Every client POSTs a write every page shows (an application's priority edited through "
        "the services, at the benchmark's own `/bench/write/<id>/`, untimed) before each "
        "request, the minimal page's included; req/s counts the pages only.",
        "",
        *table(written),
    ]
    lines += [
        "",
        "The minimal page (`/bench/minimal/`, served only by the benchmark's URLconf) goes "
        "through every middleware a logged-in page does: it measures what any page costs "
        "before its own work.",
        "",
    ]
    if REMINDERS_RESULTS.exists():
        reminders = REMINDERS_RESULTS.read_text(encoding="utf-8").split("\n", 1)[1]
        lines += [
            "## Reminder sweep and delivery",
            "",
            "From `benchmarks/reminders.py` (`RESULTS-reminders.md`, run by `make bench` "
            "before this one):",
            reminders,
        ]
    return "\n".join(lines).rstrip() + "\n"


def measure_round(port, cookie, page_specs, args, write=None) -> tuple[list[Result], list[Result]]:
    """minimal, board, minimal, list, minimal, detail, minimal, follow-ups, minimal (each
    request after a write, if `write` is given: the minimal page's too)."""
    pages = [Result(label, path) for label, path in page_specs]
    minimals = [Result("Minimal page", MINIMAL_PATH) for _ in range(len(pages) + 1)]
    order = [step for pair in zip(minimals, pages, strict=False) for step in pair]
    for run in [*order, minimals[-1]]:
        print(f"Loading {run.path}{' after writes' if write else ''}…", flush=True)
        hammer(port, cookie, run, args.seconds, args.max_requests, record=True, write=write)
    return pages, minimals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per run")
    parser.add_argument("--max-requests", type=int, default=2000, help="cap per run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every page")
    args = parser.parse_args(argv)

    # One signing key for this process and the server, so the session made here logs in there.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    try:
        pipeline.configure()
        db = pipeline.ensure_database()
        print(f"Migrating {db['NAME']}…", flush=True)
        pipeline.migrate()
        print("Seeding…", flush=True)
        seeded = pipeline.seed(random.Random(pipeline.SEED))  # noqa: S311 (reproducible data)
    except pipeline.BenchError as exc:
        print(f"load benchmark: {exc}", file=sys.stderr)
        return 2

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        db_version = f"PostgreSQL {cursor.fetchone()[0]}"
    connection.close()  # gunicorn's workers open their own

    page_specs = [
        ("Board (200 active)", "/applications/board/"),
        ("List, first page", "/applications/"),
        (f"Detail ({seeded.counts['star events']} events)", f"/applications/{seeded.star_pk}/"),
        ("Follow-ups", "/followups/"),
    ]
    cookie = session_cookie(seeded.user)
    port = free_port()
    # The production storage serves hashed names from its manifest: collected as it would be.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=server_env(port),
        check=True,
    )
    load_before = os.getloadavg()[0]
    server = start_gunicorn(port)
    try:
        for label, path in [("Minimal page", MINIMAL_PATH), *page_specs]:
            print(f"Warming up {path}…", flush=True)
            hammer(port, cookie, Result(label, path), WARMUP_SECONDS, args.max_requests, False)
        rounds, written = [], []
        write = f"/bench/write/{seeded.star_pk}/"
        for number in range(1, args.rounds + 1):
            print(f"Round {number} of {args.rounds}", flush=True)
            rounds.append(measure_round(port, cookie, page_specs, args))
            written.append(measure_round(port, cookie, page_specs, args, write=write))
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()[0]

    report = results_markdown(rounds, written, seeded, args, load_before, load_after, db_version)
    print()
    print(report)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print(f"Written to {RESULTS_PATH}.")
    runs = [run for pages, minimals in rounds + written for run in (*pages, *minimals)]
    failed = [run for run in runs if run.errors or not run.latencies_ms]
    for page in failed:
        print(f"load benchmark: {page.path}: {page.errors[:3]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
