"""Which rendition of a published snapshot a caller may read.

The business manual (registry audience "manual") is internal: anonymous
callers and other departments get the public rendition, which keeps only the
fields of the service guide (audience "guide" or "both"). The department that
owns the standard and the editorial reviewers of its region get the whole
snapshot. The public rendition is built by keeping known guide fields (an
allow-list), so a field or group the registry does not know never leaks.
"""

from __future__ import annotations

from typing import Any

from standards.access import DEPARTMENT_ROLES, roles_of
from standards.models import StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role
from standards.services.workflow import in_scope

PUBLIC = "public"
FULL = "full"


def may_read_full(user: Any, version: StandardVersion) -> bool:
    roles = roles_of(user)
    if not roles:
        return False
    if roles & DEPARTMENT_ROLES and in_scope(user, version, "department"):
        return True
    return Role.EDITORIAL_REVIEWER in roles and in_scope(user, version, "review")


def public_content(content: dict[str, Any]) -> dict[str, Any]:
    """The content with guide fields only; groups without any are left out."""
    public: dict[str, Any] = {}
    for name, group in REGISTRY.groups.items():
        if name not in content:
            continue
        codes = [f.code for f in group.fields if f.in_guide]
        if not codes:
            continue
        value = content[name]
        if group.repeats:
            public[name] = [
                {"row_id": row.get("row_id"), **{code: row.get(code) for code in codes}}
                for row in value or []
            ]
        else:
            public[name] = {code: (value or {}).get(code) for code in codes}
    return public


def rendition(data: dict[str, Any], audience: str) -> dict[str, Any]:
    if audience == FULL:
        return data
    return {**data, "content": public_content(data.get("content", {}))}
