"""Everything a user owns, out: applications as CSV (the columns the import reads back) and
all of their data as JSON."""

import csv
import io

from django.db.models import Prefetch
from django.utils import timezone

from applications.models import Application, Contact, FollowUp, Interview, Tag, TimelineEvent
from dataio.csv_import import FORMULA_STARTS
from inbox import services as inbox
from messaging.models import Message, UserTemplate

CSV_COLUMNS = [
    ("Company", "company"),
    ("Title", "job_title"),
    ("URL", "posting_url"),
    ("Stage", "stage"),
    ("Date applied", "applied_on"),
    ("Salary min", "salary_min"),
    ("Salary max", "salary_max"),
    ("Currency", "salary_currency"),
    ("Location", "location"),
    ("Notes", "notes"),
]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run “=HYPERLINK(…)” in a company name as a formula.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def applications_csv(*, user) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for title, _ in CSV_COLUMNS])
    applications = Application.objects.for_user(user).order_by("created_at", "id")
    for application in applications.values_list(*(name for _, name in CSV_COLUMNS)):
        writer.writerow([_cell(value) for value in application])
    # With a byte-order mark, Excel opens it as UTF-8; the import accepts it either way.
    return "\ufeff" + out.getvalue()


def _fields(obj, *names: str) -> dict:
    return {name: getattr(obj, name) for name in names}


def everything(*, user) -> dict:
    """Every row the user owns, as plain data (for json.dumps with DjangoJSONEncoder)."""
    applications = (
        Application.objects.for_user(user)
        .order_by("created_at", "id")
        .select_related("offer")
        .prefetch_related(
            "tags",
            "contacts",
            Prefetch("interviews", Interview.objects.prefetch_related("interviewers")),
            Prefetch("events", TimelineEvent.objects.order_by("at", "id")),
            Prefetch("messages", Message.objects.order_by("created_at", "id")),
            Prefetch("followups", FollowUp.objects.order_by("due_at", "id")),
        )
    )
    return {
        "format": "bridges-export-1",
        "exported_at": timezone.now(),
        "account": _fields(
            user,
            "email",
            "display_name",
            "time_zone",
            "date_joined",
            "thank_you_hours",
            "check_in_business_days",
            "offer_days_before",
            "inactivity_days",
            "reminder_mode",
            "digest_hour",
            "quiet_hours_start",
            "quiet_hours_end",
        ),
        "tags": [tag.name for tag in Tag.objects.for_user(user)],
        "contacts": [
            _fields(c, "id", "name", "role", "company", "email", "phone", "url", "notes")
            for c in Contact.objects.for_user(user).order_by("id")
        ],
        "applications": [_application(a) for a in applications],
        "message_templates": [
            _fields(t, "kind", "name", "subject", "body", "updated_at")
            for t in UserTemplate.objects.for_user(user).order_by("kind", "name")
        ],
        # The connected mailbox (never its password) and what Bridges proposed from it.
        "inbox": inbox.export(user=user),
    }


def _application(application: Application) -> dict:
    data = _fields(
        application,
        *("id", "company", "job_title", "posting_url", "job_description", "location"),
        *("workplace_type", "salary_min", "salary_max", "salary_currency", "source", "stage"),
        *("stage_changed_at", "priority", "notes", "applied_on", "end_reason", "ended_by"),
        *("archived_at", "created_at", "updated_at"),
    )
    offer = getattr(application, "offer", None)
    data.update(
        tags=[tag.name for tag in application.tags.all()],
        contact_ids=[contact.id for contact in application.contacts.all()],
        interviews=[
            {
                **_fields(i, "id", "round", "starts_at", "duration_minutes", "format"),
                **_fields(i, "location", "state", "notes"),
                "interviewer_ids": [contact.id for contact in i.interviewers.all()],
            }
            for i in application.interviews.all()
        ],
        offer=_fields(offer, "amount", "currency", "deadline", "notes") if offer else None,
        timeline=[
            {
                **_fields(e, "at", "kind", "from_stage", "to_stage", "text"),
                "interview_id": e.interview_id,
                "message_id": e.message_id,
            }
            for e in application.events.all()
        ],
        messages=[
            _fields(m, "id", "created_at", "kind", "channel", "tone", "reason", "to_email")
            | _fields(m, "subject", "body")
            for m in application.messages.all()
        ],
        followups=[
            _fields(f, "kind", "state", "due_at", "snoozed_until", "low_priority", "closed_at")
            | {"interview_id": f.interview_id}
            for f in application.followups.all()
        ],
    )
    return data
