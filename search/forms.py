"""The search and browse form: the query and the filters, all validated."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from standards.models import Region
from standards.registry import REGISTRY

from .query import Filters
from .text import MAX_QUERY_LENGTH, MAX_TERMS, query_terms

ANY = [("", _("Any"))]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Item name, common name, department, condition or material."),
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    item_type = forms.ChoiceField(label=_("Item type"), required=False)
    theme_person = forms.ChoiceField(label=_("Theme for individuals"), required=False)
    theme_enterprise = forms.ChoiceField(label=_("Theme for enterprises"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[*ANY, *Region.Level.choices]
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, departments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("department", departments)
        self._choose("item_type", REGISTRY.codelist("item_type").choices())
        self._choose("theme_person", REGISTRY.codelist("theme_natural_person").choices())
        self._choose("theme_enterprise", REGISTRY.codelist("theme_legal_person").choices())
        # One query; a division is named with the one above it ("佛山市 · 南海区").
        self.regions = {r.code: r for r in Region.objects.select_related("parent").order_by("code")}
        self._choose(
            "region", [(code, _region_label(region)) for code, region in self.regions.items()]
        )
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if select else "form-control")

    def _choose(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = cast(forms.ChoiceField, self.fields[name])
        field.choices = [*ANY, *choices]

    def clean_q(self) -> str:
        query: str = self.cleaned_data["q"]
        if len(query.split()) > MAX_TERMS:
            raise forms.ValidationError(
                _("Use at most %(count)d words."),
                code="too_many_terms",
                params={"count": MAX_TERMS},
            )
        return query

    def terms(self) -> list[str]:
        return query_terms(self.cleaned_data.get("q", ""))

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            department=data.get("department", ""),
            item_type=data.get("item_type", ""),
            theme_person=data.get("theme_person", ""),
            theme_enterprise=data.get("theme_enterprise", ""),
            level=data.get("level", ""),
            region=self.regions.get(data.get("region", "")),
        )

    def is_browsing(self) -> bool:
        """Whether any filter is set (the list is a browse, with or without a query)."""
        return any(self.cleaned_data.get(name) for name in self.fields if name != "q")


def _region_label(region: Region) -> str:
    if region.parent is not None and region.level == Region.Level.COUNTY:
        return f"{region.parent.name} · {region.name}"
    return region.name
