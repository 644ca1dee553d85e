"""The fetcher refuses every way a typed link could reach beyond the public web, and cuts off
every site that would hold it: each refusal with its reason in plain words.

Nothing here leaves the machine: a name is resolved by the test's own resolver, a refused
address is never connected to, and the only server is the job board on loopback."""

import pytest
from django.db import transaction

from applications.postings import fetching
from applications.postings.fetching import Refused, fetch
from tests.applications.postings.conftest import TRICKLE_BYTES


def refusal(url: str) -> str:
    with pytest.raises(Refused) as refused:
        fetch(url)
    return refused.value.reason


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1/admin/", "this server itself (a loopback address) (127.0.0.1)"),
        ("http://[::1]:8000/", "this server itself (a loopback address) (::1)"),
        ("http://10.0.0.1/", "a private network address (10.0.0.1)"),
        ("http://192.168.1.1/", "a private network address (192.168.1.1)"),
        ("http://[fd00::1]/", "a private network address (fd00::1)"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "a link-local address, such as a cloud server's own metadata service",
        ),
        ("http://224.0.0.1/", "a multicast address (224.0.0.1)"),
        ("http://0.0.0.0/", "a reserved address (0.0.0.0)"),
        ("http://100.64.0.1/", "a reserved address (100.64.0.1)"),
        ("http://[::ffff:10.0.0.1]/", "a private network address (::ffff:a00:1)"),
        ("http://[64:ff9b::a9fe:a9fe]/", "a link-local address"),
    ],
)
def test_it_refuses_addresses_off_the_public_web(resolver, url, words):
    reason = refusal(url)
    assert words in reason
    assert "Bridges only reads pages on the public web" in reason
    assert resolver.asked == [], "an address needs no name resolved"


def test_it_refuses_a_name_that_resolves_to_a_private_address(resolver):
    resolver.names["jobs.northwind.example"] = ["10.0.0.1"]
    reason = refusal("https://jobs.northwind.example/careers/42")
    assert reason == (
        "This link leads to a private network address (10.0.0.1): Bridges only reads pages on "
        "the public web."
    )


def test_one_private_address_among_public_ones_is_enough_to_refuse(resolver):
    # A name that answers with a public address and a private one could be rebound between
    # the check and the connection: every address it gives must be public.
    resolver.names["rebind.example"] = ["93.184.216.34", "192.168.0.10"]
    assert "a private network address (192.168.0.10)" in refusal("https://rebind.example/")


@pytest.mark.usefixtures("loopback_allowed")
def test_the_name_is_resolved_once_and_the_connection_made_to_that_address(job_site, resolver):
    resolver.names["jobs.kestrel.example"] = ["127.0.0.1"]
    port = job_site.server_address[1]
    page = fetch(f"http://jobs.kestrel.example:{port}/boards/lever")
    assert b"Product Designer" in page.body
    assert resolver.asked == ["jobs.kestrel.example"]
    # The server at the resolved address was asked for the site by its name.
    assert job_site.seen[-1]["headers"]["Host"] == f"jobs.kestrel.example:{port}"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_redirect_to_a_private_address_is_refused(job_site, resolver):
    reason = refusal(job_site.url("redirect?to=http://10.0.0.1/internal"))
    assert "a private network address (10.0.0.1)" in reason
    assert [hit["path"] for hit in job_site.seen] == ["/redirect"]


@pytest.mark.usefixtures("loopback_allowed")
def test_a_redirect_chain_ending_at_a_name_of_the_metadata_service_is_refused(job_site, resolver):
    resolver.names["metadata.internal.example"] = ["169.254.169.254"]
    hop = job_site.url("redirect?to=http://metadata.internal.example/latest/")
    reason = refusal(job_site.url(f"redirect?to={hop}"))
    assert "a link-local address" in reason and "169.254.169.254" in reason
    assert resolver.asked == ["metadata.internal.example"]


@pytest.mark.usefixtures("loopback_allowed")
def test_it_follows_five_redirects_and_no_more(job_site):
    # chain/N redirects N + 1 times.
    assert b"Product Designer" in fetch(job_site.url("chain/4")).body
    assert refusal(job_site.url("chain/5")) == (
        "The link redirects more than 5 times, so Bridges stopped following it."
    )


def test_loopback_stays_refused_unless_the_test_setting_allows_it(job_site):
    assert "this server itself" in refusal(job_site.board("lever"))
    assert job_site.seen == [], "nothing reached the server"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "file:///etc/passwd",
            "Bridges only reads web links (starting with http:// or https://), not “file:” links.",
        ),
        (
            "gopher://127.0.0.1:6379/_FLUSHALL",
            "Bridges only reads web links (starting with http:// or https://), not “gopher:” links.",
        ),
        (
            "jobs.lever.co/acme",
            "Bridges only reads web links (starting with http:// or https://), not addresses "
            "without http:// or https://.",
        ),
        (
            "https://admin:hunter2@jobs.example/",
            "Links with a user name or password in them are not read.",
        ),
        ("http://[::1/", "This is not a link Bridges can read; check it and try again."),
        ("https:///jobs", "This link has no site name in it; check it and try again."),
    ],
)
def test_it_refuses_links_that_are_not_plain_web_links(resolver, url, reason):
    assert refusal(url) == reason
    assert resolver.asked == []


def test_it_refuses_ports_other_than_the_webs_own(resolver):
    resolver.names["jobs.example"] = ["93.184.216.34"]
    assert refusal("http://jobs.example:6379/") == (
        "Bridges only reads links on the web's usual ports (80 and 443), not port 6379."
    )


def test_a_name_nobody_answers_to_is_said_so(resolver):
    assert refusal("https://no-such-board.example/") == (
        "No site answers to the name “no-such-board.example”; check the link."
    )


@pytest.mark.usefixtures("loopback_allowed")
def test_a_50_mb_page_is_cut_off_after_2_mb(job_site):
    page = fetch(job_site.url("big"))
    assert page.cut_off
    assert len(page.body) == fetching.MOST_BYTES
    assert job_site.done["big"].wait(10), "the server noticed that Bridges hung up"
    assert job_site.sent["big"] < 10 * 1024 * 1024, "Bridges stopped reading long before the end"


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("route", ["trickle", "trickle/headers"])
def test_a_site_trickling_a_byte_a_second_is_cut_off(job_site, route):
    assert refusal(job_site.url(route)) == (
        "The site took more than 5 seconds to answer, so Bridges stopped waiting. Try again, or "
        "paste the page instead."
    )
    assert job_site.sent["trickle"] < TRICKLE_BYTES, "cut off before the site was done"


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (
            "typed?type=application/pdf",
            "This link does not lead to a web page (the site says it is application/pdf).",
        ),
        (
            "typed?type=application/json",
            "This link does not lead to a web page (the site says it is application/json).",
        ),
        (
            "status/404",
            "The site says there is no such page (error 404): the posting may have been taken down.",
        ),
        (
            "status/403",
            "This page needs you to log in, so Bridges cannot read it: open it in your browser and paste the page instead.",
        ),
        ("status/503", "The site answered with an error (503); try again later."),
    ],
)
def test_only_web_pages_that_answer_are_read(job_site, path, reason):
    assert refusal(job_site.url(path)) == reason


@pytest.mark.usefixtures("loopback_allowed")
def test_nothing_of_the_user_is_sent_and_the_reader_says_who_it_is(job_site):
    fetch(job_site.url("cookie"))  # sets a cookie, then redirects
    first, second = job_site.seen
    assert second["path"] == "/boards/ashby"
    for hit in (first, second):
        assert "Cookie" not in hit["headers"], "a cookie set by the site is not sent back"
        assert "Authorization" not in hit["headers"]
        assert hit["headers"]["User-Agent"].startswith("Bridges job posting reader (+")


@pytest.mark.usefixtures("loopback_allowed")
def test_it_never_fetches_inside_a_transaction(db, job_site):
    with transaction.atomic(), pytest.raises(RuntimeError, match="inside a database transaction"):
        fetch(job_site.board("lever"))
    assert job_site.seen == []
