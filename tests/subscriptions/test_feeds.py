"""The Atom feeds: content, escaping, only published data, flat query counts."""

import re
import xml.etree.ElementTree as ET  # our own feed, not untrusted input

import pytest
from django.urls import reverse

from standards.models import StandardVersion
from tests.factories import VersionFactory

from .conftest import publish

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    return ET.fromstring(response.content)  # noqa: S314 (our own feed)


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse(response).findall(f"{ATOM}entry")


def text(entry, tag):
    return entry.find(f"{ATOM}{tag}").text


@pytest.mark.django_db
def test_the_feed_lists_publications_with_their_guide_links(client, department):
    published = publish(department, name="食品经营许可", number=3, change_note="申请材料减少 2 项")
    found = entries(client.get(reverse("subscriptions:feed")))
    assert len(found) == 1
    entry = found[0]
    item = published.version.standard.item
    assert text(entry, "title") == "食品经营许可"
    link = entry.find(f"{ATOM}link").get("href")
    assert link == "http://testserver" + reverse(
        "guides:guide", args=[item.basic_code, department.code]
    )
    summary = text(entry, "summary")
    assert department.name in summary
    assert re.search(r"<p>[^<]*\b3\b[^<]*</p>", summary)  # the version number
    assert "申请材料减少 2 项" in summary
    assert entry.find(f"{ATOM}author/{ATOM}name").text == department.name
    assert text(entry, "published").startswith(published.published_at.strftime("%Y-%m-%d"))
    assert text(entry, "id").startswith("urn:uuid:")


@pytest.mark.django_db
def test_an_entry_without_a_change_note_has_none(client, department):
    publish(department, change_note="")
    (entry,) = entries(client.get(reverse("subscriptions:feed")))
    assert "：" in text(entry, "summary")
    assert text(entry, "summary").count("<p>") == 2  # department and version only


@pytest.mark.django_db
def test_every_value_is_escaped(client, department):
    name = '<script>alert("x")</script>事项'
    publish(department, name=name, change_note="<img src=x onerror=alert(1)>")
    response = client.get(reverse("subscriptions:feed"))
    assert b"<script>" not in response.content
    assert b"<img" not in response.content
    (entry,) = entries(response)
    # The title is Atom text: the reader shows exactly the name.
    assert text(entry, "title") == name
    assert entry.find(f"{ATOM}title").get("type") in (None, "text")
    # The summary is HTML: after XML decoding the markup is still escaped.
    summary = text(entry, "summary")
    assert entry.find(f"{ATOM}summary").get("type") == "html"
    assert "<img" not in summary
    assert "&lt;img src=x onerror=alert(1)&gt;" in summary


@pytest.mark.django_db
def test_manual_only_fields_and_drafts_never_appear(client, department):
    publish(department, manual_text="仅限业务手册的内部岗位信息")
    draft = publish(department).version
    StandardVersion.objects.filter(pk=draft.pk).update(state=StandardVersion.State.WITHDRAWN)
    VersionFactory(standard__item__department=department, standard__item__name="草稿事项")
    response = client.get(reverse("subscriptions:feed"))
    assert len(entries(response)) == 1
    assert "仅限业务手册的内部岗位信息".encode() not in response.content
    assert "草稿事项".encode() not in response.content
    assert draft.standard.item.name.encode() not in response.content


@pytest.mark.django_db
def test_the_department_feed_has_only_that_department(client, department, other_department):
    mine = publish(department, name="本部门事项")
    publish(other_department, name="其他部门事项")
    url = reverse("subscriptions:department_feed", args=[department.code])
    response = client.get(url)
    titles = [text(e, "title") for e in entries(response)]
    assert titles == [mine.version.standard.item.name]
    feed_title = parse(response).find(f"{ATOM}title").text
    assert department.name in feed_title
    all_titles = {text(e, "title") for e in entries(client.get(reverse("subscriptions:feed")))}
    assert all_titles == {"本部门事项", "其他部门事项"}


@pytest.mark.django_db
def test_an_unknown_department_has_no_feed(client):
    url = reverse("subscriptions:department_feed", args=["no-such-department"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_newest_publication_comes_first(client, department):
    publish(department, name="先发布")
    publish(department, name="后发布")
    titles = [text(e, "title") for e in entries(client.get(reverse("subscriptions:feed")))]
    assert titles == ["后发布", "先发布"]


@pytest.mark.django_db
@pytest.mark.parametrize("feed", ["all", "department"])
def test_query_count_does_not_grow_with_entries(
    client, department, django_assert_num_queries, feed
):
    url = (
        reverse("subscriptions:feed")
        if feed == "all"
        else reverse("subscriptions:department_feed", args=[department.code])
    )
    expected = 1 if feed == "all" else 2
    for count in (5, 10):
        while len(entries(client.get(url))) < count:
            publish(department)
        with django_assert_num_queries(expected):
            assert len(entries(client.get(url))) == count
