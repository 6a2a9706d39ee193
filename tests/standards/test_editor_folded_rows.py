"""Long row groups are sent folded: hidden inputs of the stored values, inputs fetched on unfolding.

What must hold: a folded page posts exactly what the fully rendered page
posts (so saving it unchanged changes nothing), an unfolded row's inputs are
the full page's inputs for that row, and the fetch is checked like the page.
"""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import LegalBasis, Material, StandardVersion
from standards.snapshot import snapshot
from standards.templatetags import standards_tags
from tests.content import fill_version
from tests.factories import VersionFactory
from tests.posted_form import posted_form
from tests.standards.test_editor import section_url, staff_client

pytestmark = pytest.mark.django_db

ROW_URL = re.compile(r'data-row-url="([^"]+)"')
# Differ between two renderings of the same state: the masked CSRF token, the signed base.
PER_RENDERING = ("csrfmiddlewaretoken", "base")
FIXTURES = Path(django_settings.BASE_DIR) / "fixtures"
FOOD = "010130001000"


@pytest.fixture(scope="module")
def food_sample(django_db_setup, django_db_blocker, tmp_path_factory):
    """The food licence sample as a draft (ten materials), loaded once for the module."""
    media = tmp_path_factory.mktemp("folded-rows-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        yield StandardVersion.objects.get(standard__item__basic_code=FOOD).pk, media
        transaction.set_rollback(True)


@pytest.fixture
def version(food_sample, db, settings):
    pk, settings.MEDIA_ROOT = food_sample
    return StandardVersion.objects.get(pk=pk)


def _more_materials(version, count):
    """`count` more materials, copies of the first with names of their own."""
    first = Material.objects.filter(version=version).order_by("position").first()
    start = Material.objects.filter(version=version).count()
    for n in range(start, start + count):
        copy = Material.objects.get(pk=first.pk)
        copy.pk, copy.uid, copy.position = None, uuid.uuid4(), n
        copy.name = f"{first.name}（{n + 1}）"
        copy.save()


def _posted(html):
    return {k: v for k, v in posted_form(html).items() if k not in PER_RENDERING}


def _unfolded_page(browser, version, monkeypatch):
    monkeypatch.setattr(standards_tags, "FOLD_ROWS_ABOVE", 10**6)
    page = browser.get(section_url(version, "E05")).text
    monkeypatch.undo()
    assert not ROW_URL.search(page)
    return page


def _row_url(url):
    return url.replace("&amp;", "&")


def test_a_long_group_is_folded_and_posts_what_the_unfolded_page_posts(version, monkeypatch):
    browser = staff_client(version)
    folded = browser.get(section_url(version, "E05")).text
    assert len(ROW_URL.findall(folded)) >= 3
    unfolded = _unfolded_page(browser, version, monkeypatch)
    assert _posted(folded) == _posted(unfolded)
    assert len(folded) < len(unfolded) / 2


def test_saving_the_folded_page_unchanged_changes_nothing(version):
    browser = staff_client(version)
    before = snapshot(version)["content"]
    page = browser.get(section_url(version, "E05")).text
    assert ROW_URL.search(page)
    response = browser.post(section_url(version, "E05"), posted_form(page))
    assert response.status_code == 302
    version.refresh_from_db()
    assert snapshot(version)["content"] == before


def test_a_folded_row_edited_after_unfolding_saves_and_the_others_are_kept(version):
    browser = staff_client(version)
    page = browser.get(section_url(version, "E05")).text
    url = ROW_URL.findall(page)[-1]
    inputs = browser.get(_row_url(url))
    assert inputs.status_code == 200
    assert 'data-field-code="E05.01"' in inputs.text
    index = re.search(r"index=(\d+)", url).group(1)
    data = posted_form(page)
    # The fetched inputs replace the row's hidden ones, as editor.js does.
    fetched = posted_form(inputs.text)
    assert set(fetched) <= set(data) | {f"material-{index}-{n}" for n in ("DELETE",)}
    data.update(fetched)
    data[f"material-{index}-name"] = ["改过的材料名称"]
    assert browser.post(section_url(version, "E05"), data).status_code == 302
    names = list(Material.objects.filter(version=version).values_list("name", flat=True))
    assert names[int(index)] == "改过的材料名称"
    assert len(names) == Material.objects.filter(version=version).count() == 10


def test_an_unfolded_row_has_the_inputs_of_the_full_page(version, monkeypatch):
    browser = staff_client(version)
    page = browser.get(section_url(version, "E05")).text
    unfolded = _posted(_unfolded_page(browser, version, monkeypatch))
    for url in ROW_URL.findall(page):
        fetched = posted_form(browser.get(_row_url(url)).text)
        assert fetched
        assert {name: unfolded[name] for name in fetched} == fetched


def test_a_page_shown_again_after_a_refused_save_is_not_folded(version):
    browser = staff_client(version)
    data = posted_form(browser.get(section_url(version, "E05")).text)
    data["material-5-name"] = ["x" * 5000]  # too long: the save is refused
    response = browser.post(section_url(version, "E05"), data)
    assert response.status_code == 422
    assert not ROW_URL.search(response.text)  # what was typed is shown, not fetched again


def test_rows_are_fetched_only_by_those_who_may_open_the_section(version):
    page = staff_client(version).get(section_url(version, "E05")).text
    url = _row_url(ROW_URL.findall(page)[0])
    other = VersionFactory()
    assert staff_client(other, name="elsewhere").get(url).status_code == 404
    anonymous = reverse("login")
    from django.test import Client

    assert Client().get(url)["Location"].startswith(anonymous)


def test_a_row_of_another_version_or_group_is_not_found(version):
    browser = staff_client(version)
    other = VersionFactory(standard__department=version.standard.department)
    fill_version(other)
    foreign = Material.objects.filter(version=other).first()
    base = reverse("standards:row_body", args=[version.pk, "material"])
    assert browser.get(f"{base}?index=0&row={foreign.pk}").status_code == 404
    assert browser.get(f"{base}?index=0&row=x").status_code == 404
    own = LegalBasis.objects.filter(version=version).first()
    basic = reverse("standards:row_body", args=[version.pk, "basic_info"])
    assert browser.get(f"{basic}?index=0&row={own.pk}").status_code == 404


def test_fetching_a_row_costs_the_same_queries_for_n_and_2n_rows(version):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = staff_client(version)
    counts = []
    for added in (0, 10):
        _more_materials(version, added)
        page = browser.get(section_url(version, "E05")).text
        url = _row_url(ROW_URL.findall(page)[0])
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 30


def test_a_row_with_a_finding_is_folded_with_a_badge_and_unfolds_with_the_finding(version):
    _more_materials(version, 2)  # copies with a blank form no document names: rule R18b
    page = staff_client(version).get(section_url(version, "E05")).text
    rows = page.split("data-row>")[1:]
    assert len(rows) == 12
    copied = rows[11]
    assert ROW_URL.search(copied), "folded, although it has a finding"
    assert "text-bg-warning" in copied.split("</button>")[0]  # the header's findings badge
    inputs = staff_client(version, name="again").get(_row_url(ROW_URL.search(copied).group(1)))
    assert 'class="finding' in inputs.text
    assert "R18b" in inputs.text
