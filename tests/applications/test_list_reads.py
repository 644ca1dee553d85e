"""The list's rows are read by SQL built once per shape of filters (applications/selectors.py,
`list_page`): for every shape, and every page, they are the rows Django's own queryset gives,
and only the owner's."""

import datetime
import itertools
import zoneinfo
from random import Random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from applications import selectors
from applications.models import Application, FollowUp, Tag
from applications.stages import Stage
from config import views_common
from tests.pages import page_text

STAGES = [Stage.SAVED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER,
          Stage.REJECTED, Stage.WITHDRAWN]  # fmt: skip


def reproducible(number: int) -> Random:
    return Random(number)  # noqa: S311 (test data, not secrets)


def seed(owner, count: int, rng: Random) -> None:
    """`count` applications of every stage, priority and workplace, some archived, some tagged,
    some owing an answer, updated at distinct times (so every sort has one order)."""
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            owner=owner,
            company=f"Company {rng.randrange(12):02}",
            job_title=f"Role {n:03}",
            stage=rng.choice(STAGES),
            priority=rng.randint(1, 5),
            workplace_type=rng.choice(["remote", "hybrid", "onsite", ""]),
            archived_at=now if rng.random() < 0.15 else None,
            updated_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(count)
    )
    tags = [Tag.objects.create(owner=owner, name=name) for name in ("python", "remote-first")]
    Application.tags.through.objects.bulk_create(
        Application.tags.through(application=application, tag=tag)
        for application in applications
        for tag in tags
        if rng.random() < 0.4
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            owner=owner,
            application=application,
            kind="check_in",
            due_at=now + datetime.timedelta(hours=rng.randint(-48, 48)),
        )
        for application in applications
        if rng.random() < 0.5
    )


def expected(user, filters: dict, number: int) -> list[tuple]:
    """The page as Django's queryset reads it, with each row's tags."""
    values = list(selectors.application_list(user=user, **filters))
    page = values[(number - 1) * selectors.LIST_PAGE_SIZE : number * selectors.LIST_PAGE_SIZE]
    tags = {
        (link.application_id, link.tag.name)
        for link in Application.tags.through.objects.filter(
            application_id__in=[row[0] for row in page]
        ).select_related("tag")
    }
    return [(*row, sorted(name for pk, name in tags if pk == row[0])) for row in page], len(values)


def shown(user, filters: dict, number: int) -> tuple[list[tuple], int]:
    page, _ = selectors.list_page(user, filters, number).result()
    fields = [*selectors.ROW_FIELDS, "tags"]
    rows = [tuple(getattr(row, name) for name in fields) for row in page.object_list]
    return rows, page.paginator.count


FILTERS = [
    {
        "search": "",
        "status": status,
        "sort": sort,
        "stages": stages,
        "tag": tag,
        "workplace_type": workplace,
        "priority": priority,
    }
    for status, sort, stages, tag, workplace, priority in itertools.product(
        ["active", "ended", "archived", "all"],
        ["updated", "company", "priority", "stage"],
        [None, [Stage.APPLIED], [Stage.SAVED, Stage.REJECTED]],
        ["", "python"],
        ["", "remote"],
        [None, 3],
    )
]


@pytest.mark.django_db
def test_every_shape_of_filters_reads_the_rows_django_would(alice, bob):
    rng = reproducible(7)
    seed(alice, 80, rng)
    seed(bob, 80, rng)  # the outsider's rows share every value but the owner
    mismatches = []
    for filters, number in itertools.product(FILTERS, [1, 2]):
        want = expected(alice, filters, number)
        if want[1] <= (number - 1) * selectors.LIST_PAGE_SIZE:
            continue  # past the last page: the paginator shows the last (tested below)
        if shown(alice, filters, number) != want:
            mismatches.append((filters, number))
    assert not mismatches, f"{len(mismatches)} pages differ, the first: {mismatches[0]}"


def test_a_page_past_the_end_shows_the_last_and_an_empty_list_shows_none(alice, bob):
    seed(alice, 30, reproducible(3))
    filters = FILTERS[0] | {"status": "all"}
    last, count = shown(alice, filters, 99)
    assert count == 30 and last == expected(alice, filters, 2)[0]
    empty, count = shown(bob, filters, 1)
    assert (empty, count) == ([], 0)


def test_a_number_that_is_no_page_shows_the_one_the_paginator_would(alice):
    seed(alice, 30, reproducible(3))
    filters = FILTERS[0] | {"status": "all"}
    first, last = expected(alice, filters, 1)[0], expected(alice, filters, 2)[0]
    assert shown(alice, filters, "2")[0] == last
    assert shown(alice, filters, "next")[0] == first
    assert shown(alice, filters, None)[0] == first
    assert shown(alice, filters, "0")[0] == last  # as Django's Paginator.get_page answers


def test_the_page_asked_for_is_read_with_its_count_and_only_a_page_past_the_end_again(
    alice, monkeypatch
):
    seed(alice, 30, reproducible(3))
    filters = FILTERS[0] | {"status": "all"}
    trips = []
    together = views_common.rows_together
    monkeypatch.setattr(
        views_common, "rows_together", lambda *calls: trips.append(calls) or together(*calls)
    )

    def queries(number) -> tuple[int, int]:
        trips.clear()
        with CaptureQueriesContext(connection) as seen:
            shown(alice, filters, number)
        return len(seen.captured_queries), len(trips)

    # The count, the page with each row's tags, the names of all the user's tags: together,
    # in one round trip; a short last page is no other read.
    assert queries(1) == queries(2) == (3, 1)
    assert queries(7) == (4, 2), "past the end: the last page is read again"


def test_a_search_is_read_as_django_reads_it(alice, bob):
    # A search's words reach the SQL escaped by Django: it is asked through the ORM.
    seed(alice, 40, reproducible(5))
    seed(bob, 40, reproducible(5))
    for words in ("Company 0", "ole 01", "%", "_"):
        filters = FILTERS[0] | {"search": words, "status": "all"}
        assert shown(alice, filters, 1) == expected(alice, filters, 1)


def test_a_row_shows_what_is_owed_next_and_its_update_in_the_users_time_zone(
    client, alice, make_application, clock
):
    # Half past noon in London is past midnight in Auckland: the day differs by the zone.
    clock.move_to(clock.at(hour=12, minute=30, tz=datetime.UTC))
    alice.time_zone = "Pacific/Auckland"
    alice.save()
    late, soon = make_application(alice, company="Late Ltd"), make_application(alice, "Soon Ltd")
    for application, due in ((late, -2), (soon, 50)):
        FollowUp.objects.create(
            owner=alice,
            application=application,
            kind=FollowUp.Kind.THANK_YOU,
            due_at=clock.now() + datetime.timedelta(hours=due),
        )
    client.force_login(alice)
    page = page_text(client, "/applications/")
    zone = zoneinfo.ZoneInfo("Pacific/Auckland")
    rows = selectors.with_next_due(Application.objects.filter(owner=alice))
    for application in rows:
        label = FollowUp.Kind(application.next_due_kind).label
        when = dateformat.format(application.next_due_at.astimezone(zone), "D j M, H:i")
        said = "overdue since" if application.next_due_at <= clock.now() else "by"
        assert f"{label} · {said} {when}" in page
        updated = application.updated_at.astimezone(zone)
        shown = f'<time datetime="{dateformat.format(updated, "c")}">'
        assert shown + f"{dateformat.format(updated, 'j M Y')}</time>" in page
    assert "overdue since" in page and " · by " in page


def test_a_rows_tags_come_in_the_order_the_filter_offers_them(alice, bob, make_application):
    application = make_application(alice, company="Acme")
    names = ["python", "Remote", "école", "Zed", "ab"]
    for name in names:
        application.tags.add(Tag.objects.create(owner=alice, name=name))
    Tag.objects.create(owner=bob, name="python")  # another user's tag of the same name
    filters = FILTERS[0] | {"status": "all"}
    page, offered = selectors.list_page(alice, filters, 1).result()
    (row,) = page.object_list
    assert sorted(row.tags) == sorted(names), "each of its own tags, once"
    assert row.tags == offered, "in the order of the filter's (the database's)"
    assert offered == list(Tag.objects.filter(owner=alice).values_list("name", flat=True))
