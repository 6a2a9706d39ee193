"""The index follows the workflow: publish adds, a new publication replaces, withdraw removes."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from search.indexing import reindex_standard, sync_index
from search.models import EntryTheme, Gram, SearchEntry
from search.query import search
from search.text import gram_number
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import Region, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.services import workflow
from standards.services.drafting import new_draft_from
from tests.factories import UserFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 食品经营许可 sample of 南海区, loaded once and rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        yield StandardVersion.objects.select_related("standard__department").get()
        transaction.set_rollback(True)


def person(role, department=None, regions=()):
    user = UserFactory(department=department)
    user.groups.set([ensure_role_groups()[role]])
    user.reviewed_regions.set(Region.objects.filter(code__in=regions))
    return user


@pytest.fixture
def people(sample, db):
    department = sample.standard.department
    return {
        "staff": person(Role.DEPARTMENT_STAFF, department),
        "leader": person(Role.DEPARTMENT_LEADER, department),
        "reviewer": person(Role.EDITORIAL_REVIEWER, regions=["440600"]),
    }


def publish_through_workflow(version, people, capture):
    steps = [
        (workflow.submit, "staff"),
        (workflow.start_review, "reviewer"),
        (workflow.approve_filing, "reviewer"),
        (workflow.confirm, "leader"),
        (workflow.publish, "leader"),
    ]
    for step, who in steps:
        with capture(execute=True):
            step(version=version, user=people[who])
    version.refresh_from_db()
    return version


def codes(gram):
    """The two posting codes of a gram (in the names, elsewhere)."""
    return [2 * gram_number(gram), 2 * gram_number(gram) + 1]


def found(query):
    return [e.item_name for e in search([query])[:10]]


@pytest.mark.django_db
def test_drafts_and_reviews_are_not_indexed_until_published(
    sample, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(version=sample, user=people["staff"])
    assert not SearchEntry.objects.exists()
    assert found("食品") == []


@pytest.mark.django_db
def test_publishing_indexes_the_snapshot(sample, people, django_capture_on_commit_callbacks):
    publish_through_workflow(sample, people, django_capture_on_commit_callbacks)
    entry = SearchEntry.objects.get()
    assert entry.version == sample
    assert entry.department_name == "佛山市南海区市场监督管理局"
    assert (entry.level, entry.county.code, entry.city.code, entry.province.code) == (
        "county",
        "440605",
        "440600",
        "440000",
    )
    assert (entry.promised_limit, entry.promised_limit_unit, entry.is_charged) == (5, "1", False)
    assert entry.on_site_visits == 0
    assert list(EntryTheme.objects.values_list("audience", "code")) == [("enterprise", "010")]
    # Item name, common name, department, conditions and materials are all found.
    for query in ("食品", "开餐馆", "南海区", "营业执照", "经营场所布局平面图"):
        assert found(query) == ["食品经营许可"], query


@pytest.mark.django_db
def test_a_new_publication_replaces_the_entry(sample, people, django_capture_on_commit_callbacks):
    publish_through_workflow(sample, people, django_capture_on_commit_callbacks)
    draft = new_draft_from(version=sample, user=people["staff"])
    material = draft.rows("material").first()
    material.name = "第二版新增的特别材料"
    material.save()
    assert found("特别材料") == []
    publish_through_workflow(draft, people, django_capture_on_commit_callbacks)
    sample.refresh_from_db()
    assert sample.state == StandardVersion.State.SUPERSEDED
    entry = SearchEntry.objects.get()
    assert entry.version == draft
    assert found("特别材料") == ["食品经营许可"]
    assert found(material.name[:1]) == ["食品经营许可"]
    # The old version's postings went with it: nothing stale, nothing doubled.
    assert Gram.objects.filter(entry=entry, code__in=codes("特别")).count() == 1
    assert sync_index() == 0


@pytest.mark.django_db
def test_withdrawing_removes_the_entry(sample, people, django_capture_on_commit_callbacks):
    publish_through_workflow(sample, people, django_capture_on_commit_callbacks)
    assert found("食品") == ["食品经营许可"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(version=sample, user=people["leader"], reason="依据已废止")
    assert not SearchEntry.objects.exists()
    assert not Gram.objects.exists()
    assert found("食品") == []


@pytest.mark.django_db
def test_the_index_is_updated_only_after_the_commit(
    sample, people, django_capture_on_commit_callbacks
):
    for step, who in [
        (workflow.submit, "staff"),
        (workflow.start_review, "reviewer"),
        (workflow.approve_filing, "reviewer"),
        (workflow.confirm, "leader"),
    ]:
        step(version=sample, user=people[who])
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.publish(version=sample, user=people["leader"])
        # Inside the publishing transaction the index is untouched.
        assert not SearchEntry.objects.exists()
    for callback in callbacks:
        callback()
    assert SearchEntry.objects.filter(version=sample).exists()


@pytest.mark.django_db
def test_rebuild_command_restores_a_lost_index(sample, people, django_capture_on_commit_callbacks):
    publish_through_workflow(sample, people, django_capture_on_commit_callbacks)
    SearchEntry.objects.all().delete()
    assert found("食品") == []
    call_command("rebuild_search_index", stdout=StringIO())
    assert found("食品") == ["食品经营许可"]
    call_command("rebuild_search_index", "--stale-only", stdout=StringIO())
    assert SearchEntry.objects.count() == 1


@pytest.mark.django_db
def test_reindexing_an_unknown_standard_does_nothing():
    assert reindex_standard(10**9) is None
