"""The page cache's own promises, below the pages: a drawing begun before a write is never
served after it, the clock ages drawings, the per-process copy stays within its budget, a
deployment starts afresh, and it all holds on Redis as in production.

(What a user sees on the pages after each kind of write is in test_pagecache.py.)
"""

import datetime
import uuid

import pytest
import time_machine
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from applications import pagecache
from applications.models import FollowUp
from applications.pagecache import Rendered


@pytest.fixture
def request_for(alice):
    """A new request of Alice's each time, as each page view is: her row read afresh."""

    def make():
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=alice.pk)
        return request

    return make


def drawing(text, stale_at=None):
    return lambda: Rendered(text, stale_at)


def test_a_drawing_begun_before_a_write_is_never_served_after_it(alice, request_for):
    def drawn_while_a_write_lands():
        # The reader has read the version and the old data; now the write happens.
        pagecache.changed(alice.pk)
        return Rendered("before the write")

    assert pagecache.cached(request_for(), "board", drawn_while_a_write_lands) == (
        "before the write"
    )
    assert pagecache.cached(request_for(), "board", drawing("after the write")) == (
        "after the write"
    )


def test_a_write_that_is_rolled_back_forgets_nothing_and_one_that_commits_does(alice, request_for):
    pagecache.cached(request_for(), "board", drawing("before"))
    with pytest.raises(RuntimeError), transaction.atomic():
        pagecache.changed(alice.pk)
        raise RuntimeError("the write fails")
    assert pagecache.cached(request_for(), "board", drawing("after")) == "before"
    with transaction.atomic():
        pagecache.changed(alice.pk)
    assert pagecache.cached(request_for(), "board", drawing("after")) == "after"


def test_saving_a_user_loaded_before_a_write_never_brings_old_drawings_back(alice, request_for):
    loaded_early = User.objects.get(pk=alice.pk)
    pagecache.cached(request_for(), "board", drawing("version 0"))
    pagecache.changed(alice.pk)
    pagecache.cached(request_for(), "board", drawing("version 1"))
    version = User.objects.get(pk=alice.pk).pages_version
    loaded_early.display_name = "Alice Dupont"
    loaded_early.save()  # holds the older version in memory; the save itself is a change
    assert User.objects.get(pk=alice.pk).pages_version > version
    assert pagecache.cached(request_for(), "board", drawing("version 2")) == "version 2"


def test_a_moment_that_passes_while_the_page_is_drawn_still_ages_it():
    started = timezone.now()
    during = started + datetime.timedelta(milliseconds=150)
    with time_machine.travel(started + datetime.timedelta(milliseconds=300), tick=False):
        assert pagecache.earliest(during, None, after=started) == during, (
            "a follow-up falling due mid-drawing makes the drawing stale at once"
        )
        ticks = pagecache.day_ticks(
            started - datetime.timedelta(days=2, milliseconds=100), after=started
        )
        assert ticks == started + datetime.timedelta(days=1, milliseconds=-100)


def test_each_user_stores_a_bounded_number_of_drawings_a_day(alice, request_for, monkeypatch):
    monkeypatch.setattr(pagecache, "DAILY_BUDGET", 2)
    for n in range(3):
        pagecache.cached(request_for(), "list", drawing(f"search {n}"), vary=[f"q={n}"])
    pagecache._recent.clear()  # another process: only the shared cache
    assert pagecache.cached(request_for(), "list", drawing("again"), vary=["q=1"]) == "search 1"
    assert pagecache.cached(request_for(), "list", drawing("again"), vary=["q=2"]) == "again", (
        "past the budget, a drawing is served but not stored"
    )


def test_a_drawing_is_served_until_someone_writes(alice, bob, request_for):
    pagecache.cached(request_for(), "board", drawing("first"))
    assert pagecache.cached(request_for(), "board", drawing("second")) == "first"
    pagecache.changed(bob.pk)
    assert pagecache.cached(request_for(), "board", drawing("third")) == "first", (
        "Bob's writes do not touch Alice's pages"
    )
    pagecache.changed(alice.pk)
    assert pagecache.cached(request_for(), "board", drawing("fourth")) == "fourth"


def test_the_clock_ages_a_drawing_at_its_stale_moment_and_not_before(alice, request_for):
    now = timezone.now()
    stale_at = now + datetime.timedelta(hours=3)
    with time_machine.travel(now, tick=False):
        pagecache.cached(request_for(), "board", drawing("2 days in stage", stale_at))
    with time_machine.travel(stale_at - datetime.timedelta(seconds=1), tick=False):
        assert pagecache.cached(request_for(), "board", drawing("3 days")) == "2 days in stage"
    with time_machine.travel(stale_at, tick=False):
        assert pagecache.cached(request_for(), "board", drawing("3 days")) == "3 days"


def test_each_vary_and_each_time_zone_has_its_own_drawing(alice, request_for):
    pagecache.cached(request_for(), "list", drawing("Acme"), vary=["q=Acme"])
    assert pagecache.cached(request_for(), "list", drawing("Other"), vary=["q=Other"]) == "Other"
    with timezone.override("America/New_York"):
        assert pagecache.cached(request_for(), "list", drawing("NY"), vary=["q=Acme"]) == "NY"


def test_forms_in_a_drawing_carry_the_requests_own_token(alice, request_for):
    html = f'<input name="csrfmiddlewaretoken" value="{pagecache.csrf_placeholder()}">'
    request = request_for()
    filled = pagecache.fragment(request, "board", drawing(html))
    assert pagecache.csrf_placeholder() not in filled
    assert request.META["CSRF_COOKIE"], "the token is the request's own, sent in its cookie"


def test_the_per_process_copy_keeps_to_its_budget():
    recent = pagecache._Recent(budget=300)  # each entry counts 64 besides its text
    recent.put("a", (None, "x" * 100))
    recent.put("b", (None, ("title", "y" * 45)))
    assert recent.get("a")  # a is now the most recently used
    recent.put("c", (None, "z" * 50))
    assert recent.get("b") is None, "the least recently used goes first"
    assert recent.get("a") and recent.get("c")
    recent.put("huge", (None, "w" * 300))
    assert recent.get("huge") is None, "a drawing over the whole budget is not kept"


def test_the_per_process_copy_keeps_nothing_longer_than_the_shared_cache(alice, request_for):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    with time_machine.travel(now, tick=False):
        pagecache.cached(request_for(), "board", drawing("nothing ages this"))
    pagecache._recent.clear()
    with time_machine.travel(now + 23 * hour, tick=False):  # another process takes a copy
        assert pagecache.cached(request_for(), "board", drawing("?")) == "nothing ages this"
    # A day after it was drawn, the shared cache has let it go: so must every process's copy,
    # in case a write's forgetting was ever lost.
    with time_machine.travel(now + 24 * hour, tick=False):
        assert pagecache.cached(request_for(), "board", drawing("drawn again")) == "drawn again"


def test_a_deployment_that_changes_a_template_starts_afresh(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    card = tmp_path / "templates" / "_card.html"
    card.write_text("<li>{{ card.company }}</li>")
    settings.BASE_DIR = tmp_path
    before = pagecache.release.__wrapped__()
    card.write_text("<li class='card'>{{ card.company }}</li>")
    assert pagecache.release.__wrapped__() != before


def test_what_falls_due_next_counts_a_snooze(alice, application):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    FollowUp.objects.filter(application=application).delete()

    def followup(**fields):
        return FollowUp.objects.create(
            owner=alice, application=application, kind=FollowUp.Kind.CHECK_IN, **fields
        )

    followup(due_at=now - hour)  # overdue already: not "next"
    followup(due_at=now + 5 * hour)
    snoozed = followup(due_at=now - hour, state=FollowUp.State.SNOOZED, snoozed_until=now + hour)
    pending = FollowUp.objects.for_user(alice).pending()
    assert pending.next_due_after(now) == snoozed.snoozed_until
    snoozed.delete()
    assert pending.next_due_after(now) == now + 5 * hour
    assert FollowUp.objects.none().next_due_after(now) is None


def test_on_redis_as_in_production(client, alice, make_application, settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    make_application(alice, company="Harbor & Finch")
    client.force_login(alice)
    assert "Harbor &amp; Finch" in client.get("/applications/board/").content.decode()
    make_application(alice, company="Lighthouse Labs")
    board = client.get("/applications/board/").content.decode()
    assert "Harbor &amp; Finch" in board and "Lighthouse Labs" in board

    from django.core.cache import cache

    assert cache._cache.get_client() is cache._cache.get_client(), "one client, kept"
