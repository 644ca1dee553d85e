"""A value an admin list cannot read is a 400 that says why, for recruiters and operators alike,
never a server error (the test client raises on one) nor a silent redirect to the whole list."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user

APPLICATIONS = "applications_application"
INTERVIEWS = "applications_interview"
MESSAGES = "messaging_message"
CANDIDATES = "agencies_candidatemembership"
OWED = "agencies_owedanswer"
AUDIT = "agencies_auditevent"


def year() -> int:
    return timezone.now().year


# (change list, query string, words the 400 page must say)
BAD = [
    (APPLICATIONS, "employer=%00", "NUL"),
    (APPLICATIONS, "stage__exact=%00", "NUL"),
    (APPLICATIONS, "q=%00", "NUL"),
    (APPLICATIONS, "%00=1", "NUL"),
    (CANDIDATES, "owes=%00", "NUL"),
    (MESSAGES, "created_at__year=99999", "not a year"),
    (MESSAGES, "created_at__year=9999", "not a year"),  # its list would end in year 10000
    (MESSAGES, "created_at__year=0", "not a year"),
    (MESSAGES, "created_at__year=abc", "not a year"),
    (MESSAGES, "created_at__year=%C2%B2", "not a year"),  # a superscript two
    (MESSAGES, "created_at__year={year}&created_at__month=13", "not a month"),
    (MESSAGES, "created_at__year={year}&created_at__month=2&created_at__day=30", "calendar"),
    (MESSAGES, "created_at__year={year}&created_at__month=1&created_at__day=99", "not a day"),
    (INTERVIEWS, "starts_at__year=99999", "not a year"),
    (APPLICATIONS, "created_at__gte=abc", "cannot read"),
    (APPLICATIONS, "office=abc", "is not an id"),
    (APPLICATIONS, "office=%C2%B2", "is not an id"),
    (APPLICATIONS, "office=99999999999999999999", "is not an id"),
    (APPLICATIONS, "office=-1", "is not an id"),
    (CANDIDATES, "office=abc", "is not an id"),
    (OWED, "office=%C2%B2", "is not an id"),
    (INTERVIEWS, "office=99999999999999999999", "is not an id"),
    (APPLICATIONS, "candidate=abc", "is not an id"),
    (APPLICATIONS, "candidate=%C2%B2", "is not an id"),
    (APPLICATIONS, "candidate=99999999999999999999", "is not an id"),
]
# Lists only operators open: their own filters and date links.
OPERATORS_ONLY = [
    (AUDIT, "at__year=99999", "not a year"),
    (AUDIT, "agency__id__exact=abc", "cannot read"),
    (APPLICATIONS, "id__exact=abc", "cannot read"),  # a lookup only operators may use
    (AUDIT, "action__exact=%00", "NUL"),
    ("accounts_user", "q=%00", "NUL"),
    ("auth_group", "q=%00", "NUL"),
]


@pytest.fixture
def operator(db, clock):
    return make_user("ops@bridges.example", is_staff=True, is_superuser=True)


def ask(client, name, query):
    return client.get(reverse(f"admin:{name}_changelist") + "?" + query.format(year=year()))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "query", "says"), BAD, ids=[f"{n}?{q}" for n, q, _ in BAD])
@pytest.mark.parametrize("who", ["recruiter", "operator"])
def test_an_unreadable_filter_value_is_a_clear_400(client, world, operator, who, name, query, says):
    client.force_login(world["recruiter"] if who == "recruiter" else operator)
    response = ask(client, name, query)
    assert response.status_code == 400, response.get("Location")
    assert says in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "query", "says"), OPERATORS_ONLY, ids=[f"{n}?{q}" for n, q, _ in OPERATORS_ONLY]
)
def test_an_unreadable_value_on_an_operators_list_is_a_clear_400(
    client, world, operator, name, query, says
):
    client.force_login(operator)
    response = ask(client, name, query)
    assert response.status_code == 400
    assert says in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["recruiter", "operator"])
def test_the_same_filters_with_readable_values_still_answer(client, world, operator, who):
    client.force_login(world["recruiter"] if who == "recruiter" else operator)
    for name, query in [
        (MESSAGES, "created_at__year={year}"),
        (MESSAGES, "created_at__year={year}&created_at__month=2&created_at__day=28"),
        (APPLICATIONS, "created_at__gte=2026-01-01T00:00:00Z&created_at__lt=2026-02-01T00:00:00Z"),
        (APPLICATIONS, f"office={world['london'].pk}"),
        (APPLICATIONS, f"candidate={world['alice'].pk}"),
        (APPLICATIONS, "employer=AlicemarkCorp"),
        (APPLICATIONS, "stage__exact=interview"),
        (INTERVIEWS, "starts_at__year={year}"),
        (CANDIDATES, "owes=yes"),
    ]:
        response = ask(client, name, query)
        assert response.status_code == 200, query


@pytest.mark.django_db
def test_a_nul_in_an_admin_form_is_a_400(client, world, operator):
    client.force_login(operator)
    url = reverse(f"admin:{APPLICATIONS}_changelist")
    response = client.post(
        url, {"action": "export_csv", admin.helpers.ACTION_CHECKBOX_NAME: ["\x00"], "index": 0}
    )
    assert response.status_code == 400
