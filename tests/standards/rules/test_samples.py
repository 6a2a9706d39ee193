"""The five sample standards pass every rule without a blocking finding."""

import pytest
from django.db import transaction
from django.test import override_settings

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_samples
from standards.models import StandardVersion
from standards.rules import run_rules
from standards.snapshot import snapshot

from .samples import FIXTURES, SAMPLE_NAMES, sample


@pytest.fixture(scope="module")
def database_snapshots(django_db_setup, django_db_blocker, tmp_path_factory):
    """The samples loaded into the database once for this module, then rolled back."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_samples(FIXTURES / "samples")
        snapshots = {
            version.standard.item.basic_code: snapshot(version)
            for version in StandardVersion.objects.select_related("standard__item")
        }
        transaction.set_rollback(True)
    return snapshots


def _blocking(data):
    return [(f.rule_id, f.codes, f.row_id, str(f.message)) for f in run_rules(data) if f.blocking]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_sample_standard_has_a_blocking_finding(name):
    assert _blocking(sample(name)) == []


# `db` also tells pytest-django that this module needs the test database: without a test
# that asks for it, the module fixture would run against the development database.
def test_samples_built_without_the_database_match_their_database_snapshots(database_snapshots, db):
    assert len(database_snapshots) == len(SAMPLE_NAMES)
    for name in SAMPLE_NAMES:
        built = sample(name)
        loaded = database_snapshots[built["standard"]["item"]["basic_code"]]
        assert built["content"] == loaded["content"], name
        assert built["standard"]["item"] == loaded["standard"]["item"], name


def test_no_loaded_sample_standard_has_a_blocking_finding(database_snapshots, db):
    for basic_code, data in database_snapshots.items():
        assert _blocking(data) == [], basic_code
