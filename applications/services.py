"""Workflows of the pipeline. Each is one transaction that also writes its timeline event."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from applications.models import (
    REASONS_FOR_END,
    Application,
    Contact,
    EndedBy,
    EndReason,
    Interview,
    Offer,
    Tag,
    TimelineEvent,
    ended_by_for,
)
from applications.stages import STAGE_ORDER, MoveKind, MoveNotAllowed, Stage, check_move

Kind = TimelineEvent.Kind


def _sentences(*parts: str) -> str:
    """Joins the non-empty parts of an event's text."""
    return " ".join(part for part in parts if part)


def _set_tags(application: Application, names: Iterable[str]) -> None:
    tags = [
        Tag.objects.get_or_create(owner=application.owner, name=name)[0]
        for name in dict.fromkeys(n.strip()[:40] for n in names if n.strip())
    ]
    application.tags.set(tags)


@transaction.atomic
def application_create(
    *,
    application: Application,
    tag_names: Iterable[str] = (),
    contacts: Iterable[Contact] = (),
) -> Application:
    """Saves a new application (owner already set) and opens its timeline."""
    if application.stage != Stage.SAVED and application.applied_on is None:
        application.applied_on = timezone.localdate()
    application.save()
    _set_tags(application, tag_names)
    application.contacts.set(contacts)
    TimelineEvent.objects.create(
        application=application, kind=Kind.CREATED, to_stage=application.stage
    )
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    changed_fields: Iterable[str],
    tag_names: Iterable[str],
    contacts: Iterable[Contact],
) -> Application:
    """Saves edited details; the stage changes only through `application_move`."""
    application.save()
    _set_tags(application, tag_names)
    application.contacts.set(contacts)
    changed = [Application._meta.get_field(name).verbose_name for name in changed_fields]
    if changed:
        TimelineEvent.objects.create(
            application=application, kind=Kind.EDITED, text="Changed: " + ", ".join(changed) + "."
        )
    return application


@transaction.atomic
def application_move(
    *, application: Application, target: str, reason: str = "", note: str = ""
) -> TimelineEvent:
    """Moves the application to `target`, or raises MoveNotAllowed and changes nothing.

    Ends other than acceptance need a reason (“no reason given” counts); reopening clears it.
    """
    # Lock the row so two quick moves (a double drop on the board) apply one after the other.
    locked = Application.objects.select_for_update().get(pk=application.pk)
    move = check_move(locked.stage, target)
    if move.needs_reason:
        if reason not in REASONS_FOR_END[move.target]:
            raise MoveNotAllowed(f"Say why the application is {move.target.label.lower()}.")
        locked.end_reason = reason
        locked.ended_by = ended_by_for(move.target, reason)
    else:
        locked.end_reason = ""
        locked.ended_by = EndedBy.CANDIDATE if move.target == Stage.ACCEPTED else ""
    now = timezone.now()
    if move.target == Stage.APPLIED and locked.applied_on is None:
        locked.applied_on = timezone.localdate(now)
    locked.stage = move.target
    locked.stage_changed_at = now
    locked.save()
    application.refresh_from_db()
    kind = Kind.REOPENED if move.kind == MoveKind.REOPEN else Kind.STAGE_MOVED
    text = note
    if move.kind == MoveKind.BACKWARD:
        text = _sentences("Moved back.", note)
    if move.needs_reason:
        text = _sentences(f"Reason: {EndReason(reason).label}.", note)
    return TimelineEvent.objects.create(
        application=application,
        kind=kind,
        at=now,
        from_stage=move.source,
        to_stage=move.target,
        text=text,
    )


def _advance_to(application: Application, stage: Stage) -> None:
    """Moves an active application forward to `stage` if it is not there yet."""
    if application.is_active and STAGE_ORDER[Stage(application.stage)] < STAGE_ORDER[stage]:
        application_move(application=application, target=stage)


@transaction.atomic
def application_record_invitation(
    *, application: Application, to_interview: bool, note: str = ""
) -> TimelineEvent:
    """The employer invites the candidate to a screening call or an interview round."""
    _advance_to(application, Stage.INTERVIEWING if to_interview else Stage.SCREENING)
    what = "an interview" if to_interview else "a screening call"
    return TimelineEvent.objects.create(
        application=application,
        kind=Kind.INVITATION_RECEIVED,
        text=_sentences(f"Invited to {what}.", note),
    )


@transaction.atomic
def interview_schedule(*, interview: Interview, interviewers: Iterable[Contact] = ()) -> Interview:
    interview.save()
    interview.interviewers.set(interviewers)
    _advance_to(interview.application, Stage.INTERVIEWING)
    local = timezone.localtime(interview.starts_at)
    TimelineEvent.objects.create(
        application=interview.application,
        kind=Kind.INTERVIEW_SCHEDULED,
        interview=interview,
        text=f"Round {interview.round}, {interview.get_format_display().lower()}, "
        f"{local:%a %d %b %Y %H:%M} ({local.tzname()}).",
    )
    return interview


@transaction.atomic
def interview_mark_held(*, interview: Interview, note: str = "") -> TimelineEvent:
    if interview.state == Interview.State.HELD:
        raise MoveNotAllowed("This interview is already marked as held.")
    if interview.starts_at > timezone.now():
        raise MoveNotAllowed("This interview has not started yet.")
    return _close_interview(interview, Interview.State.HELD, Kind.INTERVIEW_HELD, note)


@transaction.atomic
def interview_cancel(*, interview: Interview, note: str = "") -> TimelineEvent:
    if interview.state in (Interview.State.HELD, Interview.State.CANCELLED):
        raise MoveNotAllowed(f"This interview is already {interview.get_state_display().lower()}.")
    return _close_interview(interview, Interview.State.CANCELLED, Kind.INTERVIEW_CANCELLED, note)


def _close_interview(interview: Interview, state: str, kind: str, note: str) -> TimelineEvent:
    interview.state = state
    interview.save(update_fields=["state"])
    return TimelineEvent.objects.create(
        application=interview.application,
        kind=kind,
        interview=interview,
        text=_sentences(f"Round {interview.round} {interview.get_state_display().lower()}.", note),
    )


@transaction.atomic
def offer_record(*, offer: Offer) -> Offer:
    """Saves the offer (new or revised) and moves the application to the offer stage."""
    application = offer.application
    if not application.is_active:
        raise MoveNotAllowed("The application has ended; reopen it to record an offer.")
    offer.save()
    _advance_to(application, Stage.OFFER)
    parts = ["Offer"]
    if offer.amount is not None:
        parts.append(f"of {offer.amount:,.0f} {offer.currency}".rstrip())
    if offer.deadline:
        parts.append(f"— answer by {offer.deadline:%d %b %Y}")
    TimelineEvent.objects.create(
        application=application, kind=Kind.OFFER_RECORDED, text=" ".join(parts) + "."
    )
    return offer


def application_add_note(*, application: Application, text: str) -> TimelineEvent:
    return TimelineEvent.objects.create(application=application, kind=Kind.NOTE, text=text)


def application_set_archived(*, application: Application, archived: bool) -> None:
    application.archived_at = timezone.now() if archived else None
    application.save(update_fields=["archived_at", "updated_at"])
