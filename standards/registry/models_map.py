"""Which model holds which registry group.

Each content model names its group in a `registry_group` class attribute; this
module finds them once the app registry is ready, so the registry itself never
imports models.
"""

from functools import cache
from typing import Any

from django.apps import apps

# Content models are looked up by group at run time; to a type checker they
# are `Any` (their fields differ per group).
ContentModelClass = Any


@cache
def _models_by_group() -> dict[str, ContentModelClass]:
    found: dict[str, ContentModelClass] = {}
    for model in apps.get_app_config("standards").get_models():
        group = getattr(model, "registry_group", None)
        if group:
            found[group] = model
    return found


def model_for_group(group: str) -> ContentModelClass:
    return _models_by_group()[group]


def content_models() -> dict[str, ContentModelClass]:
    return dict(_models_by_group())
