"""A private Dovecot IMAP server for the tests: Debian's dovecot-imapd, never the system's.

It runs from a temporary directory of its own (configuration, users, maildirs, sockets,
logs), listening on 127.0.0.1 only, on free ports: one plain listener (which offers
STARTTLS) and one TLS listener, with a self-signed certificate made here. Each test gets a
user of its own. The server records every command a logged-in client sends (Dovecot's
rawlog), so a test can read what Bridges asked for.
"""

import grp
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

from imapclient import IMAPClient

from tests.services import self_signed

BINARY = shutil.which("dovecot") or "/usr/sbin/dovecot"
START_TIMEOUT = 30  # seconds: its auth process takes a few to come up
SETTLE_TIMEOUT = 10  # seconds a session that logged out may take to finish writing its log


def _message_id(raw: bytes) -> str:
    for line in raw.split(b"\r\n\r\n", 1)[0].splitlines():
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    raise ValueError("every test message has a Message-ID")


def _still_running(rawlog: Path) -> bool:
    """Whether the server process that writes this session's log (its name ends with the
    process id: 20261202-131943-11306.in) is alive, and so may write more of it."""
    pid = rawlog.stem.rsplit("-", 1)[-1]
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has closed its files


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="bridges-dovecot-"))
        self.root.chmod(0o755)  # its unprivileged processes walk into it
        self.plain_port, self.tls_port = free_port(), free_port()
        self._users = count(1)
        self._files = count(1)
        self.passwords: dict[str, str] = {}
        if os.geteuid() == 0:
            internal, login = "dovecot", "dovenull"
            self.mail_user = "nobody"
        else:  # a developer's own account: everything runs as them
            internal = login = self.mail_user = pwd.getpwuid(os.getuid()).pw_name
        self.uid = pwd.getpwnam(self.mail_user).pw_uid
        self.gid = pwd.getpwnam(self.mail_user).pw_gid
        group = grp.getgrgid(self.gid).gr_name
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir()
        os.chown(self.root / "home", self.uid, self.gid)
        cert, key = self_signed(self.root)
        self.config = self.root / "dovecot.conf"
        self.config.write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
info_log_path = {self.root}/dovecot.log
default_internal_user = {internal}
default_login_user = {login}
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
# Every user's password is made from its name: no file to re-read as users are added.
passdb {{
  driver = static
  args = password=app-%u-x7Qz
}}
userdb {{
  driver = static
  args = uid={self.mail_user} gid={group} home={self.root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.plain_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
# No penalty for failed logins: the tests fail on purpose, often, from one address.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
# Every command a logged-in client sends is written to ~/dovecot.rawlog/.
service postlogin {{
  executable = script-login -d rawlog
  unix_listener postlogin {{
  }}
}}
service imap {{
  executable = imap postlogin
}}
""")
        self.process = None

    # --- Running ------------------------------------------------------------------------------

    def start(self) -> "Dovecot":
        self.process = subprocess.Popen(
            [BINARY, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        probe = self.add_user()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with self.client(probe):
                    return self
            except Exception as error:  # not up yet: refused, timed out, auth not ready
                if self.process.poll() is not None:
                    raise RuntimeError(f"dovecot exited: {self.process.stderr.read()!r}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"dovecot did not come up: {error}; {self.log()}") from None
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- Users and their mail -----------------------------------------------------------------

    def add_user(self) -> str:
        user = f"user{next(self._users)}"
        self.passwords[user] = f"app-{user}-x7Qz"
        home = self.root / "home" / user
        (home / "dovecot.rawlog").mkdir(parents=True)
        for path in (home, home / "dovecot.rawlog"):
            os.chown(path, self.uid, self.gid)
        return user

    def client(self, user: str, *, tls: bool = False) -> IMAPClient:
        """The test's own client (not Bridges'): it may write, to seed and inspect."""
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        port = self.tls_port if tls else self.plain_port
        imap = IMAPClient("127.0.0.1", port, ssl=tls, ssl_context=context, timeout=10)
        imap.normalise_times = False
        imap.login(user, self.passwords[user])
        return imap

    def form(self, user: str, password: str | None = None) -> dict[str, str]:
        """What a user types in Bridges' mailbox form to connect to `user` over TLS."""
        return {
            "host": "127.0.0.1",
            "port": str(self.tls_port),
            "security": "tls",
            "username": user,
            "password": self.passwords[user] if password is None else password,
        }

    def append(self, user: str, messages) -> list[int]:
        """Delivers (raw bytes, delivered_at) pairs to INBOX, as a mail server's delivery
        agent does (a file in the maildir, its time the delivery time, even one ahead of this
        machine's clock, as the suite's may be); returns their UIDs, oldest first."""
        ids = self.fill(user, messages, seen=False)
        with self.client(user) as imap:
            imap.select_folder("INBOX", readonly=True)
            return [imap.search(["HEADER", "Message-ID", mid])[0] for mid in ids]

    def flags(self, user: str) -> dict[int, tuple]:
        """Every message's flags, \\Recent included, read with EXAMINE (which changes none)."""
        with self.client(user) as imap:
            imap.select_folder("INBOX", readonly=True)
            uids = imap.search("ALL")
            found = imap.fetch(uids, ["FLAGS"]) if uids else {}
        return {uid: tuple(sorted(data[b"FLAGS"])) for uid, data in found.items()}

    def sessions(self, user: str) -> list[list[str]]:
        """The commands of each session logged in as `user`, oldest first, read once every
        session has ended: each session's server process writes its log as it goes, and one
        whose client has just logged out may not have written all of it yet."""
        folder = self.root / "home" / user / "dovecot.rawlog"
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            paths = sorted(folder.glob("*.in"))
            if not any(map(_still_running, paths)) or time.monotonic() > deadline:
                return [path.read_text(errors="replace").splitlines() for path in paths]
            time.sleep(0.02)

    def commands(self, user: str) -> list[str]:
        """Every command Bridges (or anyone) sent as `user` once logged in, oldest first."""
        return [line for session in self.sessions(user) for line in session]

    def renumber(self, user: str, uidvalidity: int) -> None:
        """Makes the server forget its UIDs: a new UIDVALIDITY, every message numbered anew
        (what a restored or migrated mailbox looks like to a client)."""
        maildir = self.root / "home" / user / "Maildir"
        for index in maildir.glob("dovecot.index*"):
            index.unlink()
        uidlist = maildir / "dovecot-uidlist"
        uidlist.write_text(f"3 V{uidvalidity} N1\n")
        os.chown(uidlist, self.uid, self.gid)

    def fill(self, user: str, messages, *, seen: bool = True) -> list[str]:
        """Puts (raw bytes, delivered_at) pairs straight into the maildir, fast (a benchmark's
        10,000 messages); returns their Message-IDs."""
        maildir = self.root / "home" / user / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        ids = []
        for raw, delivered_at in messages:
            n = next(self._files)
            path = (
                maildir / "cur" / f"{int(delivered_at.timestamp())}.M{n}P1.bridges:2,{'S' * seen}"
            )
            path.write_bytes(raw)
            os.utime(path, (delivered_at.timestamp(), delivered_at.timestamp()))
            os.chown(path, self.uid, self.gid)
            ids.append(_message_id(raw))
        for path in (maildir, *(maildir / sub for sub in ("cur", "new", "tmp"))):
            os.chown(path, self.uid, self.gid)
        return ids

    def bytes_sent(self, user: str) -> int:
        """What the server sent `user`'s last session, as its log says (out=…)."""
        lines = [
            line for line in self.log().splitlines() if f"imap({user})" in line and " out=" in line
        ]
        return int(lines[-1].split(" out=")[1].split()[0]) if lines else 0
