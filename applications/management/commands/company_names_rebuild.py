"""Fills the company names' openings (`CompanyNameOpening`) again from every application.

The application's own saves keep the table; run this after writing companies around the ORM
(a script's SQL, a data migration) or after changing which words name a company
(applications/companies.py). Each user's names are rebuilt in a transaction of their own.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from applications.models import Application, CompanyNameOpening


class Command(BaseCommand):
    help = "Rebuilds the index of company names that the 'Earlier with this company' hint reads."

    def handle(self, *args, **options):
        owners = Application.objects.order_by("owner_id").values_list("owner_id", flat=True)
        rebuilt = 0
        for owner_id in owners.distinct().iterator():
            with transaction.atomic():
                CompanyNameOpening.objects.rebuild(owner_id)
            rebuilt += 1
        # A user with no application left keeps no names either.
        CompanyNameOpening.objects.exclude(owner_id__in=owners).delete()
        self.stdout.write(f"Rebuilt the company names of {rebuilt} user(s).")
