"""Exactly what an agency sees of a candidate who shares: the recruiter's admin shows these
fields and no others, and the candidate's Agency page lists the same ones."""

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
FOLLOWUP_FIELDS = ["kind", "state", "due_at", "snoozed_until"]
MESSAGE_FIELDS = ["kind", "channel", "to_email", "subject", "body", "created_at"]

SECTIONS = [
    ("Applications", "applications", "Application", APPLICATION_FIELDS),
    ("Interviews", "applications", "Interview", INTERVIEW_FIELDS),
    ("Offers", "applications", "Offer", OFFER_FIELDS),
    ("Timeline", "applications", "TimelineEvent", TIMELINE_FIELDS),
    ("Follow-ups you owe", "applications", "FollowUp", FOLLOWUP_FIELDS),
    ("Messages you logged", "messaging", "Message", MESSAGE_FIELDS),
]

NOT_SHARED = [
    "your notes, on applications, interviews, offers and the timeline",
    "your contacts and interviewers",
    "the job descriptions you pasted",
    "interview locations and meeting links",
    "your message templates and drafts you did not send",
    "your profile settings, reminders and calendar",
    "anything of an agency you have not said yes to",
]


def shared_sections() -> list[tuple[str, list[str]]]:
    """Each shared section with the human names of its fields."""
    sections = [("About you", ["your name", "your email address", "your office"])]
    for title, label, model_name, fields in SECTIONS:
        model = apps.get_model(label, model_name)
        sections.append((title, [str(model._meta.get_field(name).verbose_name) for name in fields]))
    return sections
