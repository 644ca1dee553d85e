import datetime
import re

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application, FollowUp, Interview, TimelineEvent
from applications.stages import Stage
from tests.applications.forms_helper import form_data
from tests.pages import page_text


def names(response) -> list[str]:
    return [f"{a.company}" for a in response.context["page"].object_list]


def test_adding_an_application_opens_its_page(logged_in, contact):
    response = logged_in.post(
        "/applications/new/",
        {
            "company": "Globex",
            "job_title": "SRE",
            "stage": "saved",
            "priority": "4",
            "tags": "python, remote, python",
            "contacts": [contact.pk],
        },
    )
    application = Application.objects.get()
    assert response.url == f"/applications/{application.pk}/"
    assert sorted(application.tags.values_list("name", flat=True)) == ["python", "remote"]
    assert list(application.contacts.all()) == [contact]


def test_the_detail_page_shows_the_timeline_newest_first(logged_in, application):
    services.application_add_note(application=application, text="Called the recruiter")
    page = page_text(logged_in, f"/applications/{application.pk}/")
    assert page.index("Called the recruiter") < page.index("Created")
    for action in (
        "Invitation received",
        "Schedule interview",
        "Record offer",
        "Not interested",
        "Add note",
    ):
        assert action in page, f"quick action {action} is missing"


@pytest.mark.parametrize(
    ("stage", "kind"),
    [
        (Stage.APPLIED, "withdraw"),
        (Stage.SCREENING, "decline_interview"),
        (Stage.INTERVIEWING, "withdraw"),
        (Stage.OFFER, "decline_offer"),
    ],
)
def test_not_interested_leads_to_the_right_message(logged_in, alice, make_application, stage, kind):
    application = make_application(alice, stage=stage)
    page = page_text(logged_in, f"/applications/{application.pk}/")
    assert f"/applications/{application.pk}/messages/new/?kind={kind}" in page


def test_moving_to_an_end_asks_why_then_moves(logged_in, application):
    url = f"/applications/{application.pk}/move/"
    response = logged_in.post(url, {"stage": "withdrawn", "from": "applied"})
    assert "Say why it is withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED
    response = logged_in.post(
        url, {"stage": "withdrawn", "reason": "other_offer", "from": "applied"}
    )
    application.refresh_from_db()
    assert (application.stage, application.end_reason) == (Stage.WITHDRAWN, "other_offer")


def test_a_refused_move_says_why_on_the_page(logged_in, application):
    response = logged_in.post(
        f"/applications/{application.pk}/move/", {"stage": "accepted", "from": "applied"}
    )
    assert response.status_code == 200
    assert "Only an offer can be accepted. Record the offer first." in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_the_board_moves_a_card_through_htmx_and_gets_it_back_redrawn(
    logged_in, clock, alice, application, make_application
):
    make_application(alice, company="Initech")  # still applied
    clock.shift(days=3)
    response = logged_in.post(
        f"/applications/{application.pk}/move/",
        {"stage": "interviewing", "from": "applied"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    part = response.content.decode()
    card = re.search(rf'<li [^>]*id="card-{application.pk}".*?</li>', part, re.S)[0]
    assert "Acme" in card and "0 days in stage" in card, "the card is drawn as it is now"
    assert "Check in politely · by" in card, "with the first answer it owes"
    assert "Initech" not in part, "only the moved card comes back, not the whole board"
    counts = dict(re.findall(r'id="count-(\w+)" [^>]*hx-swap-oob="true">(\d+)<', part))
    assert counts == {
        "saved": "0",
        "applied": "1",
        "screening": "0",
        "interviewing": "1",
        "offer": "0",
    }
    assert 'id="overdue-badge" hx-swap-oob="true"' in part
    assert 'id="overdue-badge-compact" hx-swap-oob="true"' in part, "the phone's copy too"


def test_a_move_on_the_board_sends_back_how_many_answers_are_overdue(
    logged_in, clock, alice, bob, application, make_application
):
    for owner in (alice, alice, bob):  # Bob's late answer is not Alice's
        late = make_application(owner, company="Initech")
        FollowUp.objects.create(owner=owner, application=late, kind="check_in", due_at=clock.now())
    clock.shift(hours=1)
    response = logged_in.post(
        f"/applications/{application.pk}/move/",
        {"stage": "screening", "from": "applied"},
        HTTP_HX_REQUEST="true",
    )
    badge = re.search(
        r'id="overdue-badge" hx-swap-oob="true">(.*?)</span></span>', response.content.decode()
    )
    assert badge and ">2<span" in badge[1]


def test_the_board_has_one_move_menu_and_a_move_link_per_card(logged_in, alice, make_application):
    for n in range(3):
        make_application(alice, company=f"Company {n}")
    page = page_text(logged_in, "/applications/board/")
    assert page.count('id="move-menu"') == 1
    assert page.count('role="menuitem"') == 10, "every stage once: the card's column filters them"
    assert "<select" not in page and "<form" not in page.split('id="board"')[1]
    links = re.findall(r'href="(/applications/\d+/move/\?next=/applications/board/)"', page)
    assert len(links) == 3, "without JavaScript, each card's Move link opens the move page"
    applied = re.search(r'data-stage="applied" data-targets="([^"]*)"', page)[1].split()
    assert "saved" not in applied and "interviewing" in applied and "rejected" in applied
    move_page = page_text(logged_in, links[0] + "&stage=interviewing")
    assert 'name="stage"' in move_page


def test_the_board_gets_a_409_and_the_reason_for_a_refused_move(logged_in, application):
    response = logged_in.post(
        f"/applications/{application.pk}/move/",
        {"stage": "saved", "from": "applied"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert response.content.decode() == "An application that was sent cannot go back to Saved."


def test_the_move_menu_works_without_javascript_and_returns_to_the_board(logged_in, application):
    response = logged_in.post(
        f"/applications/{application.pk}/move/",
        {"stage": "screening", "from": "applied", "next": "/applications/board/"},
    )
    assert response.url == "/applications/board/"
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_the_list_shows_archived_applications_on_request(logged_in, alice, make_application):
    make_application(alice, company="Kept")
    archived = make_application(alice, company="Shelved")
    services.application_set_archived(application=archived, archived=True)
    assert names(logged_in.get("/applications/")) == ["Kept"]
    assert names(logged_in.get("/applications/?status=archived")) == ["Shelved"]


def test_the_move_never_redirects_off_site(logged_in, application):
    response = logged_in.post(
        f"/applications/{application.pk}/move/",
        {"stage": "screening", "from": "applied", "next": "https://evil.example/"},
    )
    assert response.url == f"/applications/{application.pk}/"


def test_a_board_card_shows_the_answer_owed_first_a_snooze_counting(
    logged_in, clock, alice, make_application
):
    application = make_application(alice, company="Initech")
    FollowUp.objects.filter(application=application).delete()
    now = clock.now()
    day = datetime.timedelta(days=1)
    FollowUp.objects.create(  # due first, but snoozed past the next one
        owner=alice, application=application, kind="check_in", due_at=now + day,
        state="snoozed", snoozed_until=now + 3 * day,
    )  # fmt: skip
    FollowUp.objects.create(owner=alice, application=application, kind="thank_you",
                            due_at=now + 2 * day)  # fmt: skip
    FollowUp.objects.create(  # housekeeping never shows on the card
        owner=alice, application=application, kind="update_or_close", due_at=now,
        low_priority=True,
    )  # fmt: skip
    card = re.search(
        r'<li [^>]*id="card-\d+".*?</li>', page_text(logged_in, "/applications/board/"), re.S
    )[0]
    assert "Send a thank-you note · by" in card
    assert "Check in" not in card and "overdue" not in card


def test_the_board_has_a_column_per_active_stage_with_days_and_next_due(
    logged_in, application, interview
):
    page = page_text(logged_in, "/applications/board/")
    for stage in ("Saved", "Applied", "Screening", "Interviewing", "Offer"):
        assert f"<span>{stage}</span>" in page
    assert "0 days in stage" in page
    # The next thing owed: preparing (or declining) the day before the interview.
    day_before = (interview.starts_at - datetime.timedelta(days=1)).astimezone(
        application.owner.zoneinfo
    )
    expected = f"{day_before:%a} {day_before.day} {day_before:%b}, {day_before:%H:%M}"
    assert f"Prepare for the interview, or decline it now · by {expected}" in page


def test_ended_and_archived_applications_leave_the_board(logged_in, alice, make_application):
    ended = make_application(alice, company="Ended Co")
    services.application_move(application=ended, target=Stage.CLOSED, reason="lost_interest")
    archived = make_application(alice, company="Archived Co")
    logged_in.post(f"/applications/{archived.pk}/archive/")
    page = page_text(logged_in, "/applications/board/")
    assert "Ended Co" not in page
    assert "Archived Co" not in page


@pytest.fixture
def several(alice, make_application):
    make_application(alice, company="Zeta", job_title="Data Engineer", priority=1)
    make_application(
        alice,
        company="Alpha",
        job_title="Python Developer",
        priority=5,
        workplace_type="remote",
        notes="Referral from Ana",
    )
    make_application(alice, company="Mid", job_title="SRE", stage=Stage.SAVED, priority=3)
    ended = make_application(alice, company="Gone", job_title="QA")
    services.application_move(application=ended, target=Stage.REJECTED, reason="not_selected")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Mid", "Alpha", "Zeta"]),
        ("?sort=updated", ["Mid", "Alpha", "Zeta"]),
        ("?q=python", ["Alpha"]),
        ("?q=ana", ["Alpha"]),
        ("?stage=saved", ["Mid"]),
        ("?workplace_type=remote", ["Alpha"]),
        ("?priority=1", ["Zeta"]),
        ("?status=ended", ["Gone"]),
        ("?sort=company", ["Alpha", "Mid", "Zeta"]),
        ("?sort=priority", ["Alpha", "Mid", "Zeta"]),
        ("?sort=stage&status=all", ["Mid", "Alpha", "Zeta", "Gone"]),
        ("?priority=banana", ["Mid", "Alpha", "Zeta"]),
    ],
)
def test_the_list_searches_filters_and_sorts(logged_in, several, query, expected):
    response = logged_in.get("/applications/" + query)
    got = names(response)
    if "sort" in query:
        assert got == expected
    else:
        assert sorted(got) == sorted(expected)


def test_the_list_filters_by_tag(logged_in, alice, make_application):
    tagged = make_application(alice, company="Tagged")
    services.application_update(
        application=tagged, changed_fields=[], tag_names=["fintech"], contacts=[]
    )
    make_application(alice, company="Plain")
    assert names(logged_in.get("/applications/?tag=fintech")) == ["Tagged"]


def test_the_list_is_paginated(logged_in, alice):
    Application.objects.bulk_create(
        Application(owner=alice, company=f"Co {n:02}", job_title="Dev", stage="applied")
        for n in range(30)
    )
    first = logged_in.get("/applications/?sort=company")
    second = logged_in.get("/applications/?sort=company&page=2")
    assert len(names(first)) == 25
    assert names(second) == [f"Co {n:02}" for n in range(25, 30)]
    assert "sort=company&amp;page=2" in first.content.decode()


def test_company_history_shows_how_it_went_before(logged_in, alice, make_application):
    earlier = make_application(alice, company="Initech")
    services.application_move(application=earlier, target=Stage.REJECTED, reason="not_selected")
    silent = make_application(alice, company="Initech", job_title="Other role")
    services.application_move(application=silent, target=Stage.CLOSED, reason="no_response")
    panel = page_text(logged_in, "/applications/company-history/?company=initech")
    month = timezone.localdate().strftime("%B %Y")
    assert f"they turned you down in {month}" in panel
    assert "they never answered" in panel


def test_company_history_refuses_a_nul_byte_in_the_name_plainly(logged_in, application):
    # PostgreSQL refuses NUL in text: a NUL in any address is a 400 saying so (config/
    # middleware.py), never a server error; htmx leaves the panel as it was.
    panel = logged_in.get("/applications/company-history/?company=Ac%00me")
    assert panel.status_code == 400
    assert "NUL character" in panel.content.decode()


def test_editing_keeps_the_stage_and_logs_the_change(logged_in, application):
    url = f"/applications/{application.pk}/edit/"
    response = logged_in.post(
        url, form_data(logged_in, url, job_title="Staff Engineer", priority="5", stage="offer")
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert (application.job_title, application.stage) == ("Staff Engineer", Stage.APPLIED)
    assert application.events.first().kind == TimelineEvent.Kind.EDITED


def test_delete_asks_first_then_deletes(logged_in, application):
    confirm = logged_in.get(f"/applications/{application.pk}/delete/")
    assert "cannot be undone" in confirm.content.decode()
    assert Application.objects.exists()
    logged_in.post(f"/applications/{application.pk}/delete/")
    assert not Application.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_the_quick_actions_record_their_events(logged_in, clock, application):
    base = f"/applications/{application.pk}"
    logged_in.post(f"{base}/invitation/", {"to_interview": "1", "note": "Round 1 please"})
    logged_in.post(
        f"{base}/interviews/new/",
        {
            "round": 1,
            "starts_at": clock.iso(7, 9),
            "duration_minutes": 45,
            "format": "video",
            "state": "scheduled",
        },
    )
    logged_in.post(
        f"{base}/offer/",
        {"amount": "70000", "currency": "eur", "deadline": clock.day(30).isoformat()},
    )
    logged_in.post(f"{base}/notes/", {"text": "Negotiate remote days"})
    kinds = list(application.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [
        "created",
        "invitation_received",
        "stage_moved",  # caused by the invitation, so after it
        "interview_scheduled",
        "offer_recorded",
        "stage_moved",
        "note",
    ]
    application.refresh_from_db()
    assert application.stage == Stage.OFFER
    assert application.offer.currency == "EUR"


def test_an_ended_application_cannot_take_an_offer_until_reopened(logged_in, application):
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    response = logged_in.get(f"/applications/{application.pk}/offer/", follow=True)
    assert "reopen it first" in response.content.decode()


def test_marking_an_interview_held(logged_in, interview):
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    logged_in.post(f"/applications/{interview.application_id}/interviews/{interview.pk}/held/")
    interview.refresh_from_db()
    assert interview.state == Interview.State.HELD


def test_contacts_can_be_added_edited_and_deleted(logged_in, alice):
    logged_in.post(
        "/contacts/new/", {"name": "Dana Lee", "role": "recruiter", "url": "linkedin.com/in/dana"}
    )
    contact = alice.contacts.get()
    assert contact.url == "https://linkedin.com/in/dana"
    url = f"/contacts/{contact.pk}/"
    logged_in.post(url, form_data(logged_in, url, name="Dana Lee-Park"))
    contact.refresh_from_db()
    assert contact.name == "Dana Lee-Park"
    logged_in.post(f"/contacts/{contact.pk}/delete/")
    assert not alice.contacts.exists()


def test_the_list_keeps_the_chosen_filters_selected(logged_in):
    page = logged_in.get("/applications/?status=ended&priority=5&sort=company&q=acme").content
    page = page.decode()
    for selected in ('value="ended" selected', 'value="5" selected', 'value="company" selected'):
        assert selected in page
    assert 'value="acme"' in page


def test_archiving_and_restoring_are_on_the_timeline(logged_in, application):
    logged_in.post(f"/applications/{application.pk}/archive/")
    logged_in.post(f"/applications/{application.pk}/archive/")
    kinds = list(application.events.values_list("kind", flat=True)[:2])
    assert kinds == ["restored", "archived"]


def test_a_refused_move_gets_a_409_for_json_callers(logged_in, application):
    response = logged_in.post(
        f"/applications/{application.pk}/move/",
        {"stage": "accepted", "from": "applied"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": "Only an offer can be accepted. Record the offer first.",
        "stage": "applied",
    }


def test_the_detail_page_shows_interview_times_in_the_users_zone(logged_in, clock, application):
    january = clock.next_date(1, 15)
    services.interview_schedule(
        interview=Interview(
            application=application,
            starts_at=datetime.datetime.combine(january, datetime.time(8), datetime.UTC),
        )
    )
    page = page_text(logged_in, f"/applications/{application.pk}/")
    shown = f"{january:%a} {january:%d %b %Y}, 09:00 CET"
    assert shown in page, "Alice lives in Paris (UTC+1 in January)"


def test_a_long_timeline_shows_the_newest_fifty_and_offers_the_rest(logged_in, application):
    for n in range(60):
        services.application_add_note(application=application, text=f"note number {n}")
    page = page_text(logged_in, f"/applications/{application.pk}/")
    assert "note number 59" in page and "note number 5<" not in page
    assert "Show the 11 older events" in page
    assert "note number 0" in page_text(logged_in, f"/applications/{application.pk}/?events=all")
