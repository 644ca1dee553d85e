import datetime
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.timezones import validate_time_zone
from accounts.validators import validate_display_name

# The money a time zone's people are most likely paid in, for a new user's default currency.
# Zones not named here fall back by region, then to EUR.
CURRENCY_BY_TIME_ZONE = {
    **dict.fromkeys(
        [
            "Europe/London",
            "Europe/Belfast",
            "Europe/Guernsey",
            "Europe/Isle_of_Man",
            "Europe/Jersey",
        ],
        "GBP",
    ),
    "Europe/Zurich": "CHF",
    "Europe/Stockholm": "SEK",
    "Europe/Oslo": "NOK",
    "Europe/Copenhagen": "DKK",
    "Europe/Warsaw": "PLN",
    "Europe/Prague": "CZK",
    "Europe/Budapest": "HUF",
    "Europe/Bucharest": "RON",
    "Asia/Tokyo": "JPY",
    "Asia/Kolkata": "INR",
    "Asia/Calcutta": "INR",
    "Asia/Singapore": "SGD",
    "Asia/Hong_Kong": "HKD",
    "Pacific/Auckland": "NZD",
    "Pacific/Honolulu": "USD",
    **dict.fromkeys(
        [
            "America/Toronto",
            "America/Vancouver",
            "America/Edmonton",
            "America/Winnipeg",
            "America/Halifax",
            "America/St_Johns",
            "America/Regina",
            "America/Montreal",
        ],
        "CAD",
    ),
    **dict.fromkeys(
        [
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/Phoenix",
            "America/Anchorage",
            "America/Detroit",
            "America/Boise",
        ],
        "USD",
    ),
}
CURRENCY_BY_REGION = {"US": "USD", "Australia": "AUD", "Canada": "CAD"}
DEFAULT_CURRENCY = "EUR"


def currency_for_time_zone(time_zone: str) -> str:
    """The likely currency for someone living in `time_zone` ("Europe/London": GBP)."""
    if time_zone in CURRENCY_BY_TIME_ZONE:
        return CURRENCY_BY_TIME_ZONE[time_zone]
    region, _, place = time_zone.partition("/")
    if region == "America" and place.startswith(("Indiana/", "Kentucky/", "North_Dakota/")):
        return "USD"
    return CURRENCY_BY_REGION.get(region, DEFAULT_CURRENCY)


class ReminderMode(models.TextChoices):
    """How a user hears of what they owe."""

    EACH = "each", "One email per reminder"
    DIGEST = "digest", "One digest a day"
    NONE = "none", "No emails (the site only)"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        if "time_zone" in fields:
            fields.setdefault("currency", currency_for_time_zone(fields["time_zone"]))
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: a candidate, a recruiter (staff) or an operator (superuser).

    The email address is the login; the display name signs the candidate's messages.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        "your name",
        max_length=150,
        blank=True,
        help_text="Signs the messages you send to employers, e.g. “Sam Rivera”.",
        validators=[validate_display_name],
    )
    phone = models.CharField(
        "your phone number",
        max_length=40,
        blank=True,
        help_text="Left in voicemails as the number to call you back on. Optional.",
        # Digits and the usual separators only: it is read out in a voicemail, on one line.
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 ().\-]{4,38}$",
                "Type a phone number with digits, spaces, brackets or dashes, e.g. +44 20 7946 0000.",
            )
        ],
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Dates are shown, and reminders timed, in this zone.",
    )
    currency = models.CharField(
        "your currency",
        max_length=3,
        default=DEFAULT_CURRENCY,
        validators=[
            RegexValidator(r"^[A-Z]{3}$", "Use a three-letter code such as EUR, GBP or USD.")
        ],
        help_text="Salaries and offers you enter are in this currency unless you say otherwise.",
    )
    # When follow-ups fall due, and how reminders reach the user.
    thank_you_hours = models.PositiveSmallIntegerField(
        "thank-you note due after (hours)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(96)],
    )
    check_in_business_days = models.PositiveSmallIntegerField(
        "check in after (business days of silence)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    offer_days_before = models.PositiveSmallIntegerField(
        "answer an offer (days before its deadline)",
        default=2,
        validators=[MaxValueValidator(14)],
    )
    inactivity_days = models.PositiveSmallIntegerField(
        "update or close after (days without activity)",
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
    )
    reminder_mode = models.CharField(
        "reminders by email",
        max_length=10,
        choices=ReminderMode.choices,
        default=ReminderMode.EACH,
    )
    digest_hour = models.PositiveSmallIntegerField(
        "digest at (hour)", default=8, validators=[MaxValueValidator(23)]
    )
    quiet_hours_start = models.TimeField(
        null=True, blank=True, help_text="No reminder email from this time…"
    )
    quiet_hours_end = models.TimeField(null=True, blank=True, help_text="…until this time.")
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can log in to the admin panel."
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Unticking this blocks the login without deleting data."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            # Two accounts must never differ only by the case of their email address.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        if bool(self.quiet_hours_start) != bool(self.quiet_hours_end):
            raise ValidationError(
                {"quiet_hours_end": "Give both ends of your quiet hours, or neither."}
            )
        if self.quiet_hours_start and self.quiet_hours_start == self.quiet_hours_end:
            raise ValidationError(
                {"quiet_hours_end": "Quiet hours that start and end at the same time are empty."}
            )
        if (
            self.reminder_mode == ReminderMode.DIGEST
            and isinstance(self.digest_hour, int)
            and 0 <= self.digest_hour <= 23
            and self.in_quiet_hours(datetime.time(self.digest_hour))
        ):
            raise ValidationError(
                {"digest_hour": "This hour falls in your quiet hours, so no digest could go out."}
            )

    def in_quiet_hours(self, moment: datetime.time) -> bool:
        start, end = self.quiet_hours_start, self.quiet_hours_end
        if not (start and end):
            return False
        return start <= moment < end if start < end else (moment >= start or moment < end)

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email

    @property
    def zoneinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")
