"""Public finding pages: the home page and the result list (search and browse).

Anonymous users see published material only: both pages read the search
index, which holds published versions and nothing else.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from standards.models import ApprovalItem, Department, Region
from standards.registry import REGISTRY

from .forms import SearchForm
from .models import EntryTheme, SearchEntry
from .popularity import most_viewed
from .presentation import row
from .query import search

PAGE_SIZE = 20


def _departments() -> list[tuple[str, str]]:
    """(code, name) of the departments with published guides, most guides first."""
    return [
        (d["department_code"], d["department_name"])
        for d in SearchEntry.objects.values("department_code", "department_name")
        .annotate(entries=Count("pk"))
        .order_by("-entries", "department_code")
    ]


def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET, departments=_departments())
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        terms = form.terms()
        page = Paginator(search(terms, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
        others = request.GET.copy()
        others.pop("page", None)
        context.update(
            page=page,
            rows=[row(entry, terms) for entry in page.object_list],
            query=others.urlencode(),
            searched=bool(terms),
        )
    return render(request, "search/results.html", context)


def home(request: HttpRequest) -> HttpResponse:
    entries = SearchEntry.objects.all()
    item_types = REGISTRY.codelist("item_type")
    themes = {
        EntryTheme.Audience.PERSON: REGISTRY.codelist("theme_natural_person"),
        EntryTheme.Audience.ENTERPRISE: REGISTRY.codelist("theme_legal_person"),
    }
    theme_counts = (
        EntryTheme.objects.values("audience", "code")
        .annotate(entries=Count("entry"))
        .order_by("audience", "code")
    )
    departments = (
        Department.objects.filter(region__level="province", kind=Department.Kind.DEPARTMENT)
        .filter(items__parent__isnull=True)
        .distinct()
    )
    context = {
        "item_count": ApprovalItem.objects.count(),
        "department_count": departments.count(),
        "departments": entries.values("department_code", "department_name")
        .annotate(entries=Count("pk"))
        .order_by("-entries", "department_code"),
        "item_types": [
            (t["item_type"], item_types.label_for(t["item_type"]), t["entries"])
            for t in entries.values("item_type").annotate(entries=Count("pk")).order_by("item_type")
            if t["item_type"] in item_types
        ],
        "themes": {
            audience: [
                (t["code"], codes.label_for(t["code"]), t["entries"])
                for t in theme_counts
                if t["audience"] == audience and t["code"] in codes
            ]
            for audience, codes in themes.items()
        },
        "levels": [
            (t["level"], Region.Level(t["level"]).label, t["entries"])
            for t in sorted(
                entries.values("level").annotate(entries=Count("pk")).order_by(),
                key=lambda t: Region.Level.values.index(t["level"]),
            )
        ],
        "cities": entries.filter(city__isnull=False)
        .values("city__code", "city__name")
        .annotate(entries=Count("pk"))
        .order_by("city__code"),
        "most_viewed": [row(entry, []) for entry in most_viewed()],
    }
    return render(request, "guides/home.html", context)
