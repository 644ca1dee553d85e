"""Settings for the load benchmark's gunicorn: the site's own, plus one minimal page that only
the benchmark serves (so the site never ships it)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load_urls"
