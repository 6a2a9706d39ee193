"""Demo data for templates and adoption (development only, after the demo workflow).

广东省市场监督管理局 publishes two template standards whose content starts from
the 南海 food-business sample; 佛山市 and 南海区 market regulation adopt them,
with overrides (each with its reason) and a local extension row. Publishing
goes through the real workflow with two provincial demo users made here.
Running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from adoption.models import Adoption, Override, Template
from adoption.services.adopting import AdoptionError, adopt
from adoption.services.writing import write_field
from standards.models import Department, Standard, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.services import workflow
from standards.services.copying import copy_content
from standards.services.drafting import refresh_progress

PROVINCE = "440000-scjgj"
SOURCE = ("010130001000", "440605-scjgj")  # the 南海 food-business sample
TEMPLATE_ITEMS = ("010130001000", "010130002000")  # 食品经营许可, 食品生产许可
PROVINCE_USERS = (
    ("gd_scjgj_staff", "吴经办（省市场监管局）", Role.DEPARTMENT_STAFF),
    ("gd_scjgj_leader", "郑处长（省市场监管局）", Role.DEPARTMENT_LEADER),
)
# (item, adopting department, adopting user, overrides: (field code, reason, local value))
ADOPTIONS = (
    ("010130001000", "440600-scjgj", "foshan_staff",
     (("E06.05", "佛山市推行承诺时限压缩，较省模板再减少。", 3),)),
    ("010130002000", "440600-scjgj", "foshan_staff", ()),
    ("010130002000", "440605-scjgj", "nanhai_staff",
     (("B00.03", "南海区群众习惯称“办食品厂证”。", "办食品厂证"),
      ("E06.05", "南海区试点“一件事”改革，承诺时限另行规定。", 5))),
)  # fmt: skip


@transaction.atomic
def load_demo_adoption(password: str) -> list[str]:
    users = _province_users(password)
    people = {u.username: u for u in get_user_model().objects.select_related("department__region")}
    source = (
        StandardVersion.objects.filter(
            standard__item__basic_code=SOURCE[0], standard__department__code=SOURCE[1]
        )
        .order_by("-number")
        .first()
    )
    if source is None:
        return ["adoption demo skipped: the food-business sample is not loaded"]
    done = []
    for code in TEMPLATE_ITEMS:
        line = _template(code, source, users)
        if line:
            done.append(line)
    for code, department, username, overrides in ADOPTIONS:
        line = _adoption(code, department, people[username], overrides)
        if line:
            done.append(line)
    return done


def _province_users(password: str) -> dict[Role, Any]:
    groups = ensure_role_groups()
    department = Department.objects.get(code=PROVINCE)
    found: dict[Role, Any] = {}
    for username, full_name, role in PROVINCE_USERS:
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(password)
        user.first_name, user.last_name = full_name[1:], full_name[0]
        user.department, user.is_staff = department, True
        user.save()
        user.groups.set([groups[role]])
        found[role] = user
    return found


def _template(code: str, source: StandardVersion, users: dict[Role, Any]) -> str:
    department = Department.objects.select_related("region").get(code=PROVINCE)
    standard, _created = Standard.objects.get_or_create(
        item_id=_item_id(code), department=department, region=department.region
    )
    if hasattr(standard, "template"):
        return ""
    version = standard.versions.order_by("-number").first()
    if version is None:
        version = StandardVersion.objects.create(
            standard=standard, number=1, created_by=users[Role.DEPARTMENT_STAFF]
        )
        copy_content(source=source, target=version)
        refresh_progress(version, user=users[Role.DEPARTMENT_STAFF])
    reviewer = get_user_model().objects.get(username="reviewer")
    try:
        if version.state == StandardVersion.State.DRAFT:
            workflow.submit(version=version, user=users[Role.DEPARTMENT_STAFF])
            workflow.start_review(version=version, user=reviewer)
            workflow.approve_filing(version=version, user=reviewer, reason="省级模板，予以备案。")
            workflow.confirm(version=version, user=users[Role.DEPARTMENT_LEADER])
            workflow.publish(version=version, user=users[Role.DEPARTMENT_LEADER])
    except workflow.TransitionError as error:
        return f"template {code} not published: {error}"
    Template.objects.create(
        standard=standard, levels=standard.item.levels, created_by=users[Role.DEPARTMENT_STAFF]
    )
    return f"template {standard} published"


def _adoption(
    code: str, department: str, user: Any, overrides: tuple[tuple[str, str, Any], ...]
) -> str:
    template = Template.objects.filter(standard__item__basic_code=code).first()
    if (
        template is None
        or Adoption.objects.filter(
            template=template, standard__department__code=department
        ).exists()
    ):
        return ""
    try:
        adoption = adopt(template=template, user=user)
    except AdoptionError as error:
        return f"adoption of {code} by {department} skipped: {error}"
    draft = adoption.standard.versions.get()
    for field_code, reason, value in overrides:
        Override.objects.create(
            adoption=adoption, field_code=field_code, reason=reason, created_by=user
        )
        write_field(draft, field_code, "", value)
    if overrides:
        refresh_progress(draft, user=user)
    return f"{adoption.standard} adopts {template} ({len(overrides)} override(s))"


def _item_id(code: str) -> int:
    from standards.models import ApprovalItem

    return ApprovalItem.objects.values_list("pk", flat=True).get(basic_code=code)
