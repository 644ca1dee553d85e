"""Adding from a posting through the site: the link read, the card checked and corrected,
the application saved as a typed one would be; every refusal a page that says why."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from applications.models import Application, FollowUp, TimelineEvent
from applications.postings import fetching, reading
from applications.stages import Stage
from applications.views import postings as views
from tests.applications.postings.conftest import page_text as board_page
from tests.pages import page_text

READ = reverse("applications:posting_read")
SAVE = reverse("applications:posting_save")


def field_value(html: str, name: str) -> str:
    """What the card's field `name` holds, as the browser shows it."""
    textarea = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    if textarea:
        return unescape(textarea.group(1)).strip("\n")
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    if select:
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
        return unescape(chosen.group(1)) if chosen else ""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no field {name} on the card"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""


def read(client, **data):
    response = client.post(READ, data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def card_fields(html: str) -> dict[str, str]:
    """Every field of the card's form, as the browser would send it."""
    card = re.search(rf'<form method="post" action="{SAVE}".*?</form>', html, re.S).group(0)
    names = set(re.findall(r'name="([a-z_]+)"', card)) - {"csrfmiddlewaretoken", "contacts"}
    return {name: field_value(card, name) for name in names}


def test_the_board_and_the_add_page_lead_to_adding_from_a_posting(logged_in):
    for page in ("applications:board", "applications:create"):
        assert f'href="{READ}"' in page_text(logged_in, reverse(page))
    add_page = page_text(logged_in, reverse("applications:create"))
    assert 'href="javascript:' in add_page, "the bookmarklet is offered"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_link_is_read_onto_the_card(clock, logged_in, job_site):
    html = read(logged_in, url=job_site.board("smartrecruiters"))
    card = card_fields(html)
    assert card["company"] == "Lumen Retail"
    assert card["job_title"] == "Customer Success Manager (Hybrid)"
    assert card["location"] == "Lyon, Auvergne-Rhône-Alpes, FR"
    assert card["workplace_type"] == "hybrid"
    assert (card["salary_min"], card["salary_max"], card["salary_currency"]) == (
        "3200",
        "3800",
        "EUR",
    )
    assert card["salary_period"] == "MONTH"
    assert card["posting_url"] == job_site.board("smartrecruiters")
    assert card["date_posted"] == clock.day(-5).isoformat()
    assert card["closes_on"] == clock.day(30).isoformat()
    assert card["employment_type"] == "Full-time"
    assert card["stage"] == Stage.SAVED
    assert card["job_description"].startswith("Company Description\n\nLumen Retail runs 140")
    assert Application.objects.count() == 0, "nothing is saved before the user confirms"


@pytest.mark.usefixtures("loopback_allowed")
def test_saving_the_card_adds_the_application_with_its_reminder_to_apply(
    clock, logged_in, alice, job_site
):
    card = card_fields(read(logged_in, url=job_site.board("smartrecruiters")))
    card["job_title"] = "Customer Success Manager"  # corrected by the user
    response = logged_in.post(SAVE, card)

    application = Application.objects.get(owner=alice)
    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[application.pk])
    assert (application.company, application.job_title) == (
        "Lumen Retail",
        "Customer Success Manager",
    )
    assert (application.location, application.workplace_type) == (
        "Lyon, Auvergne-Rhône-Alpes, FR",
        "hybrid",
    )
    assert application.stage == Stage.SAVED
    # A monthly salary is not a yearly one: it is kept, with its period, in the history.
    assert (application.salary_min, application.salary_max) == (None, None)
    created = application.events.get(kind=TimelineEvent.Kind.CREATED)
    assert created.text == (
        "Added from a job posting. The posting says: posted on "
        f"{clock.day(-5):%-d %B %Y}; applications close on {clock.day(30):%-d %B %Y}; "
        "Full-time; salary 3200\u20133800 EUR a month."
    )
    owed = FollowUp.objects.get(application=application, kind=FollowUp.Kind.APPLY_BEFORE)
    assert owed.due_at == clock.at(28, 17, 0)
    detail = page_text(logged_in, response.url)
    assert f"Bridges will remind you to apply on {clock.at(28):%a %d %b}" in detail


@pytest.mark.usefixtures("loopback_allowed")
def test_the_card_saved_twice_adds_one_application(logged_in, alice, job_site):
    card = card_fields(read(logged_in, url=job_site.board("smartrecruiters")))
    assert card.get("submission"), "the card carries its one-time key"
    first, second = logged_in.post(SAVE, card), logged_in.post(SAVE, card)
    application = Application.objects.get(owner=alice)
    assert first.url == second.url == reverse("applications:detail", args=[application.pk])


@pytest.mark.usefixtures("loopback_allowed")
def test_a_yearly_salary_is_saved_in_the_salary_fields(logged_in, alice, job_site):
    card = card_fields(read(logged_in, url=job_site.board("lever")))
    logged_in.post(SAVE, card)
    application = Application.objects.get(owner=alice)
    assert (application.salary_min, application.salary_max, application.salary_currency) == (
        65000,
        80000,
        "GBP",
    )
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.APPLY_BEFORE).exists()


@pytest.mark.usefixtures("loopback_allowed")
def test_the_duplicate_warning_shows_on_the_card_and_holds_the_save(
    logged_in, alice, make_application, job_site
):
    make_application(alice, company="Northwind Labs", job_title="Senior Backend Engineer")
    html = read(logged_in, url=job_site.board("greenhouse"))
    assert "You already have “Senior Backend Engineer at Northwind Labs”" in unescape(html)

    card = card_fields(html)
    logged_in.post(SAVE, card)
    assert Application.objects.filter(owner=alice).count() == 1, "held by the warning"
    logged_in.post(SAVE, {**card, "confirm_duplicate": "on"})
    assert Application.objects.filter(owner=alice).count() == 2


@pytest.mark.usefixtures("loopback_allowed")
def test_the_card_shows_the_history_with_the_company(logged_in, alice, make_application, job_site):
    make_application(alice, company="Northwind Labs", job_title="Data Engineer")
    html = read(logged_in, url=job_site.board("greenhouse"))
    assert "You have applied here before." in html
    assert "Data Engineer" in html


@pytest.mark.usefixtures("loopback_allowed")
def test_nothing_found_asks_to_fill_it_in_and_keeps_the_link(logged_in, job_site):
    html = read(logged_in, url=job_site.board("no_posting"))
    assert reading.NOTHING in unescape(html)
    assert field_value(html, "posting_url") == job_site.board("no_posting")
    assert field_value(html, "company") == ""
    assert "is-invalid" not in html, "an empty card is not a page of errors"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_guess_says_it_is_one(logged_in, job_site):
    html = unescape(read(logged_in, url=job_site.board("broken_jsonld")))
    assert reading.GUESSED in html and reading.BROKEN_BLOCK in html
    assert field_value(html, "job_title") == "Junior Developer"


@pytest.mark.usefixtures("loopback_allowed")
def test_another_posting_of_the_same_page_can_be_picked(client, alice, bob, job_site):
    client.force_login(alice)
    html = read(client, url=job_site.board("two_postings"))
    assert field_value(html, "job_title") == "Backend Engineer"
    token = re.search(r'name="found" value="([^"]+)"', html).group(1)
    other = read(client, found=token, index="1")
    assert field_value(other, "job_title") == "Frontend Engineer"
    assert field_value(other, "workplace_type") == "remote"
    assert field_value(other, "posting_url").endswith("/jobs/frontend-engineer")
    assert "Backend Engineer" in other, "the first one can be picked again"

    client.force_login(bob)
    response = client.post(READ, {"found": token, "index": "1"})
    assert response.status_code == 302, "another user's list is not read"
    assert "Frontend Engineer" not in page_text(client, response.url)


@pytest.mark.usefixtures("loopback_allowed")
def test_a_pasted_page_is_read_without_fetching_anything(logged_in, job_site):
    html = read(logged_in, page=board_page("workable"), url="")
    assert field_value(html, "job_title") == "Barista Trainer"
    assert field_value(html, "salary_period") == "HOUR"
    assert job_site.seen == []


@pytest.mark.usefixtures("loopback_allowed")
def test_what_the_bookmarklet_sends_is_read_without_fetching(logged_in, job_site):
    block = re.search(r"ld\+json\">(.*?)</script>", board_page("ashby"), re.S).group(1)
    link = "https://jobs.ashbyhq.com/ashgrove/3f1c"
    html = read(logged_in, url=link, jsonld=json.dumps([block]))
    assert field_value(html, "job_title") == "Staff Platform Engineer"
    assert field_value(html, "posting_url") == link
    assert job_site.seen == []


@pytest.mark.usefixtures("loopback_allowed")
def test_the_link_is_fetched_when_what_the_bookmarklet_sent_has_no_posting(logged_in, job_site):
    empty = json.dumps(['{"@type": "WebSite", "name": "Board"}'])
    html = read(logged_in, url=job_site.board("lever"), jsonld=empty)
    assert field_value(html, "job_title") == "Product Designer"
    assert [hit["path"] for hit in job_site.seen] == ["/boards/lever"]


def test_fill_it_in_yourself_opens_an_empty_card_with_the_link(logged_in, resolver):
    html = read(logged_in, url="https://jobs.example/42", action="fill-in")
    assert field_value(html, "posting_url") == "https://jobs.example/42"
    assert resolver.asked == [], "nothing was fetched"


def test_an_empty_form_asks_for_a_link_or_the_page(logged_in):
    html = unescape(read(logged_in, url="", page=""))
    assert "Paste a link to the posting, or the page itself." in html


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:8000/admin/", "this server itself"),
        ("http://10.0.0.1/", "a private network address (10.0.0.1)"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://[::1]/", "this server itself"),
        ("http://intranet.example/jobs", "a private network address (10.1.2.3)"),
        ("file:///etc/passwd", "not “file:” links"),
        ("gopher://127.0.0.1:70/", "not “gopher:” links"),
    ],
)
def test_a_refused_link_says_why_keeps_the_link_and_saves_nothing(logged_in, resolver, url, words):
    resolver.names["intranet.example"] = ["10.1.2.3"]
    html = unescape(read(logged_in, url=url))
    assert words in html
    assert field_value(html, "url") == url, "the link stays in the field to correct"
    assert Application.objects.count() == 0


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("redirect?to=http://10.0.0.1/", "a private network address (10.0.0.1)"),
        ("trickle", "took more than 5 seconds"),
        ("typed?type=application/pdf", "does not lead to a web page"),
    ],
)
def test_a_site_that_misbehaves_is_refused_with_its_reason(logged_in, job_site, path, words):
    html = unescape(read(logged_in, url=job_site.url(path)))
    assert words in html
    assert Application.objects.count() == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_a_50_mb_page_is_read_only_as_far_as_2_mb_and_says_so(logged_in, job_site):
    html = unescape(read(logged_in, url=job_site.url("big")))
    assert views.CUT_OFF in html
    assert reading.NOTHING in html


@pytest.mark.usefixtures("loopback_allowed")
def test_reading_links_is_limited_per_user(logged_in, settings, job_site):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "read_posting": "2/h/user"}
    for _ in range(2):
        read(logged_in, url=job_site.board("lever"))
    html = unescape(read(logged_in, url=job_site.board("lever")))
    assert views.TOO_MANY_READS in html
    assert len(job_site.seen) == 2
    # A pasted page costs nothing to read.
    assert "Barista Trainer" in read(logged_in, page=board_page("workable"))


@pytest.mark.parametrize("period", ["YEAR", "HOUR"])
def test_a_card_that_does_not_validate_is_shown_again_with_its_errors(logged_in, period):
    response = logged_in.post(
        SAVE,
        {
            "company": "Lumen Retail",
            "job_title": "Manager",
            "stage": "saved",
            "salary_min": "90",
            "salary_max": "50",
            "salary_period": period,
            "salary_currency": "EUR",
            "priority": "3",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count("The top of the range is below its bottom") == 1
    assert not Application.objects.exists()


@pytest.mark.usefixtures("loopback_allowed")
def test_markup_in_a_posting_is_never_shown_as_markup(logged_in, job_site, monkeypatch):
    hostile = (
        '<html><head><script type="application/ld+json">{"@type": "JobPosting", '
        '"title": "<img src=x onerror=alert(1)>Engineer", '
        '"hiringOrganization": {"name": "\\"><script>alert(2)<\\/script>Acme"}, '
        '"description": "<p onclick=alert(3)>Hi</p><iframe src=javascript:alert(4)></iframe>"}'
        "</script></head></html>"
    )
    html = read(logged_in, page=hostile)
    assert "alert(" not in html
    assert field_value(html, "job_title") == "Engineer"
    assert field_value(html, "company") == '">Acme'
    assert field_value(html, "job_description") == "Hi"


@pytest.mark.parametrize("url", [READ, SAVE])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    for response in (client.get(url), client.post(url, {"url": "https://jobs.example/"})):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_fetching_happens_outside_any_transaction_of_the_request(logged_in, monkeypatch, resolver):
    calls = []
    monkeypatch.setattr(fetching, "_refuse_inside_a_transaction", lambda: calls.append("checked"))
    read(logged_in, url="https://nowhere.example/")
    assert calls == ["checked"]
