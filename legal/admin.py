"""Admin for the library: the editorial office and administrators keep the laws.

A new version that replaces the one in force is entered on the version's add
page ("supersedes"); saving it goes through `legal.services.amendments`, which
flags the standards citing the old version. The status and the successor are
never edited by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Citation, Law, LawChangeFlag, LawVersion
from .services.amendments import check_supersession, supersede


@admin.register(Law)
class LawAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "issuing_authority"]
    list_filter = ["level"]
    search_fields = ["name", "issuing_authority"]


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0
    fields = ["ordinal", "number", "text"]


class LawVersionForm(forms.ModelForm):
    supersedes = forms.ModelChoiceField(
        queryset=LawVersion.objects.in_force().select_related("law"),
        required=False,
        label=gettext_lazy("Replaces the version in force"),
        help_text=gettext_lazy(
            "For an amendment or a repeal: the standards citing that version are flagged."
        ),
    )

    class Meta:
        model = LawVersion
        fields = [
            "law",
            "document_number",
            "issuing_authority",
            "promulgated_on",
            "effective_on",
            "status",
            "note",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        old = data.get("supersedes")
        status = data.get("status")
        if status == LawVersion.Status.AMENDED:
            self.add_error(
                "status", _("A version becomes “amended” when its successor is entered.")
            )
        elif status == LawVersion.Status.REPEALED and old is None:
            self.add_error("supersedes", _("Choose the version this repeal ends."))
        if old is not None and data.get("law") and data.get("promulgated_on"):
            try:
                check_supersession(
                    old, LawVersion(law=data["law"], promulgated_on=data["promulgated_on"])
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def validate_constraints(self) -> None:
        # The in-force slot is freed by the supersession itself (see save_model).
        if self.cleaned_data.get("supersedes") is None:
            super().validate_constraints()


@admin.register(LawVersion)
class LawVersionAdmin(SimpleHistoryAdmin):
    form = LawVersionForm
    inlines = [ArticleInline]
    list_display = ["law", "document_number", "promulgated_on", "effective_on", "status"]
    list_filter = ["status", "law__level"]
    search_fields = ["law__name", "document_number"]
    list_select_related = ["law"]
    readonly_fields = ["superseded_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ["law", "status", "superseded_by"]
        return ["superseded_by"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is not None and "supersedes" in fields:
            fields.remove("supersedes")
        return fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        old = form.cleaned_data.get("supersedes")
        if change or old is None:
            super().save_model(request, obj, form, change)
            return
        result = supersede(old=old, new=obj)
        self.message_user(
            request,
            _("%(count)s standard(s) citing the replaced version were flagged.")
            % {"count": len(result.flags)},
            messages.INFO,
        )


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "law_version", "ordinal"]
    search_fields = ["law_version__law__name", "number", "text"]
    list_select_related = ["law_version__law"]
    raw_id_fields = ["law_version"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    """Written by the matcher (`manage.py link_citations`): read only here."""

    list_display = ["version", "law_version", "article", "linked_at"]
    list_select_related = ["version__standard__item", "version__standard__department"]
    list_select_related += ["law_version__law", "article"]
    search_fields = ["law_version__law__name", "version__standard__item__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LawChangeFlag)
class LawChangeFlagAdmin(SimpleHistoryAdmin):
    """Flags change state only through their services: read only here."""

    list_display = ["standard", "old_law_version", "new_law_version", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["standard__item", "standard__department"]
    list_select_related += ["old_law_version__law", "new_law_version__law"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
