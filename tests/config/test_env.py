import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_url,
    redis_neighbour,
)


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("OFF", False), ("", False)]
)
def test_it_reads_yes_no_values(raw, value):
    assert env_bool("FLAG", default=not value, environ={"FLAG": raw}) is value


def test_it_rejects_a_yes_no_value_it_does_not_know():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG='maybe' is not a yes/no value"):
        env_bool("DJANGO_DEBUG", default=False, environ={"DJANGO_DEBUG": "maybe"})


def test_it_rejects_a_number_that_is_not_whole_or_too_small():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='25a' is not a whole number"):
        env_int("EMAIL_PORT", 587, environ={"EMAIL_PORT": "25a"})
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT=0 is below the minimum of 1"):
        env_int("EMAIL_PORT", 587, minimum=1, environ={"EMAIL_PORT": "0"})


def test_it_splits_lists_and_drops_blanks():
    environ = {"ALLOWED_HOSTS": " a.example, ,b.example "}
    assert env_list("ALLOWED_HOSTS", [], environ=environ) == ["a.example", "b.example"]
    assert env_list("ALLOWED_HOSTS", ["x"], environ={}) == ["x"]


def test_it_rejects_a_url_with_the_wrong_scheme():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL='localhost:6379' is not a URL"):
        env_url("REDIS_URL", "", schemes=("redis",), environ={"REDIS_URL": "localhost:6379"})


def test_it_reads_a_database_url():
    config = env_database(
        "DATABASE_URL", "", environ={"DATABASE_URL": "postgres://u@db:5432/bridges"}
    )
    assert (config["ENGINE"], config["HOST"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db",
        "bridges",
    )


def test_it_rejects_a_database_url_it_cannot_read():
    with pytest.raises(
        ImproperlyConfigured, match="DATABASE_URL='oracle-ish' is not a database URL"
    ):
        env_database("DATABASE_URL", "", environ={"DATABASE_URL": "oracle-ish"})


def test_it_rejects_a_value_outside_its_choices():
    with pytest.raises(ImproperlyConfigured, match="LOG_LEVEL='LOUD' is not one of"):
        env_choice("LOG_LEVEL", "INFO", choices=("INFO",), environ={"LOG_LEVEL": "LOUD"})


@pytest.mark.parametrize(
    ("url", "neighbour"),
    [
        ("redis://cache:6379/0", "redis://cache:6379/1"),
        ("rediss://:secret@cache:6380/4", "rediss://:secret@cache:6380/5"),
        ("redis://cache:6379", "redis://cache:6379/1"),
    ],
)
def test_the_cache_gets_the_database_after_the_brokers(url, neighbour):
    assert redis_neighbour(url) == neighbour
