"""Time to render one message plus its courtesy check (goal: under 2 ms).

Run from the repository root: DJANGO_DEBUG=1 python -m benchmarks.messaging

1. Pure: compose() + courtesy.check() for every kind, reason, tone, option set and liked, with
   plain and awkward facts in turn (legal suffixes, honorifics, a surname alone, Chinese names).
2. Service: services.draft_for() + courtesy.check(services.courtesy_context()) on a real
   application row, its SQL included; the throwaway rows are rolled back at the end.
Times are in-process (perf_counter_ns) after a warm-up, DEBUG off so queries are not logged.
The table is printed and written to benchmarks/RESULTS-messaging.md; a slow time never fails.
"""

import datetime
import itertools
import math
import os
import platform
import statistics
import sys
import time
import zlib
from pathlib import Path

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS-messaging.md"
ROUNDS, SERVICE_ROUNDS, GOAL_MS = 5, 10, 2.0
COMPANY, ROLE, NAME, CONTACT = "Northwind Labs", "Backend Engineer", "Sam Rivera", "Priya Nair"


def all_choices():
    from messaging.catalogue import REASON_SENTENCES, Kind, Tone
    from messaging.compose import Choices

    names = ("kind", "reason", "tone", "keep_door_open", "offer_referral", "propose_later_call")
    flags = [[True, False]] * 3  # the door left open, a referral, a later call
    combos = itertools.product(Kind, REASON_SENTENCES, Tone, *flags, ["", "their test culture"])
    return [Choices(**dict(zip((*names, "liked"), combo, strict=True))) for combo in combos]


def timed(work, items, rounds: int) -> list[int]:
    """Runs work(item), which returns its own time in ns, once untimed then `rounds` times."""
    for item in items:  # warm-up: every path once (regex caches, lazy imports)
        work(item)
    return [work(item) for _ in range(rounds) for item in items]


def pure(choices_list) -> list[int]:
    from django.utils import timezone

    from messaging import courtesy
    from messaging.compose import Facts, compose

    now = timezone.now()
    later = now + datetime.timedelta(days=4)
    # Plain facts and awkward ones in turn: a legal suffix, honorifics, a surname alone,
    # “Last, First”, lower case, no display name, Chinese names.
    every_facts = [
        Facts(COMPANY, ROLE, NAME, CONTACT, later),
        Facts("Northwind Traders Inc.", "Product Designer role", NAME, "Dr. Priya Nair", later,
              "+44 20 7946 0000"),
        Facts("Harbor & Finch Co.", "Data Analyst", "lucía peña", "Sra. Lucía Peña"),
        Facts("Acme GmbH", ROLE, NAME, "Okafor", later),
        Facts("Globex S.A.", "QA Lead", "", "Nair, Priya"),
        Facts("腾讯", "产品经理", "王伟", "李娜", later),
    ]  # fmt: skip
    invited = now - datetime.timedelta(days=1)

    def work(choices) -> int:
        facts = every_facts[zlib.crc32(repr(choices).encode()) % len(every_facts)]
        started = time.perf_counter_ns()
        message = compose(facts, choices)
        context = courtesy.Context(
            choices.kind, facts.company, facts.job_title, invited, invited, datetime.UTC
        )
        courtesy.check(message.subject, message.body, context)
        return time.perf_counter_ns() - started

    return timed(work, choices_list, ROUNDS)


def through_services(choices_list) -> tuple[list[int], int]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application, Contact, Interview, TimelineEvent
    from messaging import courtesy, services

    with transaction.atomic():  # the throwaway rows are rolled back at the end
        now, day = timezone.now(), datetime.timedelta(days=1)
        user = User.objects.create_user("messaging-bench@bridges.invalid", display_name=NAME)
        app = Application.objects.create(
            owner=user, company=COMPANY, job_title=ROLE, stage="interviewing"
        )
        contact = Contact.objects.create(owner=user, name=CONTACT, email="p@example.com")
        app.contacts.add(contact)
        Interview.objects.create(application=app, starts_at=now - 3 * day, state="held")
        Interview.objects.create(application=app, starts_at=now + 4 * day, round=2)
        TimelineEvent.objects.create(application=app, at=now - day, kind="invitation_received")

        def work(choices) -> int:
            # As the compose view loads it (owner joined): untimed.
            application = Application.objects.select_related("owner").get(pk=app.pk)
            started = time.perf_counter_ns()
            services.load_for_messages(application)
            invited_at = services.pending_invitation_at(application)
            draft = services.draft_for(application, choices)
            context = services.courtesy_context(application, choices.kind, invited_at)
            courtesy.check(draft.subject, draft.body, context)
            return time.perf_counter_ns() - started

        # Every kind, reason and tone, with liked text and the door kept open.
        items = [c for c in choices_list if c.liked and c.keep_door_open]
        with CaptureQueriesContext(connection) as captured:
            work(items[0])
        queries = len(captured.captured_queries) - 1  # not counting the untimed load
        times = timed(work, items, SERVICE_ROUNDS)
        transaction.set_rollback(True)
    return times, queries


def row(label: str, times: list[int], queries: int) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    verdict = "yes" if p95 / 1e6 < GOAL_MS else "**no**"
    return (
        f"| {label} | {len(times):,} | {statistics.median(ordered) / 1e3:.0f} µs "
        f"| {p95 / 1e3:.0f} µs | {ordered[-1] / 1e6:.2f} ms | {queries} | {verdict} |"
    )


def main() -> int:
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings
    from django.db import connection

    django.setup()
    settings.DEBUG = False  # as in production: the timed loops do not log their queries
    choices_list = all_choices()
    print(f"Timing {len(choices_list):,} combinations, {ROUNDS} rounds…", flush=True)
    pure_times = pure(choices_list)
    print("Timing the service layer…", flush=True)
    service_times, queries = through_services(choices_list)
    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else ""
    lines = [
        "# Messaging: one message plus its courtesy check",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: 2 cores ({platform.machine()}), Python {platform.python_version()}, "
        f"Django {django.get_version()}",
        f"- Database: {connection.display_name} {version}".rstrip(),
        f"- Method: in-process `time.perf_counter_ns`, DEBUG off, one warm-up pass first. "
        f"Pure: `compose()` + `courtesy.check()` for all {len(choices_list):,} combinations "
        f"(8 kinds, 8 reasons, 2 tones, 8 option sets, liked or not), {ROUNDS} rounds. "
        f"Service: `draft_for()` + `courtesy_context()` + `check()` on one application (a "
        f"contact, a held and an upcoming interview, an invitation) reloaded untimed before each "
        f"message; every kind, reason and tone, {SERVICE_ROUNDS} rounds; rows rolled back.",
        f"- Goal: under {GOAL_MS:g} ms per message (judged on the p95).",
        "",
        "| Path | Messages | Median | p95 | Max | SQL queries | Goal met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | :---: |",
        row("Pure (compose + check)", pure_times, 0),
        row("Service layer (with SQL)", service_times, queries),
    ]
    report = "\n".join(lines) + "\n"
    print(f"\n{report}")
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print(f"Written to {RESULTS_PATH}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
