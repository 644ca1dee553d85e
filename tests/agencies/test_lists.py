"""The recruiter's lists: urgency first, in words and colour, dates in the recruiter's own time
zone in one format, the names a recruiter uses, and a nudge from a candidate's page and from
each owed answer's row."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.admin_base import panel_time, urgency
from agencies.models import AuditEvent, Nudge
from applications.models import FollowUp
from tests.agencies.conftest import make_recruiter
from tests.conftest import make_user

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")  # no summer time: the zone's name is always JST
APPLICATIONS = reverse("admin:applications_application_changelist")
OWED = reverse("admin:agencies_owedanswer_changelist")


def candidate_page(membership):
    return reverse("admin:agencies_candidatemembership_change", args=[membership.pk])


def nudge_url(membership_id):
    return reverse("admin:agencies_candidatemembership_nudge", args=[membership_id])


@pytest.fixture
def tokyo_recruiter(world):
    recruiter = world["recruiter"]
    recruiter.time_zone = "Asia/Tokyo"
    recruiter.save(update_fields=["time_zone"])
    return recruiter


def owing(make_application, owner, company, due_in: datetime.timedelta, **fields):
    """An application whose only owed answer falls due `due_in` from now."""
    application = make_application(owner, company=company, job_title="Analyst")
    FollowUp.objects.filter(application=application).delete()
    FollowUp.objects.create(
        owner=owner,
        application=application,
        kind=FollowUp.Kind.CHECK_IN,
        due_at=timezone.now() + due_in,
        **fields,
    )
    return application


# --- the words and the format ------------------------------------------------------------------


def test_urgency_is_said_in_calendar_days_of_the_readers_time_zone(clock):
    now = timezone.now()
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)
    with timezone.override(TOKYO):
        assert urgency(now - 3 * day, now) == ("overdue 3 days", "overdue")
        assert urgency(now - day, now) == ("overdue 1 day", "overdue")
        assert urgency(now - hour, now) == ("overdue today", "overdue")
        assert urgency(now + hour, now) == ("due today", "today")
        assert urgency(now + day, now) == ("due tomorrow", "later")
        assert urgency(now + 2 * day, now) == ("due in 2 days", "later")
        assert urgency(None, now) is None


def test_the_panel_writes_a_moment_in_the_readers_zone_and_names_it():
    moment = datetime.datetime(2026, 12, 1, 7, 30, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert panel_time(moment) == "Tue 1 Dec 2026, 08:30 CET"
    with timezone.override(TOKYO):
        assert panel_time(moment) == "Tue 1 Dec 2026, 16:30 JST"
    assert panel_time(None) == "—"


# --- urgency first ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_applications_are_listed_overdue_first_then_by_due_time_in_words(
    client, world, tokyo_recruiter, make_application
):
    alice, day = world["alice"], datetime.timedelta(days=1)
    later = owing(make_application, alice, "LaterCo", 2 * day)
    late = owing(make_application, alice, "LateCo", -3 * day)
    nothing = make_application(alice, company="QuietCo", job_title="Analyst")
    FollowUp.objects.filter(application=nothing).delete()
    client.force_login(tokyo_recruiter)
    response = client.get(APPLICATIONS)
    companies = [a.company for a in response.context["cl"].result_list]
    # AlicemarkCorp (the world's) is two days late: after LateCo, before the one due later.
    assert companies == ["LateCo", "AlicemarkCorp", "LaterCo", "QuietCo"]
    body = response.content.decode()
    assert '<span class="urgency urgency-overdue">overdue 3 days</span>' in body
    assert '<span class="urgency urgency-later">due in 2 days</span>' in body
    with timezone.override(TOKYO):
        due = panel_time(late.followups.get().due_at)
    assert due.endswith(" JST") and due in body
    assert later.pk and "icon-yes.svg" not in body and "icon-no.svg" not in body


@pytest.mark.django_db
def test_a_candidates_page_lists_their_pipeline_urgency_first(
    client, world, tokyo_recruiter, make_application
):
    alice, day = world["alice"], datetime.timedelta(days=1)
    owing(make_application, alice, "LaterCo", 2 * day)
    nothing = make_application(alice, company="QuietCo", job_title="Analyst")  # moved last
    FollowUp.objects.filter(application=nothing).delete()
    owing(make_application, alice, "LateCo", -3 * day)
    client.force_login(tokyo_recruiter)
    body = client.get(candidate_page(world["alice_at_a"])).content.decode()
    pipeline = body[body.index("<table class='pipeline'>") :]
    order = sorted(["LateCo", "AlicemarkCorp", "LaterCo", "QuietCo"], key=pipeline.index)
    assert order == ["LateCo", "AlicemarkCorp", "LaterCo", "QuietCo"]


@pytest.mark.django_db
def test_answers_owed_are_listed_by_when_they_are_owed_now_a_snooze_counting(
    client, world, tokyo_recruiter, make_application
):
    alice, day = world["alice"], datetime.timedelta(days=1)
    owing(
        make_application,
        alice,
        "SnoozedCo",
        -5 * day,
        state=FollowUp.State.SNOOZED,
        snoozed_until=timezone.now() + datetime.timedelta(hours=1),
    )
    owing(make_application, alice, "LateCo", -4 * day)
    client.force_login(tokyo_recruiter)
    response = client.get(OWED)
    rows = response.context["cl"].result_list
    dues = [f.effective_due_at for f in rows]
    assert dues == sorted(dues)
    assert rows[0].application.company == "LateCo"
    assert rows[len(rows) - 1].application.company == "SnoozedCo"
    body = response.content.decode()
    assert '<span class="urgency urgency-today">due today</span>' in body  # its snooze's end
    assert "overdue 4 days" in body


# --- wording ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_lists_use_a_recruiters_words(client, world):
    client.force_login(world["recruiter"])
    body = client.get(OWED).content.decode()
    count = FollowUp.objects.owed().filter(owner=world["alice"]).count()
    assert "<h1>Answers owed</h1>" in body
    assert f"{count} answer{'s' if count != 1 else ''} owed" in body
    assert "Select" not in body.split("<h1>")[1][:40]
    assert "who owes an employer an answer" not in body
    for header in ("Answer owed", "Due", "Nudge"):
        assert f">{header}<" in body
    breadcrumbs = body.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert "Home" in breadcrumbs and "Answers owed" in breadcrumbs
    applications = client.get(APPLICATIONS).content.decode()
    assert "<h1>Applications</h1>" in applications
    assert ">Next answer owed<" in applications


@pytest.mark.django_db
def test_an_empty_list_and_a_search_that_finds_nothing_say_so(client, world):
    client.force_login(world["recruiter"])
    searched = client.get(OWED + "?q=Nowhere").content.decode()
    assert "No answers owed match “Nowhere”." in searched
    assert "Show all answers owed" in searched
    FollowUp.objects.filter(owner=world["alice"]).update(state=FollowUp.State.DONE)
    assert "Nobody owes an employer an answer right now." in client.get(OWED).content.decode()


# --- nudges ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_candidates_page_nudges_once_a_day_and_says_what_happened(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    membership = world["alice_at_a"]
    client.force_login(world["recruiter"])
    page = client.get(candidate_page(membership)).content.decode()
    form = page.split('class="nudge-form"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form and nudge_url(membership.pk) in form
    assert "csrfmiddlewaretoken" in page.split('class="nudge-form"')[1].split("</form>")[0]

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(nudge_url(membership.pk), follow=True)
    assert first.redirect_chain[-1][0] == candidate_page(membership)
    assert "Nudged Alice Martin:" in first.content.decode()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.NUDGED).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(nudge_url(membership.pk), follow=True)
    said = again.content.decode()
    assert "Alice Martin already had a nudge from your agency in the last 24 hours" in said
    assert len(mail.outbox) == 1
    assert "Last nudged" in said


@pytest.mark.django_db
def test_nudging_a_candidate_who_owes_nothing_sends_nothing_and_says_so(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    FollowUp.objects.filter(owner=world["alice"]).update(state=FollowUp.State.DONE)
    client.force_login(world["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(nudge_url(world["alice_at_a"].pk), follow=True)
    assert "Alice Martin owes nothing right now; nothing was sent." in response.content.decode()
    assert mail.outbox == [] and not Nudge.objects.exists()


@pytest.mark.django_db
def test_each_owed_answers_row_nudges_its_candidate_and_comes_back_to_the_list(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world["recruiter"])
    body = client.get(OWED).content.decode()
    target = f"formaction='{nudge_url(world['alice_at_a'].pk)}?next="
    assert target in body and "formmethod='post'" in body
    assert "aria-label='Nudge Alice Martin'>Nudge</button>" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(nudge_url(world["alice_at_a"].pk) + f"?next={OWED}", follow=True)
    assert response.redirect_chain[-1][0] == OWED
    assert "Nudged Alice Martin:" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_nudge_goes_back_only_to_this_site(client, world, eager_tasks):
    client.force_login(world["recruiter"])
    response = client.post(nudge_url(world["alice_at_a"].pk) + "?next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == candidate_page(world["alice_at_a"])


@pytest.mark.django_db
def test_nobody_outside_the_agency_can_nudge_and_ids_tell_nothing(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    # Another agency's recruiter: Alice (not theirs), Carol (not sharing), a missing id, junk.
    client.force_login(world["other_recruiter"])
    answers = set()
    for target in (world["alice_at_a"].pk, world["carol_at_a"].pk, 999_999, "x", "9" * 30):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(nudge_url(1).replace("/1/", f"/{target}/"))
        answers.add(response.status_code)
    assert answers == {404}
    # The recruiter of the agency cannot nudge Carol, who joined but does not share.
    client.force_login(world["recruiter"])
    assert client.post(nudge_url(world["carol_at_a"].pk)).status_code == 404
    # An operator has no agency to nudge from; a candidate is no staff at all.
    operator = make_user("ops@bridges.example", is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.post(nudge_url(world["alice_at_a"].pk)).status_code == 403
    client.force_login(world["alice"])
    assert client.post(nudge_url(world["alice_at_a"].pk)).status_code == 302  # to the login
    assert mail.outbox == [] and not Nudge.objects.exists()


@pytest.mark.django_db
def test_a_nudge_is_a_post_with_the_csrf_token(client, world):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["recruiter"])
    url = nudge_url(world["alice_at_a"].pk)
    assert strict.post(url).status_code == 403
    client.force_login(world["recruiter"])
    assert client.get(url).status_code == 405
    assert not Nudge.objects.exists()


@pytest.mark.django_db
def test_a_colleague_in_another_office_nudges_from_the_same_agency(client, world, eager_tasks):
    colleague = make_recruiter("sam@alpha.example", world["a"], world["leeds"])
    client.force_login(colleague)
    assert client.post(nudge_url(world["alice_at_a"].pk)).status_code == 302
    assert Nudge.objects.get().recruiter == colleague


# --- search ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_applications_can_be_narrowed_to_the_ones_added_lately(client, world, make_application):
    client.force_login(world["recruiter"])
    alice = world["alice"]
    fresh = make_application(alice, company="Freshly Added Ltd", job_title="Analyst")
    old = make_application(alice, company="Added Long Ago Ltd", job_title="Analyst")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(60))
    page = client.get(APPLICATIONS)
    body = page.content.decode()
    assert "By added" in body and "Past 7 days" in body
    week = next(c for c in page.context["cl"].filter_specs if c.title == "added").links[2]
    assert week[0] == "Past 7 days"
    listed = {a.company for a in client.get(APPLICATIONS, week[1]).context["cl"].result_list}
    assert fresh.company in listed and old.company not in listed


@pytest.mark.django_db
def test_search_finds_each_word_in_any_searched_field_across_tables(client, world):
    client.force_login(world["recruiter"])

    def found(url, term):
        return client.get(url, {"q": term}).context["cl"].result_count

    # A word of the company and a word of the candidate's name, as Django's search finds them.
    assert found(APPLICATIONS, "alicemarkcorp martin") == 1
    assert found(APPLICATIONS, '"Alice Martin"') == 1
    assert found(APPLICATIONS, "alicemarkcorp nowhere") == 0
    assert found(OWED, "ALICEMARK alice@example.com") >= 1
    candidates = reverse("admin:agencies_candidatemembership_changelist")
    assert found(candidates, "martin") == 1
    # Another agency's candidate matches the words, and is still not listed.
    assert found(APPLICATIONS, "davemarkcorp") == 0


@pytest.mark.django_db
@pytest.mark.parametrize("common", [False, True], ids=["rare words", "common words"])
def test_a_word_found_everywhere_finds_what_a_rare_word_does(
    client, world, make_application, monkeypatch, common
):
    """A word that matches many related rows ("Company") is asked on the joined row instead
    of as a list of ids: the same answers and the agency's scope either way."""
    from agencies import admin_base

    if common:
        monkeypatch.setattr(admin_base, "COMMON_MATCHES", 0)
    client.force_login(world["recruiter"])
    make_application(world["alice"], company="Second Markcorp", job_title="Analyst")

    def found(url, term):
        return sorted(str(row) for row in client.get(url, {"q": term}).context["cl"].result_list)

    everyone = found(APPLICATIONS, "markcorp")
    assert "Analyst at Second Markcorp" in everyone and len(everyone) == 2
    assert found(APPLICATIONS, "markcorp martin") == everyone
    assert found(APPLICATIONS, "markcorp carol") == []  # carol does not share
    assert found(APPLICATIONS, "davemarkcorp") == []  # another agency's
    owed = found(OWED, "alice")  # her address: what she owes for both applications
    assert len(owed) == 2
    assert found(OWED, "ALICEMARK alice@example.com") == [r for r in owed if "AlicemarkCorp" in r]
    assert found(OWED, "alice nowhere") == []


@pytest.mark.django_db
def test_the_answers_owed_are_listed_from_an_index_in_the_order_they_fall_due():
    """The recruiter's list of answers owed reads its first page from an index on the
    effective due time, which only serves if it is the very expression the list sorts by."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    owed = FollowUp.objects.owed().with_effective_due().order_by("effective_due_at", "id")[:50]
    sql, params = owed.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "followup_owed_by_due" in plan, plan


@pytest.mark.django_db
def test_the_searched_columns_have_trigram_indexes_on_the_expression_search_emits():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%trgm'")
        indexes = dict(cursor.fetchall())
    for name, column in [
        ("application_company_trgm", "company"),
        ("application_job_title_trgm", "job_title"),
        ("user_display_name_trgm", "display_name"),
        ("user_email_trgm", "email"),
        ("message_subject_trgm", "subject"),
    ]:
        assert f"upper(({column})::text) gin_trgm_ops" in indexes[name], indexes.get(name)
