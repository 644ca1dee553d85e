"""Reminder sweep and delivery on PostgreSQL: the sweep's cost must follow what is due.

Run from the repository root: DJANGO_DEBUG=1 python -m benchmarks.reminders

1. Sweep: A has 1,000,000 follow-ups of which 10,000 are due (every 100th row), B 10,000, all due.
   reminders.sweep() runs until it claims nothing, ROUNDS times (the claimed rows made due again
   in between); medians of wall and database time (statements via execute_wrapper, commits).
2. Delivery: 2,000 due reminders swept in-process (sweep_reminders, to a private redis-server)
   and sent by ONE Celery worker (prefork concurrency 1, then solo) to an aiosmtpd sink.
Own database (DATABASE_URL, by default .../bridges_bench); results in RESULTS-reminders.md.
A slow figure never fails the run; an error does. The whole run is bounded by TIME_LIMIT.
"""

import contextlib
import datetime
import logging
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from email import message_from_bytes
from pathlib import Path

from benchmarks.pipeline import DEFAULT_DATABASE_URL, BenchError, ensure_database, migrate

ROOT = Path(__file__).resolve().parents[1]
RESULTS_PATH = ROOT / "benchmarks" / "RESULTS-reminders.md"
EMAIL = "reminders-bench@bridges.invalid"
FOLLOWUP, OUTBOX = "applications_followup", "messaging_outbox"
APPLICATIONS, DUE, BIG, DELIVERIES, WARMUP, ROUNDS = 300, 10_000, 1_000_000, 2_000, 20, 3
TIME_LIMIT = 600  # seconds


def configure(redis_url: str) -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["REDIS_URL"] = redis_url  # Celery's broker is read from it when settings load
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        os.environ.pop(name, None)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log in this process: SQL timed as in production


def sql(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


@contextlib.contextmanager
def bulk():
    """One transaction, as superuser without the per-row foreign-key triggers: 1M deferred
    checks at commit would double the seeding time, and the ids written do exist."""
    from django.db import transaction

    with transaction.atomic():
        if sql("SHOW is_superuser")[0][0] == "on":
            sql("SET LOCAL session_replication_role = replica")
        yield


def reset(user_id: int) -> None:
    with bulk():
        sql(f"DELETE FROM {OUTBOX} WHERE owner_id = %s", [user_id])  # noqa: S608
        sql(f"DELETE FROM {FOLLOWUP} WHERE owner_id = %s", [user_id])  # noqa: S608


def vacuum(user_id: int) -> None:
    """What autovacuum would do: no dead rows from the previous round, fresh statistics."""
    sql(f"VACUUM ANALYZE {FOLLOWUP}, {OUTBOX}")
    due = f"SELECT count(*) FROM {FOLLOWUP} WHERE remind_at <= now() AND owner_id <> %s"  # noqa: S608
    if others := sql(due, [user_id])[0][0]:
        raise BenchError(f"{others} due follow-ups of other users are in the bench database.")


def seed(user_id: int, app_ids: list[int], total: int, due: int) -> float:
    """`total` open follow-ups, every (total/due)-th due a minute ago, the others later."""
    started = time.perf_counter()
    with bulk():
        sql(
            f"""INSERT INTO {FOLLOWUP} (owner_id, application_id, kind, state, low_priority,
                due_at, remind_at, reminders_sent, created_at)
            SELECT %(user)s, (%(apps)s::bigint[])[1 + g %% %(n)s], 'check_in', 'open', false,
                now() - interval '1 day',
                CASE WHEN g %% %(every)s = 0 THEN now() - interval '1 minute'
                     ELSE now() + interval '1 hour' + (g %% 50000) * interval '1 minute' END,
                0, now()
            FROM generate_series(1, %(total)s) AS g""",  # noqa: S608
            {"user": user_id, "apps": app_ids, "n": len(app_ids), "every": total // due, "total": total},
        )  # fmt: skip
    vacuum(user_id)
    return time.perf_counter() - started


def make_due_again(user_id: int) -> None:
    sql(f"DELETE FROM {OUTBOX} WHERE owner_id = %s", [user_id])  # noqa: S608
    sql(f"UPDATE {FOLLOWUP} SET remind_at = now() - interval '1 minute', reminders_sent = 0 WHERE owner_id = %s AND reminders_sent > 0", [user_id])  # fmt: skip  # noqa: S608
    vacuum(user_id)


class DbTimer:
    """Time in statements (execute_wrapper), in the sweep's selection, and in commits."""

    def __init__(self):
        self.execute = self.selection = self.commits = self.queries = 0
        self.selection_sql = None

    def __call__(self, execute, sql_, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.execute, self.queries = self.execute + elapsed, self.queries + 1
            if sql_.startswith("SELECT") and '"remind_at" <=' in sql_:
                self.selection, self.selection_sql = self.selection + elapsed, (sql_, params)

    @contextlib.contextmanager
    def active(self):
        from django.db import connection

        commit = connection._commit

        def timed_commit():
            started = time.perf_counter()
            commit()
            self.commits += time.perf_counter() - started

        connection._commit = timed_commit
        try:
            with connection.execute_wrapper(self):
                yield
        finally:
            del connection._commit  # the class's own method again


def explain(statement: str, params) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the sweep's own selection, as due now, rolled back."""
    from django.db import transaction
    from django.utils import timezone

    params = [timezone.now() if isinstance(p, datetime.datetime) else p for p in params]
    with transaction.atomic():  # it may lock rows (FOR UPDATE)
        plan = sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
        transaction.set_rollback(True)
    return "\n".join(row[0] for row in plan)


def sweep_scenario(label: str, user_id: int, app_ids: list[int], total: int) -> dict:
    from messaging import reminders

    reset(user_id)
    seeded, rounds = seed(user_id, app_ids, total, DUE), []
    for round_ in range(ROUNDS):
        if round_:
            make_due_again(user_id)
        timer, claimed, calls = DbTimer(), 0, 0
        with timer.active():
            started = time.perf_counter()
            while calls < DUE // reminders.BATCH + 5:
                calls += 1
                if not (count := len(reminders.sweep().claimed)):
                    break
                claimed += count
            wall = time.perf_counter() - started
        if claimed != DUE:
            raise BenchError(f"Scenario {label}: the sweep claimed {claimed}, not {DUE}.")
        rounds.append({"wall": wall, "db": timer.execute + timer.commits, "calls": calls,
                       "commits": timer.commits, "selection": timer.selection, "queries": timer.queries})  # fmt: skip
        print(f"{label} round {round_ + 1}: {wall:.2f} s, DB {rounds[-1]['db']:.2f} s", flush=True)
    make_due_again(user_id)
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    return {**median, "label": label, "total": total, "seed": seeded,
            "per_batch": median["wall"] / -(-DUE // reminders.BATCH), "plan": explain(*timer.selection_sql)}  # fmt: skip


class Sink:
    def __init__(self):
        self.received: list[int] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(int(message_from_bytes(envelope.content)["X-Bridges-Outbox"]))
        return "250 OK"

    def distinct(self) -> int:
        with self.lock:
            return len(set(self.received))


def wait_for(condition, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise BenchError(f"Timed out waiting for {what}.")
        time.sleep(0.02)


def sweep_all() -> None:
    from messaging.tasks import sweep_reminders

    for _ in range(DELIVERIES // 500 + 5):
        if not sweep_reminders():  # enqueues via on_commit: at once, outside a transaction
            return


def delivery(pool: str, env: dict, sink: Sink, user_id: int, app_ids: list[int], log) -> dict:
    reset(user_id)
    sink.received.clear()
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}",
               "--concurrency=1", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
               "--without-heartbeat"]  # fmt: skip
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)  # fmt: skip
    try:
        seed(user_id, app_ids, WARMUP, WARMUP)  # warm-up: the worker up, templates loaded
        sweep_all()
        wait_for(lambda: sink.distinct() >= WARMUP, f"the {pool} worker (log: {log.name})", 90)
        seed(user_id, app_ids, DELIVERIES, DELIVERIES)
        started = time.perf_counter()
        sweep_all()
        swept = time.perf_counter() - started
        wait_for(lambda: sink.distinct() >= WARMUP + DELIVERIES, f"{pool} deliveries", 300)
        wall = time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    print(f"{pool}: {DELIVERIES} in {wall:.1f} s ({DELIVERIES / wall:.0f}/s)", flush=True)
    return {"pool": pool, "wall": wall, "swept": swept, "rate": DELIVERIES / wall,
            "dup": len(sink.received) - sink.distinct()}  # fmt: skip


def run_deliveries(user_id: int, app_ids: list[int], redis_port: int) -> list[dict]:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sink logs every command
    redis_server = subprocess.Popen(
        [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(redis_port),
         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL,
    )  # fmt: skip
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {**os.environ, "DJANGO_DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),  # as in
           "ALLOWED_HOSTS": "localhost", "CACHE_URL": "locmem://",  # production (and the e2e test)
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(controller.port), "EMAIL_USE_TLS": "0"}  # fmt: skip
    try:
        with tempfile.NamedTemporaryFile("w", prefix="reminders-worker-", delete=False) as log:
            results = [delivery(p, env, sink, user_id, app_ids, log) for p in ("prefork", "solo")]
        os.unlink(log.name)  # the workers' log is kept only when something went wrong
        return results
    finally:
        controller.stop()
        redis_server.kill()
        redis_server.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(sweeps: list[dict], deliveries: list[dict], db_version: str, loads: tuple) -> str:
    import django

    from messaging import reminders

    a, b = sweeps
    keys = ("Limit", "LockRows", "Sort", "Scan using", "Execution Time")
    plan = [line.strip() for line in a["plan"].splitlines() if any(k in line for k in keys)]
    lines = [
        "# Reminders: sweep and delivery\n",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; load average "
        f"{loads[0]:.1f} at the start, {loads[1]:.1f} at the end (the machine is shared)",
        f"- Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, Django {django.get_version()}, {db_version}",
        f"- Sweep: {DUE:,} due follow-ups of one user (one email each, no quiet hours, "
        f"{APPLICATIONS} applications) claimed by `reminders.sweep()` called until it claims "
        f"nothing; median of {ROUNDS} rounds. DB time: SQL statements (execute_wrapper) plus "
        "commits. DEBUG off in the sweeping process.\n",
        "| Scenario | Follow-ups | Due | Seed (s) | sweep() calls | Sweep (s) | Per 500 (ms) "
        "| DB time (s) | of it commits (s) | Selection SQL (ms) | Statements |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {s['label']} | {s['total']:,} | {DUE:,} | {s['seed']:.1f} | {s['calls']:.0f} "
          f"| {s['wall']:.2f} | {s['per_batch'] * 1000:.0f} | {s['db']:.2f} | {s['commits']:.2f} "
          f"| {s['selection'] * 1000:.0f} | {s['queries']:.0f} |" for s in sweeps),
        f"\n**DB time ratio A/B: {a['db'] / b['db']:.2f}** (goal: close to 1); selection SQL "
        f"{a['selection'] / b['selection']:.2f}; wall {a['wall'] / b['wall']:.2f}.\n",
        "The sweep's selection in A, `EXPLAIN (ANALYZE, BUFFERS)` with 10,000 due:\n",
        "```", *plan, "```\n",
        f"- Delivery: {DELIVERIES:,} due reminders, in-process `sweep_reminders()` enqueueing to "
        "a private redis-server, ONE Celery worker subprocess (debug off, as in production) "
        f"sending to an aiosmtpd sink on loopback, after {WARMUP} warm-up reminders. Wall "
        "time from the first sweep until the sink has them all. The sweep queues one task a "
        f"batch of {reminders.BATCH_SIZE} rows; each sends its batch over one SMTP connection. "
        "Goal: at least 150 reminders a second, no duplicate.\n",
        "| Worker | Reminders | Sweeps done (s) | Wall (s) | Reminders per second | Duplicates |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {d['pool']}, 1 process | {DELIVERIES:,} | {d['swept']:.1f} | {d['wall']:.1f} "
          f"| {d['rate']:.1f} | {d['dup']} |" for d in deliveries),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def on_alarm(signum, frame):
    raise BenchError(f"The benchmark ran over {TIME_LIMIT} s.")


def main() -> int:
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TIME_LIMIT)
    redis_port, load_start = free_port(), os.getloadavg()[0]
    try:
        configure(f"redis://127.0.0.1:{redis_port}/0")
        if not shutil.which("redis-server"):
            raise BenchError("The delivery benchmark needs a redis-server binary.")
        db = ensure_database()
        print(f"Migrating {db['NAME']}...", flush=True)
        migrate()
        from accounts.models import User
        from applications.models import Application

        for old in User.objects.filter(email=EMAIL):
            reset(old.pk)
            old.delete()
        user = User.objects.create_user(EMAIL, None, display_name="Bench", reminder_mode="each")
        apps = Application.objects.bulk_create(
            Application(owner=user, company=f"Company {n}", job_title="Engineer", stage="applied")
            for n in range(APPLICATIONS)
        )
        app_ids = [application.pk for application in apps]
        sweeps = [sweep_scenario("A", user.pk, app_ids, BIG), sweep_scenario("B", user.pk, app_ids, DUE)]  # fmt: skip
        deliveries = run_deliveries(user.pk, app_ids, redis_port)
        reset(user.pk)
        db_version = f"PostgreSQL {sql('SHOW server_version')[0][0]}"
    except BenchError as exc:
        print(f"reminders benchmark: {exc}", file=sys.stderr)
        return 2
    finally:
        signal.alarm(0)
    text = report(sweeps, deliveries, db_version, (load_start, os.getloadavg()[0]))
    print(f"\n{sweeps[0]['plan']}\n\n{text}")
    RESULTS_PATH.write_text(text, encoding="utf-8")
    print(f"Written to {RESULTS_PATH}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
