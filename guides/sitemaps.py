"""sitemap.xml: the home page and the guide in force of every published standard."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from standards.models import Standard


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["guides:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Standard]:
        today = timezone.localdate()
        in_force = Q(
            versions__published_snapshot__isnull=False,
            versions__effective_from__lte=today,
        ) & (Q(versions__effective_to__isnull=True) | Q(versions__effective_to__gte=today))
        return (
            Standard.objects.filter(in_force)
            .annotate(changed=Max("versions__updated_at"))
            .select_related("item", "department")
            .order_by("item__basic_code", "department__code")
            .distinct()
        )

    def location(self, item: Any) -> str:
        return reverse("guides:guide", args=[item.item.basic_code, item.department.code])

    def lastmod(self, item: Any) -> datetime.datetime:
        return item.changed


SITEMAPS = {"home": HomeSitemap, "guides": GuideSitemap}
