"""The Jinja2 fragments' own helpers (config/jinja2.py, config/formats.py) write what Django's
would: the same URLs, the same dates, and forms that post."""

import datetime
import re
import zoneinfo

import pytest
from django.template import defaultfilters, engines
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse, set_script_prefix
from django.utils import timezone
from markupsafe import Markup, escape

from config import formats
from config import jinja2 as helpers
from tests.conftest import PASSWORD

ZONES = ["Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC"]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("applications:list", ()),
        ("applications:detail", (7,)),
        ("applications:detail", (1234567,)),
        ("applications:interview_edit", (12, 345)),
        ("applications:followup_done", (9,)),
        ("messaging:compose", (3,)),
    ],
)
def test_a_url_is_the_one_django_reverses(name, args):
    assert formats.url(name, *args) == reverse(name, args=args)
    # Twice: the second call comes from the worked-out shape.
    assert formats.url(name, *args) == reverse(name, args=args)

    assert formats.url_of(name, len(args))(*args) == reverse(name, args=args)


def test_a_url_without_a_shape_is_reversed_for_each_row(monkeypatch):
    # A converter that rewrote its ids would leave no shape to put them in.
    monkeypatch.setattr(formats, "url_shape", lambda name, count: None)
    detail = formats.url_of("applications:detail")
    assert [detail(3), detail(45)] == [reverse("applications:detail", args=[n]) for n in (3, 45)]


def test_a_url_under_a_script_prefix_carries_it():
    before = formats.url("applications:detail", 5)
    set_script_prefix("/bridges/")
    try:
        assert formats.url("applications:detail", 5) == "/bridges" + before
        assert formats.url("applications:detail", 5) == reverse("applications:detail", args=[5])
    finally:
        set_script_prefix("/")
    assert formats.url("applications:detail", 5) == before


def test_an_argument_that_is_no_integer_is_reversed_as_django_does():
    assert formats.url("applications:detail", "42") == reverse("applications:detail", args=["42"])


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("pattern", ["c", "D j M, H:i", "D j M Y, H:i", "j M Y", "j F Y", "F Y"])
def test_dates_read_as_django_writes_them(zone, pattern, clock):
    moments = [
        clock.start,
        clock.start + datetime.timedelta(days=200, hours=13, minutes=7, microseconds=5),
        # The night clocks change in Europe and America.
        datetime.datetime(clock.start.year, 3, 29, 0, 30, tzinfo=datetime.UTC),
        datetime.datetime(clock.start.year, 11, 1, 6, 30, tzinfo=datetime.UTC),
        # Every month, and every day of the week, by its name.
        *(clock.start + datetime.timedelta(days=32 * n) for n in range(12)),
    ]
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for moment in moments:
            # Django's templates hand the `date` filter the moment in the current zone.
            local = timezone.localtime(moment)
            assert helpers.date(moment, pattern) == defaultfilters.date(local, pattern)
        day = moments[0].date()
        assert helpers.date(day, "D j M Y") == defaultfilters.date(day, "D j M Y")
    assert helpers.date(None, pattern) == ""


def test_every_form_of_a_fragment_posts(alice, application, interview):
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username=alice.email, password=PASSWORD)
    page = browser.get(reverse("applications:detail", args=[application.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 5  # archive, move, note, the interview's held and cancelled, log out
    cancel = reverse("applications:interview_cancel", args=[application.pk, interview.pk])
    assert f'action="{cancel}"' in html
    # Each token on the page is accepted: the interview's "Cancelled" form with the last one.
    answer = browser.post(cancel, {"csrfmiddlewaretoken": tokens[-1]})
    assert answer.status_code == 302
    interview.refresh_from_db()
    assert interview.state == "cancelled"


def test_a_static_file_is_linked_as_django_links_it_even_after_its_settings_change():
    assert helpers.static_url("css/bridges.css") == static("css/bridges.css")
    with override_settings(STATIC_URL="/assets/"):
        assert helpers.static_url("css/bridges.css") == static("css/bridges.css")
        assert helpers.static_url("css/bridges.css").startswith("/assets/")
    assert helpers.static_url("css/bridges.css") == static("css/bridges.css")


@pytest.mark.parametrize("page", ["board", "followups", "detail"])
def test_a_page_masks_one_csrf_token_for_its_forms_and_its_htmx_header(
    logged_in, application, page
):
    # The content's forms (an application's) and the page around it (its log-out form).
    args = [application.pk] if page == "detail" else []
    html = logged_in.get(reverse(f"applications:{page}", args=args)).content.decode()
    header = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    inputs = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert inputs == {header}


@pytest.mark.parametrize(
    "text", ["plain", "two\nlines", "dos\r\nline ends\rand old Macs", "<b>&'\"</b>\n\nx", ""]
)
def test_line_breaks_are_written_as_django_writes_them(text):
    # The same HTML, but for the entities each library writes for quotes.
    django = defaultfilters.linebreaksbr(text, autoescape=True)
    django = django.replace("&#x27;", "&#39;").replace("&quot;", "&#34;")
    assert formats.with_breaks(text) == helpers.linebreaksbr(text) == django


class _Drawn:
    def __html__(self):
        return "<em>drawn</em>"


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "",
        "<script>alert('x') & \"y\"</script>",
        "&amp; already an entity",
        Markup("<b>safe</b>"),
        _Drawn(),
        _Text("<i>a str subclass</i>"),
        42,
        None,
        3.5,
        datetime.date(2026, 12, 1),
    ],
)
def test_an_output_is_escaped_as_markupsafe_escapes_it(value):
    assert helpers.escape_output(value) == str(escape(value))


def test_every_value_a_fragment_outputs_goes_through_the_fast_escape():
    env = engines["jinja2"].env
    source = "{{ a }}{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(b) }}{% set c %}{{ a }}{% endset %}{{ c }}"
    compiled = env.compile(source, raw=True)
    assert "environment.escape_output(" in compiled and "escape(" not in compiled.replace(
        "escape_output(", ""
    )
    drawn = env.from_string(source).render(a="<a href='x'>", b=Markup("<b>"))
    assert drawn == "&lt;a href=&#39;x&#39;&gt;[<b>]&lt;a href=&#39;x&#39;&gt;"
