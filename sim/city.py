"""The city: districts, building groups and the people in them.

A :class:`City` is built from the ``city`` config group. Building groups are rows of a table: one row is
``n_buildings`` similar buildings with the same archetype and district (a row may stand for one building;
the model does not care). The grid and heat-network topology that groups attach to is built separately
by :mod:`sim.des.network`. Everything here is district level: no coordinates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.archetypes import ARCHETYPES, archetype
from sim.errors import ConfigError

log = logging.getLogger(__name__)

#: Columns of :attr:`City.groups` (units in names; counts are plain numbers).
GROUP_COLUMNS = (
    "district",  # district name
    "district_index",  # index into City.districts
    "archetype",  # archetype name (sim.archetypes.ARCHETYPES)
    "archetype_index",  # index into ARCHETYPES
    "kind",  # "apartment" or "house"
    "storeys",  # storeys of the archetype
    "n_buildings",  # buildings in the group
    "floor_area_m2",  # heated floor area of the whole group [m2]
    "occupants",  # people present [people]
    "households",  # households present [households]
    "share_65plus",  # share of occupants aged 65+ [1]
    "share_under5",  # share of occupants under 5 [1]
    "upper_floor_occupants",  # people who lose water without booster pumps [people]
    "heating",  # "district" or "gas_boiler"
)


@dataclass(frozen=True)
class City:
    """Districts and building groups of a city.

    Attributes
    ----------
    name : str
        Config name of the city (``kyiv``, ``small_town``).
    districts : pandas.DataFrame
        One row per district in config order, indexed by name; columns ``katotth`` (code, may be empty),
        ``population_resident`` (before departures) and ``population`` (present) [people].
    groups : pandas.DataFrame
        One row per building group; columns :data:`GROUP_COLUMNS`.
    """

    name: str
    districts: pd.DataFrame
    groups: pd.DataFrame

    @property
    def district_names(self) -> list[str]:
        return list(self.districts.index)

    @property
    def population(self) -> float:
        """People present in the city. [people]"""
        return float(self.districts["population"].sum())

    @property
    def apartment_blocks(self) -> int:
        """Apartment buildings in the city. [buildings]"""
        g = self.groups
        return int(g.loc[g["kind"] == "apartment", "n_buildings"].sum())


def _split_integer(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), summing to total."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    remainder = total - out.sum()
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:remainder]] += 1
    return out


def _stock(stock: dict, key: str, kind: str) -> dict[str, float]:
    """A stock (archetype -> share) as plain floats. Its shares are checked by
    :func:`sim.config.city.validate_city_config`; the archetype names are checked here, against the
    archetype table (:mod:`sim.archetypes`, model data that the config layer does not import)."""
    shares = {str(k): float(v) for k, v in dict(stock).items()}
    for name in shares:
        try:
            a = archetype(name)
        except KeyError as e:
            raise ConfigError(f"city.{key}: {e.args[0]}") from None
        if a.kind != kind:
            raise ConfigError(f"city.{key}: archetype {name!r} is a {a.kind}, not a {kind}")
    return shares


def _groups_of(n_buildings: int, per_group: int) -> list[int]:
    """Split n buildings into groups of at most ``per_group`` buildings, as even as possible."""
    if n_buildings <= 0:
        return []
    n_groups = int(np.ceil(n_buildings / max(per_group, 1)))
    return [int(x) for x in _split_integer(n_buildings, np.ones(n_groups))]


def build_city(cfg: Any) -> City:
    """Build a :class:`City` from a ``city`` config (a CityConfig or DictConfig).

    People present (``population_total`` x (1 - ``share_left_frac``)) are split over districts by
    ``population_weight``; within a district, a share ``private_population_frac`` lives in private houses
    and the rest in apartment blocks, in proportion to floor area. Apartment blocks are split over
    districts by ``apartment_block_weight`` (default: population) and over archetypes by
    ``apartment_stock``; private houses likewise by ``private_stock``. Deterministic: no random draws.
    The values are checked beforehand by :func:`sim.config.city.validate_city_config` (in
    :func:`sim.config.validate.validate`); only the archetype names are checked here.
    """
    names = [str(d.name) for d in cfg.districts]
    pop_w = np.array([float(d.population_weight) for d in cfg.districts])
    block_w = np.array(
        [
            float(d.population_weight if d.apartment_block_weight is None else d.apartment_block_weight)
            for d in cfg.districts
        ]
    )
    apt_stock = _stock(cfg.apartment_stock, "apartment_stock", "apartment")
    house_stock = _stock(cfg.private_stock, "private_stock", "house")

    resident = float(cfg.population_total) * pop_w / pop_w.sum()
    present = resident * (1.0 - float(cfg.share_left_frac))
    districts = pd.DataFrame(
        {
            "katotth": [str(d.katotth) for d in cfg.districts],
            "population_resident": resident,
            "population": present,
        },
        index=pd.Index(names, name="district"),
    )

    blocks_by_district = _split_integer(int(cfg.apartment_blocks), block_w)
    houses_by_district = _split_integer(int(cfg.private_houses), pop_w)
    rows = []
    for d_idx, d_name in enumerate(names):
        for stock, n_total, per_group, kind in (
            (apt_stock, blocks_by_district[d_idx], cfg.buildings_per_group, "apartment"),
            (house_stock, houses_by_district[d_idx], cfg.houses_per_group, "house"),
        ):
            if not stock:
                continue
            arch_names = list(stock)
            counts = _split_integer(int(n_total), np.array([stock[a] for a in arch_names]))
            for a_name, n_arch in zip(arch_names, counts, strict=True):
                a = archetype(a_name)
                for n in _groups_of(int(n_arch), int(per_group)):
                    rows.append(
                        {
                            "district": d_name,
                            "district_index": d_idx,
                            "archetype": a_name,
                            "archetype_index": ARCHETYPES.index(a_name),
                            "kind": kind,
                            "storeys": a.storeys,
                            "n_buildings": n,
                            "floor_area_m2": n * a.floor_area_m2,
                            "heating": "district" if kind == "apartment" else "gas_boiler",
                        }
                    )
    groups = pd.DataFrame(rows)

    # People: per district, a share in houses and the rest in apartments, by floor area within each.
    occupants = np.zeros(len(groups))
    for d_idx in range(len(names)):
        in_d = groups["district_index"].to_numpy() == d_idx
        for kind, share in (
            ("house", float(cfg.private_population_frac)),
            ("apartment", 1.0 - float(cfg.private_population_frac)),
        ):
            sel = in_d & (groups["kind"].to_numpy() == kind)
            area = groups.loc[sel, "floor_area_m2"].to_numpy()
            if sel.any() and area.sum() > 0:
                occupants[sel] = present[d_idx] * share * area / area.sum()
            elif share > 0 and present[d_idx] > 0 and not sel.any():
                # nobody can live in a building kind the district lacks: give the share to the other kind
                other = in_d & (groups["kind"].to_numpy() != kind)
                area_o = groups.loc[other, "floor_area_m2"].to_numpy()
                if area_o.sum() > 0:
                    occupants[other] += present[d_idx] * share * area_o / area_o.sum()
    groups["occupants"] = occupants
    groups["households"] = occupants / float(cfg.household_size)
    groups["share_65plus"] = float(cfg.share_65plus_frac)
    groups["share_under5"] = float(cfg.share_under5_frac)
    storeys = groups["storeys"].to_numpy(dtype=float)
    upper = int(cfg.upper_floor_from_storey)
    upper_frac = np.where(storeys >= upper, (storeys - upper + 1) / storeys, 0.0)
    groups["upper_floor_occupants"] = occupants * upper_frac
    groups = groups[list(GROUP_COLUMNS)]
    city = City(name=str(cfg.name), districts=districts, groups=groups)
    log.debug("city %s: %d districts, %d building groups, %.0f people present", city.name, len(districts),
              len(groups), float(groups["occupants"].sum()))
    return city
