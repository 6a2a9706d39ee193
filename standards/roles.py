"""The four roles, kept as Django groups with their model permissions.

Model permissions only open the door to a kind of object; which objects a user
may see or change (their own department's, the regions they review) is decided
per object by the access checks of the views and services.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry.models_map import content_models


class Role(models.TextChoices):
    DEPARTMENT_STAFF = "department_staff", _("Department staff (部门经办人)")
    DEPARTMENT_LEADER = "department_leader", _("Department leader (部门负责人)")
    EDITORIAL_REVIEWER = "editorial_reviewer", _("Editorial reviewer (编办审查人员)")
    ADMINISTRATOR = "administrator", _("Administrator (系统管理员)")


def _content_codenames(actions: tuple[str, ...]) -> Q:
    names = [m._meta.model_name for m in content_models().values()]
    names += ["standard", "standardversion"]
    return Q(
        content_type__app_label="standards",
        codename__in=[f"{action}_{name}" for action in actions for name in names],
    )


def _catalogue_view() -> Q:
    names = ["region", "department", "approvalitem", "codelistentry"]
    return Q(content_type__app_label="standards", codename__in=[f"view_{n}" for n in names])


def role_permissions(role: Role) -> models.QuerySet[Permission]:
    match role:
        case Role.DEPARTMENT_STAFF | Role.DEPARTMENT_LEADER:
            query = _content_codenames(("view", "add", "change", "delete")) | _catalogue_view()
        case Role.EDITORIAL_REVIEWER:
            query = _content_codenames(("view",)) | _catalogue_view()
        case Role.ADMINISTRATOR:
            query = Q(content_type__app_label__in=["standards", "auth"])
    return Permission.objects.filter(query)


def ensure_role_groups() -> dict[Role, Group]:
    """Create or update the role groups; idempotent."""
    groups = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = set(role_permissions(role).values_list("pk", flat=True))
        if set(group.permissions.values_list("pk", flat=True)) != wanted:
            group.permissions.set(wanted)
        groups[role] = group
    return groups
