"""`make run`: the whole site on one machine, stopped together with Ctrl-C.

Prepares the database and demo data, picks a broker, then runs the development server, a
Celery worker and Celery beat as child processes. The broker is Redis at REDIS_URL; when
none answers, a local `redis-server` is started if one is installed, and otherwise Celery
falls back to its embedded filesystem broker under var/ (slower, but needs nothing).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import redis

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def say(text: str) -> None:
    print(f"[bridges] {text}", flush=True)


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.RedisError, ValueError):
        return False


def start_local_redis(url: str) -> subprocess.Popen | None:
    """Starts redis-server for a REDIS_URL on this machine; None if that is not possible."""
    parsed = urlparse(url)
    server = shutil.which("redis-server")
    if not server or parsed.scheme != "redis" or parsed.hostname not in ("127.0.0.1", "localhost"):
        return None
    port = str(parsed.port or 6379)
    command = [server, "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    for _ in range(50):
        if redis_answers(url):
            return process
        time.sleep(0.1)
    process.terminate()
    return None


def choose_broker(env: dict[str, str]) -> list[subprocess.Popen]:
    """Sets the broker variables in env; returns any process started for it."""
    url = env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    if redis_answers(url):
        say(f"Celery broker: Redis at {url}")
        return []
    local = start_local_redis(url)
    if local:
        say(f"Celery broker: no Redis answered at {url}, so a local redis-server was started there")
        return [local]
    broker_dir = VAR / "celery-broker"
    broker_dir.mkdir(parents=True, exist_ok=True)
    (VAR / "celery-results").mkdir(exist_ok=True)
    (VAR / "celery-control").mkdir(exist_ok=True)
    env["CELERY_BROKER_URL"] = "filesystem://"
    env["CELERY_RESULT_BACKEND"] = f"file://{VAR / 'celery-results'}"
    say(
        f"Celery broker: no Redis at {url} and none installed; using the embedded one in {broker_dir}"
    )
    return []


def dev_environment(environ, address: str = ADDRESS) -> dict[str, str]:
    """The environment every process of `make run` shares; what the caller set wins."""
    env = dict(environ)
    env.setdefault("DJANGO_DEBUG", "1")
    # Links in emails and the calendar feed point where this server listens.
    env.setdefault("SITE_URL", f"http://{address}")
    # Emails become files under var/mail/, one line each in this terminal.
    env.setdefault("EMAIL_BACKEND", "config.dev_mail.EmailBackend")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def spawn(env: dict[str, str], *command: str) -> subprocess.Popen:
    # A session of its own, so stopping it also stops what it forked (runserver's
    # reloader child, the worker's pool) instead of leaving them orphaned.
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop_all(processes: list[subprocess.Popen]) -> None:
    # A second Ctrl-C while stopping means "now": kill everything instead of waiting.
    def kill_now(signum, frame):
        for process in processes:
            signal_group(process, signal.SIGKILL)

    for signum in STOP_SIGNALS:
        signal.signal(signum, kill_now)
    # SIGINT, as Ctrl-C in a terminal would send: each program's own graceful stop.
    for process in processes:
        signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            signal_group(process, signal.SIGKILL)
            process.wait()


def interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C, a plain `kill` and closing the terminal all stop everything, even where
    # SIGINT arrives ignored.
    for signum in STOP_SIGNALS:
        signal.signal(signum, interrupt)
    env = dev_environment(os.environ)
    VAR.mkdir(exist_ok=True)
    services = choose_broker(env)
    processes: list[subprocess.Popen] = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "demo_data")
        celery = [PYTHON, "-m", "celery", "-A", "config"]
        processes = [
            spawn(env, PYTHON, "manage.py", "runserver", ADDRESS),
            spawn(env, *celery, "worker", "--loglevel=WARNING", "--concurrency=2"),
            spawn(env, *celery, "beat", "--loglevel=WARNING"),
        ]
        say(
            f"Serving on http://{ADDRESS}/ with a Celery worker and beat; emails are kept in "
            f"{VAR / 'mail'}. Ctrl-C stops all of them."
        )
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        say("A process stopped on its own; stopping the others.")
        return 1
    except KeyboardInterrupt:
        say("Stopping.")
        return 0
    finally:
        stop_all([*processes, *services])


if __name__ == "__main__":
    sys.exit(main())
