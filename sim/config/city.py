"""Schema of the ``city`` config group: districts, building stock and population."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DistrictConfig:
    """One district (raion): name, KATOTTH code and its share of the population."""

    name: str = "???"
    katotth: str = ""
    population_weight: float = 1.0  # relative population (e.g. an official estimate); scaled to the total
    apartment_block_weight: float | None = None  # relative number of apartment blocks (default: population)


@dataclass
class CityConfig:
    """A city: its districts, building stock, population and grid topology parameters."""

    name: str = "???"
    description: str = ""
    population_total: float = 0.0  # residents before departures [people]
    share_left_frac: float = 0.0  # share of residents who left the city during the crisis [1]
    districts: list[DistrictConfig] = field(default_factory=list)
    apartment_blocks: int = 0  # multi-storey apartment blocks on district heating [buildings]
    apartment_stock: dict[str, float] = field(default_factory=dict)  # archetype -> share of blocks [1]
    private_houses: int = 0  # private (single-family) houses [buildings]
    private_stock: dict[str, float] = field(default_factory=dict)  # archetype -> share of houses [1]
    private_population_frac: float = 0.0  # share of residents living in private houses [1]
    buildings_per_group: int = 20  # apartment blocks per building group (a modelling resolution) [buildings]
    houses_per_group: int = 200  # private houses per building group [buildings]
    share_65plus_frac: float = 0.0  # residents aged 65 and over [1]
    share_under5_frac: float = 0.0  # residents under 5 [1]
    household_size: float = 2.42  # people per household where no household data [people]
    upper_floor_from_storey: int = 6  # storeys at and above this need booster pumps for water [-]
    heating_points: int = 0  # heating points open in the city (people.heating_points=null uses this) [points]
    grid: dict[str, Any] = field(default_factory=dict)  # grid and heat-network topology, see sim.des.network
    # UTC offset of the model clock: local standard time, no daylight saving (Kyiv: EET, UTC+2,
    # Ukrainian law on time calculation; the model's winter runs never cross a DST change) [h]
    utc_offset_h: float = 2.0
