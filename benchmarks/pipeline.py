"""Server time of the pipeline pages (board, list, detail) for one user with a long job search.

Run from the repository root (it needs PostgreSQL):

    DJANGO_DEBUG=1 python -m benchmarks.pipeline [--requests 50]

It uses its own database (DATABASE_URL, by default .../bridges_bench, created if missing),
migrates it, seeds one user with 2,000 applications and 20,000 timeline events from scratch,
then times each page in-process with django.test.Client: Django handling the request, no
network. The Markdown table is printed and written to benchmarks/RESULTS-pipeline.md.
A slow page never fails the run; an error (a page that does not answer 200) does.
"""

import argparse
import datetime
import gc
import itertools
import math
import os
import platform
import random
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bridges_bench"
RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS-pipeline.md"
BENCH_EMAIL = "pipeline-bench@bridges.invalid"
BIG_EMAIL = "pipeline-bench-big@bridges.invalid"
BIG_APPLICATIONS = 20_000
SEED = 20250601
WARMUP_REQUESTS = 5

TOTAL_APPLICATIONS = 2_000
TOTAL_EVENTS = 20_000
STAR_EVENTS = 240  # the application the detail page shows: a long process, many notes

TAG_NAMES = [
    "python",
    "django",
    "remote-first",
    "startup",
    "fintech",
    "health",
    "senior",
    "contract",
    "referral",
    "dream-job",
]
COMPANY_PREFIXES = [
    "Northwind", "Kestrel", "Bluefin", "Orchard", "Tidewater", "Lumen", "Harbor", "Cobalt",
    "Pine Street", "Granite", "Sable", "Vantage", "Quill", "Aster", "Birch", "Cinder", "Delta",
    "Ember", "Fjord", "Gale", "Hollow", "Iris", "Juniper", "Kite", "Larch", "Meridian", "Nimbus",
    "Onyx", "Pillar", "Quarry", "Rowan", "Saffron", "Thistle", "Umber", "Verdant", "Willow",
    "Yarrow", "Zephyr", "Atlas", "Beacon", "Crescent", "Driftwood", "Evergreen", "Foxglove",
]  # fmt: skip
COMPANY_SUFFIXES = [
    "Analytics", "Labs", "Health", "Logistics", "Energy", "Books", "Payments", "Media",
    "Insurance", "Studios", "Retail", "Publishing", "Systems", "Robotics", "Bank", "Software",
    "Foods", "Mobility", "Cloud", "Games",
]  # fmt: skip
JOB_TITLES = [
    "Backend Engineer", "Python Developer", "Django Developer", "Software Engineer",
    "Platform Engineer", "Full-stack Engineer", "Data Engineer", "Site Reliability Engineer",
    "API Engineer", "Web Developer", "DevOps Engineer", "Tech Lead", "Engineering Manager",
    "Staff Engineer", "Solutions Engineer", "Machine Learning Engineer",
]  # fmt: skip
SENIORITY = ["", "", "", "Senior ", "Senior ", "Lead ", "Junior ", "Principal "]
LOCATIONS = [
    "Berlin", "London", "Amsterdam", "Paris", "Lisbon", "Madrid", "Dublin", "Munich",
    "Hamburg", "Vienna", "Zurich", "Copenhagen", "Stockholm", "Remote (EU)", "Barcelona",
]  # fmt: skip
FIRST_NAMES = [
    "Priya", "Tom", "Amara", "Lukas", "Sofia", "Mateo", "Hannah", "Yusuf", "Chloe", "Jonas",
    "Ines", "Oliver", "Mei", "Rafael", "Nora", "Kwame", "Elena", "Sam",
]  # fmt: skip
LAST_NAMES = [
    "Nair", "Becker", "Okafor", "Schmidt", "Rossi", "García", "Müller", "Demir", "Dubois",
    "Larsen", "Costa", "Byrne", "Chen", "Silva", "Novak", "Mensah", "Ivanova", "Rivera",
]  # fmt: skip
DESCRIPTION_SENTENCES = [
    "You will design, build and run the services behind our customer-facing products.",
    "Our stack is Python, Django and PostgreSQL, deployed on containers in the cloud.",
    "You care about tests, code review and shipping small changes often.",
    "We value clear writing: most decisions start as a short design document.",
    "Experience with Celery, Redis or another task queue is a plus.",
    "You will mentor other engineers and take part in the on-call rotation.",
    "We offer 30 days of holiday, a learning budget and flexible working hours.",
    "The team is eight engineers, a product manager and a designer.",
    "You have shipped and maintained a web application in production.",
    "Bonus points for experience with observability, tracing and performance work.",
]
NOTES = [
    "Read their engineering blog; they migrated to PostgreSQL last year.",
    "Salary band seems low for the seniority; ask about equity.",
    "Recruiter said the team is growing to twelve people this year.",
    "Prepare the system design story about the payments outage.",
    "Follow up if no answer by Friday.",
    "The hiring manager used to work at a company I know well.",
    "Take-home exercise: about four hours, due next week.",
    "Glassdoor reviews mention long hours; ask about on-call.",
    "Questions to ask: deployment frequency, team rituals, remote policy.",
    "Asked for the salary range before the next round.",
    "Feedback from the last round was positive about the code review exercise.",
    "They want someone who can start within two months.",
]
MESSAGES = [
    "Emailed the recruiter to confirm the interview time.",
    "Thanked the interviewers by email.",
    "Sent the take-home exercise.",
    "Asked the recruiter for an update on the timeline.",
    "Recruiter called: they are still interviewing other candidates.",
    "Sent my portfolio and two references.",
    "LinkedIn message to the hiring manager.",
    "Replied to the scheduling email with three time slots.",
]
EDITS = [
    "Changed: notes.",
    "Changed: salary_min, salary_max.",
    "Changed: priority.",
    "Changed: location, workplace_type.",
    "Changed: job_description.",
]


@dataclass
class Page:
    label: str
    path: str
    post: dict | None = None  # the drag: an htmx POST that moves a card
    shows: str = ""  # what the page must draw, or its figures measure less than a user sees
    queries: int = 0
    html_kb: float = 0.0
    # Each request right after a write (untimed), as a user meets a page after changing it:
    # wall time, and this process's CPU time (which a busy machine disturbs less).
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    # The page it was timed beside (`measure(beside=…)`), a request of each in turn, so a
    # busy moment of the shared machine weighs on both: that page's times in the same loop.
    beside_ms: list[float] = field(default_factory=list)
    beside_cpu_ms: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    def ratio(self) -> float:
        """Its median over the median of the page timed beside it."""
        return self.median / statistics.median(self.beside_ms)

    def cpu_ratio(self) -> float:
        return self.cpu_median / statistics.median(self.beside_cpu_ms)

    @property
    def p95(self) -> float:
        return percentile(self.times_ms, 0.95)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


@dataclass
class Seeded:
    user: object
    star_pk: int
    seconds: float
    counts: dict[str, int]


class BenchError(Exception):
    """Something that stops the benchmark: the message says what and how to fix it."""


# --- Set-up ------------------------------------------------------------------------------


def configure() -> None:
    """Points Django at the bench database before anything imports the settings."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    # The site's settings, plus the minimal page every page is compared with.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.load_settings")
    # WhiteNoise looks for collected static files, which only production builds have.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()


def ensure_database() -> dict:
    """Creates the bench database if missing; refuses anything but a PostgreSQL bench db."""
    import psycopg
    from django.conf import settings
    from psycopg import sql

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise BenchError(
            f"The benchmark needs PostgreSQL; DATABASE_URL points at {db['ENGINE']}. "
            f"Unset DATABASE_URL to use {DEFAULT_DATABASE_URL}."
        )
    name = str(db["NAME"])
    if "bench" not in name:
        # Seeding deletes and rewrites data: never run against a development database.
        raise BenchError(
            f"DATABASE_URL names the database {name!r}; the benchmark only runs on a database "
            f"whose name contains 'bench'. Unset DATABASE_URL to use {DEFAULT_DATABASE_URL}."
        )
    params = {
        "dbname": "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "connect_timeout": 10,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}.")
    except psycopg.OperationalError as exc:
        raise BenchError(f"Cannot reach PostgreSQL at {db.get('HOST')}: {exc}".strip()) from exc
    return db


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # Production serves hashed static file names from a manifest, which collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)


# --- Seeding -----------------------------------------------------------------------------


def seed(rng: random.Random, email: str = BENCH_EMAIL, total: int = TOTAL_APPLICATIONS) -> Seeded:
    """One user, a long job search: 2,000 applications (200 active), 20,000 events, from
    scratch; or as many more as `total` says, with the same 200 active."""
    from django.db import transaction

    from accounts.models import User
    from applications.models import Application, FollowUp, Interview, Offer, TimelineEvent

    started = time.perf_counter()
    # Deleting the user cascades to everything it owns; sessions go with the database.
    User.objects.filter(email=email).delete()
    with transaction.atomic():
        user = User.objects.create_user(
            email, None, display_name="Bench Candidate", time_zone="Europe/Berlin"
        )
        builder = _SeedBuilder(rng, user, total)
        builder.build()
        counts = builder.save()
    # What autovacuum would do soon after a bulk load (and after the previous run's rows
    # were deleted): plans and page reads then match a live database, run after run.
    vacuum(Application, TimelineEvent, Interview, Offer, FollowUp, Application.tags.through)
    return Seeded(user, builder.star.pk, time.perf_counter() - started, counts)


def vacuum(*models) -> None:
    """VACUUM ANALYZE the models' tables: what autovacuum does on a live database once rows
    were deleted or rewritten. Without it, where autovacuum is off (as on some test machines),
    the dead rows of every write pile up and each page reads past them."""
    from django.db import connection

    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + tables)


def autovacuum() -> str:
    """The server's autovacuum setting, for the report ("on" or "off")."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return cursor.fetchone()[0]


@dataclass
class _Step:
    kind: str
    from_stage: str = ""
    to_stage: str = ""
    text: str = ""
    interview: object = None
    upcoming: bool = False  # an interview still to come: scheduled now, held later
    offer: object = None
    at: datetime.datetime | None = None


class _SeedBuilder:
    """Builds every row in memory, then writes each table with one bulk_create."""

    def __init__(self, rng: random.Random, user, total: int = TOTAL_APPLICATIONS):
        from django.utils import timezone

        self.rng = rng
        self.user = user
        self.total = total
        self.total_events = TOTAL_EVENTS * total // TOTAL_APPLICATIONS
        self.followups = []
        self.now = timezone.now()
        self.applications = []
        self.steps: dict[int, list[_Step]] = {}  # index in self.applications -> its story
        self.interviews = []
        self.offers = []
        self.tag_links: list[tuple[int, int]] = []  # (application index, tag index)
        self.contact_links: list[tuple[int, int]] = []
        self.interviewer_links: list[tuple[object, int]] = []
        self.contacts = []
        self.tags = []
        self.events = []
        self.windows = []  # per application: when its notes and messages can fall
        self.star = None

    # The plan: how many applications end up in each stage, and where the ended ones stopped.

    def _plan(self):
        from applications.stages import Stage

        counts = {
            Stage.SAVED: 70,
            Stage.APPLIED: 65,
            Stage.SCREENING: 30,
            Stage.INTERVIEWING: 25,
            Stage.OFFER: 10,
            Stage.ACCEPTED: 2,
            Stage.DECLINED: 70,
            Stage.WITHDRAWN: 130,
            Stage.REJECTED: 880,
            Stage.CLOSED: 718,
        }
        assert sum(counts.values()) == TOTAL_APPLICATIONS  # noqa: S101 (a constant's sanity)
        # A longer search has the same 200 active applications and more that ended.
        ended = [
            stage
            for stage in counts
            if stage not in ("saved", "applied", "screening", "interviewing", "offer")
        ]
        factor = (self.total - 200) / (TOTAL_APPLICATIONS - 200)
        for stage in ended:
            counts[stage] = round(counts[stage] * factor)
        counts[Stage.CLOSED] += self.total - sum(counts.values())
        stopped_at = {
            Stage.ACCEPTED: {Stage.OFFER: 1},
            Stage.DECLINED: {Stage.APPLIED: 3, Stage.SCREENING: 3, Stage.INTERVIEWING: 2, Stage.OFFER: 2},
            Stage.WITHDRAWN: {Stage.APPLIED: 4, Stage.SCREENING: 3, Stage.INTERVIEWING: 3},
            Stage.REJECTED: {Stage.APPLIED: 60, Stage.SCREENING: 22, Stage.INTERVIEWING: 16, Stage.OFFER: 2},
            Stage.CLOSED: {Stage.SAVED: 35, Stage.APPLIED: 55, Stage.SCREENING: 7, Stage.INTERVIEWING: 3},
        }  # fmt: skip
        plan = []
        for stage, count in counts.items():
            for _ in range(count):
                if stage in stopped_at:
                    options = stopped_at[stage]
                    reached = self.rng.choices(list(options), list(options.values()))[0]
                else:
                    reached = stage
                plan.append((stage, reached))
        self.rng.shuffle(plan)
        return plan

    def build(self) -> None:
        from applications.models import Contact, Tag

        rng = self.rng
        self.tags = [Tag(owner=self.user, name=name) for name in TAG_NAMES]
        companies = [f"{p} {s}" for p in COMPANY_PREFIXES for s in COMPANY_SUFFIXES]
        rng.shuffle(companies)
        # Most companies come up once or twice, the favourites about a dozen times: enough for
        # the detail page's "Earlier with this company" panel to have something to show.
        company_weights = [1 / (rank + 60) for rank in range(len(companies))]
        self.contacts = [
            Contact(
                owner=self.user,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                role=rng.choice(list(Contact.Role.values)),
                company=companies[i],
                email=f"contact{i}@example.com",
                phone=f"+49 30 {rng.randint(1000000, 9999999)}" if i % 3 == 0 else "",
            )
            for i in range(60)
        ]
        plan = self._plan()
        star_index = next(i for i, (stage, _) in enumerate(plan) if stage == "interviewing")
        for index, (stage, reached) in enumerate(plan):
            company = rng.choices(companies, company_weights)[0]
            if index == star_index:
                company = companies[0]  # the most frequent company: a long history to show
            self._add_application(index, company, stage, reached, star=index == star_index)
        self.star = self.applications[star_index]
        self._add_fill_events(star_index)

    def _add_application(self, index, company, stage, reached, *, star=False) -> None:
        from applications.models import (
            REASONS_FOR_END,
            Application,
            EndedBy,
            EndReason,
            Source,
            WorkplaceType,
            ended_by_for,
        )
        from applications.stages import ACTIVE_STAGES, check_move

        rng = self.rng
        day = datetime.timedelta(days=1)
        active = stage in ACTIVE_STAGES
        if star:
            start = self.now - 150 * day
            last = self.now - 4 * day
        elif active:
            start = self.now - rng.uniform(1, 70) * day
            last = start + (self.now - start) * rng.uniform(0.4, 0.95)
        else:
            # Ended applications: a search that has been going on for about two and a half years.
            start = self.now - rng.uniform(20, 900) * day
            last = min(start + rng.uniform(3, 60) * day, self.now - day)
        seniority = rng.choice(SENIORITY)
        salary_min = rng.randrange(40_000, 95_000, 5_000) if rng.random() < 0.7 else None
        application = Application(
            owner=self.user,
            company=company,
            job_title=seniority + rng.choice(JOB_TITLES),
            posting_url=f"https://jobs.example.com/{company.lower().replace(' ', '-')}/{index}",
            job_description=" ".join(rng.sample(DESCRIPTION_SENTENCES, k=rng.randint(4, 10)))
            * rng.randint(1, 3)
            if rng.random() < 0.6
            else "",
            location=rng.choice(LOCATIONS),
            workplace_type=rng.choice(["", *WorkplaceType.values]),
            salary_min=salary_min,
            salary_max=salary_min + rng.randrange(5_000, 25_000, 5_000) if salary_min else None,
            salary_currency=rng.choices(["EUR", "GBP", "CHF", "USD"], [80, 10, 5, 5])[0],
            source=rng.choice(["", *Source.values]),
            stage=stage,
            priority=rng.choices([1, 2, 3, 4, 5], [10, 20, 40, 20, 10])[0],
            notes=rng.choice(NOTES) if rng.random() < 0.4 else "",
        )
        if star:
            application.priority = 5
            application.job_title = "Senior Backend Engineer"
        steps = self._story(stage, reached, active, star)
        if not active:
            check_move(reached, stage)  # the seed follows the pipeline's own rules
            reason = self._end_reason(stage, reached)
            if reason and reason not in REASONS_FOR_END[stage]:
                raise BenchError(f"The seed gave {stage} the reason {reason}, which it refuses.")
            if reason:
                application.end_reason = reason
                application.ended_by = ended_by_for(stage, reason)
                steps[-1].text = f"Reason: {EndReason(reason).label}."
            else:
                application.ended_by = EndedBy.CANDIDATE  # accepting is its own reason
        self._place_in_time(application, steps, start, last)
        if not active and rng.random() < 0.3:
            application.archived_at = application.stage_changed_at + rng.uniform(1, 30) * day
            application.archived_at = min(application.archived_at, self.now)
        application.updated_at = max(application.stage_changed_at, application.archived_at or start)
        self.applications.append(application)
        self.steps[index] = steps
        for tag in rng.sample(
            range(len(self.tags)), k=rng.choices([0, 1, 2, 3], [25, 35, 25, 15])[0]
        ):
            self.tag_links.append((index, tag))
        if STAGE_RANK[reached] >= STAGE_RANK["screening"] and rng.random() < 0.6:
            for contact in rng.sample(range(len(self.contacts)), k=rng.randint(1, 2)):
                self.contact_links.append((index, contact))
        if star:
            self.tag_links = [link for link in self.tag_links if link[0] != index]
            self.tag_links += [(index, 0), (index, 1), (index, 9)]

    def _story(self, stage, reached, active, star) -> list[_Step]:
        """The mandatory events: created, each move, invitations, interviews, offer, end."""
        from applications.models import Interview, Offer, TimelineEvent

        Kind = TimelineEvent.Kind
        rng = self.rng
        path = ["applied"]
        if reached == "screening" or (
            STAGE_RANK[reached] > STAGE_RANK["screening"] and rng.random() < 0.6
        ):
            path.append("screening")
        if STAGE_RANK[reached] >= STAGE_RANK["interviewing"]:
            path.append("interviewing")
        if reached == "offer":
            path.append("offer")
        if reached == "saved":
            path = []
        steps = [_Step(Kind.CREATED, to_stage="saved")]
        previous = "saved"
        for target in path:
            steps.append(_Step(Kind.STAGE_MOVED, previous, target))
            if target == "screening":
                steps.append(_Step(Kind.INVITATION_RECEIVED, text="Invited to a screening call."))
            if target == "interviewing":
                steps.append(_Step(Kind.INVITATION_RECEIVED, text="Invited to an interview."))
                still_interviewing = active and reached == "interviewing"
                held = 4 if star else rng.randint(0 if still_interviewing else 1, 3)
                for round_ in range(1, held + 1):
                    interview = self._interview(round_, Interview.State.HELD)
                    steps.append(_Step(Kind.INTERVIEW_SCHEDULED, interview=interview))
                    if rng.random() < 0.08 and not star:
                        interview.state = Interview.State.CANCELLED
                        steps.append(_Step(Kind.INTERVIEW_CANCELLED, interview=interview))
                    else:
                        steps.append(_Step(Kind.INTERVIEW_HELD, interview=interview))
                if still_interviewing:
                    state = rng.choice([Interview.State.SCHEDULED, Interview.State.PROPOSED])
                    interview = self._interview(held + 1, state)
                    steps.append(
                        _Step(Kind.INTERVIEW_SCHEDULED, interview=interview, upcoming=True)
                    )
            if target == "offer":
                offer = Offer(
                    amount=Decimal(rng.randrange(50_000, 110_000, 1_000)),
                    currency="EUR",
                    notes=rng.choice(["", "Includes a 10% bonus.", "Stock options on top."]),
                )
                self.offers.append(offer)
                steps.append(
                    _Step(
                        Kind.OFFER_RECORDED, text=f"Offer of {offer.amount:,.0f} EUR.", offer=offer
                    )
                )
            previous = target
        if not active:
            steps.append(_Step(Kind.STAGE_MOVED, previous, stage))
        return steps

    def _interview(self, round_, state):
        from applications.models import Interview

        rng = self.rng
        interview = Interview(
            round=round_,
            starts_at=self.now,  # set once the story is placed in time
            duration_minutes=rng.choice([30, 45, 60, 60, 90]),
            format=rng.choice(list(Interview.Format.values)),
            location=rng.choice(["Video call link in the invitation", "Office, 3rd floor", ""]),
            state=state,
        )
        self.interviews.append(interview)
        if rng.random() < 0.4:
            self.interviewer_links.append((interview, rng.randrange(len(self.contacts))))
        return interview

    def _end_reason(self, stage, reached) -> str:
        from applications.models import EndReason as R

        choose = self.rng.choices
        if stage == "accepted":
            return ""
        if stage == "rejected":
            return choose([R.NOT_SELECTED, R.POSITION_CLOSED, R.NO_REASON], [80, 10, 10])[0]
        if stage == "closed":
            if reached == "saved":
                return choose([R.LOST_INTEREST, R.NOT_A_FIT, R.LOCATION], [50, 30, 20])[0]
            return choose([R.NO_RESPONSE, R.POSITION_CLOSED, R.LOST_INTEREST], [80, 10, 10])[0]
        if stage == "withdrawn":
            return choose([R.OTHER_OFFER, R.PERSONAL, R.NOT_A_FIT, R.LOST_INTEREST], [30, 15, 35, 20])[0]  # fmt: skip
        return choose([R.COMPENSATION, R.OTHER_OFFER, R.NOT_A_FIT, R.LOCATION, R.CULTURE], [35, 25, 20, 10, 10])[0]  # fmt: skip

    def _place_in_time(self, application, steps, start, last) -> None:
        """Spreads the story from `start` to `last`; interviews and offers follow their events."""
        from applications.models import TimelineEvent

        Kind = TimelineEvent.Kind
        rng = self.rng
        gap = (last - start) / max(len(steps) - 1, 1)
        stage_changed_at = start
        for position, step in enumerate(steps):
            step.at = start + gap * position
            if step.kind in (Kind.CREATED, Kind.STAGE_MOVED):
                stage_changed_at = step.at
                if step.to_stage == "applied":
                    application.applied_on = step.at.date()
            if step.kind == Kind.INTERVIEW_SCHEDULED:
                if step.upcoming:
                    hours = rng.randint(24, 14 * 24)
                    step.interview.starts_at = (self.now + datetime.timedelta(hours=hours)).replace(
                        minute=0, second=0, microsecond=0
                    )
                else:
                    step.interview.starts_at = step.at + gap * 0.8
                local = step.interview.starts_at
                step.text = (
                    f"Round {step.interview.round}, {step.interview.get_format_display().lower()}, "
                    f"{local:%a %d %b %Y %H:%M} (UTC)."
                )
            if step.kind == Kind.INTERVIEW_HELD:
                step.text = f"Round {step.interview.round} held."
            if step.kind == Kind.INTERVIEW_CANCELLED:
                step.text = f"Round {step.interview.round} cancelled."
            if step.offer is not None:
                offer = step.offer
                offer.application = application
                if application.stage == "offer":
                    offer.deadline = (self.now + rng.uniform(2, 10) * datetime.timedelta(1)).date()
                else:
                    offer.deadline = (step.at + datetime.timedelta(days=7)).date()
                step.text = step.text[:-1] + f" — answer by {offer.deadline:%d %b %Y}."
            elif step.interview is not None:
                step.interview.application = application
        application.stage_changed_at = stage_changed_at
        application.created_at = start
        self.windows.append((start, self.now if application.is_active else last))

    def _add_fill_events(self, star_index: int) -> None:
        """Notes, messages and edits, spread unevenly; the star application gets the most."""
        from applications.models import TimelineEvent

        Kind = TimelineEvent.Kind
        rng = self.rng
        mandatory = sum(len(steps) for steps in self.steps.values())
        star_fill = STAR_EVENTS - len(self.steps[star_index])
        remaining = self.total_events - mandatory - star_fill
        if remaining < 0:
            raise BenchError(
                f"The plan has {mandatory} mandatory events, over {self.total_events}."
            )
        weights = []
        for index, application in enumerate(self.applications):
            weight = min(rng.paretovariate(1.3), 25.0) * (2 if application.is_active else 1)
            weights.append(0.0 if index == star_index else weight)
        fill = [0] * len(self.applications)
        for index in rng.choices(range(len(self.applications)), weights, k=remaining):
            fill[index] += 1
        fill[star_index] = star_fill
        kinds = [Kind.NOTE, Kind.MESSAGE_LOGGED, Kind.EDITED]
        texts = {Kind.NOTE: NOTES, Kind.MESSAGE_LOGGED: MESSAGES, Kind.EDITED: EDITS}
        for index, application in enumerate(self.applications):
            for step in self.steps[index]:
                self.events.append(
                    TimelineEvent(
                        application=application,
                        kind=step.kind,
                        at=step.at,
                        from_stage=step.from_stage,
                        to_stage=step.to_stage,
                        interview=step.interview,
                        text=step.text,
                    )
                )
            start, end = self.windows[index]
            for _ in range(fill[index]):
                kind = rng.choices(kinds, [55, 35, 10])[0]
                self.events.append(
                    TimelineEvent(
                        application=application,
                        kind=kind,
                        at=start + (end - start) * rng.random(),
                        text=rng.choice(texts[kind]),
                    )
                )

    def save(self) -> dict[str, int]:
        from applications.models import (
            Application,
            Contact,
            FollowUp,
            Interview,
            Offer,
            Tag,
            TimelineEvent,
        )

        Tag.objects.bulk_create(self.tags)
        Contact.objects.bulk_create(self.contacts)
        # bulk_create stamps auto_now / auto_now_add fields with the current time: keep the
        # story's own dates and write them back with one bulk_update.
        dates = [(a.created_at, a.updated_at) for a in self.applications]
        Application.objects.bulk_create(self.applications, batch_size=500)
        for application, (created_at, updated_at) in zip(self.applications, dates, strict=True):
            application.created_at, application.updated_at = created_at, updated_at
        Application.objects.bulk_update(
            self.applications, ["created_at", "updated_at"], batch_size=500
        )
        Interview.objects.bulk_create(self.interviews, batch_size=1000)
        Offer.objects.bulk_create(self.offers)
        TimelineEvent.objects.bulk_create(self.events, batch_size=2000)
        TagLink = Application.tags.through
        TagLink.objects.bulk_create(
            TagLink(application_id=self.applications[a].pk, tag_id=self.tags[t].pk)
            for a, t in self.tag_links
        )
        ContactLink = Application.contacts.through
        ContactLink.objects.bulk_create(
            ContactLink(application_id=self.applications[a].pk, contact_id=self.contacts[c].pk)
            for a, c in self.contact_links
        )
        InterviewerLink = Interview.interviewers.through
        InterviewerLink.objects.bulk_create(
            InterviewerLink(interview_id=i.pk, contact_id=self.contacts[c].pk)
            for i, c in self.interviewer_links
        )
        followups = self._followups()
        FollowUp.objects.bulk_create(followups, batch_size=2000)
        active = sum(1 for a in self.applications if a.is_active)
        return {
            "applications": len(self.applications),
            "active": active,
            "ended": len(self.applications) - active,
            "archived": sum(1 for a in self.applications if a.archived_at),
            "events": len(self.events),
            "star events": sum(1 for e in self.events if e.application is self.star),
            "interviews": len(self.interviews),
            "upcoming interviews": sum(1 for i in self.interviews if i.starts_at > self.now),
            "offers": len(self.offers),
            "tags": len(self.tags),
            "tag links": len(self.tag_links),
            "contacts": len(self.contacts),
            "contact links": len(self.contact_links),
            "follow-ups": len(followups),
            "pending follow-ups": sum(1 for f in followups if f.state in ("open", "snoozed")),
        }

    def _followups(self) -> list:
        """What the rules would have opened: one or two owed answers per active application
        (some overdue, some snoozed), and the settled ones of every ended application."""
        from applications.models import FollowUp

        rng, day = self.rng, datetime.timedelta(days=1)
        owed_by_stage = {
            "saved": ["update_or_close"],
            "applied": ["check_in", "update_or_close"],
            "screening": ["answer_invitation", "update_or_close"],
            "interviewing": ["prepare", "thank_you", "check_in"],
            "offer": ["answer_offer"],
        }
        rows = []
        for application in self.applications:
            if application.is_active:
                kinds = owed_by_stage[application.stage]
                for kind in rng.sample(kinds, k=min(len(kinds), rng.randint(1, 2))):
                    due = self.now + rng.uniform(-6, 12) * day
                    snoozed = rng.random() < 0.1
                    rows.append(
                        FollowUp(
                            owner=self.user,
                            application=application,
                            kind=kind,
                            due_at=due,
                            remind_at=None,
                            state="snoozed" if snoozed else "open",
                            snoozed_until=due + 2 * day if snoozed else None,
                            low_priority=kind == "update_or_close",
                        )
                    )
            else:
                for kind in ("check_in", "update_or_close"):
                    rows.append(
                        FollowUp(
                            owner=self.user,
                            application=application,
                            kind=kind,
                            due_at=application.stage_changed_at - 3 * day,
                            state="done",
                            closed_at=application.stage_changed_at,
                        )
                    )
        return rows


STAGE_RANK = {
    stage: rank
    for rank, stage in enumerate(["saved", "applied", "screening", "interviewing", "offer"])
}


# --- Measuring ---------------------------------------------------------------------------


def requester(client, page: Page):
    """One request of the page, checked."""

    def request():
        if page.post is not None:
            response = client.post(page.path, page.post(), HTTP_HX_REQUEST="true", secure=True)
        else:
            response = client.get(page.path, secure=True)
        if response.status_code != 200:
            raise BenchError(f"{page.path} answered {response.status_code}, not 200")
        return response

    return request


def measure(client, page: Page, requests: int, write, beside=None) -> None:
    """`requests` timed requests of the page, each right after a write. With `beside`, a
    request (`requester`) of another page before each, also right after a write and timed
    (`Page.beside_ms`): the page's ratio to it is measured in one stretch of time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = requester(client, page)

    def timed(times: list[float], cpu_times: list[float], ask) -> None:
        write()
        started, cpu = time.perf_counter(), time.process_time()
        ask()
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)

    try:
        for _ in range(WARMUP_REQUESTS):
            for ask in (beside, request) if beside else (request,):
                write()
                ask()
        write()
        with CaptureQueriesContext(connection) as queries:
            response = request()
        page.queries = len(queries.captured_queries)
        page.html_kb = len(response.content) / 1024
        if page.shows and page.shows not in response.content.decode():
            raise BenchError(f"{page.path} does not show {page.shows!r}")
        gc.collect()  # start from a clean heap: the previous page's garbage is not this page's
        for _ in range(requests):
            if beside:
                timed(page.beside_ms, page.beside_cpu_ms, beside)
            timed(page.times_ms, page.cpu_ms, request)
    except Exception as exc:  # a broken page is reported, and the other pages still run
        page.error = f"{type(exc).__name__}: {exc}"


def writer(user, star_pk: int):
    """A write every page shows: the priority of the longest-running application, changed
    through the services as the edit form does (a timeline event with it)."""
    from applications import services
    from applications.models import Application, TimelineEvent

    application = Application.objects.get(pk=star_pk)
    seeded = list(
        TimelineEvent.objects.filter(application=application).values_list("pk", flat=True)
    )
    tags = [tag.name for tag in application.tags.all()]
    contacts = list(application.contacts.all())
    priorities = itertools.cycle([4, 5])

    def write():
        application.priority = next(priorities)
        services.application_update(
            application=application, changed_fields=["priority"], tag_names=tags, contacts=contacts
        )

    def restore() -> None:
        """The application's timeline as seeded: each write logs an event, and a page measured
        after a few hundred writes would show a timeline its label does not give. The dead
        rows of the previous page's writes are vacuumed away (untimed), as autovacuum would."""
        TimelineEvent.objects.filter(application=application).exclude(pk__in=seeded).delete()
        vacuum(Application, TimelineEvent, Application.tags.through, Application.contacts.through)

    write.restore = restore
    return write


def mover(card_pk: int):
    """The drag's own POST, back and forth between two columns: itself a write."""
    # Each move names the stage it is from, as the board's menu does (a stale one is refused).
    moves = itertools.cycle([("interviewing", "screening"), ("screening", "interviewing")])

    def move() -> dict:
        source, target = next(moves)
        return {"stage": target, "from": source}

    return move


def make_client(user):
    from django.template.base import Template

    # Lets the test client's host (testserver) in. DEBUG goes off, as in production, so
    # queries are not logged and templates are not compiled in debug mode. The test
    # environment also instruments template rendering (to record contexts for assertions);
    # that is test-client bookkeeping, not server work, so the plain renderer is put back.
    from django.test import Client, utils
    from django.test.utils import setup_test_environment

    if not hasattr(utils._TestState, "saved_data"):  # once a process
        render = Template._render
        setup_test_environment(debug=False)
        Template._render = render
    client = Client()
    client.force_login(user)
    return client


# --- Reporting ---------------------------------------------------------------------------


def results_markdown(pages, big_board, seeded, big, requests, db_version, db_name) -> str:
    import django

    c = seeded.counts
    now = datetime.datetime.now(datetime.UTC)
    load = os.getloadavg()
    lines = [
        "# Pipeline pages: server time, each right after a write",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC; load average at the end {load[0]:.2f}, "
        f"{load[1]:.2f}, {load[2]:.2f}",
        f"- Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, Django {django.get_version()}",
        f"- Database: {db_version} (`{db_name}`)",
        f"- Data: 1 user; {c['applications']:,} applications ({c['active']} active, "
        f"{c['ended']:,} ended, {c['archived']} of them archived); {c['events']:,} timeline "
        f"events ({c['star events']} on the detail page's application); {c['interviews']} "
        f"interviews ({c['upcoming interviews']} upcoming); {c['offers']} offers; "
        f"{c['follow-ups']:,} follow-ups ({c['pending follow-ups']} pending); "
        f"{c['tags']} tags ({c['tag links']:,} links); {c['contacts']} contacts "
        f"({c['contact links']} links). A second user has {big.counts['applications']:,} "
        f"applications ({big.counts['active']} active) and {big.counts['events']:,} events.",
        f"- Seeding: {seeded.seconds + big.seconds:.1f} s",
        f"- Method: in-process `django.test.Client` (Django handling the request, no network), "
        f"production settings but for the test client's host (DEBUG off, templates cached); "
        f"before every request, untimed, a write every page shows (an application's priority "
        f"edited through the services, which logs an event on its timeline: the timeline is "
        f"put back as seeded before each page); {WARMUP_REQUESTS} warm-up then {requests} timed "
        f"requests per page, each page's alternating with the minimal page's (its ratio is to "
        f"the minimal page timed beside it, both after a write); queries counted on one "
        f"request of each. The minimal page goes through the same middleware (session, user, "
        f"CSRF, CSP, time zone) and draws nothing.",
        "",
        "| Page | Path | Median (ms) | p95 (ms) | × minimal | Goal | CPU median (ms) "
        "| CPU × minimal | Queries | HTML (KB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    board = pages[1]
    for page in [*pages, big_board]:
        if page.error:
            lines.append(f"| {page.label} | `{page.path}` | error | | | | | | | {page.error} |")
            continue
        goal = GOALS.get(page.label, "")
        if page is pages[0]:
            ratio = cpu_ratio = 1.0
        elif page is big_board:  # timed beside the board: its ratio times the board's
            ratio, cpu_ratio = page.ratio() * board.ratio(), page.cpu_ratio() * board.cpu_ratio()
        else:
            ratio, cpu_ratio = page.ratio(), page.cpu_ratio()
        lines.append(
            f"| {page.label} | `{page.path}` | {page.median:.2f} | {page.p95:.2f} "
            f"| {ratio:.2f} | {goal} | {page.cpu_median:.2f} "
            f"| {cpu_ratio:.2f} | {page.queries} | {page.html_kb:.0f} |"
        )
    if not (board.error or big_board.error):
        lines += [
            "",
            f"The board with {big.counts['applications']:,} applications takes "
            f"{big_board.ratio():.2f}× the time of the board with {c['applications']:,} "
            f"timed beside it (goal at most 1.3×).",
        ]
    return "\n".join(lines) + "\n"


GOALS = {
    "Minimal page": "",
    "Board (200 cards)": "≤ 5",
    "Drag (htmx move)": "≤ 5",
    "List, first page": "≤ 3",
    "List, all statuses": "≤ 3",
    "Follow-ups": "≤ 3",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pipeline", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--requests", type=int, default=100, help="timed requests per page (default 100)"
    )
    args = parser.parse_args(argv)
    if args.requests < 1:
        parser.error("--requests must be at least 1")

    try:
        configure()
        db = ensure_database()
        print(f"Migrating {db['NAME']}…", flush=True)
        migrate()
        print("Seeding…", flush=True)
        seeded = seed(random.Random(SEED))  # noqa: S311 (reproducible data, not secrets)
        print(f"Seeded in {seeded.seconds:.1f} s: {seeded.counts}", flush=True)
        big = seed(random.Random(SEED), BIG_EMAIL, BIG_APPLICATIONS)  # noqa: S311
        print(f"Seeded in {big.seconds:.1f} s: {big.counts}", flush=True)
    except BenchError as exc:
        print(f"pipeline benchmark: {exc}", file=sys.stderr)
        return 2

    from django.db import connection

    from applications.models import Application

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        db_version = f"{connection.display_name} {cursor.fetchone()[0]}"
    db_version += f", autovacuum {autovacuum()} (each page starts vacuumed)"

    card = Application.objects.filter(owner=seeded.user, stage="interviewing").exclude(
        pk=seeded.star_pk
    )[0]
    star = f"/applications/{seeded.star_pk}/"
    pages = [
        Page("Minimal page", "/bench/minimal/"),
        Page("Board (200 cards)", "/applications/board/"),
        Page("Drag (htmx move)", f"/applications/{card.pk}/move/", post=mover(card.pk)),
        Page("List, first page", "/applications/"),
        Page("List, all statuses", "/applications/?status=all"),
        # Its application's company comes up a dozen times: the history panel has its list.
        Page(f"Detail ({seeded.counts['star events']} events)", star, shows="Earlier with "),
        Page("Follow-ups", "/followups/"),
    ]
    GOALS[pages[5].label] = "≤ 3"
    client = make_client(seeded.user)
    write = writer(seeded.user, seeded.star_pk)
    minimal = requester(client, pages[0])
    for page in pages:
        print(f"Timing {page.label}…", flush=True)
        write.restore()
        measure(client, page, args.requests, write, beside=None if page is pages[0] else minimal)
        print(
            f"  {page.error or f'median {page.median:.2f} ms (CPU {page.cpu_median:.2f}), {page.queries} queries'}"
        )
    # The board of 20,000 applications, each request beside one of the 2,000's board, each
    # of its own user after a write of that user's.
    big_board = Page(f"Board, {BIG_APPLICATIONS:,} applications", "/applications/board/")
    print(f"Timing {big_board.label}…", flush=True)
    big_write = writer(big.user, big.star_pk)
    small_board = requester(client, pages[1])

    def both_write():
        write()
        big_write()

    write.restore()
    big_write.restore()
    measure(make_client(big.user), big_board, args.requests, both_write, beside=small_board)

    report = results_markdown(
        pages, big_board, seeded, big, args.requests, db_version, str(db["NAME"])
    )
    print()
    print(report)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print(f"Written to {RESULTS_PATH}.")
    failed = [page for page in [*pages, big_board] if page.error]
    for page in failed:
        print(f"pipeline benchmark: {page.label} failed: {page.error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
