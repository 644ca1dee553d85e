"""A recruiter's list answers only the questions its own links ask.

The attack: the admin accepted a lookup on any field in the query string, and the result count
said yes or no (`?id__exact=7&notes__regex=^A` shows "1 interview" or "0 interviews"), so a
binary search read a candidate's private notes letter by letter. Now a recruiter's list takes
the parameters its filters, date links, sortable columns and search box make, and nothing else:
anything else is a 400, written to the audit log, before a row is counted. Operators keep the
full admin. Every field the Agency page says is never shared (agencies.visibility) is tried,
from every change list a recruiter can open, locally and across relations.
"""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from agencies import visibility
from agencies.admin_base import ScopedAdmin
from agencies.models import AuditEvent
from applications.models import Application, Contact, Interview, Offer, TimelineEvent
from dataio.models import CalendarFeed
from messaging.models import UserTemplate
from tests.conftest import make_user

SECRET = "Qzprivate"  # in every private value below, and in no shared one


def recruiter_admins():
    """Every change list a recruiter may open (listed in their index or not)."""
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdmin)
    }


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def paths_to(model, target, depth: int = 3) -> list[str]:
    """Lookup paths from `model` to rows of `target` through relations (shortest first)."""
    if model._meta.concrete_model is target._meta.concrete_model:
        return [""]
    frontier, seen = [(model, "")], {model._meta.concrete_model}
    for _ in range(depth):
        found, following = [], []
        for current, prefix in frontier:
            for field in current._meta.get_fields():
                related = field.related_model if field.is_relation else None
                if related is None or isinstance(related, str):
                    continue
                path = f"{prefix}{field.name}"
                if related._meta.concrete_model is target._meta.concrete_model:
                    found.append(path)
                elif related._meta.concrete_model not in seen:
                    seen.add(related._meta.concrete_model)
                    following.append((related, f"{path}__"))
        if found:
            return found
        frontier = following
    return []


def probes_for(field_model, field_name) -> list[str]:
    """Query strings asking about one private field, the ways the attack asked."""
    if field_name is None:  # a whole model: its first plain field
        field = next(
            f for f in field_model._meta.concrete_fields if not f.is_relation and not f.primary_key
        )
        field_name = field.name
    else:
        field = field_model._meta.get_field(field_name)
    if field.is_relation:  # contacts, interviewers: who they are, and whether there are any
        return [
            f"{field_name}__isnull=False",
            f"{field_name}__name__startswith=Q",
            f"{field_name}=1",
        ]
    return [
        f"{field_name}__regex=^{SECRET[:2]}",
        f"{field_name}__startswith={SECRET[:1]}",
        f"{field_name}__contains={SECRET}",
        f"{field_name}__isnull=True",
        f"{field_name}__in={SECRET},x",
        f"{field_name}={SECRET}",
    ]


def all_probes():
    """Each field the Agency page says is never shared (a whole model's are one entry)."""
    for field_model, field_name in visibility.private_fields():
        label = f"{field_model._meta.label}.{field_name or '*'}"
        yield pytest.param(field_model, field_name, id=label)


def count_shown(body: str) -> bool:
    """Whether the page says how many rows there are ("1 interview", "0 results"...)."""
    return 'class="paginator"' in body or bool(re.search(r"\d+\s+results?\b", body))


def strip_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


@pytest.fixture
def secrets(world, make_application):
    """Every private thing of Alice's (she shares with the recruiter's agency) holds SECRET."""
    alice = world["alice"]
    application = Application.objects.get(owner=alice)
    contact = Contact.objects.create(owner=alice, name=f"{SECRET} Contact", notes=SECRET)
    application.notes = f"{SECRET} notes"
    application.job_description = f"{SECRET} description"
    application.save()
    application.contacts.add(contact)
    interview = Interview.objects.get(application=application)
    interview.location = f"https://meet.test/{SECRET}"
    interview.notes = f"{SECRET} interview notes"
    interview.save()
    interview.interviewers.add(contact)
    Offer.objects.create(application=application, amount=1, notes=f"{SECRET} offer notes")
    TimelineEvent.objects.create(application=application, kind="note", text=f"{SECRET} note")
    UserTemplate.objects.create(owner=alice, kind="follow_up", name=SECRET, body=SECRET)
    CalendarFeed.objects.create(owner=alice, token=SECRET)
    return {"application": application, "interview": interview}


@pytest.fixture
def operator(db, clock):
    return make_user("ops@bridges.example", is_staff=True, is_superuser=True)


def refusals(recruiter):
    return AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=recruiter)


@pytest.mark.django_db
@pytest.mark.parametrize(("field_model", "field_name"), list(all_probes()))
def test_a_recruiter_cannot_ask_any_list_about_a_private_field(
    client, world, secrets, field_model, field_name
):
    """Each never-shared field, from every recruiter list that reaches it: 400, no count,
    one audit entry per try."""
    recruiter = world["recruiter"]
    client.force_login(recruiter)
    tried = 0
    for model in recruiter_admins():
        for path in paths_to(model, field_model):
            queries = [
                f"{path}__{probe}" if path else probe
                for probe in probes_for(field_model, field_name)
            ]
            if path:  # whether there is any such row at all
                queries.append(f"{path}__isnull=False")
            for query in queries:
                before = refusals(recruiter).count()
                response = client.get(f"{changelist(model)}?{query}")
                body = response.content.decode()
                assert response.status_code == 400, f"{model.__name__}?{query}"
                assert "cl" not in response.context_data, f"{model.__name__}?{query} built a list"
                assert not count_shown(body), f"{model.__name__}?{query} shows a count"
                assert SECRET not in body
                assert refusals(recruiter).count() == before + 1, f"{query} was not audited"
                assert query.split("=")[0] in refusals(recruiter).first().what
                tried += 1
    assert tried, "no recruiter list reaches this field"


@pytest.mark.django_db
def test_the_binary_search_gets_the_same_answer_for_a_right_and_a_wrong_guess(
    client, world, secrets
):
    client.force_login(world["recruiter"])
    interview, application = secrets["interview"], secrets["application"]
    guesses = {
        changelist(Interview): [
            f"id__exact={interview.pk}&location__startswith=https://meet.test/{SECRET[0]}",
            f"id__exact={interview.pk}&location__startswith=https://meet.test/zz",
            f"id__exact={interview.pk}&notes__regex=^{SECRET[:3]}",
            f"id__exact={interview.pk}&notes__regex=^zz",
            f"application__notes__regex=^{SECRET[:3]}",
            "application__notes__regex=^zz",
        ],
        changelist(Application): [
            f"id__exact={application.pk}&job_description__regex=^{SECRET[:3]}",
            f"id__exact={application.pk}&job_description__regex=^zz",
            f"events__text__contains={SECRET}",
            "events__text__contains=zz",
        ],
    }
    for url, queries in guesses.items():
        answers = set()
        for query in queries:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400, query
            answers.add(strip_tokens(response.content.decode()))
        assert len(answers) == 1, f"{url}: the answers differ, so they tell the guess apart"


@pytest.mark.django_db
def test_an_operator_keeps_the_full_admin_lookups(client, world, secrets, operator):
    """The same local lookups work for an operator, and the count is exact."""
    client.force_login(operator)
    interview = secrets["interview"]
    cases = {
        changelist(Interview): [
            (f"location__startswith=https://meet.test/{SECRET[0]}", 1),
            ("location__startswith=https://meet.test/zz", 0),
            (f"id__exact={interview.pk}&notes__regex=^{SECRET[:3]}", 1),
            (f"id__exact={interview.pk}&notes__regex=^zz", 0),
        ],
        changelist(Application): [
            (f"notes__contains={SECRET}", 1),
            (f"job_description__regex=^{SECRET}", 1),
            ("job_description__isnull=True", 0),
        ],
        changelist(TimelineEvent): [(f"text__contains={SECRET}", 1)],
    }
    for url, queries in cases.items():
        for query, count in queries:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 200, query
            assert response.context["cl"].result_count == count, query
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED).exists()


def links_on(body: str) -> set[str]:
    return {unescape(href) for href in re.findall(r'href="(\?[^"]*)"', body)}


@pytest.mark.django_db
def test_every_link_a_recruiters_list_offers_still_answers(client, world, secrets):
    """The filters, date links, sort headers and pages: a recruiter loses none of them."""
    recruiter = world["recruiter"]
    client.force_login(recruiter)
    followed = 0
    for model in recruiter_admins():
        url = changelist(model)
        page = client.get(url)
        assert page.status_code == 200, url
        for link in links_on(page.content.decode()) | {"?_facets=True", "?q=Alice", "?p=1"}:
            response = client.get(url + link)
            assert response.status_code == 200, f"{url}{link}"
            followed += 1
    assert followed > 30
    assert not refusals(recruiter).exists()


@pytest.mark.django_db
def test_a_recruiter_sorts_only_by_shared_columns(client, world, secrets, operator):
    """`o=` names columns by number; one that sorts by a private field (an interview's
    application sorts by when it was last updated) or no column at all is refused."""
    recruiter = world["recruiter"]
    interviews = changelist(Interview)
    request = RequestFactory().get(interviews)
    request.user = recruiter
    # Date-time columns are shown through a display of the field, named as the field.
    columns = [
        getattr(column, "__name__", column)
        for column in admin.site._registry[Interview].recruiter_list_display(request)
    ]
    application, starts_at = columns.index("application"), columns.index("starts_at")
    for query in (f"o={application}", f"o=-{application}", "o=99", "o=x", f"o={starts_at}.x"):
        client.force_login(recruiter)
        response = client.get(f"{interviews}?{query}")
        assert response.status_code == 400, query
        assert refusals(recruiter).filter(what__contains=query).exists()
        client.force_login(operator)
        assert client.get(f"{interviews}?{query}").status_code == 200, query
    client.force_login(recruiter)
    for query in ("o=", f"o=-{starts_at}", f"o={starts_at}.{columns.index('round')}"):
        assert client.get(f"{interviews}?{query}").status_code == 200, query


@pytest.mark.django_db
def test_a_recruiters_search_tells_nothing_about_a_private_value(client, world, secrets):
    """Searching for a private value answers exactly as searching for nonsense does."""
    client.force_login(world["recruiter"])
    for model in recruiter_admins():
        nonsense = client.get(changelist(model), {"q": "zzznothing"})
        assert nonsense.status_code == 200
        for value in (SECRET, f"{SECRET} notes", f"https://meet.test/{SECRET}"):
            response = client.get(changelist(model), {"q": value})
            assert response.status_code == 200
            assert response.context["cl"].result_count == nonsense.context["cl"].result_count, (
                f"{model.__name__} q={value}"
            )


def test_what_a_recruiters_list_offers_reads_only_shared_fields():
    """The one list of what is shared (agencies.visibility) bounds every filter, date link,
    search field and sortable column of every recruiter list, and no private field is in it."""
    request = RequestFactory().get("/")
    request.user = type("Recruiter", (), {"is_superuser": False, "is_authenticated": True})()
    for model, model_admin in recruiter_admins().items():
        for list_filter in model_admin.list_filter:
            if isinstance(list_filter, str):
                assert visibility.is_shared_path(model, list_filter), (model, list_filter)
        if model_admin.date_hierarchy:
            assert visibility.is_shared_path(model, model_admin.date_hierarchy), model
        for field in model_admin.get_search_fields(request):
            assert visibility.is_shared_path(model, field.lstrip("^=@")), (model, field)
    for field_model, field_name in visibility.private_fields():
        if field_name is not None:
            assert not visibility.is_shared_path(field_model, field_name), field_name
        else:
            assert not visibility.shared_fields(field_model), field_model
    # The Agency page lists exactly these promises.
    assert [promise for promise, _ in visibility.NEVER_SHARED] == visibility.NOT_SHARED
