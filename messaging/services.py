"""Writing, logging and sending a candidate's messages."""

import datetime
import logging
from dataclasses import dataclass

from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from applications import services as pipeline
from applications.models import Application, Contact, EndReason, Interview, TimelineEvent
from applications.stages import MoveNotAllowed, Stage
from messaging import courtesy, outgoing, tasks
from messaging.catalogue import ENDS_APPLICATION, STOPPING, Kind, reason_sentence
from messaging.compose import Choices, Facts, compose, greeting
from messaging.compose import Message as Draft
from messaging.facts import liked as tidy_liked
from messaging.models import Channel, Message, Outbox, UserTemplate
from messaging.placeholders import substitute

logger = logging.getLogger(__name__)

LOOKS_BACK = (Kind.THANK_YOU_INTERVIEW, Kind.FOLLOW_UP, Kind.THANK_YOU_AFTER_DECLINE)


class RetryNotAllowed(Exception):
    """Only a message whose delivery failed can be sent again."""


def main_contact(application: Application) -> Contact | None:
    """The person a message goes to: the hiring manager, else the recruiter, else anyone."""
    contacts = sorted(
        application.contacts.all(),
        key=lambda c: (
            c.role != Contact.Role.HIRING_MANAGER,
            c.role != Contact.Role.RECRUITER,
            c.pk,
        ),
    )
    with_email = [c for c in contacts if c.email]
    return (with_email or contacts or [None])[0]


def load_for_messages(application: Application) -> Application:
    """Fetches, once, the contacts and interviews every message of the application uses."""
    prefetch_related_objects([application], "contacts", "interviews")
    return application


def _interview_for(application: Application, kind: str) -> Interview | None:
    """The interview a message speaks of: the last one held for thanks and follow-ups, the
    next one coming for a decline or a new time."""
    interviews = application.interviews.all()
    if kind in LOOKS_BACK:
        held = [i for i in interviews if i.state == Interview.State.HELD]
        return max(held, key=lambda i: i.starts_at, default=None)
    now = timezone.now()
    coming = [
        i
        for i in interviews
        if i.state in (Interview.State.PROPOSED, Interview.State.SCHEDULED) and i.starts_at >= now
    ]
    return min(coming, key=lambda i: i.starts_at, default=None)


def facts_for(application: Application, kind: str) -> Facts:
    contact = main_contact(application)
    interview = _interview_for(application, kind)
    owner = application.owner
    return Facts(
        company=application.company,
        job_title=application.job_title,
        # The name the user set on their profile, or none: never their email address.
        your_name=owner.display_name,
        contact_name=contact.name if contact else "",
        interview_at=timezone.localtime(interview.starts_at, owner.zoneinfo) if interview else None,
        your_phone=owner.phone,
    )


def draft_for(
    application: Application, choices: Choices, template: UserTemplate | None = None
) -> Draft:
    """The filled-in message: Bridges' own words, or the user's template filled in."""
    facts = facts_for(application, choices.kind)
    message = compose(facts, choices)
    if template is None:
        return message
    values = {
        "greeting": greeting(facts, choices.tone),
        "company": facts.company,
        "job_title": facts.job_title,
        "contact_name": facts.contact_name,
        # The first name when it is known, else the formal form: never “Hi Okafor” or “Hi ,”.
        "contact_first_name": facts.contact.warm,
        "your_name": facts.your_name,
        "interview_date": facts.interview_date or "the proposed date",
        "reason_sentence": reason_sentence(choices.reason, choices.tone)
        if choices.kind in STOPPING
        else "",
        "liked": tidy_liked(choices.liked),
    }
    return Draft(
        subject=substitute(template.subject, values),
        body=substitute(template.body, values),
        call_script=message.call_script,
        voicemail=message.voicemail,
    )


def pending_invitation_at(application: Application):
    """When the invitation still waiting for an answer arrived, or None if none waits: an
    invitation is answered by a message logged, or an interview scheduled or held, after it."""
    Event = TimelineEvent.Kind
    latest = (
        application.events.filter(
            kind__in=(
                Event.INVITATION_RECEIVED,
                Event.MESSAGE_LOGGED,
                Event.INTERVIEW_SCHEDULED,
                Event.INTERVIEW_HELD,
            )
        )
        .order_by("-at", "-id")
        .values_list("kind", "at")
        .first()
    )
    return latest[1] if latest and latest[0] == Event.INVITATION_RECEIVED else None


def courtesy_context(application: Application, kind: str, invited_at=None) -> courtesy.Context:
    held = _interview_for(application, Kind.THANK_YOU_INTERVIEW)
    return courtesy.Context(
        kind=kind,
        company=application.company,
        job_title=application.job_title,
        invited_at=invited_at,
        interview_held_at=held.starts_at if held else None,
        time_zone=application.owner.zoneinfo,
    )


@dataclass(frozen=True)
class Logged:
    message: Message
    moved_to: str  # the stage the application moved to, or "" if it stayed
    duplicate: bool = False  # this draft had been logged already
    outbox: Outbox | None = None  # its delivery, for a message emailed from Bridges


def _already_logged(application: Application, draft_id) -> Logged | None:
    # Lock the application first, so that of two submits of one draft the second waits here
    # and then finds the first one's message.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    existing = Message.objects.filter(draft_id=draft_id).first() if draft_id else None
    return Logged(existing, "", duplicate=True) if existing else None


@transaction.atomic
def message_log(
    *,
    application: Application,
    kind: str,
    channel: str,
    subject: str,
    body: str,
    to_email: str = "",
    tone: str = "formal",
    reason: str = "",
    draft_id=None,
) -> Logged:
    """Records the message on the timeline and moves the application where it belongs
    (a sent decline ends it as declined, a withdrawal as withdrawn, an acceptance as accepted).
    A draft already logged is not logged again."""
    if duplicate := _already_logged(application, draft_id):
        return duplicate
    message = Message.objects.create(
        draft_id=draft_id,
        application=application,
        kind=kind,
        channel=channel,
        tone=tone,
        reason=reason,
        to_email=to_email,
        subject=subject,
        body=body,
    )
    if channel == Channel.EMAIL:
        # Recorded as being sent; the delivery says “Emailed” once the server took it.
        text = outgoing.timeline_sentence(message, Outbox.State.PENDING)
    else:
        how = {
            Channel.MAIL_APP: "Opened in the mail app",
            Channel.COPIED: "Copied to send yourself",
            Channel.CALL: "Phone call",
        }[channel]
        text = f"{Kind(kind).label}. {how}{': ' + subject if subject else ''}."
    pipeline.record(
        application=application,
        kind=TimelineEvent.Kind.MESSAGE_LOGGED,
        message=message,
        text=text,
    )
    target = ENDS_APPLICATION.get(kind, "")
    if target:
        try:
            pipeline.application_move(
                application=application,
                target=target,
                reason="" if target == Stage.ACCEPTED else reason or EndReason.NO_REASON,
            )
        except MoveNotAllowed:
            # Already ended, or a message that does not end this stage: logged, not moved.
            target = ""
    return Logged(message, target)


@transaction.atomic
def message_send(
    *,
    application: Application,
    kind: str,
    subject: str,
    body: str,
    to_email: str,
    tone: str = "formal",
    reason: str = "",
    draft_id=None,
    queue: bool = True,
) -> Logged:
    """Records a message to email from Bridges (replies go to the candidate, who gets a copy):
    in one transaction it is logged on the timeline as being sent, with the stage move it
    implies, and its outbox row is created; the delivery task is queued after the commit
    (unless `queue` is false: the caller queues a batch), so no mail server or broker is ever
    waited on while the application is locked. A draft already recorded is not recorded (nor
    sent) again."""
    logged = message_log(
        application=application,
        kind=kind,
        channel=Channel.EMAIL,
        subject=subject,
        body=body,
        to_email=to_email,
        tone=tone,
        reason=reason,
        draft_id=draft_id,
    )
    if logged.duplicate:
        return logged
    outbox = Outbox.objects.create(
        owner_id=application.owner_id, message=logged.message, sequence=0
    )
    if queue:
        tasks.deliver_after_commit([outbox.pk])
    return Logged(logged.message, logged.moved_to, outbox=outbox)


@transaction.atomic
def message_retry(message: Message) -> Outbox:
    """Sends again a message whose delivery failed: its attempts start over, its timeline entry
    says it is being sent, and the delivery is queued after the commit. RetryNotAllowed if it
    is not a failed delivery (already sent, or still being sent)."""
    retried = Outbox.objects.filter(message=message, state=Outbox.State.FAILED).update(
        state=Outbox.State.PENDING, attempts=0, lease_until=None, queued_at=timezone.now()
    )
    if not retried:
        raise RetryNotAllowed("This message is not waiting for another try.")
    outgoing.record_on_timeline(message.pk, Outbox.State.PENDING)
    outbox = Outbox.objects.get(message=message)
    tasks.deliver_after_commit([outbox.pk])
    return outbox


def sending_allowed(user) -> bool:
    """Whether `user` may have Bridges email one more message now: a human pace, the
    `send_message` rates of ACCOUNT_RATE_LIMITS counted over the user's outbox rows (kept in the
    database, so the limit holds, and sending works, while Redis is away)."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("send_message"))
    now = timezone.now()
    sent = Outbox.objects.filter(owner=user, message__isnull=False)
    return all(
        sent.filter(created_at__gt=now - datetime.timedelta(seconds=rate.duration)).count()
        < rate.amount
        for rate in rates
        if rate.per == "user"
    )
