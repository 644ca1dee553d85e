"""Time to import a 10,000-row CSV file of applications, on PostgreSQL.

Run from the repository root (it needs PostgreSQL):

    DJANGO_DEBUG=1 python -m benchmarks.importing [--rows 10000] [--rounds 3]

It uses the pipeline benchmark's database (DATABASE_URL, by default .../bridges_bench, created
if missing), migrates it, and creates one user who already has 500 applications (duplicates
are looked up against them). Each round generates the same realistic file (several date
formats, salary ranges, quoted notes with commas and line breaks, a few duplicates), then
times the three steps a user goes through, in-process with django.test.Client where there is
a page: the upload (read, decode, find the delimiter and columns), the preview page (every row
checked), and the import itself (what the background task runs: every row checked again,
then every application and its timeline written in one transaction). The Markdown table is
printed and written to benchmarks/RESULTS-importing.md. The goal is under 10 seconds for
upload and import together.
"""

import argparse
import datetime
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from benchmarks.pipeline import BenchError, configure, ensure_database, migrate

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS-importing.md"
BENCH_EMAIL = "importing-bench@bridges.invalid"
SEED = 20251108
GOAL_SECONDS = 10.0
EXISTING = 500

STATUSES = ["Applied", "applied", "Interviewing", "Rejected", "Ghosted", "Wishlist", "Offer"]
STATUSES += ["Phone screen", "Withdrawn", "Applied", "Applied", "Rejected"]
COMPANIES = ["Northwind", "Kestrel", "Bluefin", "Orchard", "Tidewater", "Lumen", "Harbor"]
SUFFIXES = ["Analytics", "Labs", "Health", "Logistics", "Energy", "Payments", "Media"]
TITLES = ["Backend Engineer", "Python Developer", "Data Engineer", "Platform Engineer"]
CITIES = ["Berlin", "London", "Amsterdam", "Paris", "Lisbon", "Remote (EU)"]


def make_csv(rows: int, rng: random.Random) -> bytes:
    lines = ["Company,Position,Link,Status,Date Applied,Salary,Location,Notes"]
    start = datetime.date(2024, 1, 1)
    for n in range(rows):
        day = start + datetime.timedelta(days=rng.randrange(600))
        date = rng.choice([f"{day:%Y-%m-%d}", f"{day:%d/%m/%Y}", f"{day:%d %b %Y}"])
        low = rng.randrange(40, 90) * 1000
        salary = rng.choice(["", f"{low}-{low + 10000} EUR", f"€{low // 1000}k", f"{low:,}"])
        company = f"{rng.choice(COMPANIES)} {rng.choice(SUFFIXES)} {n // 3}"
        notes = rng.choice(["", "Recruiter reached out", '"Referral, via Sam\nCall back Monday"'])
        salary = f'"{salary}"' if "," in salary else salary
        lines.append(
            f"{company},{rng.choice(TITLES)},https://jobs.example/{n},{rng.choice(STATUSES)},"
            f"{date},{salary},{rng.choice(CITIES)},{notes}"
        )
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def prepare_user():
    from accounts.models import User
    from applications.models import Application

    User.objects.filter(email=BENCH_EMAIL).delete()
    user = User.objects.create_user(BENCH_EMAIL, None, time_zone="Europe/Berlin")
    Application.objects.bulk_create(
        Application(owner=user, company=f"Northwind Labs {n}", job_title="Backend Engineer")
        for n in range(EXISTING)
    )
    return user


def one_round(user, data: bytes) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from applications.models import Application
    from dataio import services
    from dataio.models import ImportBatch

    Application.objects.filter(owner=user).exclude(company__startswith="Northwind Labs").delete()
    ImportBatch.objects.filter(owner=user).delete()
    setup_test_environment(debug=False)
    try:
        client = Client()
        client.force_login(user)
        started = time.perf_counter()
        response = client.post("/import/", {"file": SimpleUploadedFile("jobs.csv", data)})
        upload = time.perf_counter() - started
        if response.status_code != 302:
            raise BenchError(f"the upload answered {response.status_code}")
        started = time.perf_counter()
        response = client.get(response.url)
        preview = time.perf_counter() - started
        if response.status_code != 200 or b"Every row can be imported" not in response.content:
            raise BenchError("the preview found problems in the generated file")
    finally:
        teardown_test_environment()
    batch = ImportBatch.objects.get(owner=user)
    started = time.perf_counter()
    batch = services.import_run(batch_id=batch.pk)
    run = time.perf_counter() - started
    if batch.state != ImportBatch.State.DONE:
        raise BenchError(f"the import ended {batch.state}: {batch.errors[:3]}")
    return {
        "upload": upload,
        "preview": preview,
        "import": run,
        "imported": batch.imported_count,
        "skipped": batch.skipped_count,
    }


def results_markdown(rounds: list[dict], rows: int, size: int, db_version: str) -> str:
    import django

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    total = median("upload") + median("import")
    verdict = "meets" if total < GOAL_SECONDS else "misses"
    lines = [
        "# CSV import: server time",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {_cores()} cores ({platform.machine()}), Python {platform.python_version()},"
        f" Django {django.get_version()}",
        f"- Database: {db_version} (`bridges_bench`)",
        f"- File: {rows:,} rows, {size / 1024 / 1024:.1f} MB (UTF-8 with BOM, three date formats,"
        " salary ranges, quoted notes); the user already has "
        f"{EXISTING} applications; {rounds[0]['imported']:,} imported and"
        f" {rounds[0]['skipped']:,} duplicates skipped per round",
        f"- Method: {len(rounds)} rounds, median shown; upload and preview through"
        " `django.test.Client` (DEBUG off), the import as its background task runs it.",
        "",
        "| Step | Median (s) | Slowest (s) |",
        "| --- | ---: | ---: |",
    ]
    for key, label in (
        ("upload", "Upload: read, decode, find delimiter and columns"),
        ("preview", "Preview page: every row checked"),
        ("import", "Import: every row checked again, then written in one transaction"),
    ):
        lines.append(f"| {label} | {median(key):.2f} | {max(r[key] for r in rounds):.2f} |")
    lines += [
        "",
        f"**Upload + import of {rows:,} rows: {total:.2f} s** ({verdict} the goal of"
        f" {GOAL_SECONDS:.0f} s).",
        "",
    ]
    return "\n".join(lines)


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.importing", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the file")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    args = parser.parse_args(argv)
    try:
        configure()
        db = ensure_database()
        print(f"Migrating {db['NAME']}…", flush=True)
        migrate()
        user = prepare_user()
        data = make_csv(args.rows, random.Random(SEED))  # noqa: S311 (reproducible data)
        rounds = []
        for n in range(args.rounds):
            print(f"Round {n + 1}…", flush=True)
            rounds.append(one_round(user, data))
            print(
                "  "
                + ", ".join(
                    f"{k} {v:.2f} s"
                    for k, v in rounds[-1].items()
                    if k != "imported" and k != "skipped"
                ),
                flush=True,
            )
    except BenchError as exc:
        print(f"import benchmark: {exc}", file=sys.stderr)
        return 2
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        db_version = f"{connection.display_name} {cursor.fetchone()[0]}"
    report = results_markdown(rounds, args.rows, len(data), db_version)
    print()
    print(report)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print(f"Written to {RESULTS_PATH}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
