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

    if sys.argv[1:] == ["redis-down"]:
        # CACHE_URL points at a port nobody listens on: every page that consults the rate
        # limits must still answer, as a browser would meet them.
        client = Client(raise_request_exception=False)
        signup = {
            "display_name": "Sam Rivera",
            "email": "sam@example.com",
            "password1": "violet-harbour-lantern",
            "password2": "violet-harbour-lantern",
            "time_zone": "UTC",
        }
        report = {
            "login_page": seen(client.get("/accounts/login/", secure=True, **host)),
            "logged_in": seen(log_in("a-long-enough-password")),
        }
        client.post("/accounts/logout/", secure=True, **host)
        report |= {
            "signup_page": seen(client.get("/accounts/signup/", secure=True, **host)),
            "signed_up": seen(client.post("/accounts/signup/", signup, secure=True, **host)),
            "reset_page": seen(client.get("/accounts/password/reset/", secure=True, **host)),
            "reset": seen(
                client.post("/accounts/password/reset/", {"email": user.email}, secure=True, **host)
            ),
        }
        json.dump(report, sys.stdout)
        return

    report = {
        "plain_http": seen(client.get("/", **host)),
        "login_page": seen(client.get("/accounts/login/", secure=True, **host)),
        "logged_in": seen(log_in("a-long-enough-password")),
    }
    client.post("/accounts/logout/", secure=True, **host)
    failures = [log_in("wrong-password-1") for _ in range(5)]
    report["after_five_failures"] = seen(log_in("a-long-enough-password"))
    report["failures"] = [r.status_code for r in failures]
    client.post("/accounts/logout/", secure=True, **host)
    report["public_home"] = seen(client.get("/", secure=True, **host))
    client.force_login(user)
    report["private_home"] = seen(client.get("/", secure=True, **host))
    report["export"] = seen(client.get("/export/everything.json", secure=True, **host))
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
