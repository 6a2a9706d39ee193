"""The field registry (see `catalogue.py`). `REGISTRY` is loaded once at import."""

from .catalogue import (
    Audience,
    Code,
    CodeList,
    Field,
    FieldType,
    Group,
    Registry,
    RegistryError,
    Section,
    Stage,
    load,
)

REGISTRY: Registry = load()

__all__ = [
    "REGISTRY",
    "Audience",
    "Code",
    "CodeList",
    "Field",
    "FieldType",
    "Group",
    "Registry",
    "RegistryError",
    "Section",
    "Stage",
    "load",
]
