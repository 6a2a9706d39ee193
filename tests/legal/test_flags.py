"""A law change flags exactly the standards citing the changed version: which fields."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from legal.models import Citation, LawChangeFlag, LawVersion
from legal.services.amendments import ArticleText, enter_new_version
from legal.services.citations import link_versions
from legal.services.flags import dismiss
from standards.models import Notification, StandardVersion
from standards.roles import Role
from tests.legal.builders import (
    CONDITION_BASIS,
    MATERIAL_BASIS,
    ROW,
    cite,
    condition_on,
    law,
    material_on,
    person,
    published_snapshot,
    standard_version,
)

pytestmark = pytest.mark.django_db

State = StandardVersion.State
D2015 = datetime.date(2015, 4, 24)
D2021 = datetime.date(2021, 4, 29)
D2026 = datetime.date(2026, 3, 1)


@pytest.fixture
def world():
    """Three standards citing different laws and versions, and one that no longer counts.

    - food: an open draft citing the food safety law's 2021 version (two rows,
      one referred to by a condition and a material);
    - drugs: a published version citing the food safety law's 2015 version;
    - building: a published version citing another law only;
    - retired: a superseded version citing the 2021 version (not live).
    """
    food_law, (food_2015, food_2021) = law(
        "中华人民共和国食品安全法", [D2015, D2021], articles=[35]
    )
    building_law, (building_2019,) = law("中华人民共和国建筑法", [datetime.date(2019, 4, 23)])

    food = standard_version(state=State.DRAFT)
    food_row = cite(food, "《中华人民共和国食品安全法》", "第35条", revised=D2021)
    other_row = cite(food, "《中华人民共和国食品安全法》", "第三十六条", revised=D2021, position=1)
    building_row = cite(food, "《中华人民共和国建筑法》", "第七条", position=2)
    condition = condition_on(food, food_row, building_row)
    material = material_on(food, other_row)
    unrelated = condition_on(food, building_row)

    drugs = standard_version(state=State.PUBLISHED)
    drugs_row = cite(drugs, "《食品安全法》", "第三十五条", revised=D2015)

    building = standard_version(state=State.PUBLISHED)
    cite(building, "《中华人民共和国建筑法》", "第八条")

    retired = standard_version(state=State.SUPERSEDED)
    cite(retired, "《中华人民共和国食品安全法》", "第三十五条", revised=D2021)

    link_versions(StandardVersion.objects.all())
    staff = person(Role.DEPARTMENT_STAFF, food.standard.department)
    leader = person(Role.DEPARTMENT_LEADER, food.standard.department)
    return {
        "food_law": food_law,
        "food_2015": food_2015,
        "food_2021": food_2021,
        "building_law": building_law,
        "building_2019": building_2019,
        "food": food,
        "food_rows": (food_row, other_row),
        "condition": condition,
        "material": material,
        "unrelated": unrelated,
        "drugs": drugs,
        "drugs_row": drugs_row,
        "building": building,
        "retired": retired,
        "staff": staff,
        "leader": leader,
    }


def amend(record, date=D2026, **extra):
    return enter_new_version(
        record,
        document_number="主席令第九十九号",
        issuing_authority="全国人民代表大会常务委员会",
        promulgated_on=date,
        effective_on=date,
        **extra,
    )


def test_amending_a_law_flags_exactly_the_live_standards_citing_the_version_in_force(world):
    result = amend(world["food_law"], articles=[ArticleText(35, "新的第三十五条")])

    flagged = LawChangeFlag.objects.all()
    assert {f.standard_id for f in flagged} == {world["food"].standard_id}
    flag = flagged.get()
    assert (flag.old_law_version, flag.new_law_version) == (world["food_2021"], result.version)
    assert flag.state == LawChangeFlag.State.OPEN
    # The 2015 citation (drugs) was already out of date: this amendment replaces 2021 only.
    assert not LawChangeFlag.objects.filter(standard=world["drugs"].standard).exists()

    food_row, other_row = world["food_rows"]
    concerned = {(f["code"], f["row_uid"]) for f in flag.fields}
    assert concerned == {
        (ROW, str(food_row.uid)),
        (ROW, str(other_row.uid)),
        (CONDITION_BASIS, str(world["condition"].uid)),
        (MATERIAL_BASIS, str(world["material"].uid)),
    }
    # The condition citing only the building law is not concerned.
    assert str(world["unrelated"].uid) not in {f["row_uid"] for f in flag.fields}
    condition_entry = next(f for f in flag.fields if f["code"] == CONDITION_BASIS)
    assert condition_entry["via"] == [str(food_row.uid)]
    assert {f["version"] for f in flag.fields} == {world["food"].number}

    world["food_2021"].refresh_from_db()
    assert world["food_2021"].status == LawVersion.Status.AMENDED
    assert world["food_2021"].superseded_by == result.version
    assert result.version.articles.get().number == "第三十五条"


def test_amending_the_other_law_flags_the_other_standards(world):
    amend(world["building_law"])
    flagged = set(LawChangeFlag.objects.values_list("standard_id", flat=True))
    assert flagged == {world["food"].standard_id, world["building"].standard_id}
    food_flag = LawChangeFlag.objects.get(standard=world["food"].standard)
    codes = sorted(f["code"] for f in food_flag.fields)
    # The building-law row, and both conditions referring to it; no material.
    assert codes == sorted([ROW, CONDITION_BASIS, CONDITION_BASIS])


def test_a_repealed_law_flags_its_citing_standards_too(world):
    result = amend(world["food_law"], repealed=True)
    assert result.version.status == LawVersion.Status.REPEALED
    assert result.version.is_repeal_record
    world["food_2021"].refresh_from_db()
    assert world["food_2021"].status == LawVersion.Status.REPEALED
    flag = LawChangeFlag.objects.get()
    assert flag.standard == world["food"].standard
    assert flag.new_law_version == result.version


def test_flagging_notifies_the_departments_staff_and_leader(world):
    bystander = person(Role.DEPARTMENT_STAFF, world["building"].standard.department)
    amend(world["food_law"])
    notes = Notification.objects.filter(action="law_changed")
    assert {n.recipient for n in notes} == {world["staff"], world["leader"]}
    assert all(n.version == world["food"] for n in notes)
    assert "中华人民共和国食品安全法" in notes.first().message
    assert not Notification.objects.filter(recipient=bystander).exists()


def test_only_the_version_in_force_can_be_replaced_by_a_later_one(world):
    with pytest.raises(ValidationError) as error:
        amend(world["food_law"], date=D2015 - datetime.timedelta(days=1))
    assert "promulgated_on" in error.value.message_dict
    assert not LawChangeFlag.objects.exists()
    assert world["food_law"].versions.count() == 2


def test_publishing_a_version_that_cites_the_new_law_version_resolves_the_flag(world):
    result = amend(world["food_law"])
    flag = LawChangeFlag.objects.get()
    food = world["food"]
    # The draft still cites the 2021 version: publishing it leaves the flag open.
    StandardVersion.objects.filter(pk=food.pk).update(state=State.PUBLISHED)
    published_snapshot(food, world["leader"])
    flag.refresh_from_db()
    assert flag.state == LawChangeFlag.State.OPEN

    # The next version cites the amended law.
    draft = standard_version(standard=food.standard, number=2, state=State.DRAFT)
    cite(draft, "《中华人民共和国食品安全法》", "第三十五条", revised=result.version.promulgated_on)
    cite(draft, "《中华人民共和国建筑法》", "第七条", position=1)
    StandardVersion.objects.filter(pk=draft.pk).update(state=State.PUBLISHED)
    published_snapshot(draft, world["leader"])
    flag.refresh_from_db()
    assert flag.state == LawChangeFlag.State.RESOLVED
    assert flag.resolved_by_version_id == draft.pk
    assert Citation.objects.get(version=draft, law_version=result.version)


def test_the_leader_dismisses_a_flag_with_a_reason(world):
    amend(world["food_law"])
    flag = LawChangeFlag.objects.get()
    with pytest.raises(PermissionDenied):
        dismiss(flag=flag, user=world["staff"], reason="不影响")
    other_leader = person(Role.DEPARTMENT_LEADER, world["building"].standard.department)
    with pytest.raises(PermissionDenied):
        dismiss(flag=flag, user=other_leader, reason="不影响")
    with pytest.raises(ValidationError) as error:
        dismiss(flag=flag, user=world["leader"], reason="   ")
    assert "reason" in error.value.message_dict
    dismiss(flag=flag, user=world["leader"], reason="修正未涉及第三十五条。")
    flag.refresh_from_db()
    assert flag.state == LawChangeFlag.State.DISMISSED
    assert flag.closed_by == world["leader"]
    with pytest.raises(ValidationError):
        dismiss(flag=flag, user=world["leader"], reason="再次")


def test_flagging_reads_a_number_of_queries_independent_of_the_standards(
    world, django_assert_max_num_queries
):
    """Two amendments, the second with three times the citing standards: same query count."""

    def amend_counting(record, date):
        with django_assert_max_num_queries(200) as counted:
            amend(record, date=date)
        return len(counted.captured_queries)

    first = amend_counting(world["building_law"], D2026)
    for _ in range(4):
        version = standard_version(state=State.PUBLISHED)
        cite(version, "《中华人民共和国建筑法》", "第八条", revised=D2026)
        condition_on(version, *version.legalbasis_rows.all())
    second = amend_counting(world["building_law"], D2026 + datetime.timedelta(days=30))
    assert first > 0
    assert second == first
