"""Reading posting pages as the applicant-tracking systems serve them: each fixture page is
fetched from a job board on loopback and read field by field."""

from decimal import Decimal

import pytest

from applications.models import WorkplaceType
from applications.postings import fetching, reading
from applications.postings.found import GUESS, JSON_LD, MICRODATA, TEXT

# What a user should see on the card for each page; `days` are relative to the test's day.
EXPECTED = {
    "greenhouse": dict(
        job_title="Senior Backend Engineer",
        company="Northwind Labs",
        location="Berlin, Germany",
        workplace_type=WorkplaceType.ONSITE,
        salary=(None, None, "", ""),
        posted=-3,
        closes=None,
        employment_type="",
        source=JSON_LD,
        description_has=[
            "About Northwind Labs\n\nWe build the routing engine",
            "• Design and run our Python & PostgreSQL services\n• Mentor two junior engineers",
            "We'd love to hear from you.",
        ],
    ),
    "lever": dict(
        job_title="Product Designer",
        company="Kestrel Health",
        location="London",
        workplace_type=WorkplaceType.ONSITE,
        salary=(Decimal(65000), Decimal(80000), "GBP", "YEAR"),
        posted=-10,
        closes=None,
        employment_type="Full-time",
        source=JSON_LD,
        description_has=["Who we are", "• Own the booking journey end to end"],
    ),
    "workday": dict(
        job_title="Data Analyst",
        company="Harbor & Finch",
        location="Munich, Germany",
        workplace_type=WorkplaceType.ONSITE,
        salary=(None, None, "", ""),
        posted=-2,
        closes=None,
        employment_type="Full-time",
        source=JSON_LD,
        description_has=["Your role\n- Build the claims dashboards", "Looker\n\nWhat we offer"],
    ),
    "ashby": dict(
        job_title="Staff Platform Engineer",
        company="Ashgrove",
        location="Germany, Netherlands",
        workplace_type=WorkplaceType.REMOTE,
        salary=(Decimal(70000), Decimal(90000), "EUR", "YEAR"),
        posted=-1,
        closes=None,
        employment_type="Full-time",
        source=JSON_LD,
        description_has=["• Run our Kubernetes platform", "€70,000 \u2013 €90,000"],
    ),
    "smartrecruiters": dict(
        job_title="Customer Success Manager (Hybrid)",
        company="Lumen Retail",
        location="Lyon, Auvergne-Rhône-Alpes, FR",
        workplace_type=WorkplaceType.HYBRID,
        salary=(Decimal(3200), Decimal(3800), "EUR", "MONTH"),
        posted=-5,
        closes=30,
        employment_type="Full-time",
        source=JSON_LD,
        description_has=["Company Description\n\nLumen Retail runs 140 stores"],
    ),
    "workable": dict(
        job_title="Barista Trainer",
        company="Copper Kettle Coffee",
        location="Amsterdam, North Holland, NL · Rotterdam, South Holland, NL",
        workplace_type=WorkplaceType.ONSITE,
        salary=(Decimal("28.5"), None, "EUR", "HOUR"),
        posted=-4,
        closes=14,
        employment_type="Part-time",
        source=JSON_LD,
        description_has=["Requirements\n\n• Three years behind a busy espresso bar"],
    ),
    "microdata": dict(
        job_title="Machine Learning Engineer",
        company="Alpine Analytics",
        location="Vienna, Austria",
        workplace_type=WorkplaceType.ONSITE,
        salary=(Decimal(62000), Decimal(78000), "EUR", "YEAR"),
        posted=-6,
        closes=20,
        employment_type="Full-time",
        source=MICRODATA,
        description_has=["We forecast snow for 300 ski resorts.", "Own their monitoring"],
    ),
    "broken_jsonld": dict(
        job_title="Junior Developer",
        company="Bright Path",
        location="",
        workplace_type="",
        salary=(None, None, "", ""),
        posted=None,
        closes=None,
        employment_type="",
        source=GUESS,
        description_has=["Join the team that builds Bright Path's tutoring app."],
    ),
}


def read_from(job_site, name):
    page = fetching.fetch(job_site.board(name))
    return reading.read_page(page.body, url=page.url, content_type=page.content_type)


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("name", EXPECTED)
def test_it_reads_each_board_field_by_field(clock, job_site, name):
    expected = EXPECTED[name]
    [posting] = read_from(job_site, name).postings

    assert posting.job_title == expected["job_title"]
    assert posting.company == expected["company"]
    assert posting.location == expected["location"]
    assert posting.workplace_type == expected["workplace_type"]
    salary = (
        posting.salary_min,
        posting.salary_max,
        posting.salary_currency,
        posting.salary_period,
    )
    assert salary == expected["salary"]
    posted, closes = expected["posted"], expected["closes"]
    assert posting.date_posted == (clock.day(posted) if posted is not None else None)
    assert posting.closes_on == (clock.day(closes) if closes is not None else None)
    assert posting.employment_type == expected["employment_type"]
    assert posting.posting_url == job_site.board(name), "the link the user gave is kept"
    assert posting.source == expected["source"]
    for words in expected["description_has"]:
        assert words in posting.description, f"{words!r} not in {posting.description!r}"


@pytest.mark.usefixtures("loopback_allowed")
def test_it_strips_every_tag_and_script_from_a_description(job_site):
    [posting] = read_from(job_site, "greenhouse").postings
    assert "<" not in posting.description and "&lt;" not in posting.description
    assert "track(" not in posting.description, "a script's code is not text"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_broken_block_is_skipped_said_and_the_guess_marked(job_site):
    found = read_from(job_site, "broken_jsonld")
    assert reading.BROKEN_BLOCK in found.notes
    assert reading.GUESSED in found.notes
    assert found.postings[0].is_guess


@pytest.mark.usefixtures("loopback_allowed")
def test_a_page_with_two_postings_gives_both_with_their_own_links(clock, job_site):
    found = read_from(job_site, "two_postings")
    backend, frontend = found.postings
    assert (backend.job_title, backend.location, backend.workplace_type) == (
        "Backend Engineer",
        "Paris, France",
        WorkplaceType.ONSITE,
    )
    assert (frontend.job_title, frontend.location, frontend.workplace_type) == (
        "Frontend Engineer",
        "France",
        WorkplaceType.REMOTE,
    )
    assert {backend.company, frontend.company} == {"Orchard Bank"}
    assert backend.posting_url == "https://careers.orchardbank.example/jobs/backend-engineer"
    assert frontend.posting_url == "https://careers.orchardbank.example/jobs/frontend-engineer"
    assert (backend.employment_type, frontend.employment_type) == ("Full-time", "Contract")
    assert backend.date_posted == frontend.date_posted == clock.day(-8)
    assert reading.SEVERAL.format(count=2) in found.notes


@pytest.mark.usefixtures("loopback_allowed")
def test_a_page_without_a_posting_says_nothing_was_found_and_keeps_the_link(job_site):
    found = read_from(job_site, "no_posting")
    assert found.postings == []
    assert found.notes == [reading.NOTHING]
    assert found.url == job_site.board("no_posting")


def block(json_text: str) -> str:
    return f'<html><head><script type="application/ld+json">{json_text}</script></head></html>'


def test_it_forgives_comments_cdata_and_a_trailing_comma():
    page = block(
        '<!--\n{"@type": "JobPosting", "title": "Welder", '
        '"hiringOrganization": {"name": "Forge",},}\n-->'
    )
    [posting] = reading.read_page(page).postings
    assert (posting.job_title, posting.company) == ("Welder", "Forge")


def test_it_finds_a_posting_nested_in_a_web_page_and_resolves_references():
    page = block(
        '{"@context": "https://schema.org", "@type": "WebPage", "mainEntity": '
        '{"@type": ["JobPosting"], "title": "Nurse", "hiringOrganization": {"@id": "#h"}}, '
        '"publisher": {"@type": "Organization", "@id": "#h", "name": "St Anne&#39;s"}}'
    )
    [posting] = reading.read_page(page).postings
    assert (posting.job_title, posting.company) == ("Nurse", "St Anne's")


def test_salary_written_as_text_and_a_single_figure_are_read():
    page = block(
        '{"@type": "JobPosting", "title": "Chef", "baseSalary": {"@type": "MonetaryAmount", '
        '"currency": "usd", "value": {"@type": "QuantitativeValue", "value": "$52,500", '
        '"unitText": "per year"}}}'
    )
    [posting] = reading.read_page(page).postings
    assert (posting.salary_min, posting.salary_max) == (Decimal(52500), None)
    assert (posting.salary_currency, posting.salary_period) == ("USD", "YEAR")


def test_hidden_characters_that_could_disguise_text_are_dropped():
    page = block('{"@type": "JobPosting", "title": "Admin\\u202e\\u200bistrator\\u0007"}')
    [posting] = reading.read_page(page).postings
    assert posting.job_title == "Administrator"


def test_a_guess_splits_the_company_from_the_title():
    page = "<html><head><title>Sous Chef at The Copper Pot</title></head></html>"
    [posting] = reading.read_page(page).postings
    assert (posting.job_title, posting.company, posting.source) == (
        "Sous Chef",
        "The Copper Pot",
        GUESS,
    )


def test_pasted_text_keeps_the_text_and_guesses_the_title_from_its_first_line():
    found = reading.read_pasted("Warehouse Lead\r\n\r\nNight shifts, forklift licence.\n")
    [posting] = found.postings
    assert (posting.job_title, posting.source) == ("Warehouse Lead", TEXT)
    assert posting.description == "Warehouse Lead\n\nNight shifts, forklift licence."
    assert reading.FROM_TEXT in found.notes


def test_pasted_json_ld_is_read_as_the_page_would_be():
    found = reading.read_pasted('{"@type": "JobPosting", "title": "Pilot"}', url="https://x.io/")
    assert [p.job_title for p in found.postings] == ["Pilot"]
    assert found.postings[0].posting_url == "https://x.io/"


def test_a_page_listing_dozens_of_postings_is_cut_to_the_first_twenty():
    items = ",".join(f'{{"@type": "JobPosting", "title": "Role {n}"}}' for n in range(30))
    found = reading.read_page(block(f"[{items}]"))
    assert len(found.postings) == reading.MOST_POSTINGS
    assert reading.TOO_MANY in found.notes
