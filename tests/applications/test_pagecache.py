"""The cached board, list, detail and follow-ups pages (applications/pagecache.py), as a user
sees them: never stale after a write, moved on by the clock alone, with working forms, only
ever the user's own, cheaper the second time, and still right when the cache is down.

Each test first GETs the pages it checks, so that what it asserts afterwards is what the cache
had to get right, not a first drawing.
"""

import datetime
import re
import uuid
import zoneinfo
from html import unescape

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from applications import followups, pagecache, services
from applications.models import Application, Contact, FollowUp, Interview
from applications.signals import DELETED_ONLY_WITH_THEIR_APPLICATION, SHOWN
from applications.stages import Stage
from dataio.models import CalendarFeed, ImportBatch
from messaging.models import Outbox, SweepStatus, UserTemplate

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
K = FollowUp.Kind

BOARD = "/applications/board/"
LIST = "/applications/"
FOLLOWUPS = "/followups/"


def at_paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


# Monday 23 November 2026, 10:00 in Paris, where Alice lives.
MONDAY_10 = at_paris(2026, 11, 23, 10, 0)
# When an invitation received on Monday morning must be answered: the end of that business day.
MONDAY_18 = at_paris(2026, 11, 23, 18, 0)


# --- Reading the pages --------------------------------------------------------------------


def page(client, url: str, **extra) -> str:
    """The page at `url`, which must answer 200."""
    response = client.get(url, **extra)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """One `<section>` of a page, found by its heading's id (e.g. "timeline-heading")."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def column(board: str, stage: str) -> str:
    """The cards of one column of the board."""
    match = re.search(rf'data-stage="{stage}">(.*?)</ol>', board, re.S)
    assert match, f"the board has no {stage} column"
    return match[1]


def companies(html: str) -> list[str]:
    """The companies of the cards on the board (or in a column of it)."""
    return re.findall(r'<a class="fw-semibold d-block" href="/applications/\d+/">([^<]*)</a>', html)


def card(board: str, company: str) -> str:
    """The board's card for `company`."""
    for chunk in board.split('<li class="card board-card')[1:]:
        if f">{company}</a>" in chunk:
            return chunk.split("</li>")[0]
    raise AssertionError(f"no card for {company} on the board")


def rows(list_page: str) -> list[str]:
    """The companies in the rows of the applications list."""
    return re.findall(r'<td><a href="/applications/\d+/">([^<]*)</a></td>', list_page)


def overdue_badge(html: str) -> int:
    """The number on the navigation's follow-ups badge (0 when there is no badge)."""
    match = re.search(r'aria-label="(\d+) overdue"', html)
    return int(match[1]) if match else 0


def csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


def sql_of(client, url: str) -> list[str]:
    """The SQL that one GET of `url` runs."""
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return [query["sql"] for query in captured.captured_queries]


def on_applications(queries: list[str]) -> list[str]:
    return [sql for sql in queries if '"applications_application"' in sql]


# --- Fixtures -----------------------------------------------------------------------------


@pytest.fixture
def clock():
    """Now is Monday 23 November 2026, 10:00 in Paris, and it stays so until moved."""
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pipeline(clock, alice, make_application) -> dict[str, Application]:
    """Alice's applications, one in each of the first four stages, all put there on Monday
    10:00. The applied one owes a check-in a week later; nothing is due yet."""
    return {
        "hooli": make_application(alice, "Hooli", "Product Designer", stage=Stage.SAVED),
        "acme": make_application(alice, "Acme", "Backend Engineer", stage=Stage.APPLIED),
        "globex": make_application(
            alice, "Globex", "Site Reliability Engineer", stage=Stage.SCREENING
        ),
        "initech": make_application(alice, "Initech", "Data Analyst", stage=Stage.INTERVIEWING),
    }


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def invited(pipeline):
    """Acme invited Alice to an interview on Monday 10:00: answer due by Monday 18:00."""
    services.application_record_invitation(application=pipeline["acme"], to_interview=True)
    return FollowUp.objects.get(application=pipeline["acme"], kind=K.ANSWER_INVITATION)


@pytest.fixture
def overdue(clock, invited):
    """Monday 19:00: the invitation's answer has been due for an hour."""
    clock.move_to(at_paris(2026, 11, 23, 19, 0))
    return invited


def detail_url(application) -> str:
    return f"/applications/{application.pk}/"


def edit_data(**fields) -> dict:
    """What the edit form posts for Acme, with `fields` changed."""
    return {
        "company": "Acme",
        "job_title": "Backend Engineer",
        "priority": "3",
        "salary_currency": "EUR",
        "tags": "",
        **fields,
    }


# --- 1. Never stale after your own write --------------------------------------------------


def test_a_card_moved_with_the_move_menu_shows_in_its_new_column(logged_in, pipeline):
    acme = pipeline["acme"]
    assert "Acme" in companies(column(page(logged_in, BOARD), "applied"))
    page(logged_in, detail_url(acme))

    response = logged_in.post(f"{detail_url(acme)}move/", {"stage": "screening", "next": BOARD})
    assert response.url == BOARD

    board = page(logged_in, BOARD)
    assert "Acme" in companies(column(board, "screening"))
    assert "Acme" not in companies(column(board, "applied"))
    timeline = section(page(logged_in, detail_url(acme)), "timeline-heading")
    assert "Applied → Screening" in unescape(timeline)


def test_a_card_dragged_on_the_board_shows_in_its_new_column_at_once_and_after(logged_in, pipeline):
    page(logged_in, BOARD)
    response = logged_in.post(
        f"{detail_url(pipeline['acme'])}move/", {"stage": "interviewing"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    redrawn = response.content.decode()
    assert "Acme" in companies(column(redrawn, "interviewing"))
    assert "Acme" not in companies(column(redrawn, "applied"))

    board = page(logged_in, BOARD)
    assert "Acme" in companies(column(board, "interviewing"))
    assert "Acme" not in companies(column(board, "applied"))


def test_edited_details_show_on_the_board_the_list_and_the_detail_page(logged_in, pipeline):
    acme = pipeline["acme"]
    for url in (BOARD, LIST, detail_url(acme)):
        page(logged_in, url)

    response = logged_in.post(
        f"{detail_url(acme)}edit/",
        edit_data(company="Acme Robotics", job_title="Staff Engineer", tags="python, remote"),
    )
    assert response.status_code == 302

    acme_card = card(page(logged_in, BOARD), "Acme Robotics")
    assert "Staff Engineer" in acme_card
    assert "Backend Engineer" not in page(logged_in, BOARD)
    listed = page(logged_in, LIST)
    assert "Acme Robotics" in rows(listed)
    assert "Acme" not in rows(listed)
    assert ">remote</span>" in listed and "Staff Engineer" in listed
    detail = page(logged_in, detail_url(acme))
    assert "Staff Engineer <span" in detail and "at Acme Robotics" in detail
    assert ">python</span>" in section(detail, "details-heading")


def test_archiving_takes_it_off_the_board_and_the_list_and_restoring_brings_it_back(
    logged_in, pipeline
):
    acme = pipeline["acme"]
    for url in (BOARD, LIST, f"{LIST}?status=archived", detail_url(acme)):
        page(logged_in, url)

    logged_in.post(f"{detail_url(acme)}archive/")
    assert "Acme" not in companies(page(logged_in, BOARD))
    assert "Acme" not in rows(page(logged_in, LIST))
    assert rows(page(logged_in, f"{LIST}?status=archived")) == ["Acme"]
    assert 'text-bg-warning">Archived</span>' in page(logged_in, detail_url(acme))

    logged_in.post(f"{detail_url(acme)}archive/")
    assert "Acme" in companies(column(page(logged_in, BOARD), "applied"))
    assert "Acme" in rows(page(logged_in, LIST))
    assert rows(page(logged_in, f"{LIST}?status=archived")) == []
    detail = page(logged_in, detail_url(acme))
    assert "Archived</span>" not in detail
    assert "Restored from the archive" in section(detail, "timeline-heading")


def test_a_deleted_application_leaves_the_list_and_the_board(logged_in, pipeline):
    acme = pipeline["acme"]
    for url in (BOARD, LIST, detail_url(acme)):
        page(logged_in, url)

    response = logged_in.post(f"{detail_url(acme)}delete/")
    assert response.url == LIST

    assert "Acme" not in rows(page(logged_in, LIST))
    assert "Acme" not in companies(page(logged_in, BOARD))
    assert logged_in.get(detail_url(acme)).status_code == 404


def test_a_note_shows_on_the_timeline(logged_in, pipeline):
    acme = pipeline["acme"]
    page(logged_in, detail_url(acme))
    logged_in.post(f"{detail_url(acme)}notes/", {"text": "Called Priya about the team"})
    assert "Called Priya about the team" in section(
        page(logged_in, detail_url(acme)), "timeline-heading"
    )


def test_an_interview_scheduled_then_held_or_cancelled_shows_on_the_detail_page(
    clock, logged_in, pipeline
):
    initech = pipeline["initech"]
    url = detail_url(initech)
    assert "None scheduled." in section(page(logged_in, url), "interviews-heading")

    for round_, starts in ((1, "2026-11-24T14:00"), (2, "2026-11-26T14:00")):
        logged_in.post(
            f"{url}interviews/new/",
            {
                "round": round_,
                "starts_at": starts,
                "duration_minutes": 45,
                "format": "video",
                "state": "scheduled",
            },
        )
    interviews = section(page(logged_in, url), "interviews-heading")
    assert "Tue 24 Nov 2026, 14:00 CET" in interviews
    assert interviews.count("(45 min) · Scheduled") == 2

    clock.move_to(at_paris(2026, 11, 24, 15, 0))  # the first round took place
    page(logged_in, url)
    first, second = Interview.objects.filter(application=initech).order_by("round")
    logged_in.post(f"{url}interviews/{first.pk}/held/")
    interviews = section(page(logged_in, url), "interviews-heading")
    assert "(45 min) · Held" in interviews
    assert interviews.count("(45 min) · Scheduled") == 1
    assert "Round 1 held." in section(page(logged_in, url), "timeline-heading")

    logged_in.post(f"{url}interviews/{second.pk}/cancel/")
    interviews = section(page(logged_in, url), "interviews-heading")
    assert "(45 min) · Cancelled" in interviews
    assert "· Scheduled" not in interviews


def test_an_offer_shows_on_the_detail_page_the_board_card_and_the_followups_page(
    logged_in, pipeline
):
    initech = pipeline["initech"]
    for url in (BOARD, FOLLOWUPS, detail_url(initech)):
        page(logged_in, url)

    logged_in.post(
        f"{detail_url(initech)}offer/",
        {"amount": "70000", "currency": "EUR", "deadline": "2026-12-10", "notes": ""},
    )

    assert "Answer by <strong>Thu 10 Dec 2026</strong>" in section(
        page(logged_in, detail_url(initech)), "offer-heading"
    )
    board = page(logged_in, BOARD)
    assert "Initech" in companies(column(board, "offer"))
    # Two days before the deadline, at 17:00 in Paris.
    assert "Decide and answer the offer · by Tue 8 Dec, 17:00" in card(board, "Initech")
    assert "Decide and answer the offer" in section(page(logged_in, FOLLOWUPS), "upcoming-heading")


def test_an_invitation_shows_on_the_detail_page_the_board_card_and_the_followups_page(
    logged_in, pipeline
):
    acme = pipeline["acme"]
    for url in (BOARD, FOLLOWUPS, detail_url(acme)):
        page(logged_in, url)
    assert "Answer the invitation" not in page(logged_in, FOLLOWUPS)

    logged_in.post(f"{detail_url(acme)}invitation/", {"to_interview": "1"})

    assert "Invited to an interview." in section(
        page(logged_in, detail_url(acme)), "timeline-heading"
    )
    board = page(logged_in, BOARD)
    assert "Acme" in companies(column(board, "interviewing"))
    assert "Answer the invitation · by Mon 23 Nov, 18:00" in card(board, "Acme")
    assert "Answer the invitation" in section(page(logged_in, FOLLOWUPS), "upcoming-heading")


def test_a_renamed_contact_shows_under_people_on_the_detail_page(logged_in, alice, pipeline):
    acme = pipeline["acme"]
    priya = Contact.objects.create(owner=alice, name="Priya Nair", role="recruiter")
    acme.contacts.add(priya)
    assert "Priya Nair" in section(page(logged_in, detail_url(acme)), "people-heading")

    response = logged_in.post(
        f"/contacts/{priya.pk}/", {"name": "Priya Sharma", "role": "hiring_manager"}
    )
    assert response.status_code == 302

    people = section(page(logged_in, detail_url(acme)), "people-heading")
    assert "Priya Sharma" in people
    assert "Priya Nair" not in people
    assert "Hiring manager" in people


def test_a_followup_marked_done_leaves_the_page_the_card_and_the_badge(logged_in, overdue):
    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" in section(followups_page, "overdue-heading")
    assert overdue_badge(followups_page) == 1
    assert "Answer the invitation · overdue since" in card(page(logged_in, BOARD), "Acme")

    logged_in.post(f"/followups/{overdue.pk}/done/")

    followups_page = page(logged_in, FOLLOWUPS)
    assert "Nothing is due. Well done." in section(followups_page, "overdue-heading")
    assert "Answer the invitation" not in followups_page
    assert overdue_badge(followups_page) == 0
    assert overdue_badge(page(logged_in, BOARD)) == 0
    assert "Answer the invitation" not in card(page(logged_in, BOARD), "Acme")


def test_a_dismissed_followup_leaves_the_page_the_card_and_the_badge(logged_in, overdue):
    assert overdue_badge(page(logged_in, FOLLOWUPS)) == 1
    assert "Answer the invitation" in card(page(logged_in, BOARD), "Acme")

    logged_in.post(f"/followups/{overdue.pk}/dismiss/")

    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" not in followups_page
    assert overdue_badge(followups_page) == 0
    assert "Answer the invitation" not in card(page(logged_in, BOARD), "Acme")


def test_a_snoozed_followup_moves_to_coming_up_and_off_the_badge(logged_in, overdue):
    assert "Answer the invitation" in section(page(logged_in, FOLLOWUPS), "overdue-heading")
    assert overdue_badge(page(logged_in, BOARD)) == 1

    logged_in.post(f"/followups/{overdue.pk}/snooze/", {"period": "1d"})

    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" not in section(followups_page, "overdue-heading")
    coming_up = section(followups_page, "upcoming-heading")
    assert "Answer the invitation" in coming_up
    assert "Tue 24 Nov, 19:00</time> (snoozed)" in coming_up
    assert overdue_badge(followups_page) == 0
    board = page(logged_in, BOARD)
    assert overdue_badge(board) == 0
    assert "Answer the invitation · by Tue 24 Nov, 19:00" in card(board, "Acme"), (
        "the card shows when the snooze ends, not an overdue due time"
    )


def test_a_logged_message_shows_on_the_timeline_and_settles_what_it_answers(
    clock, logged_in, pipeline
):
    initech = pipeline["initech"]
    services.interview_schedule(
        interview=Interview(
            application=initech,
            starts_at=at_paris(2026, 11, 23, 8, 0),
            duration_minutes=60,
            state=Interview.State.HELD,
        )
    )
    assert "Send a thank-you note" in section(page(logged_in, FOLLOWUPS), "upcoming-heading")
    page(logged_in, detail_url(initech))

    response = logged_in.post(
        f"{detail_url(initech)}messages/send/",
        {
            "kind": "thank_you_interview",
            "tone": "formal",
            "reason": "",
            "draft_id": str(uuid.uuid4()),
            "subject": "Thank you for this morning",
            "body": "Thank you for your time this morning; I enjoyed meeting the team.",
            "action": "copy",
        },
    )
    assert response.url == detail_url(initech)

    timeline = section(page(logged_in, detail_url(initech)), "timeline-heading")
    assert "Message logged" in timeline
    assert "I enjoyed meeting the team." in timeline
    assert "Send a thank-you note" not in page(logged_in, FOLLOWUPS)


def test_imported_applications_show_on_the_list_and_the_board(logged_in, alice, pipeline):
    assert rows(page(logged_in, LIST)) and "Zenith Labs" not in page(logged_in, LIST)
    page(logged_in, BOARD)

    csv = (
        b"Company,Title,Status\nZenith Labs,Platform Engineer,Applied\nNadir,QA Lead,Interviewing\n"
    )
    response = logged_in.post("/import/", {"file": SimpleUploadedFile("jobs.csv", csv)})
    batch = ImportBatch.objects.get(owner=alice)
    assert response.url == f"/import/{batch.pk}/"
    mapping = {f"column_{i}": name for i, name in batch.mapping.items()}
    response = logged_in.post(response.url, {**mapping, "day_first": "1", "action": "import"})
    assert response.url == f"/import/{batch.pk}/status/"

    listed = rows(page(logged_in, LIST))
    assert {"Zenith Labs", "Nadir"} <= set(listed)
    board = page(logged_in, BOARD)
    assert "Zenith Labs" in companies(column(board, "applied"))
    assert "Nadir" in companies(column(board, "interviewing"))


def test_applications_created_in_bulk_show_at_once(logged_in, alice, pipeline):
    """What the import does: `bulk_create`, which sends no signal."""
    page(logged_in, LIST)
    page(logged_in, BOARD)

    Application.objects.bulk_create(
        [Application(owner=alice, company="Zenith Labs", job_title="QA", stage=Stage.APPLIED)]
    )

    assert "Zenith Labs" in rows(page(logged_in, LIST))
    assert "Zenith Labs" in companies(column(page(logged_in, BOARD), "applied"))


def test_a_bulk_update_by_a_followups_service_shows_at_once(logged_in, overdue):
    """`followup_dismiss` writes with queryset.update(), which sends no signal."""
    assert overdue_badge(page(logged_in, FOLLOWUPS)) == 1
    page(logged_in, BOARD)

    followups.followup_dismiss(followup=overdue)

    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" not in followups_page
    assert overdue_badge(followups_page) == 0
    assert "Answer the invitation" not in card(page(logged_in, BOARD), "Acme")


# --- 2. The clock -------------------------------------------------------------------------


def test_days_in_stage_tick_over_when_the_next_whole_day_has_passed(clock, logged_in, pipeline):
    acme = pipeline["acme"]
    # Drawn and cached at 15:00, not on the hour of the move, so that only `stale_at`, not
    # the cache's own expiry a day later, can make the count tick over at 10:00.
    clock.move_to(at_paris(2026, 11, 25, 15, 0))  # two days after the move to applied
    assert "2 days in stage" in card(page(logged_in, BOARD), "Acme")
    assert "for 2 days" in page(logged_in, detail_url(acme))

    clock.move_to(at_paris(2026, 11, 26, 9, 59, 59))
    assert "2 days in stage" in card(page(logged_in, BOARD), "Acme")
    assert "for 2 days" in page(logged_in, detail_url(acme))

    clock.move_to(at_paris(2026, 11, 26, 10, 0))  # nothing written: only the clock moved
    assert "3 days in stage" in card(page(logged_in, BOARD), "Acme")
    assert "for 3 days" in page(logged_in, detail_url(acme))


def test_a_followup_falls_due_exactly_at_its_due_time(clock, logged_in, invited):
    def acme_row() -> str:
        listed = page(logged_in, LIST)
        return next(tr for tr in listed.split("<tr>") if ">Acme</a>" in tr)

    clock.move_to(at_paris(2026, 11, 23, 12, 0))
    for url in (FOLLOWUPS, BOARD, LIST):
        page(logged_in, url)

    clock.move_to(MONDAY_18 - datetime.timedelta(seconds=1))
    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" in section(followups_page, "upcoming-heading")
    assert "Answer the invitation" not in section(followups_page, "overdue-heading")
    assert overdue_badge(followups_page) == 0
    board = page(logged_in, BOARD)
    assert "Answer the invitation · by Mon 23 Nov, 18:00" in card(board, "Acme")
    assert overdue_badge(board) == 0
    assert "Answer the invitation · by Mon 23 Nov, 18:00" in acme_row()

    clock.move_to(MONDAY_18)
    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" in section(followups_page, "overdue-heading")
    assert "Answer the invitation" not in section(followups_page, "upcoming-heading")
    assert overdue_badge(followups_page) == 1
    board = page(logged_in, BOARD)
    assert "Answer the invitation · overdue since Mon 23 Nov, 18:00" in card(board, "Acme")
    assert overdue_badge(board) == 1
    assert "Answer the invitation · overdue since Mon 23 Nov, 18:00" in acme_row()


def test_a_snoozed_followup_comes_back_when_the_snooze_ends(clock, logged_in, overdue):
    logged_in.post(f"/followups/{overdue.pk}/snooze/", {"period": "1d"})  # until Tue 19:00
    clock.move_to(at_paris(2026, 11, 23, 20, 0))  # cached an hour later: not a day before 19:00
    assert overdue_badge(page(logged_in, FOLLOWUPS)) == 0

    clock.move_to(at_paris(2026, 11, 24, 18, 59, 59))
    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" in section(followups_page, "upcoming-heading")
    assert overdue_badge(followups_page) == 0

    assert "Answer the invitation · by Tue 24 Nov, 19:00" in card(page(logged_in, BOARD), "Acme")

    clock.move_to(at_paris(2026, 11, 24, 19, 0))
    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" in section(followups_page, "overdue-heading")
    assert overdue_badge(followups_page) == 1
    assert "Answer the invitation · overdue since Tue 24 Nov, 19:00" in card(
        page(logged_in, BOARD), "Acme"
    )


# --- 3. CSRF ------------------------------------------------------------------------------


@pytest.fixture
def strict_browser(alice):
    """A client that checks CSRF tokens as a real browser session must pass them."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    return browser


def move_form_token(board: str, company: str) -> str:
    (token,) = csrf_tokens(card(board, company))
    return token


def test_a_board_served_from_the_cache_carries_a_working_token(strict_browser, pipeline):
    page(strict_browser, BOARD)
    queries = sql_of(strict_browser, BOARD)
    assert on_applications(queries) == [], "the second board must come from the cache"
    board = page(strict_browser, BOARD)

    response = strict_browser.post(
        f"{detail_url(pipeline['acme'])}move/",
        {
            "stage": "screening",
            "next": BOARD,
            "csrfmiddlewaretoken": move_form_token(board, "Acme"),
        },
    )
    assert response.status_code == 302
    assert "Acme" in companies(column(page(strict_browser, BOARD), "screening"))


def test_after_logging_out_and_in_the_cached_board_carries_the_new_token(
    strict_browser, pipeline, password
):
    board = page(strict_browser, BOARD)
    old_secret = strict_browser.cookies["csrftoken"].value
    response = strict_browser.post(
        "/accounts/logout/", {"csrfmiddlewaretoken": csrf_tokens(board)[0]}
    )
    assert response.status_code == 302
    assert strict_browser.get(BOARD).status_code == 302, "logged out: the board asks to log in"
    login_page = page(strict_browser, "/accounts/login/")
    response = strict_browser.post(
        "/accounts/login/",
        {
            "login": "alice@example.com",
            "password": password,
            "csrfmiddlewaretoken": csrf_tokens(login_page)[0],
        },
    )
    assert response.status_code == 302
    assert strict_browser.cookies["csrftoken"].value != old_secret, "login rotates the secret"

    with CaptureQueriesContext(connection) as captured:
        board = page(strict_browser, BOARD)
    assert on_applications([q["sql"] for q in captured.captured_queries]) == [], (
        "the board must still come from the cache"
    )
    response = strict_browser.post(
        f"{detail_url(pipeline['acme'])}move/",
        {
            "stage": "screening",
            "next": BOARD,
            "csrfmiddlewaretoken": move_form_token(board, "Acme"),
        },
    )
    assert response.status_code == 302


def test_the_placeholder_never_reaches_a_page(logged_in, overdue, pipeline):
    placeholder = pagecache.csrf_placeholder()
    urls = [BOARD, LIST, FOLLOWUPS, detail_url(pipeline["acme"]), f"{LIST}?q=Acme"]
    for url in urls * 2:  # drawn, then from the cache
        html = page(logged_in, url)
        assert placeholder not in html, url
        assert csrf_tokens(html), f"{url} has no form with a token"
    response = logged_in.post(
        f"{detail_url(pipeline['globex'])}move/", {"stage": "interviewing"}, HTTP_HX_REQUEST="true"
    )
    assert placeholder not in response.content.decode()
    assert csrf_tokens(response.content.decode())


# --- 4. Isolation -------------------------------------------------------------------------


def test_each_user_sees_only_their_own_board_and_list(logged_in, bob, pipeline, make_application):
    bob.time_zone = "Europe/Paris"  # the same zone as Alice: only who they are tells them apart
    bob.save()
    make_application(bob, "Bobcat", "Welder", stage=Stage.APPLIED)
    bobs = Client()
    bobs.force_login(bob)

    for _ in range(2):  # the second time, both come from the cache
        assert sorted(companies(page(logged_in, BOARD))) == ["Acme", "Globex", "Hooli", "Initech"]
        assert companies(page(bobs, BOARD)) == ["Bobcat"]
        assert sorted(rows(page(logged_in, LIST))) == ["Acme", "Globex", "Hooli", "Initech"]
        assert rows(page(bobs, LIST)) == ["Bobcat"]
    assert bobs.get(detail_url(pipeline["acme"])).status_code == 404


def test_a_new_time_zone_shows_on_the_cached_followups_page_at_once(logged_in, invited):
    def due_time(html: str) -> str:
        return re.search(r"Due <time[^>]*>([^<]*)</time>", section(html, "upcoming-heading"))[1]

    assert due_time(page(logged_in, FOLLOWUPS)) == "Mon 23 Nov, 18:00"
    assert "by Mon 23 Nov, 18:00" in card(page(logged_in, BOARD), "Acme")

    response = logged_in.post(
        "/accounts/profile/",
        {
            "display_name": "Alice Martin",
            "time_zone": "America/New_York",
            "reminder_mode": "each",
            "digest_hour": 8,
            "thank_you_hours": 24,
            "check_in_business_days": 7,
            "offer_days_before": 2,
            "inactivity_days": 30,
        },
    )
    assert response.status_code == 302

    assert due_time(page(logged_in, FOLLOWUPS)) == "Mon 23 Nov, 12:00"
    assert "by Mon 23 Nov, 12:00" in card(page(logged_in, BOARD), "Acme")


def test_a_new_name_shows_in_the_cached_navigation_at_once(logged_in, invited):
    assert "Alice Martin" in page(logged_in, BOARD)
    logged_in.post(
        "/accounts/profile/",
        {
            "display_name": "Alice Dupont",
            "time_zone": "Europe/Paris",
            "reminder_mode": "each",
            "digest_hour": 8,
            "thank_you_hours": 24,
            "check_in_business_days": 7,
            "offer_days_before": 2,
            "inactivity_days": 30,
        },
    )
    board = page(logged_in, BOARD)
    assert "Alice Dupont" in board and "Alice Martin" not in board


def test_each_search_gets_its_own_cached_list(logged_in, pipeline):
    for _ in range(2):
        assert rows(page(logged_in, f"{LIST}?q=Acme")) == ["Acme"]
        assert rows(page(logged_in, f"{LIST}?q=Globex")) == ["Globex"]
        assert sorted(rows(page(logged_in, f"{LIST}?stage=applied&stage=screening"))) == [
            "Acme",
            "Globex",
        ]
        assert rows(page(logged_in, f"{LIST}?stage=saved")) == ["Hooli"]


def test_the_order_of_parameters_does_not_matter(logged_in, pipeline):
    page(logged_in, f"{LIST}?q=e&status=active")
    assert on_applications(sql_of(logged_in, f"{LIST}?status=active&q=e")) == []


def test_the_order_of_a_parameters_values_does_not_matter(logged_in, pipeline):
    first = rows(page(logged_in, f"{LIST}?stage=applied&stage=screening"))
    queries = sql_of(logged_in, f"{LIST}?stage=screening&stage=applied")
    assert sorted(rows(page(logged_in, f"{LIST}?stage=screening&stage=applied"))) == sorted(first)
    assert on_applications(queries) == [], "the same filter must come from the cache"


def test_parameters_the_list_does_not_read_share_its_drawing(logged_in, pipeline):
    first = page(logged_in, f"{LIST}?utm_source=newsletter")
    queries = sql_of(logged_in, f"{LIST}?utm_source=another&ref=x")
    assert on_applications(queries) == [], "junk parameters make no drawing of their own"
    assert rows(first) == rows(page(logged_in, LIST))
    assert "utm_source" not in first, "nor do they leak into the pagination links"


# --- 5. Cost ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [BOARD, LIST, FOLLOWUPS])
def test_the_second_visit_makes_fewer_queries(logged_in, overdue, url):
    first = sql_of(logged_in, url)
    second = sql_of(logged_in, url)
    assert len(second) < len(first), "\n".join(second)


def test_the_cached_board_reads_no_application(logged_in, overdue):
    assert on_applications(sql_of(logged_in, BOARD)), "the first board reads the applications"
    second = sql_of(logged_in, BOARD)
    assert on_applications(second) == [], "\n".join(second)
    assert not [sql for sql in second if '"applications_followup"' in sql], "nor the badge"


# --- 6. No model forgotten ----------------------------------------------------------------

# What the board, the list, the detail page, the follow-ups page and the navigation's badge
# never draw, and so need not forget the cached pages when written.
NOT_SHOWN = {
    UserTemplate: "the user's own message templates: only the compose page reads them",
    Outbox: "reminder emails waiting to go out: only the sweep and the mail worker read them",
    SweepStatus: "the reminder sweep's heartbeat, for the staff delivery page",
    ImportBatch: "a CSV upload between its steps: only the import pages show it",
    CalendarFeed: "the secret address of the calendar feed: only its settings page shows it",
}


def test_every_model_is_known_to_be_drawn_or_not():
    models = {
        model
        for label in ("applications", "messaging", "dataio")
        for model in apps.get_app_config(label).get_models()
    }
    unclassified = models - set(SHOWN) - set(NOT_SHOWN)
    assert not unclassified, (
        f"{sorted(m.__name__ for m in unclassified)}: add each to applications.signals.SHOWN "
        "if the cached pages draw it, or to NOT_SHOWN here with the reason they never do"
    )
    assert not set(SHOWN) & set(NOT_SHOWN)


def test_every_shown_model_and_relation_forgets_the_pages():
    for model in SHOWN:
        assert post_save.has_listeners(model), model.__name__
        if model not in DELETED_ONLY_WITH_THEIR_APPLICATION:
            assert post_delete.has_listeners(model), model.__name__
        for field in model._meta.many_to_many:
            assert m2m_changed.has_listeners(field.remote_field.through), str(field)


# --- 7. Cache down ------------------------------------------------------------------------


class BrokenCache(BaseCache):
    """A cache server that does not answer."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("the cache server does not answer")

    get = set = add = delete = delete_many = get_many = set_many = touch = has_key = _down
    incr = clear = _down


@pytest.fixture
def cache_down():
    with override_settings(
        CACHES={"default": {"BACKEND": "tests.applications.test_pagecache.BrokenCache"}}
    ):
        with pytest.raises(ConnectionError):
            cache.get("anything")  # the override reached the `cache` the pages use
        yield


def test_without_a_cache_the_pages_are_drawn_as_before_and_writes_show(
    logged_in, overdue, pipeline, cache_down
):
    board = page(logged_in, BOARD)
    assert "Acme" in companies(column(board, "interviewing"))
    assert "Answer the invitation · overdue since Mon 23 Nov, 18:00" in card(board, "Acme")
    assert overdue_badge(board) == 1
    assert sorted(rows(page(logged_in, LIST))) == ["Acme", "Globex", "Hooli", "Initech"]
    assert "Invited to an interview." in section(
        page(logged_in, detail_url(pipeline["acme"])), "timeline-heading"
    )
    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" in section(followups_page, "overdue-heading")
    assert pagecache.csrf_placeholder() not in board + followups_page

    response = logged_in.post(
        f"{detail_url(pipeline['globex'])}move/", {"stage": "interviewing", "next": BOARD}
    )
    assert response.status_code == 302
    logged_in.post(f"/followups/{overdue.pk}/done/")

    board = page(logged_in, BOARD)
    assert "Globex" in companies(column(board, "interviewing"))
    assert "Answer the invitation" not in card(board, "Acme")
    assert overdue_badge(board) == 0
    assert "Nothing is due" in page(logged_in, FOLLOWUPS)


# --- An operator's edit in the admin ------------------------------------------------------


def test_an_operator_cannot_hand_an_application_to_another_user(logged_in, pipeline):
    operator = User.objects.create_superuser("ops@example.com", "an-operator-password")
    admins = Client()
    admins.force_login(operator)
    change = admins.get(f"/backoffice/applications/application/{pipeline['acme'].pk}/change/")
    assert change.status_code == 200
    html = change.content.decode()
    assert 'name="company"' in html, "the form is editable"
    assert 'name="owner"' not in html, "but its owner is fixed: both users' pages would go wrong"
    add = admins.get("/backoffice/applications/application/add/").content.decode()
    assert 'name="owner"' in add, "an owner is chosen when an application is added"


def test_a_row_handed_to_another_user_leaves_the_first_users_pages(logged_in, pipeline, bob):
    assert "Acme" in companies(page(logged_in, BOARD))
    acme = Application.objects.get(pk=pipeline["acme"].pk)
    acme.owner = bob  # no view does this, and the admin forbids it; were it ever done:
    acme.save()
    assert "Acme" not in companies(page(logged_in, BOARD))
    assert logged_in.get(detail_url(acme)).status_code == 404


# The admin's owed answers are a proxy of follow-ups: Django sends its signals under the proxy.
def test_an_owed_answer_deleted_in_the_admin_leaves_the_candidates_pages(logged_in, overdue):
    operator = User.objects.create_superuser("ops@example.com", "an-operator-password")
    assert overdue_badge(page(logged_in, FOLLOWUPS)) == 1

    admins = Client()
    admins.force_login(operator)
    response = admins.post(f"/backoffice/agencies/owedanswer/{overdue.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not FollowUp.objects.filter(pk=overdue.pk).exists()

    followups_page = page(logged_in, FOLLOWUPS)
    assert "Answer the invitation" not in followups_page
    assert overdue_badge(followups_page) == 0
