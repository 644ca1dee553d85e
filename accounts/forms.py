from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import ratelimit
from django import forms

from accounts.models import ReminderMode, User, currency_for_time_zone
from accounts.timezones import time_zone_choices
from accounts.validators import validate_display_name


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("choices", time_zone_choices)
        kwargs.setdefault("help_text", User._meta.get_field("time_zone").help_text)
        super().__init__(**kwargs)


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text=User._meta.get_field("display_name").help_text,
        validators=[validate_display_name],
    )
    time_zone = TimeZoneField(label="Time zone", initial="UTC")

    field_order = ["display_name", "email", "password1", "password2", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # static/js/timezone.js preselects the browser's own zone on a fresh form.
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = ""

    def custom_signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        # A first guess at the user's currency, from where they live; the profile changes it.
        user.currency = currency_for_time_zone(user.time_zone)
        user.save(update_fields=["display_name", "time_zone", "currency"])


class LoginForm(AllauthLoginForm):
    """allauth's login; when failures have locked the account, it points to the way in that no
    lock stops: a one-time code by email (the button below the form)."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) != "too_many_login_attempts":
                raise
            raise forms.ValidationError(
                "Too many failed login attempts. Try again in a few minutes, or choose "
                "“Send me a login code” to get a one-time code by email.",
                code="too_many_login_attempts",
            ) from None


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's reset request, with at most a few emails an hour to any one address.

    Past the cap nothing is sent, yet the page answers exactly as when something was: the
    answer tells nobody whether the address has an account, or how often it was tried. The
    cap counts known and unknown addresses alike (allauth tells an unknown address that it
    has no account), so neither an owner's inbox nor a stranger's can be flooded."""

    def save(self, request, **kwargs) -> str:
        email = self.cleaned_data["email"]
        if ratelimit.consume(request, action="reset_password_email", key=email.lower()):
            return super().save(request, **kwargs)
        return email


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(label="Time zone")

    class Meta:
        model = User
        fields = [
            "display_name",
            "phone",
            "time_zone",
            "currency",
            "reminder_mode",
            "digest_hour",
            "quiet_hours_start",
            "quiet_hours_end",
            "thank_you_hours",
            "check_in_business_days",
            "offer_days_before",
            "inactivity_days",
        ]
        widgets = {
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    IDENTITY = ("display_name", "phone", "time_zone", "currency")
    REMINDERS = ("reminder_mode", "digest_hour", "quiet_hours_start", "quiet_hours_end")
    DUE_TIMES = (
        "thank_you_hours",
        "check_in_business_days",
        "offer_days_before",
        "inactivity_days",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].required = False
        self.fields["currency"].widget.attrs.update(
            {"maxlength": 3, "size": 4, "autocapitalize": "characters", "spellcheck": "false"}
        )
        # The digest hour matters only for a digest: static/js/bridges.js hides it otherwise.
        self.fields["digest_hour"].widget.attrs["data-shown-when"] = (
            f"reminder_mode={ReminderMode.DIGEST}"
        )
        if self.is_bound and self.data.get("reminder_mode") != ReminderMode.DIGEST:
            # Another mode: whatever came for the hour is ignored and the saved one kept.
            self.data = self.data.copy()
            self.data["digest_hour"] = self.instance.digest_hour

    def clean_currency(self) -> str:
        # Left empty (or not sent, by a page opened before the field existed): unchanged.
        return self.cleaned_data["currency"].strip().upper() or self.instance.currency

    def sections(self):
        """The fields grouped as the profile page shows them."""
        return [
            ("You", [self[name] for name in self.IDENTITY]),
            ("Reminders", [self[name] for name in self.REMINDERS]),
            ("When follow-ups fall due", [self[name] for name in self.DUE_TIMES]),
        ]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password; nothing was deleted.")
        return password
