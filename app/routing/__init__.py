"""Pure routing domain: which police station gets a report, and why. No Flask, no database."""
from .decision import RULES, Decision
from .index import RoutingIndex
from .inputs import (
    AreaInput,
    CategoryInput,
    MouInput,
    PaoInput,
    RoutingInputError,
    StationInput,
)

__all__ = [
    "AreaInput",
    "CategoryInput",
    "Decision",
    "MouInput",
    "PaoInput",
    "RULES",
    "RoutingIndex",
    "RoutingInputError",
    "StationInput",
]
