"""Email while developing: each message is kept as a file under var/mail/ that can be opened
(an .eml, which any mail program reads), and one line per message says where it went.

`make run` uses it unless EMAIL_BACKEND is set; production sends over SMTP.
"""

import os
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

MAIL_DIR = Path(settings.VAR_DIR) / "mail"
_lock = threading.Lock()
_sequence = 0


def _name() -> Path:
    global _sequence
    with _lock:
        _sequence += 1
        number = _sequence
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return MAIL_DIR / f"{stamp}-{os.getpid()}-{number:04d}.eml"


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        MAIL_DIR.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            path = _name()
            path.write_bytes(message.message().as_bytes())
            recipients = ", ".join(message.recipients())
            sys.stderr.write(f"[mail] to {recipients}: {message.subject} -> {path}\n")
            sent += 1
        return sent
