"""Every URL of the site, enumerated from the resolver and filled for one owner's objects.

A new URL is picked up without touching this module: its parameters are filled
by name (`pk` is the owner's version unless the URL's namespace says otherwise).
A parameter name nobody knows gets a value that matches nothing, so the URL is
still requested (it must answer without a server error and without another
department's data); `UNKNOWN_PARAMETERS` lists such URLs for the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from oversight.views import BUILDERS
from standards.models import (
    PublishedSnapshot,
    ReviewComment,
    ReviewRound,
    Standard,
    StandardVersion,
)
from standards.views.actions import DEPARTMENT_ACTIONS
from standards.views.review_page import REVIEW_ACTIONS
from subscriptions.models import WebhookDelivery, WebhookSubscription

from .world import Owned

PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
NOTHING = 987654  # an id no object has


@dataclass(frozen=True)
class Route:
    route: str  # the pattern, e.g. "workspace/versions/<int:pk>/"
    name: str  # namespaced, e.g. "standards:version"
    parameters: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield Route(route, name, tuple(p for _c, p in PARAMETER.findall(route)))


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


# URLs that are public by design: any visitor may open them. They are still
# requested by every role and checked for other departments' data.
PUBLIC_BY_DESIGN = {
    "healthz",  # liveness for the load balancer; says nothing about objects
    "set_language",  # Django's language switch (POST, CSRF-protected)
    "choose_language",
    "robots_txt",
    "sitemap",  # published guides only
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "guides:home",
    "guides:guide",
    "guides:guide_pdf",
    "guides:guide_version",
    "guides:guide_version_pdf",
    "guides:file",  # files of published versions only
    "search:results",
    "interchange:json",  # guide-audience exports of published versions
    "interchange:jsonld",
    "interchange:xlsx",
    "subscriptions:feed",
    "subscriptions:department_feed",
    "api:schema",
    "api:docs",
    "api:regions",
    "api:region",
    "api:departments",
    "api:department",
    "api:items",
    "api:item",
    "api:codelists",
    "api:codelist",
    "api:sections",
    "api:fields",
    "api:field",
    "api:published",
    "api:in-force",
    "api:published-versions",
    "api:published-version",
}

UNKNOWN_PARAMETERS: set[str] = set()


def _pk(route: Route, owned: Owned) -> int:
    namespace = route.name.split(":")[0]
    if route.name == "standards:compare":
        return owned.version.standard_id
    if namespace == "subscriptions":
        return owned.subscription.pk if owned.subscription else NOTHING
    if namespace in ("standards", "api"):
        return owned.version.pk
    UNKNOWN_PARAMETERS.add(f"{route.name} <pk>")
    return owned.version.pk


def _value(route: Route, parameter: str, owned: Owned) -> list[Any]:
    version = owned.version
    standard = version.standard
    match parameter:
        case "pk":
            return [_pk(route, owned)]
        case "standard_pk":
            return [standard.pk]
        case "basic_code":
            return [standard.item.basic_code]
        case "department_code":
            return [standard.department.code]
        case "number":
            return [version.number]
        case "section":
            return ["B00"]
        case "group":
            return ["material"]
        case "code":
            if route.name == "api:region":
                return [standard.region.code]
            if route.name == "api:department":
                return [standard.department.code]
            if route.name == "api:field":
                return ["B00.08"]
            return [owned.file_code or "E05.06"]
        case "row" | "row_id":
            return [owned.file_row or "x"]
        case "action":
            if route.name == "standards:act":
                return list(DEPARTMENT_ACTIONS)
            if route.name == "standards:review_act":
                return list(REVIEW_ACTIONS)
            return ["x"]
        case "comment_pk":
            return [owned.comment.pk if owned.comment else NOTHING]
        case "delivery_pk":
            return [owned.delivery.pk if owned.delivery else NOTHING]
        case "table":
            return list(BUILDERS)[:1] or ["x"]
        case "name":
            return ["x"]
        case "uidb64" | "token":
            return ["x"]
    UNKNOWN_PARAMETERS.add(f"{route.name} <{parameter}>")
    return [NOTHING]


def urls_for(route: Route, owned: Owned) -> list[str]:
    """The route's URLs for the owner's objects (several when a parameter has several values)."""
    combos: list[dict[str, Any]] = [{}]
    for parameter in route.parameters:
        combos = [{**c, parameter: v} for c in combos for v in _value(route, parameter, owned)]
    return [reverse(route.name, kwargs=kwargs) for kwargs in combos]


# The admin site: objects of department-owned models, found for an owner.
def _owned_object(model: type[models.Model], owned: Owned) -> models.Model | None:
    version = owned.version
    if model is StandardVersion:
        return version
    if model is Standard:
        return version.standard
    if model is ReviewRound:
        return ReviewRound.objects.filter(version=version).first()
    if model is ReviewComment:
        return owned.comment
    if model is PublishedSnapshot:
        return PublishedSnapshot.objects.filter(version=version).first()
    if model is WebhookSubscription:
        return owned.subscription
    if model is WebhookDelivery:
        return owned.delivery
    field_names = {f.name for f in model._meta.get_fields()}
    if "version" in field_names:
        return model._default_manager.filter(version=version).first()
    return None


def admin_object_urls(owned: Owned) -> list[str]:
    """Change, history and delete pages of every department-owned object in the admin."""
    urls = []
    for model in admin.site._registry:
        found = _owned_object(model, owned)
        if found is None:
            continue
        meta = model._meta
        for view in ("change", "history", "delete"):
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[found.pk])
            )
    return urls


def admin_list_urls() -> list[str]:
    """The admin index, the app indexes and every model's change list."""
    urls = [reverse("admin:index")]
    apps = set()
    for model in admin.site._registry:
        meta = model._meta
        apps.add(meta.app_label)
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(apps)]
    return urls
