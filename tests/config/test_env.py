"""Settings readers fail loudly and clearly on bad values."""

import pytest

from config.env import (
    ImproperlyConfiguredEnv,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for text, expected in [("true", True), ("1", True), ("ON", True), ("no", False), ("", False)]:
        monkeypatch.setenv("FLAG", text)
        assert env_bool("FLAG", default=not expected) is expected


def test_a_misspelt_boolean_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfiguredEnv, match="DEBUG must be true or false"):
        env_bool("DEBUG", default=False)


def test_integers_are_checked(monkeypatch):
    monkeypatch.setenv("WORKERS", "four")
    with pytest.raises(ImproperlyConfiguredEnv, match="WORKERS must be a whole number"):
        env_int("WORKERS", 2)
    monkeypatch.setenv("WORKERS", "4")
    assert env_int("WORKERS", 2) == 4


def test_a_required_string_without_default_is_refused(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfiguredEnv, match="SECRET_KEY"):
        env_str("SECRET_KEY")


def test_lists_are_split_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.gov.cn, b.gov.cn,,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.gov.cn", "b.gov.cn"]


def test_sqlite_urls_resolve_relative_paths_against_the_project():
    config = database_from_url("sqlite:///db.sqlite3", base_dir="/srv/app")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/app/db.sqlite3"


def test_postgres_urls_are_read_in_full():
    config = database_from_url(
        "postgres://app:s%40cret@db.internal:5433/standards?sslmode=require", base_dir="/"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("app", "s@cret")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", "5433", "standards")
    assert config["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off"}


def test_postgres_sessions_run_without_jit_unless_the_url_says_otherwise():
    own = database_from_url("postgres://h/x?options=-c%20statement_timeout%3D5000", base_dir="/")
    assert own["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=5000"
    kept = database_from_url("postgres://h/x?options=-c%20jit%3Don", base_dir="/")
    assert kept["OPTIONS"]["options"] == "-c jit=on"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/x", "not supported"),
        ("postgres://localhost:5432/", "needs a database name"),
        ("postgres://localhost:port/x", "invalid port"),
        ("sqlite:///", "needs a file path"),
    ],
)
def test_bad_database_urls_are_refused_with_a_reason(url, message):
    with pytest.raises(ImproperlyConfiguredEnv, match=message):
        database_from_url(url, base_dir="/")


@pytest.mark.django_db
def test_the_applications_postgresql_sessions_have_jit_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
