"""Nothing internal reaches the public: every public page, feed and file is searched.

A published version is filled with every registry field, every manual-only text
field carrying a unique marker; a draft of another standard, a returned
version and a reviewer's comment carry markers too. Then every public address
an anonymous visitor can reach for them is fetched — home, search results,
the guide page in both languages, the version page, sitemap, Atom feeds, the
public exports (JSON, JSON-LD, Excel) and the read API — and none of the
markers may appear. The guide PDF is rendered once and its text searched too.
"""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from guides.pdf import render_guide_pdf
from standards.models import PublishedSnapshot, ReviewComment, ReviewRound, StandardVersion
from standards.registry import REGISTRY, Audience, FieldType
from standards.snapshot import snapshot
from standards.snapshot_schema import SCHEMA_VERSION
from tests.content import fill_version
from tests.factories import StandardFactory, UserFactory, VersionFactory

pytestmark = pytest.mark.django_db

TEXT_TYPES = (FieldType.TEXT, FieldType.LONGTEXT)
MANUAL_FIELDS = [
    f for f in REGISTRY.fields if f.audience is Audience.MANUAL and f.type in TEXT_TYPES
]


def marker(code: str) -> str:
    return f"MANUALONLY{code.replace('.', '')}X"


def _set_markers(version):
    for group in REGISTRY.groups.values():
        fields = [f for f in group.fields if f in MANUAL_FIELDS]
        if not fields:
            continue
        rows = group.model.objects.filter(version=version)
        rows.update(**{f.attribute: marker(f.code) for f in fields})


def _publish(version, user):
    StandardVersion.objects.filter(pk=version.pk).update(
        state="published", effective_from=timezone.localdate()
    )
    version.refresh_from_db()
    return PublishedSnapshot.objects.create(
        version=version, schema_version=SCHEMA_VERSION, data=snapshot(version), published_by=user
    )


@pytest.fixture
def world(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(department=None)
    public = VersionFactory(standard=StandardFactory(), number=1)
    fill_version(public)
    _set_markers(public)
    published = _publish(public, user)

    draft = VersionFactory(standard=StandardFactory(), number=1)
    fill_version(draft)
    basic = draft.standard.item
    basic.name = "DRAFTONLYITEMX"
    basic.save()
    returned = VersionFactory(standard=public.standard, number=2, state="returned")
    round_ = ReviewRound.objects.create(
        version=returned, number=1, submitted_by=user, submitted_content={}
    )
    ReviewComment.objects.create(
        review_round=round_,
        field_code="E04.02",
        reason=ReviewComment.Reason.choices[0][0],
        text="REVIEWONLYCOMMENTX",
        author=user,
    )
    return published, draft


def _public_urls(published):
    version = published.version
    item, department = version.standard.item, version.standard.department
    args = [item.basic_code, department.code]
    numbered = [*args, version.number]
    return [
        reverse("guides:home"),
        reverse("search:results"),
        reverse("search:results") + "?q=" + item.name[:2],
        reverse("guides:guide", args=args),
        reverse("guides:guide_version", args=numbered),
        "/sitemap.xml",
        reverse("subscriptions:feed"),
        reverse("interchange:json", args=numbered),
        reverse("interchange:jsonld", args=numbered),
        reverse("api:published"),
        reverse("api:in-force", args=args),
        reverse("api:published-version", args=numbered),
    ]


MARKERS = ["DRAFTONLYITEMX", "REVIEWONLYCOMMENTX", *(marker(f.code) for f in MANUAL_FIELDS)]


def _leaks(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


def test_markers_are_really_in_the_data(world):
    """The test would be empty if the markers never reached the snapshot."""
    published, _draft = world
    dumped = json.dumps(published.data, ensure_ascii=False)
    assert len(MANUAL_FIELDS) > 20
    found = [m for m in MARKERS if m in dumped]
    assert len(found) >= len(MANUAL_FIELDS) * 0.9, "manual-only values were not filled"


def test_no_public_page_feed_or_export_shows_internal_text(world):
    published, _draft = world
    client = Client()
    checked = 0
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        for url in _public_urls(published):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert _leaks(body.decode("utf-8", "replace")) == [], url
            checked += 1
    assert checked == 2 * len(_public_urls(published))


def test_the_public_excel_export_has_no_internal_text(world):
    published, _draft = world
    version = published.version
    numbered = [version.standard.item.basic_code, version.standard.department.code, 1]
    response = Client().get(reverse("interchange:xlsx", args=numbered))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        text = "".join(
            workbook.read(name).decode("utf-8", "replace")
            for name in workbook.namelist()
            if name.endswith(".xml")
        )
    assert "基本信息" in text or "sheet" in text  # a real workbook
    assert _leaks(text) == []


def test_the_guide_pdf_has_no_internal_text(world):
    published, _draft = world
    pdf = render_guide_pdf(published.data, public_url="https://example.gov.cn/g/")
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert len(text) > 1000
    assert _leaks(text.replace(" ", "").replace("\n", "")) == []
