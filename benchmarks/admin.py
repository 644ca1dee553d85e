"""Recruiter admin benchmark: the applications change list with 100,000 applications.

Seeds (once; later runs reuse the data) an agency with three offices and a recruiter, and
1,000 candidates with 100 applications each (950 of them share with the agency), each with
its timeline event and, for active applications, an owed follow-up; then times the
recruiter's change lists in-process, as benchmarks/pipeline.py does, and writes
benchmarks/RESULTS-admin.md. Run with `make bench` or `python -m benchmarks.admin`.
"""

import argparse
import datetime
import gc
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from benchmarks.pipeline import BenchError, configure, ensure_database, make_client, migrate

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS-admin.md"
DOMAIN = "admin-bench.invalid"
CANDIDATES = 1_000
PER_CANDIDATE = 100
NOT_SHARING = 50
SEED = 20261122
WARMUP = 3


def seed(rng: random.Random):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from agencies.models import Agency, CandidateMembership, Office, RecruiterMembership
    from agencies.permissions import RECRUITERS
    from applications.models import Application, FollowUp, TimelineEvent
    from applications.stages import ACTIVE_STAGES, Stage

    recruiter = User.objects.filter(email=f"recruiter@{DOMAIN}").first()
    seeded = Application.objects.filter(owner__email__endswith=f"@{DOMAIN}").count()
    if recruiter and seeded == CANDIDATES * PER_CANDIDATE:
        print("Reusing the seeded data.", flush=True)
        return recruiter
    if recruiter or seeded:
        raise BenchError(
            f"Half-seeded data from an earlier run ({seeded:,} applications); drop the "
            "bench database (dropdb bridges_bench) and run again."
        )
    print("Seeding 1,000 candidates and 100,000 applications…", flush=True)
    now = timezone.now()
    agency = Agency.objects.create(name="Admin Bench Staffing")
    offices = [Office.objects.create(agency=agency, city=c) for c in ("Leeds", "York", "Hull")]
    recruiter = User.objects.create_user(f"recruiter@{DOMAIN}", None, is_staff=True)
    recruiter.groups.add(Group.objects.get(name=RECRUITERS))
    RecruiterMembership.objects.create(user=recruiter, agency=agency, office=offices[0])
    users = User.objects.bulk_create(
        User(email=f"c{n}@{DOMAIN}", display_name=f"Candidate {n:04d}") for n in range(CANDIDATES)
    )
    CandidateMembership.objects.bulk_create(
        CandidateMembership(
            candidate=u,
            agency=agency,
            office=offices[n % 3],
            shared_since=None if n < NOT_SHARING else now,
        )
        for n, u in enumerate(users)
    )
    stages = [*ACTIVE_STAGES, *[Stage.REJECTED, Stage.CLOSED, Stage.DECLINED] * 3]
    for start in range(0, CANDIDATES, 50):
        batch = []
        for user in users[start : start + 50]:
            for _ in range(PER_CANDIDATE):
                batch.append(
                    Application(
                        owner=user,
                        company=f"Company {rng.randrange(2_000):04d}",
                        job_title=rng.choice(["Engineer", "Analyst", "Designer", "Manager"]),
                        stage=rng.choice(stages),
                        stage_changed_at=now - datetime.timedelta(days=rng.randrange(200)),
                    )
                )
        created = Application.objects.bulk_create(batch, batch_size=5_000)
        TimelineEvent.objects.bulk_create(
            (TimelineEvent(application=a, kind="created", to_stage=a.stage) for a in created),
            batch_size=5_000,
        )
        FollowUp.objects.bulk_create(
            (
                FollowUp(
                    owner_id=a.owner_id,
                    application=a,
                    kind="check_in",
                    due_at=now + datetime.timedelta(days=rng.randrange(-20, 20)),
                )
                for a in created
                if a.stage in ACTIVE_STAGES
            ),
            batch_size=5_000,
        )
        print(f"  {start + 50} candidates", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return recruiter


def measure(client, path: str, requests: int) -> dict:
    from django.db import connection

    for _ in range(WARMUP):
        response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{path} answered {response.status_code}")
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path)
    rows = response.content.decode().count('class="action-select"')
    gc.collect()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "path": path,
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * len(times)) - 1)],
        "queries": len(statements),
        "rows": rows,
    }


PAGES = [
    ("Applications, first page", "/backoffice/applications/application/"),
    ("Applications, page 900", "/backoffice/applications/application/?p=900"),
    ("Applications, overdue", "/backoffice/applications/application/?owes=yes"),
    ("Applications, one office", "/backoffice/applications/application/?office={office}"),
    ("Applications, search a company", "/backoffice/applications/application/?q=Company+0042"),
    ("Applications, search one word", "/backoffice/applications/application/?q=0042"),
    ("Applications, search a candidate", "/backoffice/applications/application/?q=Candidate+0421"),
    ("Applications, by stage", "/backoffice/applications/application/?stage__exact=interviewing"),
    ("Candidates", "/backoffice/agencies/candidatemembership/"),
    ("Answers owed", "/backoffice/agencies/owedanswer/"),
    ("Answers owed, search a company", "/backoffice/agencies/owedanswer/?q=Company+0042"),
    ("Candidates, search a name", "/backoffice/agencies/candidatemembership/?q=Candidate+0421"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.admin")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    args = parser.parse_args(argv)
    try:
        configure()
        db = ensure_database()
        print(f"Migrating {db['NAME']}…", flush=True)
        migrate()
        recruiter = seed(random.Random(SEED))  # noqa: S311 (reproducible data)
        from agencies.models import Office

        office = Office.objects.get(agency__name="Admin Bench Staffing", city="York").pk
        client = make_client(recruiter)
        results = []
        for label, path in PAGES:
            result = measure(client, path.format(office=office), args.requests)
            results.append((label, result))
            print(
                f"{label:34} {result['median']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
                f"{result['queries']} queries",
                flush=True,
            )
    except BenchError as exc:
        print(f"admin benchmark: {exc}", file=sys.stderr)
        return 2
    report = markdown(results, args.requests)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print(f"Written to {RESULTS_PATH}.")
    return 0


def markdown(results, requests: int) -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    now = datetime.datetime.now(datetime.UTC)
    lines = [
        "# Recruiter admin: server time of the change lists",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {version}",
        f"- Data: {CANDIDATES:,} candidates of one agency ({CANDIDATES - NOT_SHARING:,} share), "
        f"{CANDIDATES * PER_CANDIDATE:,} applications, one timeline event each, an owed "
        "follow-up on each active one; logged in as the agency's recruiter",
        f"- Method: in-process `django.test.Client`, DEBUG off, {WARMUP} warm-ups then "
        f"{requests} timed requests per page; 50 rows a page",
        "- Load average at the end (1, 5, 15 min): "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg())
        + " (the machine is shared: figures under load are slower than on a quiet one)",
        "",
        "| page | median | p95 | queries | rows |",
        "|---|---|---|---|---|",
    ]
    for label, r in results:
        lines.append(
            f"| {label} (`{r['path'].removeprefix('/backoffice')}`) | {r['median']:.1f} ms | "
            f"{r['p95']:.1f} ms | {r['queries']} | {r['rows']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
