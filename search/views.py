"""Public finding pages: the home page, search results and browsing."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from standards.models import ApprovalItem, Department


def home(request: HttpRequest) -> HttpResponse:
    departments = (
        Department.objects.filter(region__level="province", kind=Department.Kind.DEPARTMENT)
        .annotate(item_count=Count("items", filter=Q(items__parent__isnull=True)))
        .filter(item_count__gt=0)
        .order_by("-item_count", "code")
    )
    context = {
        "item_count": ApprovalItem.objects.count(),
        "department_count": departments.count(),
        "departments": departments,
    }
    return render(request, "guides/home.html", context)
