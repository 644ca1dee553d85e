#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The command line is for development unless told otherwise (as cookiecutter-django's
    # manage.py picks local settings). What serves traffic (gunicorn through config/wsgi.py,
    # Celery through config/celery.py) defaults to debug off; production sets DJANGO_DEBUG=0
    # for its management commands too.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
