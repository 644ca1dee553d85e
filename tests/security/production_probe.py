"""Run by test_production.py in a fresh process with production settings (debug off, HTTPS):
answers a few requests on a throwaway SQLite database and prints what a browser would see."""

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User

    setup_test_environment(debug=False)
    # Hashed static names need `collectstatic`, which has nothing to do with what is probed.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    call_command("migrate", interactive=False, verbosity=0)
    user = User.objects.create_user("owner@example.com", "a-long-enough-password")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    host = {"HTTP_HOST": "bridges.example.com"}
    client = Client()

    def seen(response) -> dict:
        return {
            "status": response.status_code,
            "location": response.headers.get("Location", ""),
            "headers": dict(response.headers),
            "cookies": {
                name: {key: str(morsel[key]) for key in ("secure", "httponly", "samesite")}
                | {"value": morsel.value}
                for name, morsel in response.cookies.items()
            },
            "body": response.content.decode(errors="replace")[:20000],
        }

    def log_in(password):
        data = {"login": user.email, "password": password}
        return client.post("/accounts/login/", data, secure=True, **host)

    report = {
        "plain_http": seen(client.get("/", **host)),
        "login_page": seen(client.get("/accounts/login/", secure=True, **host)),
        "logged_in": seen(log_in("a-long-enough-password")),
    }
    client.post("/accounts/logout/", secure=True, **host)
    failures = [log_in("wrong-password-1") for _ in range(5)]
    report["after_five_failures"] = seen(log_in("a-long-enough-password"))
    report["failures"] = [r.status_code for r in failures]
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
