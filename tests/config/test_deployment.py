"""The example reverse-proxy configuration (docs/nginx.conf.example) is one nginx accepts, and
its body cap is Bridges' own."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import self_signed

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "nginx.conf.example"


def test_the_proxy_refuses_bodies_over_the_same_cap_as_bridges():
    size = re.search(r"^\s*client_max_body_size (\d+)m;", EXAMPLE.read_text(), re.MULTILINE)
    assert int(size[1]) * 1024 * 1024 == settings.MAX_REQUEST_BYTES
    assert "proxy_request_buffering on;" in EXAMPLE.read_text()


def test_nginx_accepts_the_example_configuration(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("nginx is not installed (apt-get install nginx); .ci/run installs it")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    cert, key = self_signed(tmp_path, "bridges.example.com")
    # Only the machine-specific paths change: certificates, logs and the pid file.
    text = (
        EXAMPLE.read_text()
        .replace("/etc/letsencrypt/live/bridges.example.com/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/bridges.example.com/privkey.pem", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("/run/nginx.pid", str(tmp_path / "nginx.pid"))
    )
    config = tmp_path / "nginx.conf"
    config.write_text(text)
    result = subprocess.run(
        [nginx, "-t", "-c", str(config), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
