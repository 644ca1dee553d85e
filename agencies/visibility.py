"""Exactly what an agency sees of a candidate who shares, in one place: the recruiter's admin
shows these fields and no others, lets a recruiter filter, search and sort by nothing else, and
the candidate's Agency page lists the same ones, and what is never shared."""

from django.apps import apps

# (app label, model, fields): the recruiter's admin reads these lists.
APPLICATION_FIELDS = [
    "company",
    "job_title",
    "posting_url",
    "location",
    "workplace_type",
    "salary_min",
    "salary_max",
    "salary_currency",
    "source",
    "stage",
    "stage_changed_at",
    "applied_on",
    "end_reason",
    "ended_by",
    "created_at",
]
INTERVIEW_FIELDS = ["round", "starts_at", "duration_minutes", "format", "state"]
OFFER_FIELDS = ["amount", "currency", "deadline"]
TIMELINE_FIELDS = ["at", "kind", "from_stage", "to_stage"]
# When a follow-up was opened and closed: the dashboard's median time to answer and its chart
# of overdue answers per day are made of them.
FOLLOWUP_FIELDS = ["kind", "state", "due_at", "snoozed_until", "created_at", "closed_at"]
MESSAGE_FIELDS = ["kind", "channel", "to_email", "subject", "body", "created_at"]

SECTIONS = [
    ("Applications", "applications", "Application", APPLICATION_FIELDS),
    ("Interviews", "applications", "Interview", INTERVIEW_FIELDS),
    ("Offers", "applications", "Offer", OFFER_FIELDS),
    ("Timeline", "applications", "TimelineEvent", TIMELINE_FIELDS),
    ("Follow-ups you owe", "applications", "FollowUp", FOLLOWUP_FIELDS),
    ("Messages you logged", "messaging", "Message", MESSAGE_FIELDS),
]

# What the Agency page promises is never shared, each promise with the fields it covers
# ("app_label.Model.field", or "app_label.Model" for all of a model). The page lists the
# sentences; the tests prove the recruiter's admin answers no question about any of the fields.
NEVER_SHARED = [
    (
        "your notes, on applications, interviews, offers and the timeline",
        [
            "applications.Application.notes",
            "applications.Interview.notes",
            "applications.Offer.notes",
            "applications.TimelineEvent.text",
        ],
    ),
    (
        "your contacts and interviewers",
        [
            "applications.Application.contacts",
            "applications.Interview.interviewers",
            "applications.Contact",
        ],
    ),
    ("the job descriptions you pasted", ["applications.Application.job_description"]),
    ("interview locations and meeting links", ["applications.Interview.location"]),
    ("your message templates and drafts you did not send", ["messaging.UserTemplate"]),
    (
        "your profile settings, reminders and calendar",
        [
            "accounts.User.time_zone",
            "accounts.User.reminder_mode",
            "accounts.User.digest_hour",
            "accounts.User.quiet_hours_start",
            "accounts.User.thank_you_hours",
            "accounts.User.password",
            "applications.FollowUp.remind_at",
            "applications.FollowUp.reminders_sent",
            "messaging.Outbox",
            "dataio.CalendarFeed",
            "inbox.Mailbox",
        ],
    ),
    ("anything of an agency you have not said yes to", []),  # agencies.scoping's rows
]
NOT_SHARED = [promise for promise, _fields in NEVER_SHARED]

# What a recruiter's query may reach, model by model: the shared fields, and the links from one
# shared row to another (an application's candidate, an interview's application...). A filter,
# search or ordering the recruiter's admin offers must stay inside these.
_LINKS = {
    "accounts.User": ["display_name", "email"],  # "your name", "your email address"
    "agencies.CandidateMembership": ["candidate", "office", "shared_since", "consent_lapses_at"],
    "agencies.Office": ["city"],
    "agencies.OwedAnswer": ["owner", "application", *FOLLOWUP_FIELDS],
    "applications.Application": ["owner", *APPLICATION_FIELDS],
    "applications.Interview": ["application", *INTERVIEW_FIELDS],
    "applications.Offer": ["application", *OFFER_FIELDS],
    "applications.TimelineEvent": ["application", *TIMELINE_FIELDS],
    "applications.FollowUp": ["owner", "application", *FOLLOWUP_FIELDS],
    "messaging.Message": ["application", *MESSAGE_FIELDS],
}


def shared_fields(model) -> set[str]:
    """The fields of `model` a recruiter may read or query (its primary key included)."""
    names = _LINKS.get(model._meta.label, [])
    return {*names, model._meta.pk.name, "pk"} if names else set()


def is_shared_path(model, path: str) -> bool:
    """Whether a lookup such as "application__owner__email__iexact" reads only shared fields.

    Each field on the way must be shared; after the last field come transforms and the lookup.
    A path ending on a link (e.g. ordering by "application") sorts by the linked model's own
    ordering, so that ordering must be shared too.
    """
    parts = path.lstrip("-").split("__")
    for index, part in enumerate(parts):
        if part not in shared_fields(model):
            return False
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        if not field.is_relation:
            return True
        model = field.related_model
        if index == len(parts) - 1:
            ordering = model._meta.ordering
            return all(isinstance(name, str) and is_shared_path(model, name) for name in ordering)
    return True


def private_fields() -> list[tuple[type, str | None]]:
    """Every (model, field name) the Agency page says is never shared; None for a whole model."""
    found = []
    for _promise, refs in NEVER_SHARED:
        for ref in refs:
            label, model_name, *field = ref.split(".")
            found.append((apps.get_model(label, model_name), field[0] if field else None))
    return found


def shared_sections() -> list[tuple[str, list[str]]]:
    """Each shared section with the human names of its fields."""
    sections = [("About you", ["your name", "your email address", "your office"])]
    for title, label, model_name, fields in SECTIONS:
        model = apps.get_model(label, model_name)
        sections.append((title, [str(model._meta.get_field(name).verbose_name) for name in fields]))
    return sections
