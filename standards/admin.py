"""Django admin for every model, with history (django-simple-history).

Content models are registered from the registry's group list, so a new group
appears here without another list to maintain; versions show their content
groups as inlines.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_scope import DepartmentScopedAdmin
from .models import (
    ApprovalItem,
    CodeListEntry,
    Department,
    Region,
    RowContent,
    Standard,
    StandardVersion,
    User,
)
from .registry import REGISTRY


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["parent"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "name", "region", "kind"]
    list_filter = ["kind", "region__level"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["region"]


@admin.register(ApprovalItem)
class ApprovalItemAdmin(admin.ModelAdmin):
    list_display = ["basic_code", "name", "item_type", "levels", "department", "parent"]
    list_filter = ["item_type", "levels"]
    search_fields = ["basic_code", "name", "common_name"]
    list_select_related = ["department", "parent"]
    raw_id_fields = ["parent"]


@admin.register(CodeListEntry)
class CodeListEntryAdmin(admin.ModelAdmin):
    list_display = ["codelist", "code", "label_zh", "label_en", "source"]
    list_filter = ["codelist"]
    search_fields = ["codelist", "code", "label_zh", "label_en"]


class VersionInline(admin.TabularInline):
    model = StandardVersion
    fields = ("number", "state", "effective_from", "effective_to", "edit_count", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Standard)
class StandardAdmin(DepartmentScopedAdmin, admin.ModelAdmin):
    list_display = ["item", "department", "region", "created_at"]
    list_filter = ["region__level", "department"]
    search_fields = ["item__name", "item__basic_code", "department__name"]
    list_select_related = ["item", "department", "region"]
    raw_id_fields = ["item"]
    inlines = [VersionInline]


def _content_inline(model: Any) -> type[admin.options.InlineModelAdmin]:
    is_rows = issubclass(model, RowContent)
    attributes: dict[str, Any] = {
        "model": model,
        "extra": 0,
        "classes": ["collapse"],
        "show_change_link": True,
    }
    if is_rows:
        # Rows open on their own page: a version can hold dozens of wide rows.
        attributes["fields"] = ["position", REGISTRY.group(model.registry_group).fields[0].name]
    base = admin.TabularInline if is_rows else admin.StackedInline
    return type(f"{model.__name__}Inline", (base,), attributes)


@admin.register(StandardVersion)
class StandardVersionAdmin(DepartmentScopedAdmin, SimpleHistoryAdmin):
    department_path = "standard__department"
    rounds_match = ("version", "pk")

    list_display = ["standard", "number", "state", "effective_from", "updated_at"]
    list_filter = ["state"]
    search_fields = ["standard__item__name", "standard__item__basic_code"]
    list_select_related = ["standard__item", "standard__department"]
    raw_id_fields = ["standard", "created_by"]
    # The state moves only through the workflow services, never by hand here.
    readonly_fields = ["state", "edit_count", "created_at", "updated_at"]
    inlines = [_content_inline(group.model) for group in REGISTRY.groups.values()]


class ContentAdmin(DepartmentScopedAdmin, SimpleHistoryAdmin):
    department_path = "version__standard__department"
    rounds_match = ("version", "version")

    raw_id_fields = ["version"]
    list_select_related = ["version__standard__item"]

    def get_list_display(self, request: Any) -> list[str]:
        first = REGISTRY.group(self.model.registry_group).fields[0].name
        return ["__str__", "version", first]

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        # A reference can only point at rows of the same version.
        version_id = (
            request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        )
        if version_id:
            owner = self.model._default_manager.filter(pk=version_id).values("version").first()
            if owner:
                kwargs["queryset"] = db_field.related_model._default_manager.filter(
                    version=owner["version"]
                )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


for _group in REGISTRY.groups.values():
    admin.site.register(_group.model, ContentAdmin)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("department", "reviewed_regions")}),
    )
    list_display = ["username", "get_full_name", "department", "is_active", "is_staff"]
    list_filter = ["groups", "department__region", "is_active"]
    list_select_related = ["department"]
    filter_horizontal = ["groups", "user_permissions", "reviewed_regions"]
