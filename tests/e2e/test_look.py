"""What a job seeker (and their recruiter) sees: every page of the demo, checked by axe-core
at a laptop's width and a phone's, in the light colour mode and the dark one, and at the
phone's width nothing may scroll sideways.

axe-core comes from the npm registry (tests/e2e/axe: `npm ci --prefix tests/e2e/axe`). With
LOOK_SCREENSHOTS=<folder> set (`make screenshots`), every page is also saved there as a PNG,
one per width and colour mode, to look at.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from agencies.demo import RECRUITER_EMAIL
from agencies.management.commands.demo_data import DEMO_EMAIL, DEMO_PASSWORD
from agencies.models import CandidateMembership
from applications.models import Application, FollowUp

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("LOOK_SCREENSHOTS")
WIDTHS = {"wide": (1366, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")

CANDIDATE_PAGES = {
    "dashboard": "/dashboard/",
    "board": "/applications/board/",
    "list": "/applications/",
    "detail": "/applications/{application}/",
    "followups": "/followups/",
    "snooze": "/followups/{followup}/snooze/",
    "contacts": "/contacts/",
    "profile": "/accounts/profile/",
    "import": "/import/",
    "compose": "/applications/{application}/messages/new/",
    "inbox": "/inbox/",
    "templates": "/messages/templates/",
    "calendar": "/accounts/calendar/",
    "agency": "/accounts/agency/",
}
RECRUITER_PAGES = {
    "admin-index": "/backoffice/",
    "admin-candidates": "/backoffice/agencies/candidatemembership/",
    "admin-candidate": "/backoffice/agencies/candidatemembership/{membership}/change/",
    "admin-owed": "/backoffice/agencies/owedanswer/",
    "admin-applications": "/backoffice/applications/application/",
    "admin-application": "/backoffice/applications/application/{shared_application}/change/",
    "admin-interviews": "/backoffice/applications/interview/",
    "admin-timeline": "/backoffice/applications/timelineevent/",
    "admin-messages": "/backoffice/messaging/message/",
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo command refuses to publish its password otherwise
    call_command("demo_data", stdout=StringIO())
    settings.DEBUG = False
    candidate_app = Application.objects.filter(owner__email=DEMO_EMAIL, stage="interviewing")
    membership = (
        CandidateMembership.objects.filter(shared_since__isnull=False, stopped_sharing_at=None)
        .order_by("pk")
        .first()
    )
    owed = FollowUp.objects.pending().filter(owner__email=DEMO_EMAIL)
    return {
        "application": candidate_app.order_by("pk").first().pk,
        "followup": owed.order_by("pk").first().pk,
        "membership": membership.pk,
        "shared_application": Application.objects.filter(owner=membership.candidate)
        .order_by("pk")
        .first()
        .pk,
    }


def _signed_in(browser, live_server, email: str):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return context, page


def _look_at(page, name: str, path: str) -> list[str]:
    """Opens the page at every width and colour mode; returns what is wrong with it."""
    problems = []
    csp_refusals = []

    auditing = [False]  # axe's own work (it reads the style sheets) is not the page's

    def on_console(message):
        if "Content Security Policy" in message.text and not auditing[0]:
            csp_refusals.append(message.text)

    page.on("console", on_console)
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            auditing[0] = False
            response = page.goto(path)
            where = f"{name} ({path}) at {width} px, {scheme}"
            if response is None or response.status != 200:
                problems.append(f"{where}: answered {response and response.status}")
                continue
            page.wait_for_load_state("networkidle")
            theme = page.evaluate(
                "document.querySelector('link[href*=bootstrap]') ?"
                " document.documentElement.dataset.bsTheme : 'not Bootstrap'"
            )
            if theme not in (scheme, "not Bootstrap"):
                problems.append(f"{where}: data-bs-theme is {theme!r}")
            if width_name == "phone":
                scroll, inner = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll > inner:
                    problems.append(f"{where}: scrolls sideways ({scroll} px in {inner})")
            # Evaluated through the browser's debugger, which the page's CSP does not govern:
            # the CSP stays in force for everything the page itself does.
            page.wait_for_timeout(100)  # lets the console report what the page did
            auditing[0] = True
            problems += [f"{where}: {problem}" for problem in _axe(page)]
            if SHOTS:
                folder = Path(SHOTS)
                folder.mkdir(parents=True, exist_ok=True)
                shot = folder / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(shot), full_page=True)
    problems += [f"{name}: {refusal}" for refusal in dict.fromkeys(csp_refusals)]
    page.remove_listener("console", on_console)
    return problems


def _axe(page) -> list[str]:
    """What axe-core finds wrong with the page as it stands."""
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate(
        """() => axe.run(document, {preload: false}).then(r => ({
             passes: r.passes.length,
             violations: r.violations.map(v => v.impact + ' ' + v.id + ': ' +
               v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))}))"""
    )
    return (["axe checked nothing"] if not result["passes"] else []) + result["violations"]


def _walk(browser, live_server, email: str, pages: dict, ids: dict) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: run `npm ci --prefix tests/e2e/axe`", pytrace=False)
    context, page = _signed_in(browser, live_server, email)
    problems = []
    try:
        for name, path in pages.items():
            problems += _look_at(page, name, path.format(**ids))
    finally:
        context.close()
    return problems


def test_every_candidate_page_passes_axe_at_both_widths_in_both_modes(browser, live_server, demo):
    problems = _walk(browser, live_server, DEMO_EMAIL, CANDIDATE_PAGES, demo)
    assert not problems, "\n".join(problems)


def test_every_recruiter_admin_page_passes_axe_at_both_widths_in_both_modes(
    browser, live_server, demo
):
    problems = _walk(browser, live_server, RECRUITER_EMAIL, RECRUITER_PAGES, demo)
    assert not problems, "\n".join(problems)


def test_the_signed_out_pages_pass_axe(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    try:
        problems = []
        for name, path in {"home": "/", "login": "/accounts/login/"}.items():
            problems += _look_at(page, name, path)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_a_missing_page_passes_axe(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/no-such-page/")
        page.evaluate(AXE.read_text() + "\n;0")
        found = page.evaluate("() => axe.run().then(r => r.violations.map(v => v.id))")
    finally:
        context.close()
    assert found == []


def test_at_a_phones_width_what_is_owed_stays_in_sight(browser, live_server, demo):
    context, page = _signed_in(browser, live_server, DEMO_EMAIL)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto("/dashboard/")
        # The menu is folded away, but what is overdue is shown beside its button.
        assert page.locator("#main-nav").is_hidden()
        assert page.locator("#overdue-badge-compact .badge").is_visible()
        # The charts' labels keep a readable size (14 px or more as drawn).
        heights = page.eval_on_selector_all(
            "svg.bar-chart text",
            "els => els.filter(e => e.getClientRects().length)"
            ".map(e => e.getBoundingClientRect().height)",
        )
        assert heights and min(heights) >= 14, heights
        # Their numbers are also a table, folded behind a disclosure.
        assert page.locator("details.chart-numbers table").first.is_hidden()

        page.goto("/applications/")
        overdue = page.locator(".cell-next .text-danger").first
        assert overdue.is_visible()
        box = overdue.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        row = page.locator("tbody tr").first.bounding_box()
        assert row["height"] < 180, row

        page.goto("/followups/")
        item = page.locator("#overdue-heading + ul > li").first
        # Its actions stay on one row: Done, Snooze… and Dismiss side by side.
        done = item.get_by_role("button", name="Done").bounding_box()
        snooze = item.get_by_role("link", name="Snooze…").bounding_box()
        dismiss = item.get_by_role("button", name="Dismiss").bounding_box()
        assert abs(done["y"] - dismiss["y"]) < 2 and abs(done["y"] - snooze["y"]) < 2, (
            done,
            snooze,
            dismiss,
        )
    finally:
        context.close()


# Each page's one menu for many links: the page, what opens it, the menu.
ONE_MENUS = {
    "board": ("/applications/board/", "#board .board-move", "#move-menu"),
    "followups": ("/followups/", "a.snooze-link", "#snooze-menu"),
    "detail": ("/applications/{application}/", "a.snooze-link", "#snooze-menu"),
}


@pytest.mark.parametrize("name", ONE_MENUS)
def test_a_pages_one_menu_opens_beside_its_link_and_passes_axe(browser, live_server, demo, name):
    path, opener, menu = ONE_MENUS[name]
    context, page = _signed_in(browser, live_server, DEMO_EMAIL)
    problems = []
    try:
        for width, height in WIDTHS.values():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(path.format(**demo))
            page.wait_for_load_state("networkidle")
            # The last link on the page: the furthest from where the menu is drawn.
            link = page.locator(opener).last
            link.scroll_into_view_if_needed()
            link.click()
            where = f"{name} at {width} px"
            try:
                # All of it in sight: scrolled there if it opened below the screen's edge.
                expect(page.locator(menu)).to_be_in_viewport(ratio=0.99)  # to a fraction of a pixel
            except AssertionError as missed:
                problems.append(f"{where}: the menu is not all in sight ({missed})")
                continue
            at, box = page.evaluate(
                "([link, menu]) => [link, menu].map(e => e.getBoundingClientRect().toJSON())",
                [link.element_handle(), page.locator(menu).element_handle()],
            )
            if not (0 <= box["top"] - at["bottom"] < 20):
                problems.append(f"{where}: the menu is not just under its link ({at}, {box})")
            if box["left"] < 0 or box["right"] > width:
                problems.append(f"{where}: the menu leaves the screen sideways ({box})")
            if link.get_attribute("aria-expanded") != "true":
                problems.append(f"{where}: its link does not say the menu is open")
            problems += [f"{where}, menu open: {problem}" for problem in _axe(page)]
            if SHOTS:
                page.screenshot(path=str(Path(SHOTS) / f"{name}-menu-{width}.png"))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_menu_marks_the_page_you_are_on(browser, live_server, demo):
    context, page = _signed_in(browser, live_server, DEMO_EMAIL)
    try:
        page.goto("/applications/board/")
        menu = page.get_by_role("navigation", name="Main")
        board = menu.get_by_role("link", name="Board", exact=True)
        listing = menu.get_by_role("link", name="Applications", exact=True)
        assert board.get_attribute("aria-current") == "page"
        assert listing.get_attribute("aria-current") is None
        looks = "e => getComputedStyle(e).color + ' ' + getComputedStyle(e).backgroundColor"
        assert board.evaluate(looks) != listing.evaluate(looks)
    finally:
        context.close()
