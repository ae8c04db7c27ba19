"""Building archetypes: geometry of the building stock (skeleton; thermal parameters follow).

Names are the public keys used in configs (``city.apartment_stock``, ``city.private_stock``) and on the
``archetype`` coordinate of results.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Archetype:
    """One building archetype."""

    name: str
    label: str
    kind: str  # "apartment" or "house"
    storeys: int  # [-]
    floor_area_m2: float  # heated floor area of one building [m2]


_ARCHETYPES = (
    Archetype("khrushchyovka_5", "5-storey khrushchyovka (1950-60s)", "apartment", 5, 3200.0),
    Archetype("panel_9", "9-storey panel (1970-90s)", "apartment", 9, 4600.0),
    Archetype("panel_16", "16-storey panel (1970-90s)", "apartment", 16, 6400.0),
    Archetype("brick_stalinka", "Brick / stalinka (1930-50s)", "apartment", 5, 3000.0),
    Archetype("modern_monolithic", "Modern monolithic frame (2000s-)", "apartment", 18, 5000.0),
    Archetype("private_old", "Old private house, not insulated", "house", 1, 90.0),
    Archetype("private_insulated", "Insulated private house, masonry", "house", 2, 150.0),
)

#: Archetype names in their canonical order (the ``archetype`` coordinate of results).
ARCHETYPES: tuple[str, ...] = tuple(a.name for a in _ARCHETYPES)
_BY_NAME = {a.name: a for a in _ARCHETYPES}


def archetype(name: str) -> Archetype:
    """Return the archetype called ``name``; raises KeyError listing the valid names."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown archetype {name!r}; valid: {', '.join(ARCHETYPES)}") from None
