import pytest


def pytest_configure(config):
    """Hash test passwords with a fast hasher.

    Production's PBKDF2 costs about a second per password on a busy CI machine;
    demo users and logins in tests would spend minutes on it and test nothing.
    """
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files by name: tests do not run collectstatic for the hashed manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def guide_views_counted_per_test(settings):
    """Guide views are gathered in process memory and written in batches
    (search.popularity). Each test starts with none gathered, and a batch is
    written only when full, never because seconds passed: a slow machine must
    not make an earlier test's views land, as extra queries, in a later one.
    """
    from search import popularity

    settings.GUIDE_VIEW_FLUSH_SECONDS = 10**9
    popularity.discard_pending()


@pytest.fixture(scope="session")
def sample_snapshots(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every sample standard's snapshot, as stored in PublishedSnapshot.data (through JSON).

    Loaded once per test run inside a transaction that is rolled back, so only
    plain data outlives the fixture.
    """
    import json
    from pathlib import Path

    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from standards.loading.reference_data import load_reference_data
    from standards.loading.samples import load_sample
    from standards.models import StandardVersion
    from standards.snapshot import snapshot

    fixtures = Path(settings.BASE_DIR) / "fixtures"
    media = tmp_path_factory.mktemp("sample-media")
    found = {}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(fixtures)
        for path in sorted((fixtures / "samples").glob("*.yaml")):
            load_sample(path)
            version = StandardVersion.objects.get(standard__item__basic_code=_item_code(path))
            found[path.stem] = json.loads(json.dumps(snapshot(version)))
        transaction.set_rollback(True)
    return found


def _item_code(path):
    import re

    code = re.search(r'^  item: "(\d+)"', path.read_text(encoding="utf-8"), re.MULTILINE)
    assert code is not None, path
    return code.group(1)


def pytest_collection_modifyitems(items):
    """Tests that read the samples' snapshots need the test database set up.

    pytest-django creates the test database only when some collected test is
    marked `django_db`; a module run alone whose tests only use the session
    fixture `sample_snapshots` would otherwise find no tables.
    """
    for item in items:
        if "sample_snapshots" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)
