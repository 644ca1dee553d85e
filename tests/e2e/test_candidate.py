"""A candidate's journeys, clicked through in Chromium: from signing up to closing out the
other applications after accepting an offer."""

import re

from playwright.sync_api import expect

from applications import services
from applications.models import Application, Contact, FollowUp, Offer
from applications.stages import Stage
from tests.conftest import PASSWORD


def test_a_visitor_signs_up_confirms_the_address_and_logs_in_again(page, smtp_sink):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Your name").fill("Nadia Haddad")
    page.get_by_label("Email").fill("nadia@example.com")
    page.get_by_placeholder("Password", exact=True).fill(PASSWORD)
    page.get_by_placeholder("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()

    [confirmation] = smtp_sink.to("nadia@example.com")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.get_content())
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Welcome, Nadia")).to_be_visible()

    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nadia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome, Nadia")).to_be_visible()


def test_a_candidate_adds_an_application_and_finds_it_on_the_board(page, log_in, alice):
    log_in(alice.email)
    page.goto("/applications/board/")
    page.get_by_role("link", name="Add an application").click()
    page.get_by_label("Company").fill("Northwind Labs")
    page.get_by_label("Job title").fill("Platform Engineer")
    page.get_by_label("Stage").select_option(label="Applied")
    page.get_by_role("button", name="Add application").click()
    expect(page.get_by_role("heading", name="Platform Engineer at Northwind Labs")).to_be_visible()

    page.get_by_role("link", name="Board", exact=True).first.click()
    applied = column(page, Stage.APPLIED)
    expect(applied.get_by_role("link", name="Northwind Labs")).to_be_visible()
    assert Application.objects.get(owner=alice).stage == Stage.APPLIED


def test_a_card_dragged_to_another_column_moves_the_application(
    page, log_in, alice, make_application
):
    application = make_application(alice, company="Kestrel Health")
    log_in(alice.email)
    page.goto("/applications/board/")
    card = column(page, Stage.APPLIED).locator(".board-card", has_text="Kestrel Health")
    target = column(page, Stage.INTERVIEWING)

    with page.expect_response(lambda r: r.url.endswith(f"/{application.pk}/move/")) as moved:
        drag(page, card, target)
    assert moved.value.status == 200
    expect(target.locator(".board-card", has_text="Kestrel Health")).to_be_visible()
    expect(column(page, Stage.APPLIED).locator(".board-card")).to_have_count(0)

    page.reload()  # the server, not just the page, has it there
    expect(
        column(page, Stage.INTERVIEWING).get_by_role("link", name="Kestrel Health")
    ).to_be_visible()
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEWING


def test_the_move_menu_moves_a_card_from_the_keyboard(page, log_in, alice, make_application):
    application = make_application(alice, company="Kestrel Health")
    log_in(alice.email)
    page.goto("/applications/board/")
    card = column(page, Stage.APPLIED).locator(".board-card", has_text="Kestrel Health")
    card.get_by_role("link", name="Move…").focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("menu", name="Move to")
    expect(menu).to_be_visible()
    # The card's own column is applied: it can go forward or end, never back to saved.
    expect(menu.get_by_role("menuitem", name="Saved")).to_be_hidden()
    expect(menu.get_by_role("menuitem", name="Screening")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Interviewing")).to_be_focused()
    with page.expect_response(lambda r: r.url.endswith(f"/{application.pk}/move/")) as moved:
        page.keyboard.press("Enter")
    assert moved.value.status == 200
    expect(menu).to_be_hidden()
    moved_card = column(page, Stage.INTERVIEWING).locator(".board-card", has_text="Kestrel Health")
    expect(moved_card).to_contain_text("0 days in stage")
    expect(page.locator("#count-interviewing")).to_have_text("1 application")
    expect(page.locator("#count-applied")).to_have_text("0 applications")
    page.reload()
    expect(
        column(page, Stage.INTERVIEWING).get_by_role("link", name="Kestrel Health")
    ).to_be_visible()

    # An ending asks why: the menu leads to the move page with the stage chosen.
    column(page, Stage.INTERVIEWING).get_by_role("link", name="Move…").click()
    page.get_by_role("menuitem", name="Withdrawn").click()
    expect(page.get_by_role("heading", name="Move from Interviewing")).to_be_visible()
    expect(page.get_by_label("Move to")).to_have_value("withdrawn")
    page.keyboard.press("Escape")  # nothing else happened: still interviewing
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEWING


def test_an_invitation_is_recorded_and_owed_an_answer_today(page, log_in, alice, application):
    log_in(alice.email)
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="Invitation received").click()
    page.get_by_label("An interview").check()
    page.get_by_label("Note").fill("Second round with the CTO")
    page.get_by_role("button", name="Record invitation").click()

    expect(page.get_by_text("Invitation recorded")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Second round with the CTO")
    expect(page.get_by_text("Interviewing").first).to_be_visible()
    page.goto("/followups/")
    expect(page.get_by_text("Answer the invitation")).to_be_visible()


def test_a_decline_is_checked_sent_from_bridges_and_ends_the_application(
    page, log_in, smtp_sink, alice, application
):
    hiring_manager = Contact.objects.create(
        owner=alice, name="Priya Nair", email="priya@acme.example", role="hiring_manager"
    )
    application.contacts.add(hiring_manager)
    services.application_record_invitation(application=application, to_interview=True)
    log_in(alice.email)
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="Write a message").click()
    choices = page.get_by_role("region", name="What do you want to say?")
    choices.get_by_label("Message").select_option(label="Decline the interview")
    choices.get_by_role("button", name="Fill in the message").click()
    draft = page.get_by_role("region", name="Decline the interview")
    expect(draft).to_be_visible()
    # The draft is a new page: its scripts (htmx) listen once it has loaded, as a person
    # typing would find it; typed any sooner, the edit fired no check.
    page.wait_for_load_state()
    findings = page.locator("#findings")
    expect(findings.get_by_text("Check", exact=True)).to_have_count(0)

    # The check runs live as the message is edited.
    body = draft.get_by_label("Message")
    original = body.input_value()
    body.fill(original + "\nFrankly, your interview process was disappointing.")
    expect(findings.get_by_text("Check", exact=True)).not_to_have_count(0)
    body.fill(original)
    expect(findings.get_by_text("Check", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Send from Bridges").click()
    expect(page.get_by_text("Sending to priya@acme.example")).to_be_visible()
    expect(page.get_by_text("Declined").first).to_be_visible()
    page.reload()
    expect(page.locator(".timeline")).to_contain_text("Emailed to priya@acme.example")
    [sent] = smtp_sink.to("priya@acme.example")
    assert "Backend Engineer" in sent["Subject"]
    assert words(sent.get_body(("plain",)).get_content()) == words(original)
    application.refresh_from_db()
    assert application.stage == Stage.DECLINED
    answer = FollowUp.objects.get(application=application, kind=FollowUp.Kind.ANSWER_INVITATION)
    assert answer.state == FollowUp.State.DONE
    page.goto("/followups/")
    expect(page.get_by_text("Answer the invitation")).to_have_count(0)


def test_accepting_an_offer_closes_out_every_other_process(
    page, log_in, smtp_sink, clock, alice, make_application
):
    hired = make_application(alice, company="Bluefin Payments", stage=Stage.INTERVIEWING)
    services.offer_record(offer=Offer(application=hired, amount=70000, deadline=clock.day(21)))
    others = {
        "Cobalt Media": make_application(alice, company="Cobalt Media", stage=Stage.SCREENING),
        "Granite Bank": make_application(alice, company="Granite Bank", stage=Stage.APPLIED),
    }
    for company, other in others.items():
        slug = company.split()[0].lower()
        other.contacts.add(
            Contact.objects.create(owner=alice, name=f"{company} HR", email=f"hr@{slug}.example")
        )
    make_application(alice, company="Quill Studios", stage=Stage.SAVED)
    log_in(alice.email)

    page.goto(f"/applications/{hired.pk}/messages/new/?kind=accept_offer")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("heading", name="Now close out the others")).to_be_visible()
    for company in others:
        expect(page.get_by_role("group", name=re.compile(company))).to_be_visible()
    page.get_by_role("button", name="Send them all from Bridges").click()

    expect(
        page.get_by_text(
            "2 messages being sent: each application's timeline shows when its message has gone; "
            "1 saved application(s) closed."
        )
    ).to_be_visible()
    assert len(smtp_sink.to("hr@cobalt.example")) == len(smtp_sink.to("hr@granite.example")) == 1
    stages = dict(Application.objects.filter(owner=alice).values_list("company", "stage"))
    assert stages == {
        "Bluefin Payments": Stage.ACCEPTED,
        "Cobalt Media": Stage.WITHDRAWN,
        "Granite Bank": Stage.WITHDRAWN,
        "Quill Studios": Stage.CLOSED,
    }
    page.goto("/applications/board/")
    expect(page.locator(".board-card")).to_have_count(0)


# --- Helpers ---------------------------------------------------------------------------


def column(page, stage: str):
    return page.locator(f'.board-cards[data-stage="{stage}"]')


def words(text: str) -> list[str]:
    return text.split()


def drag(page, card, target) -> None:
    """Sortable runs with forceFallback (pointer events, not HTML5 drag and drop), so the
    drag is a real mouse gesture: press on the card, move in steps, release over the column."""
    source = card.bounding_box()
    destination = target.bounding_box()
    page.mouse.move(source["x"] + source["width"] / 2, source["y"] + 12)
    page.mouse.down()
    page.mouse.move(source["x"] + source["width"] / 2 + 10, source["y"] + 20, steps=5)
    page.mouse.move(destination["x"] + destination["width"] / 2, destination["y"] + 10, steps=20)
    page.mouse.up()


def test_a_note_typed_on_the_application_page_joins_its_timeline(
    page, log_in, alice, make_application
):
    application = make_application(alice, company="Quill Books")
    log_in(alice.email)
    page.goto(f"/applications/{application.pk}/")
    page.get_by_label("Note").fill("Asked about the salary range")
    page.get_by_role("button", name="Add note").click()

    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline.get_by_role("listitem").first).to_contain_text("Asked about the salary range")
    assert application.events.filter(kind="note").count() == 1
