"""Job boards on loopback: the fixture pages in pages/, served over real HTTP by a server in
the test's process, with the misbehaving sites an attacker would point Bridges at.

Dates in the pages are written relative to the suite's clock (`@DAY-3@`: three days before
the day each test starts), so the pages mean the same thing on any day the suite runs.
"""

import datetime
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from applications.postings import fetching
from tests import clock as suite_clock

PAGES = Path(__file__).parent / "pages"
_DAY = re.compile(r"@DAY([+-]\d+)@")
# The most a misbehaving route sends, so a test that fails still ends.
BIG_BODY = 50 * 1024 * 1024
TRICKLE_BYTES = 20


def page_text(name: str) -> str:
    """A fixture page with its dates filled in from the suite's day."""
    start = suite_clock.anchor().date()
    raw = (PAGES / f"{name}.html").read_text()
    return _DAY.sub(lambda m: (start + datetime.timedelta(days=int(m.group(1)))).isoformat(), raw)


class JobSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[dict] = []  # each request's path and headers, in order
        self.sent: dict[str, int] = {}  # bytes sent so far, per misbehaving route
        self.done: dict[str, threading.Event] = {
            "big": threading.Event(),
            "trickle": threading.Event(),
        }
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/{path.lstrip('/')}"

    def board(self, name: str) -> str:
        return self.url(f"boards/{name}")


class _Handler(BaseHTTPRequestHandler):
    server: JobSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        with self.server.lock:
            self.server.seen.append({"path": parts.path, "headers": dict(self.headers)})
        query = parse_qs(parts.query)
        route = parts.path.strip("/").split("/")
        handler = getattr(self, f"_{route[0].replace('-', '_')}", None)
        if handler is None:
            return self._send(404, "text/html", b"<h1>Not found</h1>")
        return handler(route[1:], query)

    def _send(self, status: int, content_type: str, body: bytes, **headers):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _boards(self, route, query):
        name = route[0] if route else ""
        if not (PAGES / f"{name}.html").is_file():
            return self._send(404, "text/html", b"<h1>Not found</h1>")
        # A board with a Content Security Policy as strict as they come (the bookmarklet's test).
        policy = "default-src 'none'; script-src 'none'; connect-src 'none'; form-action 'none'"
        return self._send(
            200,
            "text/html; charset=utf-8",
            page_text(name).encode(),
            Content_Security_Policy=policy,
        )

    def _redirect(self, route, query):
        self._send(302, "text/html", b"", Location=query["to"][0])

    def _chain(self, route, query):
        left = int(route[0])
        target = self.server.url(f"chain/{left - 1}") if left else self.server.board("lever")
        self._send(302, "text/html", b"", Location=target)

    def _cookie(self, route, query):
        self._send(
            302,
            "text/html",
            b"",
            Location=self.server.url("boards/ashby"),
            Set_Cookie="session=board-secret; Path=/",
        )

    def _typed(self, route, query):
        self._send(200, query["type"][0], b"%PDF-1.7 not a page")

    def _status(self, route, query):
        self._send(int(route[0]), "text/html", b"<h1>No</h1>")

    def _big(self, route, query):
        """A 50 MB page, sent as fast as it is read."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(BIG_BODY))
        self.end_headers()
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        self.server.sent["big"] = 0
        try:
            while self.server.sent["big"] < BIG_BODY:
                self.wfile.write(chunk)
                self.server.sent["big"] += len(chunk)
        except OSError:
            pass
        finally:
            self.server.done["big"].set()

    def _trickle(self, route, query):
        """A page that comes one byte a second (the headers too, with `headers`)."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n"
        slow_head = route[:1] == ["headers"]
        self.server.sent["trickle"] = 0
        try:
            if not slow_head:
                self.wfile.write(head)
                self.wfile.flush()
            for byte in (head if slow_head else b"<p>" + b"." * TRICKLE_BYTES)[:TRICKLE_BYTES]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                self.server.sent["trickle"] += 1
                time.sleep(1)
        except OSError:
            pass
        finally:
            self.close_connection = True
            self.server.done["trickle"].set()


@pytest.fixture
def job_site():
    """A job board on loopback, with Bridges allowed to read from loopback (as only tests are)."""
    site = JobSite()
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site
    site.shutdown()
    site.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.POSTINGS_ALLOW_LOOPBACK = True


@pytest.fixture
def resolver(monkeypatch):
    """Names resolved as the test says (and every resolution counted), never by real DNS."""

    class Resolver:
        def __init__(self):
            self.names: dict[str, list[str]] = {}
            self.asked: list[str] = []

        def __call__(self, host, port, timeout):
            self.asked.append(host)
            if host not in self.names:
                raise OSError(f"no such name: {host}")
            return self.names[host]

    fake = Resolver()
    monkeypatch.setattr(fetching, "resolve_host", fake)
    return fake
