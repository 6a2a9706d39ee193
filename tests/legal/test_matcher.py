"""The matcher ties legal-basis rows to law versions and articles."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from legal.models import Citation
from legal.services.citations import link_versions
from tests.legal.builders import cite, law, standard_version

pytestmark = pytest.mark.django_db

D2015 = datetime.date(2015, 4, 24)
D2021 = datetime.date(2021, 4, 29)


def citation_of(row):
    return Citation.objects.select_related("law_version", "article").get(
        version=row.version, row_uid=row.uid
    )


def test_article_35_typed_in_arabic_digits_links_to_the_article_written_in_chinese():
    _law, (version,) = law("中华人民共和国食品安全法", [D2021], articles=[35])
    row = cite(standard_version(), "《食品安全法》", "第35条")
    report = link_versions([row.version_id])
    citation = citation_of(row)
    assert citation.law_version == version
    assert citation.article.number == "第三十五条"
    assert report.created == 1 and report.unmatched == []


def test_the_version_is_chosen_by_the_rows_revision_date():
    _law, (old, new) = law("中华人民共和国食品安全法", [D2015, D2021], articles=[35])
    draft = standard_version()
    old_row = cite(draft, "《中华人民共和国食品安全法》", "第三十五条", revised=D2015)
    new_row = cite(draft, "《中华人民共和国食品安全法》", "第三十五条", revised=D2021, position=1)
    between = cite(draft, "《中华人民共和国食品安全法》", "第三十五条", position=2)
    between.revision_date = datetime.date(2018, 12, 29)  # a date no version has: the one before
    between.save()
    undated = cite(draft, "《中华人民共和国食品安全法》", "第三十五条", position=3)
    link_versions([draft.pk])
    assert citation_of(old_row).law_version == old
    assert citation_of(new_row).law_version == new
    assert citation_of(between).law_version == old
    assert citation_of(undated).law_version == new  # the version in force


def test_rows_the_library_cannot_tie_are_listed_with_the_reason():
    law("中华人民共和国行政许可法", [D2021], articles=[29])
    draft = standard_version()
    cite(draft, "《无此法》", "第一条")
    cite(draft, "《中华人民共和国行政许可法》", "第九十九条", position=1)
    cite(draft, "《中华人民共和国行政许可法》", "全文", position=2)
    report = link_versions([draft.pk])
    reasons = sorted((row.law_name, row.reason) for row in report.unmatched)
    assert reasons == [
        ("《中华人民共和国行政许可法》", "article not in the library"),
        ("《中华人民共和国行政许可法》", "no article number recognised"),
        ("《无此法》", "law not in the library"),
    ]
    # Rows of a known law are still tied to its version: a change of the law reaches them.
    assert Citation.objects.filter(version=draft).count() == 2


def test_linking_again_changes_nothing_and_follows_edits():
    law("中华人民共和国行政许可法", [D2021], articles=[29, 32])
    law("中华人民共和国建筑法", [D2021], articles=[7])
    row = cite(standard_version(), "《中华人民共和国行政许可法》", "第二十九条")
    link_versions([row.version_id])
    again = link_versions([row.version_id])
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, 1)

    row.article_number = "第32条"
    row.save()
    assert link_versions([row.version_id]).updated == 1
    assert citation_of(row).article.ordinal == 32

    row.law_name = "《某个未收录的办法》"
    row.save()
    assert link_versions([row.version_id]).removed == 1
    assert not Citation.objects.filter(version=row.version).exists()


def test_an_undated_row_keeps_its_version_when_a_newer_one_is_entered():
    _law, (old, _new) = law("中华人民共和国食品安全法", [D2015, D2021])
    row = cite(standard_version(), "《中华人民共和国食品安全法》", "第三十五条")
    Citation.objects.create(version=row.version, row_uid=row.uid, law_version=old)
    link_versions([row.version_id])
    assert citation_of(row).law_version == old


def test_link_citations_command_lists_unmatched_rows():
    law("中华人民共和国行政许可法", [D2021], articles=[29])
    row = cite(standard_version(), "《未收录条例》", "第三条")
    out = StringIO()
    call_command("link_citations", stdout=out)
    text = out.getvalue()
    assert "Rows not (fully) matched: 1" in text
    assert "《未收录条例》 第三条 — law not in the library" in text
    assert row.version.standard.item.name in text


def test_the_matcher_reads_a_fixed_number_of_queries(django_assert_num_queries):
    law("中华人民共和国行政许可法", [D2021], articles=[29])
    versions = [standard_version() for _ in range(3)]
    for version in versions:
        cite(version, "《中华人民共和国行政许可法》", "第二十九条")
    # A savepoint, the laws, the articles, the rows, the citations, one insert, release.
    with django_assert_num_queries(7) as small:
        link_versions([v.pk for v in versions])
    more = [standard_version() for _ in range(6)]
    for version in more:
        cite(version, "《中华人民共和国行政许可法》", "第二十九条")
        cite(version, "《中华人民共和国行政许可法》", "第29条", position=1)
    with django_assert_num_queries(len(small.captured_queries)):
        link_versions([v.pk for v in more])
