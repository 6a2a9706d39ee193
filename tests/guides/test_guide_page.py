"""The public guide page: versions, dates, caching, files, sitemap and error pages."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from standards.loading.demo_users import create_demo_users
from standards.loading.demo_workflow import run_demo_workflow
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import StandardVersion, User
from standards.services import workflow
from standards.services.drafting import new_draft_from

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def published_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The food sample published through the demo workflow, loaded once for the module.

    Each test runs in its own savepoint inside this transaction (pytest-django's
    `db`), so what a test publishes is gone before the next one.
    """
    media = tmp_path_factory.mktemp("guide-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        create_demo_users("demo-2026")
        run_demo_workflow()
        yield StandardVersion.objects.get(state="published").pk, media
        transaction.set_rollback(True)


@pytest.fixture
def published(published_module, db):
    pk, media = published_module
    cache.clear()
    with override_settings(MEDIA_ROOT=media):
        yield StandardVersion.objects.get(pk=pk)
    cache.clear()


def guide_url(version):
    standard = version.standard
    return reverse("guides:guide", args=[standard.item.basic_code, standard.department.code])


def republish(version, effective_from=None):
    """A new version of the same standard, published by the department's leader.

    The review steps are skipped (they are tested with the workflow): the draft
    is moved straight to "confirmed", the state publishing starts from.
    """
    leader = User.objects.get(username="nanhai_leader")
    draft = new_draft_from(version=version, user=leader)
    StandardVersion.objects.filter(pk=draft.pk).update(state="confirmed")
    draft.refresh_from_db()
    return workflow.publish(version=draft, user=leader, effective_from=effective_from)


def test_the_page_shows_the_summary_the_versions_and_a_canonical_link(published):
    response = Client().get(guide_url(published))
    assert response.status_code == 200
    page = response.text
    assert 'class="guide-summary"' in page
    for fact in ["多久办好", "是否收费", "跑动次数", "在哪儿办"]:
        assert fact in page
    assert f'rel="canonical" href="{guide_url(published)}"' in page
    assert "发布日期" in page  # the publication date, from PublishedSnapshot
    assert "本指南的各个版本" in page or "Versions of this guide" in page
    assert 'href="/static/css/guide.css"' in page  # the print stylesheet


def test_a_conditional_get_answers_304_until_a_new_version_is_published(published):
    client = Client()
    first = client.get(guide_url(published))
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(guide_url(published), headers={"if-none-match": etag})
    assert again.status_code == 304

    newer = republish(published)
    after = client.get(guide_url(published), headers={"if-none-match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag
    # The version list links the earlier version; the new one is shown.
    assert f"/v{published.number}/" in after.text
    assert f"第 {newer.number} 版" in after.text or f"Version {newer.number}" in after.text


def test_an_uncached_page_runs_at_most_three_queries_and_a_cached_one_two(published):
    client = Client()
    url = guide_url(published)
    cache.clear()
    with CaptureQueriesContext(connection) as uncached:
        assert client.get(url).status_code == 200
    assert len(uncached) <= 3, [q["sql"][:120] for q in uncached]
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url).status_code == 200
    assert len(cached) <= 2, [q["sql"][:120] for q in cached]


def test_the_query_count_does_not_grow_with_the_number_of_versions(published):
    client = Client()
    url = guide_url(published)
    version = published
    for _ in range(3):
        version = republish(version)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= 3
    assert response.text.count('class="mb-2"') == 4  # every version listed


def test_a_version_page_and_the_guide_as_in_force_on_a_date(published):
    client = Client()
    standard = published.standard
    args = [standard.item.basic_code, standard.department.code]
    later = timezone.localdate() + datetime.timedelta(days=30)
    newer = republish(published, effective_from=later)
    # Published now, in force only in 30 days: today still shows the first version.
    today_page = client.get(reverse("guides:guide", args=args))
    assert f"第{published.number}版" in today_page.text or "版本号" in today_page.text
    future = client.get(reverse("guides:guide", args=args), {"on": later.isoformat()})
    assert future.status_code == 200
    assert "may no longer apply" in future.text or "可能已不再适用" in future.text
    version_page = client.get(reverse("guides:guide_version", args=[*args, newer.number]))
    assert version_page.status_code == 200
    assert f'href="{reverse("guides:guide_version", args=[*args, newer.number])}"' in (
        version_page.text
    )
    assert client.get(reverse("guides:guide_version", args=[*args, 99])).status_code == 404


def test_a_bad_date_gets_a_message_at_the_field(published):
    response = Client().get(guide_url(published), {"on": "2026-13-45<script>"})
    assert response.status_code == 400
    assert "is-invalid" in response.text
    assert "<script>" not in response.text
    assert "2026-01-31" in response.text  # the example in the message at the field


def test_a_date_before_the_first_version_has_no_guide(published):
    response = Client().get(guide_url(published), {"on": "1999-01-01"})
    assert response.status_code == 404
    assert "We could not find this page" in response.text or "找不到" in response.text


def test_blank_forms_and_samples_are_downloadable_from_the_published_snapshot(published):
    page = Client().get(guide_url(published)).text
    links = re.findall(r'href="(/guides/[^"]+/files/[^"]+)"', page)
    assert links, "the food guide links its blank forms"
    response = Client().get(links[0])
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)


def test_files_not_named_by_a_published_guide_field_are_refused(published):
    standard = published.standard
    base = [standard.item.basic_code, standard.department.code, published.number]
    client = Client()
    for code, row in [
        ("E05.14", "no-such-row"),  # a row the snapshot does not have
        ("E05.02", "-"),  # not a file field
        ("ZZ.99", "-"),  # not a field
    ]:
        assert client.get(reverse("guides:file", args=[*base, code, row])).status_code == 404
    draft = new_draft_from(version=published, user=User.objects.get(username="nanhai_staff"))
    unpublished = [standard.item.basic_code, standard.department.code, draft.number]
    page = client.get(guide_url(published)).text
    code, row = re.findall(r"/files/([^/]+)/([^/]+)/", page)[0]
    assert client.get(reverse("guides:file", args=[*unpublished, code, row])).status_code == 404


def test_sitemap_and_robots(published):
    client = Client()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert guide_url(published) in sitemap.text
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert "Disallow: /workspace/" in robots.text
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text


def test_drafts_do_not_appear_in_the_sitemap(published):
    from tests.factories import VersionFactory

    draft = VersionFactory()
    sitemap = Client().get("/sitemap.xml").text
    assert guide_url(draft) not in sitemap


def test_the_language_switch_is_a_link_and_refuses_foreign_targets(published):
    client = Client()
    response = client.get(
        reverse("choose_language"), {"language": "en", "next": guide_url(published)}
    )
    assert response.status_code == 302
    assert response["Location"] == guide_url(published)
    assert 'lang="en"' in client.get(guide_url(published)).text
    away = client.get(
        reverse("choose_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert away["Location"] == reverse("guides:home")
    assert client.get(reverse("choose_language"), {"language": "xx"}).status_code == 400


def test_public_pages_carry_no_csrf_token_so_they_can_be_cached(published):
    page = Client().get(guide_url(published)).text
    assert "csrfmiddlewaretoken" not in page


def test_english_and_chinese_pages_are_cached_apart(published):
    client = Client()
    chinese = client.get(guide_url(published))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(guide_url(published))
    assert chinese["ETag"] != english["ETag"]
    assert 'lang="en"' in english.text


def test_the_500_page_renders_without_a_request_context():
    from config.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "系统暂时无法处理" in response.content.decode()


def test_with_a_shared_cache_a_cached_page_needs_no_query_and_a_publication_shows_at_once(
    published, settings, django_capture_on_commit_callbacks
):
    settings.GUIDE_PAGE_FAST_PATH = True
    client = Client()
    url = guide_url(published)
    first = client.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert len(queries) == 0, [q["sql"][:120] for q in queries]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        newer = republish(published)
    after = client.get(url)
    assert after["ETag"] != first["ETag"]
    assert f"第{newer.number}版" in after.text or f">{newer.number}<" in after.text


def test_guide_views_are_counted_in_batches(published, settings):
    from search.models import ItemView
    from search.popularity import flush

    def views():
        row = ItemView.objects.filter(standard_id=published.standard_id).first()
        return row.views if row else 0

    settings.GUIDE_VIEW_BATCH = 3
    flush()  # views gathered by earlier tests
    before = views()
    client = Client()
    url = guide_url(published)
    for _ in range(2):
        client.get(url)
    assert views() == before  # gathered in memory, not written yet
    client.get(url)
    assert views() == before + 3
