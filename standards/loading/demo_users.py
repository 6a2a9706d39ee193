"""Demo users, one or more per role, for development and demonstration only."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from standards.models import Department, Region
from standards.roles import Role, ensure_role_groups


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    department: str | None
    reviewed_regions: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser("nanhai_staff", "陈经办（南海区市场监管局）", Role.DEPARTMENT_STAFF, "440605-scjgj"),
    DemoUser("nanhai_leader", "李科长（南海区市场监管局）", Role.DEPARTMENT_LEADER, "440605-scjgj"),
    DemoUser("foshan_staff", "黄经办（佛山市市场监管局）", Role.DEPARTMENT_STAFF, "440600-scjgj"),
    DemoUser("foshan_leader", "何科长（佛山市市场监管局）", Role.DEPARTMENT_LEADER, "440600-scjgj"),
    DemoUser("province_staff", "王经办（省住房城乡建设厅）", Role.DEPARTMENT_STAFF, "440000-zjt"),
    DemoUser("province_leader", "张处长（省住房城乡建设厅）", Role.DEPARTMENT_LEADER, "440000-zjt"),
    DemoUser("jtt_staff", "梁经办（省交通运输厅）", Role.DEPARTMENT_STAFF, "440000-jtt"),
    DemoUser("jtt_leader", "罗处长（省交通运输厅）", Role.DEPARTMENT_LEADER, "440000-jtt"),
    DemoUser("jyt_staff", "谢经办（省教育厅）", Role.DEPARTMENT_STAFF, "440000-jyt"),
    DemoUser("jyt_leader", "冯处长（省教育厅）", Role.DEPARTMENT_LEADER, "440000-jyt"),
    DemoUser("reviewer", "刘审查（省委编办）", Role.EDITORIAL_REVIEWER, "440000-bb", ("440000",)),
    DemoUser(
        "foshan_reviewer",
        "周审查（佛山市委编办）",
        Role.EDITORIAL_REVIEWER,
        "440600-bb",
        ("440600",),
    ),
    DemoUser("admin", "系统管理员", Role.ADMINISTRATOR, None),
)


@transaction.atomic
def create_demo_users(password: str) -> list[str]:
    groups = ensure_role_groups()
    User = get_user_model()
    created = []
    for demo in DEMO_USERS:
        user, was_created = User.objects.get_or_create(username=demo.username)
        if was_created:
            user.set_password(password)
            created.append(demo.username)
        family, given = demo.full_name[0], demo.full_name[1:]
        user.first_name, user.last_name = given, family
        user.department = Department.objects.get(code=demo.department) if demo.department else None
        user.is_staff = True  # every demo user may open the admin; objects are still scoped
        user.is_superuser = demo.role is Role.ADMINISTRATOR
        user.save()
        user.groups.set([groups[demo.role]])
        user.reviewed_regions.set(Region.objects.filter(code__in=demo.reviewed_regions))
    return created
