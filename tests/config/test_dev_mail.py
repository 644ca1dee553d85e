"""`make run` keeps emails where a developer can open them, and its links follow its address."""

import importlib.util
from email import message_from_bytes
from pathlib import Path

from django.core.mail import EmailMultiAlternatives, get_connection

from config import dev_mail

ROOT = Path(__file__).resolve().parents[2]


def load_run_dev():
    spec = importlib.util.spec_from_file_location("run_dev", ROOT / "scripts" / "run_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_email_is_a_file_with_one_line_said(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dev_mail, "MAIL_DIR", tmp_path / "mail")
    connection = get_connection("config.dev_mail.EmailBackend")
    first = EmailMultiAlternatives("Reminder: Harbor & Finch", "Hello", to=["sam@example.com"])
    first.attach_alternative("<p>Hello</p>", "text/html")
    second = EmailMultiAlternatives("Confirm your address", "Click", to=["new@example.com"])
    assert connection.send_messages([first, second]) == 2

    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    opened = message_from_bytes(files[0].read_bytes())
    assert opened["Subject"] == "Reminder: Harbor & Finch"
    assert opened["To"] == "sam@example.com"
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"[mail] to sam@example.com: Reminder: Harbor & Finch -> {files[0]}",
        f"[mail] to new@example.com: Confirm your address -> {files[1]}",
    ]


def test_links_follow_the_address_the_server_uses():
    run_dev = load_run_dev()
    env = run_dev.dev_environment({}, address="0.0.0.0:8080")
    assert env["SITE_URL"] == "http://0.0.0.0:8080"
    assert env["EMAIL_BACKEND"] == "config.dev_mail.EmailBackend"
    chosen = run_dev.dev_environment({"SITE_URL": "https://bridges.test", "EMAIL_BACKEND": "x"})
    assert (chosen["SITE_URL"], chosen["EMAIL_BACKEND"]) == ("https://bridges.test", "x")
