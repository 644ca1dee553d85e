"""One poll of a 10,000-message mailbox with 50 new messages: it must read only the new ones.

Run from the repository root (it needs PostgreSQL and Debian's dovecot-imapd):

    DJANGO_DEBUG=1 python -m benchmarks.inbox [--old 10000] [--new 50] [--rounds 3]

It uses the pipeline benchmark's database (DATABASE_URL, by default .../bridges_bench) and
starts a private Dovecot on loopback (the tests' harness, tests/inbox/dovecot.py). The
mailbox is filled with `--old` messages (already read, a few from the employers the user
applied to), connected through the service (Dovecot indexes it then: timed apart), and
each round delivers `--new` messages (one in five from an employer) and times one poll as
the Celery task runs it: claim, log in, EXAMINE, SEARCH for new UIDs, FETCH their headers
and structure, FETCH the text of those that match, record the proposals. It reports the
time, the bytes the server sent (its own count, `out=` in its log) and the bytes Bridges
read, and checks from the server's record of commands that only new UIDs were fetched.
Results go to benchmarks/RESULTS-inbox.md.
"""

import argparse
import datetime
import email.utils
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

from benchmarks.pipeline import BenchError, configure, ensure_database, migrate

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS-inbox.md"
BENCH_EMAIL = "inbox-bench@bridges.invalid"
EMPLOYERS = [f"Employer{n}" for n in range(20)]


def message(n: int, sent: datetime.datetime, *, employer: str | None) -> bytes:
    """A plain message, made fast (10,000 of them): an employer's acknowledgement or a
    newsletter, with a few kilobytes of text."""
    date = email.utils.format_datetime(sent)
    if employer:
        sender, subject = (
            f"Recruiting <jobs@{employer.lower()}.example>",
            f"Your application to {employer} ({n})",
        )
        text, extra = (
            "Thank you for applying. We have received your application. "
            + "Lorem ipsum dolor sit amet. " * 40,
            "",
        )
    else:
        sender, subject = (
            f"Newsletter {n % 50} <news{n % 50}@weekly.example>",
            f"Weekly digest #{n}",
        )
        text, extra = "Read the news of the week. " * 120, f"List-Id: <weekly{n % 50}.example>\r\n"
    return (
        f"From: {sender}\r\nTo: Bench <inbox-bench@bridges.invalid>\r\nSubject: {subject}\r\n"
        f"Date: {date}\r\nMessage-ID: <bench-{n}@bench.example>\r\n{extra}MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    ).encode()


def prepare_user():
    from accounts.models import User
    from applications import services
    from applications.models import Application

    User.objects.filter(email=BENCH_EMAIL).delete()
    user = User.objects.create_user(BENCH_EMAIL, None, time_zone="Europe/Paris")
    for employer in EMPLOYERS:
        services.application_create(
            application=Application(
                owner=user,
                company=employer,
                job_title="Engineer",
                stage="applied",
                posting_url=f"https://careers.{employer.lower()}.example/1",
            )
        )
    return user


def fetched_uids(lines: list[str]) -> set[int]:
    uids = set()
    for line in lines:
        if match := re.match(r"^\S+ UID FETCH (\S+) ", line):
            for part in match[1].split(","):
                low, _, high = part.partition(":")
                uids.update(range(int(low), int(high or low) + 1))
    return uids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    configure()
    try:
        db = ensure_database()
    except BenchError as error:
        print(error, file=sys.stderr)
        return 2
    migrate()
    from django.db import connection
    from django.utils import timezone

    from inbox import polling, services
    from inbox.models import Mailbox, Security
    from tests.inbox.dovecot import BINARY, Dovecot

    if not os.path.exists(BINARY):
        print(f"No Dovecot at {BINARY}: apt-get install dovecot-imapd", file=sys.stderr)
        return 2
    load_start = os.getloadavg()
    server = Dovecot().start()
    try:
        user = prepare_user()
        account = server.add_user()
        now = timezone.now()
        started = time.perf_counter()
        server.fill(
            account,
            (
                (
                    message(
                        n,
                        sent := now - datetime.timedelta(minutes=args.old - n + 60),
                        employer=EMPLOYERS[n % 20] if n % 100 == 0 else None,
                    ),
                    sent,
                )
                for n in range(args.old)
            ),
        )
        filled = time.perf_counter() - started
        started = time.perf_counter()
        mailbox = services.mailbox_connect(
            user=user,
            connection=services.Settings("127.0.0.1", server.tls_port, Security.TLS, account),
            password=server.passwords[account],
        )
        indexed = time.perf_counter() - started
        rounds = []
        for round_number in range(args.rounds):
            now = timezone.now()
            new = [
                (
                    message(
                        args.old + round_number * args.new + n,
                        now,
                        employer=EMPLOYERS[n % 20] if n % 5 == 0 else None,
                    ),
                    now,
                )
                for n in range(args.new)
            ]
            new_uids = set(server.append(account, new))
            before = len(server.commands(account))
            started = time.perf_counter()
            outcome = polling.poll(mailbox.pk)
            seconds = time.perf_counter() - started
            commands = server.commands(account)[before:]
            uids = fetched_uids(commands)
            bodies = sum(bool(re.search(r"BODY\.PEEK\[\d", line)) for line in commands)
            if outcome.read != args.new or not uids <= new_uids:
                raise BenchError(
                    f"the poll read {outcome.read} messages, fetched {sorted(uids)[:10]}…"
                )
            rounds.append(
                {
                    "seconds": seconds,
                    "server_bytes": server.bytes_sent(account),
                    "read_bytes": outcome.bytes_read,
                    "kept": outcome.kept,
                    "fetched": len(uids),
                    "bodies": bodies,
                }
            )
        Mailbox.objects.filter(pk=mailbox.pk).delete()
    finally:
        server.stop()
    load_end = os.getloadavg()
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        db_version = cursor.fetchone()[0].split(",")[0]
    lines = [
        "# Inbox: one poll of a large mailbox",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, "
        f"load {load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end",
        f"- Database: {db_version} (`{db['NAME']}`); Dovecot on loopback, TLS",
        f"- Mailbox: {args.old:,} messages already there (written to the maildir in {filled:.1f} s, "
        f"indexed by Dovecot at connection in {indexed:.1f} s), then {args.new} new per round, "
        f"{args.new // 5} of them from employers the user applied to; {args.rounds} rounds",
        "",
        "| Round | Poll (s) | Messages read | Bodies fetched for | Proposals | Server sent (bytes) | Bridges read (bytes) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, r in enumerate(rounds, 1):
        lines.append(
            f"| {n} | {r['seconds']:.3f} | {args.new} | {r['bodies']} | {r['kept']} | "
            f"{r['server_bytes']:,} | {r['read_bytes']:,} |"
        )
    lines += [
        "",
        f"**One poll of {args.old:,} + {args.new} messages: {median['seconds']:.3f} s, "
        f"{median['server_bytes']:,} bytes from the server** (median); only the {args.new} new "
        "UIDs were fetched (checked against the server's record of commands).",
        "",
    ]
    RESULTS_PATH.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
