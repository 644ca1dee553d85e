from django import forms
from django.core.validators import MaxLengthValidator

from messaging import close_out
from messaging.catalogue import CANDIDATE_REASONS, STOPPING, Kind, Tone, kinds_in_order
from messaging.compose import Choices
from messaging.models import MAX_BODY, MAX_SUBJECT, Channel, UserTemplate, validate_subject
from messaging.placeholders import PLACEHOLDERS

REASON_CHOICES = [("", "No reason given")] + [
    (reason.value, reason.label) for reason in CANDIDATE_REASONS if reason != "no_reason"
]


def kind_choices(stage: str, invitation_pending: bool) -> list:
    """The kinds as a grouped menu: those that fit the stage first, the others after."""
    fitting, others = kinds_in_order(stage, invitation_pending)
    groups = []
    if fitting:
        groups.append(("Fits this stage", [(k.value, k.label) for k in fitting]))
    groups.append(("Other messages", [(k.value, k.label) for k in others]))
    return groups


class ChoicesForm(forms.Form):
    """What to say: kind, reason, tone and options (read from the query string)."""

    kind = forms.ChoiceField(label="Message")
    reason = forms.ChoiceField(
        required=False,
        choices=REASON_CHOICES,
        label="Reason (optional)",
        help_text="Phrased briefly and tactfully; sensitive reasons stay vague.",
    )
    tone = forms.ChoiceField(
        choices=Tone.choices, initial=Tone.FORMAL, required=False, widget=forms.RadioSelect
    )
    keep_door_open = forms.BooleanField(required=False, initial=True, label="Keep the door open")
    offer_referral = forms.BooleanField(required=False, label="Offer to suggest another candidate")
    propose_later_call = forms.BooleanField(required=False, label="Propose a call")
    liked = forms.CharField(
        required=False,
        max_length=200,
        label="Something you liked (optional)",
        help_text="e.g. “the team's focus on accessibility”",
    )
    times = forms.CharField(
        required=False,
        max_length=300,
        label="Times you could do (optional)",
        help_text="Two or three, one a line, e.g. “Thursday 10:00”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start_date = forms.CharField(
        required=False, max_length=80, label="Start date agreed (optional)"
    )
    next_steps = forms.CharField(
        required=False,
        max_length=200,
        label="Next steps (optional)",
        help_text="e.g. “signing the contract this week”",
    )
    template = forms.ModelChoiceField(
        queryset=UserTemplate.objects.none(),
        required=False,
        empty_label="Bridges' wording",
        label="Wording",
    )

    # Present when the form itself was submitted: then an unticked box means “no”.
    filled = forms.CharField(required=False, widget=forms.HiddenInput, initial="1")

    # The fields that only some kinds take: shown for those kinds only (the page's script
    # shows and hides them as the kind changes).
    ONLY_FOR = {
        "reason": STOPPING,
        "keep_door_open": (*STOPPING, Kind.THANK_YOU_AFTER_DECLINE),
        "offer_referral": (*STOPPING, Kind.THANK_YOU_AFTER_DECLINE),
        "times": (Kind.DEFER_INTERVIEW,),
        "start_date": (Kind.ACCEPT_OFFER,),
        "next_steps": (Kind.ACCEPT_OFFER,),
    }

    def __init__(self, *args, stage: str, user, invitation_pending: bool = False, **kwargs):
        # Its own ids: the draft form beside it has a kind and a reason too.
        kwargs.setdefault("auto_id", "choose_%s")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices(stage, invitation_pending)
        self.fields["template"].queryset = UserTemplate.objects.for_user(user)

    def clean(self):
        cleaned = super().clean()
        template, kind = cleaned.get("template"), cleaned.get("kind")
        if template and kind and template.kind != kind:
            self.add_error(
                "template",
                f"“{template}” is a template for “{template.get_kind_display()}”; pick one for "
                f"“{Kind(kind).label}”.",
            )
        return cleaned

    def current_kind(self) -> str:
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return kind if kind in Kind.values else ""

    def rows(self):
        """(field, the kinds it is for, whether it shows now) for the page."""
        kind = self.current_kind()
        for field in self.visible_fields():
            kinds = self.ONLY_FOR.get(field.name)
            yield field, " ".join(kinds or ()), not kinds or kind in kinds

    def choices(self) -> Choices:
        data = self.cleaned_data
        return Choices(
            kind=data["kind"],
            tone=data["tone"] or Tone.FORMAL,
            reason=data["reason"],
            keep_door_open=data["keep_door_open"],
            offer_referral=data["offer_referral"],
            propose_later_call=data["propose_later_call"],
            liked=data["liked"],
            times=data["times"],
            start_date=data["start_date"],
            next_steps=data["next_steps"],
        )


class DraftForm(forms.Form):
    """The edited message and how it goes out."""

    ACTIONS = {
        "send": Channel.EMAIL,
        "mail_app": Channel.MAIL_APP,
        "copy": Channel.COPIED,
        "call": Channel.CALL,
    }

    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    tone = forms.ChoiceField(choices=Tone.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(choices=REASON_CHOICES, required=False, widget=forms.HiddenInput)
    draft_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # The talking points shown with the draft: what “I called” logs.
    call_script = forms.CharField(required=False, max_length=MAX_BODY, widget=forms.HiddenInput)
    to_email = forms.EmailField(required=False, label="To")
    subject = forms.CharField(
        required=False,
        max_length=MAX_SUBJECT,
        validators=[validate_subject],
        widget=forms.TextInput,
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": "The message is empty."},
    )
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], required=False)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body) > MAX_BODY:
            raise forms.ValidationError(
                f"This message is {len(body):,} characters long; the limit is {MAX_BODY:,}. "
                "A courteous message is a short one."
            )
        return body

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "send" and not cleaned.get("to_email"):
            self.add_error(
                "to_email",
                "There is no email address to send to. Add one to the application's contact, "
                "or type it here, or open the message in your mail app instead.",
            )
        if action in ("send", "mail_app") and not cleaned.get("subject"):
            self.add_error("subject", "An email needs a subject.")
        return cleaned

    @property
    def channel(self) -> str:
        return self.ACTIONS[self.cleaned_data["action"] or "copy"]


class UserTemplateForm(forms.ModelForm):
    class Meta:
        model = UserTemplate
        fields = ["kind", "name", "subject", "body"]
        widgets = {"subject": forms.TextInput, "body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "body": "Placeholders: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS) + ".",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].validators.append(MaxLengthValidator(MAX_BODY))

    def validate_unique(self):
        # The owner is not a form field, so check the per-owner name rule here.
        super().validate_unique()
        clash = UserTemplate.objects.filter(
            owner=self.instance.owner_id,
            kind=self.cleaned_data.get("kind"),
            name=self.cleaned_data.get("name"),
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error("name", "You already have a template with this name for this kind.")


class CloseOutRowForm(forms.Form):
    """One other application to step out of, with its own editable message."""

    application = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(required=False, initial=True)
    to_email = forms.EmailField(required=False, label="To")
    subject = forms.CharField(max_length=MAX_SUBJECT, validators=[validate_subject])
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=MAX_BODY)


class BaseCloseOutFormSet(forms.BaseFormSet):
    """The close-out page's rows; `accepted` is the accepted application, `others` the
    processes still under way (messaging.close_out.others_under_way)."""

    def __init__(self, *args, accepted=None, others=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepted = accepted
        self.others = others or {}

    @property
    def sending(self) -> bool:
        return self.data.get("action") == "send"

    def rows(self) -> list[close_out.Row]:
        """The ticked rows, once valid."""
        return [
            close_out.Row(row["application"], row["subject"], row["body"], row["to_email"])
            for row in (form.cleaned_data for form in self.forms)
            if row.get("include")
        ]

    def clean(self):
        if any(self.errors) or not self.management_form.is_valid():
            return
        found = close_out.problems(
            accepted=self.accepted, rows=self.rows(), others=self.others, sending=self.sending
        )
        if found:
            raise forms.ValidationError(found)


CloseOutFormSet = forms.formset_factory(CloseOutRowForm, formset=BaseCloseOutFormSet, extra=0)
