"""Which model holds which registry group.

Each content model names its group in a `registry_group` class attribute; this
module finds them once the app registry is ready, so the registry itself never
imports models.
"""

from functools import cache

from django.apps import apps
from django.db import models


@cache
def _models_by_group() -> dict[str, type[models.Model]]:
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_app_config("standards").get_models():
        group = getattr(model, "registry_group", None)
        if group:
            found[group] = model
    return found


def model_for_group(group: str) -> type[models.Model]:
    return _models_by_group()[group]


def content_models() -> dict[str, type[models.Model]]:
    return dict(_models_by_group())
