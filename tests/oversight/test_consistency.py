"""Each consistency check finds a seeded inconsistency and stays quiet on a consistent pair."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.scope import Scope
from oversight.services import consistency
from standards.models import ApprovalItem, StandardVersion
from tests.factories import ApprovalItemFactory
from tests.oversight.builders import department, person, standard, version

State = StandardVersion.State


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("《营业执照》复印件", "营业执照"),
        ("营业执照（原件及复印件）", "营业执照"),
        ("营业执照 (副本)", "营业执照"),
        ("营 业 执 照原件", "营业执照"),
        ("食品经营许可申请书", "食品经营许可申请书"),
    ],
)
def test_material_names_are_normalised(name, normal):
    assert consistency.normalise_material(name) == normal


@pytest.mark.parametrize(
    ("article", "normal"),
    [
        ("第四十二条", "第42条"),
        ("第 42 条", "第42条"),
        ("第十条第二款", "第10条第2款"),
        ("第一百零五条", "第105条"),
    ],
)
def test_article_numbers_are_normalised(article, normal):
    assert consistency.normalise_article(article) == normal


def test_one_material_named_differently_in_two_items_is_reported(client, places):
    dept = department(places["county"], "南海区局")
    first = version(standard(dept), State.PUBLISHED, materials=["《营业执照》复印件", "申请书"])
    second = version(standard(dept), State.PUBLISHED, materials=["营业执照（原件）", "身份证"])
    # Consistent pair: same name in both items of another department → nothing.
    other = department(places["county"], "南海区另一局")
    version(standard(other), State.PUBLISHED, materials=["营业执照"])
    version(standard(other), State.PUBLISHED, materials=["营业执照"])
    # A draft's wording is not yet published: not compared.
    version(standard(dept), State.DRAFT, materials=["营业执照副本"])
    scope = Scope(reviewer_id=person("editorial_reviewer", reviews=[places["province"]]).pk)
    groups = consistency.material_name_variants(scope)
    assert len(groups) == 1
    group = groups[0]
    assert (group.department_name, group.normalised) == ("南海区局", "营业执照")
    assert set(group.names) == {"《营业执照》复印件", "营业执照（原件）"}
    assert [r.item_name for r in group.names["《营业执照》复印件"]] == [first.standard.item.name]
    assert [r.item_name for r in group.names["营业执照（原件）"]] == [second.standard.item.name]
    client.force_login(person("department_leader", department=dept))
    body = client.get(reverse("oversight:checks")).content.decode()
    link = reverse("guides:guide_version", args=[first.standard.item.basic_code, dept.code, 1])
    assert link in body and "《营业执照》复印件" in body


def test_no_material_finding_for_consistent_names(places):
    dept = department(places["county"])
    version(standard(dept), State.PUBLISHED, materials=["营业执照", "申请书"])
    version(standard(dept), State.PUBLISHED, materials=["营业执照", "身份证"])
    assert consistency.material_name_variants(Scope(department_id=dept.pk)) == []


LAW = "中华人民共和国行政许可法"


def test_one_article_cited_for_different_limits_is_reported(places):
    dept = department(places["province"])
    a = version(
        standard(dept), State.PUBLISHED, statutory=(20, "1"), basis=[(f"《{LAW}》", "第四十二条")]
    )
    b = version(standard(dept), State.PUBLISHED, statutory=(30, "1"), basis=[(LAW, "第42条")])
    # Same limit in another unit (28 calendar days = 20 working days): consistent.
    version(standard(dept), State.PUBLISHED, statutory=(28, "2"), basis=[(LAW, "第四十二条")])
    scope = Scope(department_id=dept.pk)
    findings = consistency.article_limit_conflicts(scope)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.law_name == f"《{LAW}》" and finding.article == "第42条"
    assert {k: [r.item_name for r in v] for k, v in finding.limits.items()} == {
        "20 工作日": [a.standard.item.name],
        "30 工作日": [b.standard.item.name],
        "28 自然日": [version_name(scope, 28)],
    }


def version_name(scope, days):
    return StandardVersion.objects.get(timelimit__statutory_limit=days).standard.item.name


def test_no_article_finding_when_the_limits_agree(places):
    dept = department(places["province"])
    version(standard(dept), State.PUBLISHED, statutory=(20, "1"), basis=[(LAW, "第四十二条")])
    version(standard(dept), State.PUBLISHED, statutory=(28, "2"), basis=[(f"《{LAW}》", "第42条")])
    # A different article with a different limit is no conflict.
    version(standard(dept), State.PUBLISHED, statutory=(45, "1"), basis=[(LAW, "第四十三条")])
    assert consistency.article_limit_conflicts(Scope(department_id=dept.pk)) == []


def test_an_item_exercised_at_a_level_without_a_published_standard_is_reported(places):
    provincial = department(places["province"])
    county = department(places["county"])
    covered = ApprovalItemFactory(department=provincial, levels=ApprovalItem.Levels.PROVINCE_COUNTY)
    uncovered = ApprovalItemFactory(
        department=provincial, levels=ApprovalItem.Levels.PROVINCE_COUNTY
    )
    version(standard(provincial, item=covered), State.PUBLISHED)
    version(standard(county, item=covered), State.PUBLISHED)
    version(standard(provincial, item=uncovered), State.PUBLISHED)
    version(standard(county, item=uncovered), State.SUBMITTED)  # not published yet
    scope = Scope(reviewer_id=person("editorial_reviewer", reviews=[places["province"]]).pk)
    levels = {entry.level: entry.items for entry in consistency.uncovered_levels(scope)}
    assert levels["county"] == [uncovered]
    assert levels["province"] == []
    assert levels["city"] == []  # neither item is exercised at the city level
    # The county reviewer's scope: the same, and no province finding at all.
    county_scope = Scope(reviewer_id=person("editorial_reviewer", reviews=[places["county"]]).pk)
    levels = {e.level: e.items for e in consistency.uncovered_levels(county_scope)}
    assert levels == {"province": [], "city": [], "county": [uncovered]}
