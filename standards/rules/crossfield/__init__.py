"""The domain README's 35 cross-field validation rules (ids R01a … R35), by section."""

from . import (
    agency,
    basic,
    fees,
    legal_basis,
    materials,
    processes,
    results,
    review,
    service,
    timelimits,
)

MODULES = (
    basic,
    timelimits,
    agency,
    fees,
    materials,
    review,
    results,
    service,
    processes,
    legal_basis,
)
