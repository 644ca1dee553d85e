import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from applications import followups
from applications.editing import EditForm
from applications.models import (
    REASONS_FOR_END,
    Application,
    Contact,
    Interview,
    Offer,
    Tag,
    WorkplaceType,
)
from applications.money import currency_beside
from applications.selectors import SORTS, duplicates_of
from applications.stages import (
    ACTIVE_STAGES,
    MoveNotAllowed,
    Stage,
    allowed_targets,
    check_named_move,
)
from config import formats


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def url_field(model, name: str) -> forms.URLField:
    """A model's URL field as a form field; a URL typed without a scheme is taken as https."""
    return model._meta.get_field(name).formfield(assume_scheme="https")


def owned_contacts(user, label: str = "Contacts") -> forms.ModelMultipleChoiceField:
    """A contact picker that can only ever offer, and accept, the user's own contacts."""
    return forms.ModelMultipleChoiceField(
        queryset=Contact.objects.for_user(user),
        required=False,
        label=label,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


class ApplicationForm(EditForm, forms.ModelForm):
    posting_url = url_field(Application, "posting_url")
    tags = forms.CharField(
        required=False, max_length=400, help_text="Separate tags with commas, e.g. python, fintech."
    )
    confirm_duplicate = forms.BooleanField(
        required=False, label="Yes, save it anyway", widget=forms.HiddenInput
    )

    class Meta:
        model = Application
        fields = [
            "company",
            "job_title",
            "stage",
            "posting_url",
            "location",
            "workplace_type",
            "salary_min",
            "salary_max",
            "salary_currency",
            "source",
            "priority",
            "applied_on",
            "contacts",
            "tags",
            "notes",
            "job_description",
        ]
        widgets = {
            "applied_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "job_description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["contacts"] = owned_contacts(user)
        if self.instance.pk:
            # The stage moves through the pipeline's own controls, never by editing.
            del self.fields["stage"]
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
        else:
            self.fields["stage"].choices = [(s.value, s.label) for s in ACTIVE_STAGES]
            # The form's one-time key: sent twice, it adds one application.
            self.fields["submission"] = forms.UUIDField(required=False, widget=forms.HiddenInput)
            self.initial["submission"] = uuid.uuid4()
            self.initial.setdefault("salary_currency", user.currency)
        self.fields["company"].widget.attrs["autofocus"] = True
        self.add_seen()

    def conflict_form_kwargs(self) -> dict:
        return {"user": self.user}

    def settle_currency(self, cleaned: dict) -> None:
        """A currency only beside a salary, the user's own when none is given."""
        salary = (cleaned.get("salary_min"), cleaned.get("salary_max"))
        cleaned["salary_currency"] = currency_beside(
            salary, cleaned.get("salary_currency"), self.user.currency
        )

    def clean_tags(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]
        too_long = [name for name in names if len(name) > Tag._meta.get_field("name").max_length]
        if too_long:
            raise forms.ValidationError(f"“{too_long[0]}” is too long for a tag (40 characters).")
        return names

    def clean(self):
        cleaned = super().clean()
        self.settle_currency(cleaned)
        company, title = cleaned.get("company"), cleaned.get("job_title")
        submission = cleaned.get("submission")
        mine = Application.objects.for_user(self.user)
        if submission and mine.filter(submission=submission).exists():
            # This very form added it already: not a duplicate to confirm, the same one.
            return cleaned
        if company and title and not cleaned.get("confirm_duplicate"):
            same = duplicates_of(
                user=self.user, company=company, job_title=title, exclude_pk=self.instance.pk
            ).first()
            if same:
                self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
                raise forms.ValidationError(
                    "You already have “%(same)s” (%(stage)s, added %(added)s). "
                    "Tick “save it anyway” if this is a different opening.",
                    params={
                        "same": same,
                        "stage": same.get_stage_display(),
                        "added": date_format(timezone.localtime(same.created_at), "j M Y"),
                    },
                    code="duplicate",
                )
        return cleaned


class StageField(forms.ChoiceField):
    """Offers the allowed stages, but lets any real stage through to `check_move`, whose
    refusal explains itself better than “not one of the available choices”."""

    def valid_value(self, value) -> bool:
        return value in Stage.values


class MoveForm(forms.Form):
    """Move an application to another stage; ends ask why. The form says which stage it
    moves from (`from`, the stage the page or the board showed): a stale one is refused."""

    stage = StageField(label="Move to")
    reason = forms.ChoiceField(required=False, label="Why?")
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        # "from" is a Python keyword: the field is added here rather than declared.
        self.fields["from"] = forms.ChoiceField(
            required=False, choices=Stage.choices, widget=forms.HiddenInput
        )
        self.initial.setdefault("from", application.stage)
        self.fields["stage"].choices = [
            (s.value, s.label) for s in allowed_targets(application.stage)
        ]
        target = self.data.get("stage") or self.initial.get("stage")
        reasons = REASONS_FOR_END.get(target, ())
        self.fields["reason"].choices = [("", "Choose a reason…")] + [
            (r.value, r.label) for r in reasons
        ]

    def clean(self):
        cleaned = super().clean()
        target, named = cleaned.get("stage"), cleaned.get("from")
        if "from" in self.errors or (target and not named):
            self.errors.pop("from", None)
            self.add_error(
                None, "This move does not say which stage it is from: reload the page and retry."
            )
            return cleaned
        if not target:
            return cleaned
        try:
            self.move = check_named_move(self.application.stage, target, named)
        except MoveNotAllowed as refusal:
            self.add_error(None if named != self.application.stage else "stage", str(refusal))
            return cleaned
        if self.move.needs_reason and not cleaned.get("reason"):
            self.add_error(
                "reason",
                f"Say why it is {self.move.target.label.lower()} (“No reason given” is fine).",
            )
        return cleaned


class SnoozeForm(forms.Form):
    """Snooze a follow-up for one of `followups.SNOOZES`, each offered with the time it would
    remind again (`followups.snoozed_until`: what the snooze will do)."""

    period = forms.ChoiceField(label="Snooze for", widget=forms.RadioSelect)

    def __init__(self, *args, followup, now: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        now = now or timezone.now()
        self.fields["period"].choices = [
            (period, f"{label}, until {formats.short_when(timezone.localtime(until))}")
            for period, label in followups.SNOOZE_CHOICES
            for until in [followups.snoozed_until(followup, period, now)]
        ]
        self.initial.setdefault("period", followups.SNOOZE_CHOICES[0][0])


class InvitationForm(forms.Form):
    to_interview = forms.TypedChoiceField(
        label="Invited to",
        choices=[("0", "A screening call"), ("1", "An interview")],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterviewForm(EditForm, forms.ModelForm):
    class Meta:
        model = Interview
        fields = [
            "round",
            "starts_at",
            "duration_minutes",
            "format",
            "location",
            "interviewers",
            "state",
            "notes",
        ]
        widgets = {"starts_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["interviewers"] = owned_contacts(user, label="Interviewers")
        if self.instance.pk:
            self.initial["interviewers"] = list(self.instance.interviewers.all())
        self.fields["state"].choices = [
            (Interview.State.SCHEDULED, "Scheduled"),
            (Interview.State.PROPOSED, "Proposed (not confirmed yet)"),
            (Interview.State.HELD, "Already held"),
        ]
        self.add_seen()

    def conflict_form_kwargs(self) -> dict:
        return {"user": self.user}

    def clean(self):
        cleaned = super().clean()
        starts_at, state = cleaned.get("starts_at"), cleaned.get("state")
        if not starts_at:
            return cleaned
        if state == Interview.State.HELD and starts_at > timezone.now():
            self.add_error("starts_at", "An interview that was held has a time in the past.")
        elif state != Interview.State.HELD and starts_at < timezone.now():
            self.add_error(
                "starts_at",
                "This time is in the past. Pick a future time, or choose “Already held” to "
                "record an interview that took place.",
            )
        return cleaned


class OfferForm(EditForm, forms.ModelForm):
    # The offer form also records the first offer: two tabs may both do it.
    seen_when_new = True

    class Meta:
        model = Offer
        fields = ["amount", "currency", "deadline", "notes"]
        widgets = {"deadline": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_seen()

    def clean(self):
        cleaned = super().clean()
        owner = self.instance.application.owner
        cleaned["currency"] = currency_beside(
            (cleaned.get("amount"),), cleaned.get("currency"), owner.currency
        )
        return cleaned

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if (
            deadline
            and deadline < timezone.localdate()
            and deadline != self.initial.get("deadline")
        ):
            raise forms.ValidationError("This date has passed; check the deadline they gave you.")
        return deadline


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(EditForm, forms.ModelForm):
    url = url_field(Contact, "url")

    class Meta:
        model = Contact
        fields = ["name", "role", "company", "email", "phone", "url", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_seen()


class ApplicationFilterForm(forms.Form):
    """The list page's search, filters and sort, read from the query string."""

    q = forms.CharField(required=False, label="Search", max_length=200)
    stage = forms.MultipleChoiceField(required=False, choices=Stage.choices)
    tag = forms.CharField(required=False, max_length=40)
    workplace_type = forms.ChoiceField(
        required=False, label="Workplace", choices=[("", "Any"), *WorkplaceType.choices]
    )
    priority = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any")] + [(str(n), str(n)) for n in range(5, 0, -1)],
    )
    status = forms.ChoiceField(
        required=False,
        label="Show",
        choices=[
            ("active", "Active"),
            ("ended", "Ended"),
            ("archived", "Archived"),
            ("all", "All"),
        ],
    )
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[(key, key.title()) for key in SORTS] + [("stage", "Stage")],
    )

    def filters(self) -> dict:
        """The valid filters; a bad value is dropped rather than failing the page."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return {
            "search": data.get("q", ""),
            "stages": data.get("stage") or None,
            "tag": data.get("tag", ""),
            "workplace_type": data.get("workplace_type", ""),
            "priority": data.get("priority"),
            "status": data.get("status", "active"),
            "sort": data.get("sort", "updated"),
        }
