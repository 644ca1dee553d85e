"""Workflows of the pipeline. Each is one transaction that also writes its timeline event."""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import editing, followups
from applications.models import (
    REASONS_FOR_END,
    Application,
    CompanyNameOpening,
    Contact,
    EndedBy,
    EndReason,
    Interview,
    Offer,
    Tag,
    TimelineEvent,
    ended_by_for,
)
from applications.money import currency_beside
from applications.stages import (
    MoveKind,
    MoveNotAllowed,
    Stage,
    check_move,
    check_named_move,
    is_active,
)

Kind = TimelineEvent.Kind


def record(
    *, application: Application, kind: str, at: datetime.datetime | None = None, **fields
) -> TimelineEvent:
    """Writes a timeline event and applies its consequences for what the user owes. Every
    event goes through here, inside its caller's transaction. `at` dates an event that
    happened earlier (an email found later); by default it happens now."""
    event = TimelineEvent.objects.create(
        application=application, kind=kind, at=at or timezone.now(), **fields
    )
    followups.apply(event)
    return event


def _sentences(*parts: str) -> str:
    """Joins the non-empty parts of an event's text."""
    return " ".join(part for part in parts if part)


def _set_tags(application: Application, names: Iterable[str]) -> None:
    tags = [
        Tag.objects.get_or_create(owner=application.owner, name=name)[0]
        for name in dict.fromkeys(n.strip()[:40] for n in names if n.strip())
    ]
    application.tags.set(tags)


class AlreadySubmitted(Exception):
    """The add form that was sent has added its application already (`application`)."""

    def __init__(self, application: Application):
        self.application = application
        super().__init__(f"Already added: {application}")


def _submitted(application: Application) -> Application | None:
    """The application an add form's key already added, if any."""
    if not application.submission:
        return None
    return Application.objects.filter(
        owner=application.owner, submission=application.submission
    ).first()


@transaction.atomic
def application_create(
    *,
    application: Application,
    tag_names: Iterable[str] = (),
    contacts: Iterable[Contact] = (),
    closes_on: datetime.date | None = None,
    note: str = "",
) -> Application:
    """Saves a new application (owner already set) and opens its timeline.

    `closes_on` is the posting's closing date (a saved application is reminded to apply in
    time); `note` is said on the timeline's first event (where the application came from).
    An add form sent twice (the same `submission` key) raises AlreadySubmitted the second
    time, even when both arrive at once: a unique constraint decides.
    """
    if application.stage != Stage.SAVED and application.applied_on is None:
        application.applied_on = timezone.localdate()
    application.salary_currency = currency_beside(
        (application.salary_min, application.salary_max),
        application.salary_currency,
        application.owner.currency,
    )
    if earlier := _submitted(application):
        raise AlreadySubmitted(earlier)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # The same form sent twice at once: the other request saved it first.
        if earlier := _submitted(application):
            raise AlreadySubmitted(earlier) from None
        raise
    _set_tags(application, tag_names)
    application.contacts.set(contacts)
    record(application=application, kind=Kind.CREATED, to_stage=application.stage, text=note)
    if closes_on:
        followups.open_apply_before(application, closes_on)
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    changed_fields: Iterable[str] = (),
    tag_names: Iterable[str] | None = None,
    contacts: Iterable[Contact] | None = None,
    edit: editing.Edit | None = None,
) -> Application:
    """Saves edited details; the stage changes only through `application_move`.

    Only the edited columns are written, so a move made meanwhile is never undone (tags and
    contacts: None leaves them as they are). With `edit` (what an edit form sent), the row
    is locked and compared with what the form showed (applications/editing.py): a field
    changed meanwhile is kept, or raises EditConflict and nothing is saved.
    """
    if edit is not None:
        locked = Application.objects.select_for_update().get(pk=application.pk)
        write = editing.reconcile(locked, edit)
        changed_fields, relations = editing.apply(locked, edit, write)
        application = locked
        tag_names = edit.yours["tags"] if "tags" in relations else None
        contacts = edit.yours["contacts"] if "contacts" in relations else None
    changed_fields = list(changed_fields)
    application.save(update_fields=[*changed_fields, "updated_at"])
    if "company" in changed_fields:  # the new name is kept by save(); the old may go
        CompanyNameOpening.objects.forget_unused(application.owner_id)
    if tag_names is not None:
        _set_tags(application, tag_names)
    if contacts is not None:
        application.contacts.set(contacts)
    if edit is not None:
        changed_fields += [name for name in ("tags", "contacts") if name in relations]
    changed = [Application._meta.get_field(name).verbose_name for name in changed_fields]
    if changed:
        record(
            application=application, kind=Kind.EDITED, text="Changed: " + ", ".join(changed) + "."
        )
    return application


@transaction.atomic
def contact_update(*, contact: Contact, edit: editing.Edit) -> Contact:
    """Saves an edited contact, compared with what its form showed (see application_update)."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    columns, _ = editing.apply(locked, edit, editing.reconcile(locked, edit))
    locked.save(update_fields=columns)
    return locked


def application_move(
    *,
    application: Application,
    target: str,
    reason: str = "",
    note: str = "",
    forward_only: bool = False,
    at: datetime.datetime | None = None,
    from_stage: str | None = None,
    locked: bool = False,
) -> TimelineEvent | None:
    """Moves the application to `target`, or raises MoveNotAllowed and changes nothing.

    Ends other than acceptance need a reason (“no reason given” counts); reopening clears it.
    With `forward_only`, a move that would not go forward is skipped (returns None).
    `from_stage` is the stage the user saw it in: the move is refused if it is no longer
    there; a reopening needs it (`check_named_move`). Afterwards `application` is as the
    database has it.

    `locked`: the caller read `application` with `select_for_update()` in the transaction
    this runs in (the board's move does: one read of the row, not two); a refusal then comes
    before anything is written.
    """
    # With `locked`, the caller's transaction (savepoint=False adds nothing inside it, and
    # still makes one for a caller that has none).
    with transaction.atomic(savepoint=not locked):
        if not locked:
            # Lock the row so two quick moves (a double drop on the board) apply one after the
            # other, and decide on the stage as it is now, not as this request first read it.
            row = Application.objects.select_for_update().get(pk=application.pk)
            for field in Application._meta.concrete_fields:
                setattr(application, field.attname, getattr(row, field.attname))
        if forward_only and (
            target == application.stage
            or check_move(application.stage, target).kind != MoveKind.FORWARD
        ):
            return None
        move = check_named_move(application.stage, target, from_stage)
        if move.target == Stage.SAVED and application.applied_on:
            raise MoveNotAllowed("An application that was sent cannot go back to Saved.")
        if move.needs_reason:
            if reason not in REASONS_FOR_END[move.target]:
                raise MoveNotAllowed(f"Say why the application is {move.target.label.lower()}.")
            application.end_reason = reason
            application.ended_by = ended_by_for(move.target, reason)
        else:
            application.end_reason = ""
            application.ended_by = EndedBy.CANDIDATE if move.target == Stage.ACCEPTED else ""
        now = at or timezone.now()
        if move.target != Stage.SAVED and is_active(move.target) and application.applied_on is None:
            application.applied_on = timezone.localdate(now)
        application.stage = move.target
        application.stage_changed_at = now
        application.save(update_fields=_MOVED_FIELDS)
        kind = Kind.REOPENED if move.kind == MoveKind.REOPEN else Kind.STAGE_MOVED
        text = note
        if move.kind == MoveKind.BACKWARD:
            text = _sentences("Moved back.", note)
        if move.needs_reason:
            text = _sentences(f"Reason: {EndReason(reason).label}.", note)
        return record(
            application=application,
            kind=kind,
            at=now,
            from_stage=move.source,
            to_stage=move.target,
            text=text,
        )


# What a move writes (the rest of the row stays as the lock found it).
_MOVED_FIELDS = ("stage", "stage_changed_at", "end_reason", "ended_by", "applied_on", "updated_at")


def _advance_to(
    application: Application, stage: Stage, at: datetime.datetime | None = None
) -> None:
    """Moves an active application forward to `stage` if it is not there or beyond yet."""
    if application.is_active:
        application_move(application=application, target=stage, forward_only=True, at=at)


def _refuse_if_ended(application: Application, what: str) -> None:
    if not application.is_active:
        raise MoveNotAllowed(f"The application has ended; reopen it to {what}.")


@transaction.atomic
def application_record_invitation(
    *,
    application: Application,
    to_interview: bool,
    note: str = "",
    at: datetime.datetime | None = None,
) -> TimelineEvent:
    """The employer invites the candidate to a screening call or an interview round. The
    invitation is recorded before the move it causes, so the timeline reads in that order."""
    what = "an interview" if to_interview else "a screening call"
    event = record(
        application=application,
        kind=Kind.INVITATION_RECEIVED,
        at=at,
        text=_sentences(f"Invited to {what}.", note),
    )
    _advance_to(application, Stage.INTERVIEWING if to_interview else Stage.SCREENING, event.at)
    return event


def _when(interview: Interview) -> str:
    local = timezone.localtime(interview.starts_at)
    return (
        f"Round {interview.round}, {interview.get_format_display().lower()}, "
        f"{local:%a %d %b %Y %H:%M} ({local.tzname()})."
    )


@transaction.atomic
def interview_schedule(*, interview: Interview, interviewers: Iterable[Contact] = ()) -> Interview:
    """Adds an interview: one to come, or (state “held”) one that already took place."""
    _refuse_if_ended(interview.application, "add an interview")
    interview.save()
    interview.interviewers.set(interviewers)
    _advance_to(interview.application, Stage.INTERVIEWING)
    held = interview.state == Interview.State.HELD
    record(
        application=interview.application,
        kind=Kind.INTERVIEW_HELD if held else Kind.INTERVIEW_SCHEDULED,
        interview=interview,
        text=_when(interview),
    )
    return interview


@transaction.atomic
def interview_update(
    *,
    interview: Interview,
    changed_fields: Iterable[str] = (),
    interviewers: Iterable[Contact] = (),
    edit: editing.Edit | None = None,
) -> Interview:
    """Saves a rescheduled or corrected interview and says so on the timeline. With `edit`,
    compared with what the form showed (see application_update)."""
    _refuse_if_ended(interview.application, "change an interview")
    if edit is not None:
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        changed_fields, relations = editing.apply(locked, edit, editing.reconcile(locked, edit))
        locked.save(update_fields=changed_fields)
        if "interviewers" in relations:
            locked.interviewers.set(edit.yours["interviewers"])
            changed_fields = [*changed_fields, "interviewers"]
        interview = locked
    else:
        interview.save()
        interview.interviewers.set(interviewers)
    changed = [Interview._meta.get_field(name).verbose_name for name in changed_fields]
    if changed:
        record(
            application=interview.application,
            kind=Kind.INTERVIEW_SCHEDULED,
            interview=interview,
            text=_sentences(f"Updated ({', '.join(changed)}).", _when(interview)),
        )
    return interview


# Which states an interview may leave for each outcome.
_INTERVIEW_OUTCOMES = {
    Interview.State.HELD: (Interview.State.PROPOSED, Interview.State.SCHEDULED),
    Interview.State.CANCELLED: (Interview.State.PROPOSED, Interview.State.SCHEDULED),
}


@transaction.atomic
def interview_mark_held(*, interview: Interview, note: str = "") -> TimelineEvent:
    if interview.starts_at > timezone.now():
        raise MoveNotAllowed("This interview has not started yet.")
    return _close_interview(interview, Interview.State.HELD, Kind.INTERVIEW_HELD, note)


@transaction.atomic
def interview_cancel(*, interview: Interview, note: str = "") -> TimelineEvent:
    return _close_interview(interview, Interview.State.CANCELLED, Kind.INTERVIEW_CANCELLED, note)


def _close_interview(interview: Interview, state: str, kind: str, note: str) -> TimelineEvent:
    # Claim the change with a conditional update: of two clicks, or a held and a cancel
    # racing, exactly one wins and writes its event.
    claimed = Interview.objects.filter(
        pk=interview.pk, state__in=_INTERVIEW_OUTCOMES[state]
    ).update(state=state)
    interview.refresh_from_db(fields=["state"])
    if not claimed:
        raise MoveNotAllowed(f"This interview is already {interview.get_state_display().lower()}.")
    return record(
        application=interview.application,
        kind=kind,
        interview=interview,
        text=_sentences(f"Round {interview.round} {interview.get_state_display().lower()}.", note),
    )


@transaction.atomic
def offer_record(
    *,
    offer: Offer,
    note: str = "",
    at: datetime.datetime | None = None,
    edit: editing.Edit | None = None,
) -> Offer:
    """Saves the offer (new or revised) and moves the application to the offer stage. With
    `edit`, a revision is compared with what the form showed (see application_update), the
    form of a first offer included: the other tab may have recorded one meanwhile."""
    application = offer.application
    _refuse_if_ended(application, "record an offer")
    # Two quick submits must revise one offer, not collide on creating it.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    saved = Offer.objects.filter(application=application).first()
    if saved is not None and edit is not None:
        columns, _ = editing.apply(saved, edit, editing.reconcile(saved, edit))
        saved.save(update_fields=columns)
        offer = saved
    else:
        offer.pk = saved.pk if saved else None
        offer.currency = currency_beside(
            (offer.amount,), offer.currency, application.owner.currency
        )
        offer.save()
    parts = ["Offer"]
    if offer.amount is not None:
        parts.append(f"of {offer.amount:,.0f} {offer.currency}".rstrip())
    if offer.deadline:
        parts.append(f"— answer by {offer.deadline:%d %b %Y}")
    event = record(
        application=application,
        kind=Kind.OFFER_RECORDED,
        at=at,
        text=_sentences(" ".join(parts) + ".", note),
    )
    _advance_to(application, Stage.OFFER, event.at)
    return offer


@transaction.atomic
def application_add_note(
    *, application: Application, text: str, at: datetime.datetime | None = None
) -> TimelineEvent:
    return record(application=application, kind=Kind.NOTE, text=text, at=at)


@transaction.atomic
def application_set_archived(*, application: Application, archived: bool) -> None:
    application.archived_at = timezone.now() if archived else None
    application.save(update_fields=["archived_at", "updated_at"])
    record(application=application, kind=Kind.ARCHIVED if archived else Kind.RESTORED)


@transaction.atomic
def application_delete(*, application: Application) -> None:
    """Deletes the application and all that hangs on it, through the database's cascades: its
    timeline, interviews and offer, its messages with their deliveries (an email not yet taken
    by a worker is then never sent), its follow-ups (a reminder queued for one finds nothing
    to say, and is not sent), and what the inbox proposed about it. Its company's name is
    forgotten with it when no other application has that name."""
    Application.objects.filter(pk=application.pk, owner_id=application.owner_id).delete()
    CompanyNameOpening.objects.forget_unused(application.owner_id)


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Deletes the contact; the applications and interviews it was on stay, without it."""
    Contact.objects.filter(pk=contact.pk, owner_id=contact.owner_id).delete()
