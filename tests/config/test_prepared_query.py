"""A query whose SQL is built once answers as the queryset it was built from, for any user."""

import datetime

import pytest

from applications.models import Application
from config.views_common import STAND_IN_ID, STAND_IN_TIME, PreparedQuery


def companies(user_id):
    return Application.objects.filter(owner_id=user_id).order_by("company").values_list("company")


def test_each_call_answers_for_its_own_values(alice, bob, make_application):
    make_application(alice, company="Acme")
    make_application(alice, company="Globex")
    make_application(bob, company="Initech")
    prepared = PreparedQuery(companies, STAND_IN_ID)
    assert prepared.rows(alice.pk) == list(companies(alice.pk)) == [("Acme",), ("Globex",)]
    assert prepared.rows(bob.pk) == [("Initech",)]
    assert prepared.row(bob.pk) == {"company": "Initech"}
    assert prepared.row(-1) is None


def test_a_stand_in_written_into_the_sql_is_refused(alice):
    # Slicing by the stand-in writes it into the SQL (LIMIT), where no call could change it.
    prepared = PreparedQuery(lambda n: Application.objects.all()[:-n], STAND_IN_ID)
    with pytest.raises(ValueError, match="not parameters"):
        prepared.rows(5)


def test_a_value_worked_out_from_a_stand_in_is_refused(alice):
    # "A day before now" reaches the SQL as its own parameter, which no call would change.
    def recent(now):
        day_before = now - datetime.timedelta(days=1)
        return Application.objects.filter(created_at__lte=now, created_at__gte=day_before)

    prepared = PreparedQuery(recent, STAND_IN_TIME)
    with pytest.raises(ValueError, match="worked out from a stand-in"):
        prepared.rows(STAND_IN_TIME)
