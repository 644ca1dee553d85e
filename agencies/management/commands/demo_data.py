from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from agencies.demo import seed_agency
from applications.demo import seed_pipeline

DEMO_EMAIL = "demo@bridges.example"
DEMO_PASSWORD = "bridges-demo-2026"  # noqa: S105 (a published demo login)


class Command(BaseCommand):
    help = (
        "Creates (or resets) the demo candidate and their pipeline, and a demo agency with a "
        "recruiter; prints the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with debug off (the demo password is published in the README).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create a demo login with a published password while DJANGO_DEBUG "
                "is off. Use --force if this really is a demo site."
            )
        user, created = User.objects.get_or_create(
            email=DEMO_EMAIL,
            defaults={"display_name": "Sam Rivera", "time_zone": "Europe/London"},
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        applications = seed_pipeline(user)
        recruiter = seed_agency(user, DEMO_PASSWORD)
        action = "Created" if created else "Reset"
        self.stdout.write(
            self.style.SUCCESS(
                f"{action} the demo candidate with {len(applications)} applications. "
                f"Log in as {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
                f"Recruiter (admin at /{settings.ADMIN_URL}): {recruiter.email} / {DEMO_PASSWORD}"
            )
        )
