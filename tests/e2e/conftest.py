"""Journeys in a real browser: Playwright driving Debian's headless Chromium against
pytest-django's live server, with email going over SMTP to a real server on loopback.

Every test here is marked `e2e` (`pytest -m e2e` runs them alone, `-m "not e2e"` skips them).
A failing test leaves a screenshot and a Playwright trace in var/e2e-artifacts/ (open the
trace with `playwright show-trace <file>`).

One module per person: test_candidate.py holds the candidate's journeys; a recruiter's
journey through the admin belongs in a test_recruiter.py beside it, with the same `page`,
`log_in` and `smtp_sink` fixtures.
"""

import os
import re
import shutil
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
# No browser download is possible here: Debian's Chromium, headless, with nothing that
# would reach out to the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e-artifacts"
TIMEOUT_MS = 10_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            # A live server and a real browser wait on each other: the suite's clock runs.
            item.add_marker(pytest.mark.ticking)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keeps each phase's report on the test, so the page fixture knows whether it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}, and REQUIRE_SERVICES=1 says it must be there.", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's guard against ORM
    # calls from async code sees it and refuses the tests' own queries (and the live server
    # shares the test database's connection on SQLite). Allowed only while the browser is up:
    # the package scope stops it before any other test runs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser profile per test, traced; kept as evidence when the test fails. A test
    marked `no_javascript` gets one with scripts turned off."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="UTC",
        java_script_enabled=request.node.get_closest_marker("no_javascript") is None,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.tracing.start(screenshots=True, snapshots=True, sources=True)
    page = context.new_page()
    yield page
    failed = any(
        getattr(request.node, f"report_{when}", None) is not None
        and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.tracing.stop(path=str(ARTIFACTS / f"{name}-trace.zip"))
        print(f"e2e: screenshot and trace kept in {ARTIFACTS}/{name}*")
    else:
        context.tracing.stop()
    context.close()


class SmtpSink:
    """A real SMTP server on loopback that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    """Every email the site sends during the test goes over SMTP to this server."""
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


@pytest.fixture
def log_in(page, password):
    """Logs in through the login form, as a person would."""

    def log_in(email: str, path: str = "/accounts/login/"):
        page.goto(path)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return log_in


@pytest.fixture(autouse=True)
def _tasks_run_in_the_server():
    """No Celery worker runs beside the live server: a task queued after a commit (a message's
    delivery, a nudge) runs there and then, in the request that queued it. The path through a
    real worker has its own proofs (tests/messaging/test_sending_e2e.py, test_delivery_e2e.py)."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
