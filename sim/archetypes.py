"""Building archetypes: geometry, envelope, ventilation, mass inventory and gains of the building stock.

Names are the public keys used in configs (``city.apartment_stock``, ``city.private_stock``) and on the
``archetype`` coordinate of results; their order in :data:`ARCHETYPES` is part of the contract.

Every archetype is a simple box: ``storeys`` storeys of height ``storey_height_m`` on a rectangular footprint
``floor_area_m2 / storeys`` of depth ``depth_m``. Walls, windows, roof and ground floor follow from that
geometry and the window-to-floor ratio; each element has a U-value (effective, thermal bridges and panel
joints included).

Heat capacity comes from a **mass inventory** (:class:`MassLayer`): floor slabs, inner walls, partitions,
the inner layers of the outer walls (up to the insulation), furnishings, each with its area per m2 of
floor area, thickness and material (EN ISO 10456:2007 Table 3 design values; EN ISO 10456 gives
c = 1000 J/(kg K) for concrete and masonry). How much of each layer takes part depends on the time scale
(DESIGN.md, "Mind the time scale"):

* the **daily** capacity ``c_daily`` counts at most 10 cm from each exposed face (the "10 cm rule" of
  ISO 13786:2017 Annex C, the simplified method behind ISO 13790's effective capacity); it is shown beside
  the ISO 13790:2008 Table 12 class value (calibration E2) as a check;
* the **cool-down** capacity ``c_cooldown`` counts, from each face, the diffusion length
  ``sqrt(a t_c)`` of the layer's material (``a = lambda / (rho c)``) reached in the cool-down time
  ``t_c`` (``buildings.mass_time_scale_h``, default 72 h), capped at the layer (half its thickness per
  face for layers with two exposed faces). For concrete (a ~ 8.7e-7 m2/s) 72 h reach 0.47 m, i.e. whole
  slabs and inner walls; for brick (3.9e-7 m2/s) 0.32 m, i.e. the inner half of a 0.64 m wall.

The mass node holds ``c_daily + mass_participation_frac (c_cooldown - c_daily)`` (the config key is kept
as a sweep over the long-term part; 1 by default). Its coupling to the air is ISO 13790's: the surfaces
(``h_is`` = 3.45 W/(m2 K) on all surfaces facing the zone) in series with the mass (``h_ms`` = 9.1
W/(m2 K) on the massive surfaces, here each in series with the conduction resistance ``d / (3 lambda)`` of
its participating layer, the lumped-slab resistance of a layer whose mean temperature the node tracks).

The resulting time constants ``tau = C / H`` follow the expert ordering of calibration E4 (16-storey panel
cools fastest, then 9-storey panel, then khrushchyovka; brick/stalinka slowest). Ventilation depends on the
weather and the indoor temperature (:mod:`sim.ventilation`); the archetype gives its heating-season mean.
No Ukrainian TABULA/EPISCOPE typology exists (Ukraine is not among the TABULA countries), so U-values are
taken from calibration E1 (Soviet stock) and the DBN V.2.6-31:2016 minimum thermal resistances (new and
insulated buildings); everything else is stated per archetype below.

References
----------
.. [1] ISO 13790:2008, Energy performance of buildings - Calculation of energy use for space heating and
   cooling, Table 12 (capacity classes), 7.2.2 (5R1C network: h_ms = 9.1, h_is = 3.45 W/(m2 K)),
   11.3.4-11.3.5 (solar gains on opaque elements, thermal radiation to the sky).
.. [2] DBN V.2.6-31:2016, Thermal insulation of buildings (Ukraine): minimum R for zone I (Kyiv): walls 3.3,
   roofs 6.0, floors over unheated basements 3.75, windows 0.75 m2 K/W.
.. [3] EN 12831:2003, Heating systems in buildings - Design heat load, Annex D: temperature adjustment
   factors b_u for spaces at unknown temperature (unheated basement 0.5-0.6, ventilated attic 0.9).
.. [4] reference/calibration.md, section E (E1-E5).
.. [5] EN ISO 10456:2007, Building materials - Hygrothermal properties - Tabulated design values, Table 3.
.. [6] ISO 13786:2017, Thermal performance of building components - Dynamic thermal characteristics,
   Annex C (effective thickness for the daily cycle, 10 cm).
.. [7] SNiP 2.04.08-87 "Gas supply", 6.?: gas appliances not installed in residential buildings of more than
   10 storeys (adopted in DBN V.2.5-20-2001 for Ukraine); those blocks have electric stoves.
.. [8] EN 410:2011 / ISO 13790 Annex G: total solar energy transmittance of glazing (two clear panes
   ~0.75-0.78, double glazing with low-e ~0.6); frame fraction 0.25-0.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sim.rc_params import RCParams3
    from sim.ventilation import GroupVentilation

#: Volumetric heat capacity of air, rho c_p = 1.2 kg/m3 x 1005 J/(kg K) ~ 1200 J/(m3 K). [J/(m3 K)]
AIR_J_PER_K_M3 = 1200.0
#: ISO 13790 7.2.2.2: heat transfer coefficient between the mass and the surface node. [W/(m2 K)]
H_MS_W_PER_K_M2 = 9.1
#: ISO 13790 7.2.2.2: heat transfer coefficient between the surface and the air node. [W/(m2 K)]
H_IS_W_PER_K_M2 = 3.45
#: ISO 13790 Table 12: effective capacity [J/(K m2)] and mass area over floor area A_m/A_f [1] per class.
ISO13790_CLASSES: dict[str, tuple[float, float]] = {
    "very light": (80e3, 2.5),
    "light": (110e3, 2.5),
    "medium": (165e3, 2.5),
    "heavy": (260e3, 3.0),
    "very heavy": (370e3, 3.5),
}
#: Kyiv's design outdoor temperature for heating (DSTU-N B V.1.1-27:2010, coldest five days). [degC]
DESIGN_OUTDOOR_C = -22.0
#: ISO 13786 Annex C: depth of a layer that takes part in the daily cycle, from each exposed face. [m]
DAILY_DEPTH_M = 0.10
#: Default cool-down time of the mass inventory (``buildings.mass_time_scale_h``). [h]
COOLDOWN_TIME_H = 72.0


@dataclass(frozen=True)
class MassLayer:
    """One entry of a mass inventory: a massive element of the building and its material.

    Attributes
    ----------
    name : str
        What it is, e.g. ``"floor slabs (hollow-core 220 mm)"``.
    area : float or str
        Element area per m2 of floor area [1], or ``"outer_walls"`` (opaque outer walls),
        ``"inner_slabs"`` (slabs between storeys, ``(N - 1) / N``) or ``"end_slabs"`` (roof and ground
        slab, ``2 / N``), resolved from the geometry.
    thickness_m : float
        Thickness (for layered elements: the massive layer on the room side of the insulation). [m]
    density_kg_per_m3 : float
        [kg/m3]
    conductivity_w_per_m_k : float
        [W/(m K)]
    specific_heat_j_per_kg_k : float
        [J/(kg K)]
    faces : int
        Faces towards heated rooms: 2 for slabs and inner walls, 1 for outer walls and end slabs.
    """

    name: str
    area: float | str
    thickness_m: float
    density_kg_per_m3: float
    conductivity_w_per_m_k: float
    specific_heat_j_per_kg_k: float = 1000.0
    faces: int = 2

    @property
    def diffusivity_m2_per_s(self) -> float:
        """Thermal diffusivity ``lambda / (rho c)``. [m2/s]"""
        return self.conductivity_w_per_m_k / (self.density_kg_per_m3 * self.specific_heat_j_per_kg_k)

    def depth_per_face_m(self, time_scale_h: float | None, participation: float = 1.0) -> float:
        """Participating depth from each face: 10 cm (daily, ``None``) or ``sqrt(a t)``, capped at the
        layer; ``participation`` in [0, 1] scales the part beyond the daily depth. [m]"""
        cap = self.thickness_m / self.faces
        daily = min(cap, DAILY_DEPTH_M)
        if time_scale_h is None:
            return float(daily)
        depth = min(cap, float(np.sqrt(self.diffusivity_m2_per_s * time_scale_h * 3600.0)))
        return float(min(daily, depth) + participation * max(depth - daily, 0.0))

    def capacity_j_per_k_m2(self, time_scale_h: float | None, participation: float = 1.0) -> float:
        """Participating heat capacity per m2 of the element (all faces). [J/(K m2)]"""
        d = self.faces * self.depth_per_face_m(time_scale_h, participation)
        return self.density_kg_per_m3 * self.specific_heat_j_per_kg_k * d

    def surface_conductance_w_per_k_m2(self, time_scale_h: float | None, participation: float = 1.0) -> float:
        """Room surfaces to the centre of the surface volume (the room-side half of the participating
        depth), per m2 of element, all faces: ``faces / (1 / h_ms + d / (4 lambda))``. [W/(K m2)]"""
        d = self.depth_per_face_m(time_scale_h, participation)
        return self.faces / (1.0 / H_MS_W_PER_K_M2 + d / (4.0 * self.conductivity_w_per_m_k))

    def internal_conductance_w_per_k_m2(self, time_scale_h: float | None, participation: float = 1.0) -> float:
        """Centre of the surface volume to the centre of the deep volume (half the depth apart), per m2
        of element, all faces: ``faces 2 lambda / d``. [W/(K m2)]"""
        d = self.depth_per_face_m(time_scale_h, participation)
        return self.faces * 2.0 * self.conductivity_w_per_m_k / d


@dataclass(frozen=True)
class Archetype:
    """One building archetype: geometry, envelope, ventilation, mass and gains of ONE building.

    Attributes carry their unit in the name; derived quantities (areas, conductances, ``tau_h``) are
    properties. ``source`` names the calibration lines and references behind the numbers.
    """

    name: str
    label: str
    kind: str  # "apartment" or "house"
    storeys: int  # [-]
    floor_area_m2: float  # heated floor area of one building [m2]
    storey_height_m: float  # floor-to-floor height [m]
    room_height_m: float  # clear room height (air volume) [m]
    depth_m: float  # depth of the rectangular footprint [m]
    window_floor_ratio: float  # window area over floor area [1]
    u_wall_w_per_k_m2: float  # effective U of opaque walls (joints, bridges included) [W/(m2 K)]
    u_window_w_per_k_m2: float  # U of windows and balcony doors [W/(m2 K)]
    u_roof_w_per_k_m2: float  # U of the top-floor ceiling or roof [W/(m2 K)]
    u_floor_w_per_k_m2: float  # U of the ground floor or floor over the basement [W/(m2 K)]
    b_roof: float  # temperature adjustment factor of the roof (EN 12831 b_u; 1 = to outdoors) [1]
    b_floor: float  # temperature adjustment factor of the ground floor (basement, ground) [1]
    air_changes_per_h: float  # ventilation and infiltration, heating-season mean, windows shut [1/h]
    iso13790_class: str  # ISO 13790 Table 12 capacity class (calibration E2), shown for comparison
    mass: tuple[MassLayer, ...]  # the mass inventory
    c_furnishing_j_per_k_m2: float  # furniture and contents coupled to the air node [J/(K m2)]
    gas_stove_frac: float  # households with a gas cooker [1]
    window_g: float  # total solar energy transmittance of the glazing at normal incidence [1]
    window_frame_frac: float  # frame share of the window area [1]
    source: str  # calibration lines and references

    # --- geometry -------------------------------------------------------------------------------------
    @property
    def footprint_m2(self) -> float:
        """Footprint of the building, floor area over storeys. [m2]"""
        return self.floor_area_m2 / self.storeys

    @property
    def length_m(self) -> float:
        """Length of the rectangular footprint. [m]"""
        return self.footprint_m2 / self.depth_m

    @property
    def window_area_m2(self) -> float:
        """Windows and balcony doors. [m2]"""
        return self.window_floor_ratio * self.floor_area_m2

    @property
    def wall_area_m2(self) -> float:
        """Opaque outer walls: perimeter x height minus windows. [m2]"""
        gross = 2.0 * (self.length_m + self.depth_m) * self.storeys * self.storey_height_m
        return gross - self.window_area_m2

    @property
    def roof_area_m2(self) -> float:
        """Roof or top-floor ceiling, equal to the footprint. [m2]"""
        return self.footprint_m2

    @property
    def ground_floor_area_m2(self) -> float:
        """Ground floor or floor over the basement, equal to the footprint. [m2]"""
        return self.footprint_m2

    @property
    def air_volume_m3(self) -> float:
        """Heated air volume, floor area x clear room height. [m3]"""
        return self.floor_area_m2 * self.room_height_m

    # --- mass inventory --------------------------------------------------------------------------------
    def layer_area_per_floor(self, layer: MassLayer) -> float:
        """Area of a mass layer per m2 of floor area (named areas resolved from the geometry). [1]"""
        if isinstance(layer.area, str):
            named = {
                "outer_walls": self.wall_area_m2 / self.floor_area_m2,
                "inner_slabs": (self.storeys - 1) / self.storeys,
                "end_slabs": 2.0 / self.storeys,
            }
            try:
                return float(named[layer.area])
            except KeyError:
                raise ValueError(f"{self.name}: unknown mass layer area {layer.area!r}") from None
        return float(layer.area)

    def mass_inventory(self, time_scale_h: float = COOLDOWN_TIME_H) -> pd.DataFrame:
        """The inventory as a table: area, thickness, mass and participating capacities per m2 floor."""
        rows = []
        for layer in self.mass:
            area = self.layer_area_per_floor(layer)
            rows.append({
                "layer": layer.name, "area_m2_per_m2": area, "thickness_m": layer.thickness_m,
                "mass_kg_per_m2": area * layer.thickness_m * layer.density_kg_per_m3,
                "c_daily_kj_per_k_m2": area * layer.capacity_j_per_k_m2(None) / 1e3,
                "c_cooldown_kj_per_k_m2": area * layer.capacity_j_per_k_m2(time_scale_h) / 1e3,
            })  # fmt: skip
        return pd.DataFrame(rows)

    def c_daily_j_per_k_m2(self) -> float:
        """Daily-cycle capacity of the inventory (10 cm per face, ISO 13786 Annex C). [J/(K m2)]"""
        return sum(self.layer_area_per_floor(x) * x.capacity_j_per_k_m2(None) for x in self.mass)

    def c_cooldown_j_per_k_m2(self, time_scale_h: float = COOLDOWN_TIME_H) -> float:
        """Capacity of the inventory reached in a cool-down of ``time_scale_h``. [J/(K m2)]"""
        return sum(self.layer_area_per_floor(x) * x.capacity_j_per_k_m2(time_scale_h) for x in self.mass)

    @property
    def c_eff_j_per_k_m2(self) -> float:
        """ISO 13790 Table 12 effective capacity of the archetype's class (calibration E2). [J/(K m2)]"""
        return ISO13790_CLASSES[self.iso13790_class][0]

    def mass_area_per_floor(self) -> float:
        """Massive surfaces facing the rooms per m2 of floor area, A_m / A_f. [1]"""
        return sum(self.layer_area_per_floor(x) * x.faces for x in self.mass)

    def total_area_per_floor(self) -> float:
        """All surfaces facing the rooms per m2 of floor area (massive surfaces and windows), A_t / A_f. [1]"""
        return self.mass_area_per_floor() + self.window_floor_ratio

    # --- conductances -----------------------------------------------------------------------------------
    @property
    def h_window_w_per_k(self) -> float:
        """Transmission through windows, U A. [W/K]"""
        return self.u_window_w_per_k_m2 * self.window_area_m2

    @property
    def h_ventilation_w_per_k(self) -> float:
        """Ventilation and infiltration at the heating-season mean, rho c n V / 3600 (ISO 13790 9.3). [W/K]"""
        return AIR_J_PER_K_M3 * self.air_changes_per_h * self.air_volume_m3 / 3600.0

    @property
    def h_opaque_w_per_k(self) -> float:
        """Transmission through walls, roof and ground floor, sum of b U A (EN 12831). [W/K]"""
        return (
            self.u_wall_w_per_k_m2 * self.wall_area_m2
            + self.b_roof * self.u_roof_w_per_k_m2 * self.roof_area_m2
            + self.b_floor * self.u_floor_w_per_k_m2 * self.ground_floor_area_m2
        )

    @property
    def h_total_w_per_k(self) -> float:
        """Total heat-loss coefficient: ventilation, windows and opaque envelope. [W/K]"""
        return self.h_ventilation_w_per_k + self.h_window_w_per_k + self.h_opaque_w_per_k

    def h_surface_air_w_per_k(self) -> float:
        """Air to the room surfaces, h_is A_t (ISO 13790 7.2.2.2). [W/K]"""
        return H_IS_W_PER_K_M2 * self.total_area_per_floor() * self.floor_area_m2

    def _sum(self, method: str, time_scale_h: float, participation: float) -> float:
        per = sum(self.layer_area_per_floor(x) * getattr(x, method)(time_scale_h, participation) for x in self.mass)
        return per * self.floor_area_m2

    def h_surface_mass_w_per_k(self, time_scale_h: float = COOLDOWN_TIME_H, participation: float = 1.0) -> float:
        """Room surfaces to the surface volumes of the mass (ISO 13790 h_ms in series with conduction). [W/K]"""
        return self._sum("surface_conductance_w_per_k_m2", time_scale_h, participation)

    def h_internal_w_per_k(self, time_scale_h: float = COOLDOWN_TIME_H, participation: float = 1.0) -> float:
        """Surface volumes to deep volumes of the mass: conduction inside the layers. [W/K]"""
        return self._sum("internal_conductance_w_per_k_m2", time_scale_h, participation)

    def star_shares(self, time_scale_h: float = COOLDOWN_TIME_H) -> tuple[float, float, float]:
        """How heat released at the room-surface (star) node divides between the air, the surface mass and
        the outdoors (through the windows): ``(h_is A_t, H_ms, H_win) / sum`` (:func:`fold_star`). [1]"""
        a, b, c = fold_star(self.h_surface_air_w_per_k(), self.h_surface_mass_w_per_k(time_scale_h),
                            self.h_window_w_per_k).shares  # fmt: skip
        return float(a), float(b), float(c)

    def radiant_shares(self, time_scale_h: float = COOLDOWN_TIME_H) -> tuple[float, float, float]:
        """How radiant heat (sun through windows, radiative part of gains) divides between the air, the
        surface mass and the outdoors: ISO 13790 C.3 puts ``A_m / A_t`` of it into the mass and the rest
        on the surface node (:func:`radiant_distribution`). [1]"""
        return radiant_distribution(self.star_shares(time_scale_h), self.mass_area_per_floor() / self.total_area_per_floor())

    def radiant_air_share(self, time_scale_h: float = COOLDOWN_TIME_H) -> float:
        """Share of radiant heat reaching the air node directly (:meth:`radiant_shares`). [1]"""
        return self.radiant_shares(time_scale_h)[0]

    def operative_weights(self, time_scale_h: float = COOLDOWN_TIME_H) -> tuple[float, float, float]:
        """Weights of air, surface mass and outdoors in the operative temperature, summing to 1. [1]

        ``T_op = (T_a + T_mrt) / 2`` (ISO 7730:2005 C.2, EN 16798-1 for air speeds below 0.2 m/s), with the
        mean radiant temperature taken as the room-surface (star) node temperature
        ``T_* = s_a T_a + s_s T_s + s_o T_o`` (:meth:`star_shares`; ISO 13790 C.3 uses the same node).
        """
        a, b, c = self.star_shares(time_scale_h)
        return 0.5 + 0.5 * a, 0.5 * b, 0.5 * c

    # --- capacities -----------------------------------------------------------------------------------
    @property
    def c_air_j_per_k(self) -> float:
        """Air node: indoor air and furnishings. [J/K]"""
        return AIR_J_PER_K_M3 * self.air_volume_m3 + self.c_furnishing_j_per_k_m2 * self.floor_area_m2

    def c_mass_j_per_k(self, mass_participation_frac: float = 1.0, time_scale_h: float = COOLDOWN_TIME_H) -> float:
        """All participating mass (surface and deep volumes): the daily depth plus ``mass_participation_frac``
        of the further depth reached in a cool-down. [J/K]"""
        return self._sum("capacity_j_per_k_m2", time_scale_h, mass_participation_frac)

    @property
    def c_long_j_per_k_m2(self) -> float:
        """Cool-down capacity beyond the daily one at the default time scale. [J/(K m2)]"""
        return max(self.c_cooldown_j_per_k_m2() - self.c_daily_j_per_k_m2(), 0.0)

    def tau_h(self, mass_participation_frac: float = 1.0, time_scale_h: float = COOLDOWN_TIME_H) -> float:
        """Time constant of multi-day cool-downs, tau = C / H at the reference air change (E6). [h]"""
        c = self.c_air_j_per_k + self.c_mass_j_per_k(mass_participation_frac, time_scale_h)
        return c / self.h_total_w_per_k / 3600.0

    @property
    def tau_daily_h(self) -> float:
        """Time constant with the daily capacity of the inventory only, C_daily / H. [h]"""
        return self.c_daily_j_per_k_m2() * self.floor_area_m2 / self.h_total_w_per_k / 3600.0

    @property
    def tau_iso_h(self) -> float:
        """Time constant with the ISO 13790 Table 12 class capacity, C_m / H (the published method). [h]"""
        return self.c_eff_j_per_k_m2 * self.floor_area_m2 / self.h_total_w_per_k / 3600.0


_SOVIET_WINDOW = "windows: E1 2.3 (double-sash wood), about half replaced by PVC ~1.4 [L] -> 1.85"

# Materials, EN ISO 10456:2007 Table 3 [5] (rho kg/m3, lambda W/(m K), c J/(kg K))
_CONCRETE = (2300.0, 2.0, 1000.0)  # reinforced concrete, medium density
_HOLLOW = (2300.0, 1.6, 1000.0)  # hollow-core slab as its solid equivalent (lambda of the cored section [M])
_BRICK = (1800.0, 0.7, 1000.0)  # solid clay brick masonry (EN 1745 / ISO 10456 ~0.6-0.8)
_LIGHT_CONCRETE = (1100.0, 0.45, 1000.0)  # expanded-clay (ceramsite) concrete
_GYPSUM_CONCRETE = (1200.0, 0.4, 1000.0)  # gypsum-concrete partition panels
_AERATED = (500.0, 0.14, 1000.0)  # aerated concrete blocks
_TIMBER_CLAY = (1200.0, 0.5, 1000.0)  # timber ceiling with clay/slag backfill (mean of the layers [M])


def _layer(name: str, area: float | str, thickness_m: float, material: tuple[float, float, float],
           faces: int = 2) -> MassLayer:  # fmt: skip
    return MassLayer(name, area, thickness_m, material[0], material[1], material[2], faces)


# fmt: off
_ARCHETYPES = (
    Archetype(
        "khrushchyovka_5", "5-storey khrushchyovka (1950-60s)", "apartment", 5, 3200.0,
        storey_height_m=2.7, room_height_m=2.5, depth_m=11.5, window_floor_ratio=0.14,
        u_wall_w_per_k_m2=1.2, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=1.0, u_floor_w_per_k_m2=1.0,
        b_roof=1.0, b_floor=0.6, air_changes_per_h=0.55, iso13790_class="heavy",
        mass=(
            _layer("inner floor slabs, hollow-core 220 mm (~300 kg/m2 -> 0.13 m solid)", "inner_slabs", 0.13, _HOLLOW),
            _layer("roof and ground slabs", "end_slabs", 0.13, _HOLLOW, faces=1),
            _layer("load-bearing inner walls, 160 mm concrete / 250 mm brick", 0.45, 0.16, _CONCRETE),
            _layer("partitions, 80 mm gypsum-concrete", 0.5, 0.08, _GYPSUM_CONCRETE),
            _layer("outer walls, 0.38-0.51 m brick (series 1-447, most of Kyiv's) ", "outer_walls", 0.44, _BRICK, faces=1),
        ),
        c_furnishing_j_per_k_m2=20e3, gas_stove_frac=0.95, window_g=0.76, window_frame_frac=0.3,
        source=(
            "walls E1 (0.38-0.51 m brick or 0.35 m expanded-clay panel, U 1.1-1.4); " + _SOVIET_WINDOW
            + "; flat combined roof, floor over basement b 0.6 [3]; ach: natural stack ventilation, 5 "
            "storeys [L]; E2 heavy (comparison); mass: series 1-464/1-447 slabs, inner walls, partitions "
            "[M], materials [5]; gas cookers (5 storeys) [7]"
        ),
    ),
    Archetype(
        "panel_9", "9-storey panel (1970-90s)", "apartment", 9, 4600.0,
        storey_height_m=2.8, room_height_m=2.5, depth_m=12.0, window_floor_ratio=0.15,
        u_wall_w_per_k_m2=1.15, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=0.9, u_floor_w_per_k_m2=0.9,
        b_roof=0.9, b_floor=0.6, air_changes_per_h=0.7, iso13790_class="heavy",
        mass=(
            _layer("inner floor slabs, solid 140-160 mm", "inner_slabs", 0.15, _CONCRETE),
            _layer("roof and ground slabs", "end_slabs", 0.15, _CONCRETE, faces=1),
            _layer("cross walls, 140-160 mm concrete (3.0-3.6 m spacing)", 0.75, 0.15, _CONCRETE),
            _layer("partitions, 80 mm gypsum-concrete", 0.35, 0.08, _GYPSUM_CONCRETE),
            _layer("outer walls, inner concrete layer of three-layer panels", "outer_walls", 0.10, _CONCRETE, faces=1),
        ),
        c_furnishing_j_per_k_m2=20e3, gas_stove_frac=0.95, window_g=0.76, window_frame_frac=0.3,
        source=(
            "walls E1 (three-layer or ceramsite panel, joints included); " + _SOVIET_WINDOW
            + "; technical attic b 0.9, basement b 0.6 [3]; ach [L]; E2 heavy (comparison); mass: cross-wall "
            "panel series (1-464A, 96, 134) slabs and walls [M], materials [5]; gas cookers (9 storeys) [7]"
        ),
    ),
    Archetype(
        "panel_16", "16-storey panel (1970-90s)", "apartment", 16, 6400.0,
        storey_height_m=2.8, room_height_m=2.5, depth_m=13.0, window_floor_ratio=0.16,
        u_wall_w_per_k_m2=1.15, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=0.9, u_floor_w_per_k_m2=0.9,
        b_roof=0.9, b_floor=0.6, air_changes_per_h=0.95, iso13790_class="heavy",
        mass=(
            _layer("inner floor slabs, solid 140-160 mm", "inner_slabs", 0.15, _CONCRETE),
            _layer("roof and ground slabs", "end_slabs", 0.15, _CONCRETE, faces=1),
            _layer("cross walls, 160 mm concrete", 0.75, 0.16, _CONCRETE),
            _layer("partitions, 80 mm gypsum-concrete", 0.35, 0.08, _GYPSUM_CONCRETE),
            _layer("outer walls, inner concrete layer of three-layer panels", "outer_walls", 0.10, _CONCRETE, faces=1),
        ),
        c_furnishing_j_per_k_m2=20e3, gas_stove_frac=0.3, window_g=0.76, window_frame_frac=0.3,
        source=(
            "walls E1 as panel_9; " + _SOVIET_WINDOW + "; ach higher than panel_9: stack effect over 16 "
            "storeys, lift and refuse-chute shafts, wind exposure [L] (this gives E4's ordering); E2 heavy "
            "(comparison); mass as panel_9 [M]; electric cookers above 10 storeys since SNiP 2.04.08-87 "
            "[7], older blocks with gas -> 30 % [L]"
        ),
    ),
    Archetype(
        "brick_stalinka", "Brick / stalinka (1930-50s)", "apartment", 5, 3000.0,
        storey_height_m=3.4, room_height_m=3.1, depth_m=14.0, window_floor_ratio=0.13,
        u_wall_w_per_k_m2=1.0, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=0.8, u_floor_w_per_k_m2=0.9,
        b_roof=0.9, b_floor=0.6, air_changes_per_h=0.5, iso13790_class="very heavy",
        mass=(
            _layer("inner floor slabs, concrete on steel beams with slag backfill", "inner_slabs", 0.20, _TIMBER_CLAY),
            _layer("attic and basement slabs", "end_slabs", 0.20, _TIMBER_CLAY, faces=1),
            _layer("load-bearing inner walls, 380 mm brick", 0.45, 0.38, _BRICK),
            _layer("partitions, 120 mm brick", 0.4, 0.12, _BRICK),
            _layer("outer walls, 0.64-0.77 m solid brick", "outer_walls", 0.64, _BRICK, faces=1),
        ),
        c_furnishing_j_per_k_m2=20e3, gas_stove_frac=0.95, window_g=0.76, window_frame_frac=0.3,
        source=(
            "walls: 0.64-0.77 m solid brick, U ~1.0 (E1 0.9-1.4); " + _SOVIET_WINDOW + "; cold attic b "
            "0.9, basement b 0.6 [3]; ach [L]; E2 very heavy (comparison); mass: thick brick outer and inner "
            "walls, slabs with backfill [M], materials [5]; gas cookers [7]"
        ),
    ),
    Archetype(
        "modern_monolithic", "Modern monolithic frame (2000s-)", "apartment", 18, 5000.0,
        storey_height_m=3.0, room_height_m=2.7, depth_m=15.0, window_floor_ratio=0.20,
        u_wall_w_per_k_m2=0.5, u_window_w_per_k_m2=1.4, u_roof_w_per_k_m2=0.35, u_floor_w_per_k_m2=0.5,
        b_roof=1.0, b_floor=0.6, air_changes_per_h=0.5, iso13790_class="heavy",
        mass=(
            _layer("inner floor slabs, solid 200 mm", "inner_slabs", 0.20, _CONCRETE),
            _layer("roof and ground slabs", "end_slabs", 0.20, _CONCRETE, faces=1),
            _layer("monolithic walls and cores, 200 mm", 0.3, 0.20, _CONCRETE),
            _layer("partitions, 100 mm aerated concrete / gypsum board", 0.6, 0.10, _AERATED),
            _layer("outer walls, 300 mm aerated-concrete infill", "outer_walls", 0.30, _AERATED, faces=1),
        ),
        c_furnishing_j_per_k_m2=20e3, gas_stove_frac=0.0, window_g=0.6, window_frame_frac=0.25,
        source=(
            "walls: aerated-concrete infill with thin insulation, slab-edge bridges, U 0.5 (between E1 and "
            "the DBN norm 0.30 [2]) [L]; PVC double glazing 1.4 [2], low-e g 0.6 [8]; roof 0.35; ach [L]; "
            "E2 heavy (comparison); mass: 200 mm slabs, walls, light partitions [M], materials [5]; "
            "electric cookers (above 10 storeys) [7]"
        ),
    ),
    Archetype(
        "private_old", "Old private house, not insulated", "house", 1, 90.0,
        storey_height_m=2.8, room_height_m=2.6, depth_m=9.0, window_floor_ratio=0.12,
        u_wall_w_per_k_m2=1.0, u_window_w_per_k_m2=2.3, u_roof_w_per_k_m2=0.8, u_floor_w_per_k_m2=0.6,
        b_roof=0.9, b_floor=0.5, air_changes_per_h=0.5, iso13790_class="very heavy",
        mass=(
            _layer("ceiling, timber with clay backfill", 1.0, 0.15, _TIMBER_CLAY, faces=1),
            _layer("floor on ground: timber on a brick and clay base", 1.0, 0.12, _TIMBER_CLAY, faces=1),
            _layer("inner walls, 250 mm brick", 0.35, 0.25, _BRICK),
            _layer("masonry stove (~1.5 t)", 0.06, 0.5, _BRICK),
            _layer("outer walls, ~0.5 m brick or adobe", "outer_walls", 0.5, _BRICK, faces=1),
        ),
        c_furnishing_j_per_k_m2=20e3, gas_stove_frac=0.9, window_g=0.76, window_frame_frac=0.3,
        source=(
            "walls E1 (uninsulated ~0.5 m brick or adobe, U ~1.0), windows E1 2.3; ceiling to cold attic "
            "b 0.9, floor on ground b 0.5 [3]; ach [L]; E2 very heavy (comparison); mass: masonry walls, "
            "clay-backfilled ceiling, masonry stove, the ground under the floor (E5, ground coupling) [M]"
        ),
    ),
    Archetype(
        "private_insulated", "Insulated private house, masonry", "house", 2, 150.0,
        storey_height_m=2.8, room_height_m=2.6, depth_m=8.0, window_floor_ratio=0.15,
        u_wall_w_per_k_m2=0.3, u_window_w_per_k_m2=1.1, u_roof_w_per_k_m2=0.17, u_floor_w_per_k_m2=0.27,
        b_roof=1.0, b_floor=0.5, air_changes_per_h=0.3, iso13790_class="very heavy",
        mass=(
            _layer("inner floor slab, 200 mm concrete", "inner_slabs", 0.20, _CONCRETE),
            _layer("ground slab on insulation and the top slab", "end_slabs", 0.20, _CONCRETE, faces=1),
            _layer("inner walls, 250 mm brick", 0.5, 0.25, _BRICK),
            _layer("outer walls inside the insulation, 380 mm brick", "outer_walls", 0.38, _BRICK, faces=1),
        ),
        c_furnishing_j_per_k_m2=20e3, gas_stove_frac=0.9, window_g=0.6, window_frame_frac=0.25,
        source=(
            "DBN V.2.6-31 minimum R [2] (E1): walls 0.30, windows R 0.9 -> 1.1, roof R 6 -> 0.17, floor "
            "R 3.75 -> 0.27; floor on ground b 0.5 [3]; ach [L]; E2 very heavy (comparison); mass: masonry "
            "walls inside the insulation, two concrete slabs, inner brick walls [M], materials [5]"
        ),
    ),
)
# fmt: on

#: Archetype names in their canonical order (the ``archetype`` coordinate of results).
ARCHETYPES: tuple[str, ...] = tuple(a.name for a in _ARCHETYPES)
_BY_NAME = {a.name: a for a in _ARCHETYPES}


def archetype(name: str) -> Archetype:
    """Return the archetype called ``name``; raises KeyError listing the valid names."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown archetype {name!r}; valid: {', '.join(ARCHETYPES)}") from None


def archetype_table(mass_participation_frac: float = 1.0, time_scale_h: float = COOLDOWN_TIME_H) -> pd.DataFrame:
    """One row per archetype (canonical order) with envelope, U-values, capacities, H and tau.

    Parameters
    ----------
    mass_participation_frac : float
        Share of the long-term mass that takes part in cool-downs (config
        ``buildings.mass_participation_frac``). [1]
    time_scale_h : float
        Cool-down time of the mass inventory (``buildings.mass_time_scale_h``). [h]

    Returns
    -------
    pandas.DataFrame
        Indexed by archetype name; columns carry their unit in the name.

    Examples
    --------
    >>> t = archetype_table()
    >>> list(t.index) == list(ARCHETYPES)
    True
    >>> bool((t["tau_h"] >= t["tau_daily_h"]).all())
    True
    """
    rows = []
    for a in _ARCHETYPES:
        h = a.h_total_w_per_k
        rows.append(
            {
                "archetype": a.name,
                "label": a.label,
                "kind": a.kind,
                "storeys": a.storeys,
                "floor_area_m2": a.floor_area_m2,
                "wall_area_m2": a.wall_area_m2,
                "window_area_m2": a.window_area_m2,
                "roof_area_m2": a.roof_area_m2,
                "ground_floor_area_m2": a.ground_floor_area_m2,
                "u_wall_w_per_k_m2": a.u_wall_w_per_k_m2,
                "u_window_w_per_k_m2": a.u_window_w_per_k_m2,
                "u_roof_w_per_k_m2": a.u_roof_w_per_k_m2,
                "u_floor_w_per_k_m2": a.u_floor_w_per_k_m2,
                "air_changes_per_h": a.air_changes_per_h,
                "iso13790_class": a.iso13790_class,
                "c_eff_kj_per_k_m2": a.c_eff_j_per_k_m2 / 1e3,
                "c_daily_kj_per_k_m2": a.c_daily_j_per_k_m2() / 1e3,
                "c_cooldown_kj_per_k_m2": a.c_cooldown_j_per_k_m2(time_scale_h) / 1e3,
                "c_long_kj_per_k_m2": max(a.c_cooldown_j_per_k_m2(time_scale_h) - a.c_daily_j_per_k_m2(), 0.0) / 1e3,
                "c_furnishing_kj_per_k_m2": a.c_furnishing_j_per_k_m2 / 1e3,
                "mass_kg_per_m2": float(a.mass_inventory(time_scale_h)["mass_kg_per_m2"].sum()),
                "h_ventilation_w_per_k": a.h_ventilation_w_per_k,
                "h_window_w_per_k": a.h_window_w_per_k,
                "h_opaque_w_per_k": a.h_opaque_w_per_k,
                "h_total_w_per_k": h,
                "h_w_per_k_m2": h / a.floor_area_m2,
                "ventilation_share": a.h_ventilation_w_per_k / h,
                "design_load_w_per_m2": h * (21.0 - DESIGN_OUTDOOR_C) / a.floor_area_m2,
                "gas_stove_frac": a.gas_stove_frac,
                "window_g": a.window_g,
                "operative_air_weight": a.operative_weights(time_scale_h)[0],
                "tau_iso_h": a.tau_iso_h,
                "tau_daily_h": a.tau_daily_h,
                "tau_h": a.tau_h(mass_participation_frac, time_scale_h),
                "source": a.source,
            }
        )
    return pd.DataFrame(rows).set_index("archetype")


def _mass_out(h_opaque: np.ndarray | float, h_air_mass: np.ndarray | float) -> np.ndarray | float:
    """Mass-to-outdoor conductance so that ``h_air_mass`` and it in series give ``h_opaque``. [W/K]

    The opaque conductance is capped at 95 % of the coupling (reached only for heat-loss multipliers
    above ~4), where the series construction has no solution.
    """
    h_op = np.minimum(h_opaque, 0.95 * np.asarray(h_air_mass))
    return h_op * h_air_mass / (h_air_mass - h_op)


def _lognormal_factor(cv: float, z: np.ndarray) -> np.ndarray:
    """Mean-one lognormal factors with coefficient of variation ``cv`` from standard normals ``z``. [1]"""
    sigma = np.sqrt(np.log1p(cv * cv))
    return np.exp(sigma * z - 0.5 * sigma * sigma)


def _time_scale(cfg: Any) -> float:
    return float(getattr(cfg, "mass_time_scale_h", COOLDOWN_TIME_H))


def group_parameters(
    archetype_names: np.ndarray, n_buildings: np.ndarray, cfg: Any, rng: np.random.Generator
) -> RCParams3:
    """RC parameters of building groups: archetype values x buildings, with heat-loss variation.

    A group is ``n`` similar buildings; its parameters are the sum over its buildings (conductances and
    capacities scale with ``n``, so a group behaves like one of its buildings). The heat loss of each
    group (ventilation, windows and opaque envelope; not the internal air-mass coupling) is multiplied
    by ``cfg.ua_multiplier`` and by a mean-one lognormal factor with coefficient of variation
    ``cfg.ua_cv`` (floor position, renovation), one draw per group, so the group's steady-state heat-loss
    coefficient is exactly ``n x factor x H`` of its archetype. One normal is drawn per group even when
    ``ua_cv`` is 0, so that the stream of draws does not depend on it. :func:`group_ventilation` uses the
    same factors (pass the same stream state).

    Parameters
    ----------
    archetype_names : numpy.ndarray of str, shape (G,)
        Archetype of each group (names of :data:`ARCHETYPES`). [-]
    n_buildings : numpy.ndarray, shape (G,)
        Buildings per group. [buildings]
    cfg : BuildingsConfig or omegaconf.DictConfig
        Uses ``ua_multiplier``, ``ua_cv``, ``mass_participation_frac`` and ``mass_time_scale_h``.
    rng : numpy.random.Generator
        The ``buildings`` stream (:func:`sim.rng.stream`).

    Returns
    -------
    RCParams3
        Per-group arrays, shape (G,): air, surface mass, deep mass (the participating mass split in halves).
    """
    names, n, codes = _codes(archetype_names, n_buildings)
    frac, ts = float(cfg.mass_participation_frac), _time_scale(cfg)
    per = np.array([_raw_row(a, frac, ts) for a in _ARCHETYPES])[codes].reshape(len(names), 8)
    loss = _loss_factors(cfg, rng, len(names))
    per = per * n[:, None]
    per[:, :3] *= loss[:, None]  # heat loss varies; internal couplings and capacities do not
    return three_node_parameters(*per.T)


def _raw_row(a: Archetype, frac: float, ts: float) -> list[float]:
    """One building's raw network values: H_ve, H_win, H_op, H_is, H_ms, H_sm, C_air, C_mass."""
    return [a.h_ventilation_w_per_k, a.h_window_w_per_k, a.h_opaque_w_per_k, a.h_surface_air_w_per_k(),
            a.h_surface_mass_w_per_k(ts, frac), a.h_internal_w_per_k(ts, frac), a.c_air_j_per_k,
            a.c_mass_j_per_k(frac, ts)]  # fmt: skip


@dataclass(frozen=True)
class StarFold:
    """The star-delta transform of ISO 13790's surface node (links to air, surface mass and outdoors)."""

    h_air_surface_w_per_k: np.ndarray  # g_a g_s / sum [W/K]
    h_air_out_w_per_k: np.ndarray  # g_a g_o / sum [W/K]
    h_surface_out_w_per_k: np.ndarray  # g_s g_o / sum [W/K]
    shares: tuple[np.ndarray, np.ndarray, np.ndarray]  # heat released at the star: to air, surface, out [1]


def fold_star(h_is: np.ndarray | float, h_ms: np.ndarray | float, h_window: np.ndarray | float) -> StarFold:
    """Fold the capacity-less star node (room surfaces) linked to the air (``h_is``), the surface mass
    (``h_ms``) and outdoors (``h_window``) into the three pairwise conductances (exact: Kennelly's
    star-delta transform); heat released at the star divides in the ratio of the star's conductances."""
    g_a, g_s, g_o = (np.asarray(x, dtype=float) for x in (h_is, h_ms, h_window))
    total = g_a + g_s + g_o
    return StarFold(g_a * g_s / total, g_a * g_o / total, g_s * g_o / total, (g_a / total, g_s / total, g_o / total))


def radiant_distribution(star_shares: tuple, mass_area_frac: np.ndarray | float) -> tuple:
    """Radiant heat into (air, surface mass, outdoors): ``A_m / A_t`` straight into the mass, the rest on
    the surface (star) node split by ``star_shares`` (ISO 13790:2008 C.3, eq. C.2-C.3). [1]"""
    f = np.asarray(mass_area_frac, dtype=float)
    a, b, c = (np.asarray(x, dtype=float) for x in star_shares)
    out = ((1.0 - f) * a, f + (1.0 - f) * b, (1.0 - f) * c)
    return tuple(float(x) if np.ndim(x) == 0 else x for x in out)


def three_node_parameters(
    h_ve: np.ndarray, h_window: np.ndarray, h_opaque: np.ndarray, h_is: np.ndarray, h_ms: np.ndarray,
    h_internal: np.ndarray, c_air: np.ndarray, c_mass: np.ndarray,
) -> RCParams3:  # fmt: skip
    """Three-node parameters from the physical conductances [W/K] and capacities [J/K] of a building.

    The room surfaces are folded (:func:`fold_star`), the windows on them as in ISO 13790 7.2.2 (H_tr,w
    from the surface node); the participating mass is split in two volumes of equal capacity (room-side
    and far half) linked by ``h_internal``; the deep volume's conductance to outdoors is chosen so that
    the network's steady-state heat-loss coefficient is exactly ``h_ve + h_window + h_opaque`` (as ISO
    13790 chooses H_tr,em), capped where the series construction has no solution.
    """
    from sim.rc_params import RCParams3

    star = fold_star(h_is, h_ms, h_window)
    h_ao = np.asarray(h_ve, dtype=float) + star.h_air_out_w_per_k
    target = np.asarray(h_ve, dtype=float) + np.asarray(h_window, dtype=float) + np.asarray(h_opaque, dtype=float)
    h_as, h_so, h_sm = star.h_air_surface_w_per_k, star.h_surface_out_w_per_k, np.asarray(h_internal, dtype=float)
    y = np.clip(target - h_ao, 1e-9, 0.95 * h_as)  # what the surface branch must conduct
    x = np.clip(h_as * y / (h_as - y) - h_so, 1e-9, 0.95 * h_sm)  # series(H_sm, H_mo)
    h_mo = x * h_sm / (h_sm - x)
    half = 0.5 * np.asarray(c_mass, dtype=float)
    return RCParams3(h_ao, h_as, h_sm, h_mo, h_so, np.asarray(c_air, dtype=float), half, half)


def _codes(archetype_names: np.ndarray, n_buildings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    names = np.asarray(archetype_names).astype(str)
    n = np.asarray(n_buildings, dtype=float)
    if names.shape != n.shape or names.ndim != 1:
        raise ValueError("archetype_names and n_buildings must be 1-D arrays of the same length")
    codes = np.array([ARCHETYPES.index(archetype(x).name) for x in names], dtype=np.int64)
    return names, n, codes


def _loss_factors(cfg: Any, rng: np.random.Generator, n_groups: int) -> np.ndarray:
    z = rng.standard_normal(n_groups)
    return float(cfg.ua_multiplier) * _lognormal_factor(float(cfg.ua_cv), z)


def group_ventilation(params: RCParams3, archetype_names: np.ndarray, n_buildings: np.ndarray, cfg: Any) -> GroupVentilation:
    """The weather- and temperature-dependent air change of building groups (:mod:`sim.ventilation`).

    The reference ventilation conductance of a group is its archetype's times its buildings times the
    heat-loss factor already in ``params`` (the ratio of the group's air-node conductance to the
    archetype's), so it is the ventilation part of ``params.h_air_out_w_per_k``.
    """
    from sim.ventilation import GroupVentilation, SealingRule, wind_stack_ratio

    _names, n, codes = _codes(archetype_names, n_buildings)
    vent = np.array([a.h_ventilation_w_per_k for a in _ARCHETYPES])[codes]
    win = np.array([a.h_window_w_per_k for a in _ARCHETYPES])[codes]
    storeys = np.array([a.storeys for a in _ARCHETYPES])[codes]
    factor = params.h_air_out_w_per_k / ((vent + win) * n)
    sealing = SealingRule(float(getattr(cfg, "sealing_frac", 0.3)), float(getattr(cfg, "sealing_start_c", 18.0)),
                          float(getattr(cfg, "sealing_full_c", 12.0)))  # fmt: skip
    return GroupVentilation(vent * n * factor, wind_stack_ratio(storeys), sealing)


def group_properties(archetype_names: np.ndarray, cfg: Any) -> pd.DataFrame:
    """Per-group archetype properties the chain needs beside the RC parameters, one row per group [1]:
    the radiant shares ``star_air``, ``star_surface``, ``star_out`` (:meth:`Archetype.radiant_shares`) and the
    operative-temperature weights ``op_air``, ``op_surface``, ``op_out`` (at ``buildings.mass_time_scale_h``)."""
    names = np.asarray(archetype_names).astype(str)
    ts = _time_scale(cfg)
    table = {a.name: (*a.radiant_shares(ts), *a.operative_weights(ts)) for a in _ARCHETYPES}
    rows = np.array([table[archetype(x).name] for x in names]).reshape(len(names), 6)
    cols = ("star_air", "star_surface", "star_out", "op_air", "op_surface", "op_out")
    return pd.DataFrame({c: rows[:, i] for i, c in enumerate(cols)})


def solar_coefficients(
    archetype_names: np.ndarray, n_buildings: np.ndarray, params: RCParams3, cfg: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-group coefficients of the solar gains on the five surface kinds of :data:`sim.solar.SURFACES`.

    Window and wall areas are split equally over north, east, south and west (the orientation of a
    group's buildings is not known; the average over orientations) and the roof is horizontal. With
    ``T`` the glazing-transmitted and ``I`` the incident irradiance per surface [W/m2] (shape (..., 5)):

    * through windows: ``T @ window`` [W], with ``window = A_win / 4 x g x (1 - frame) x shading``;
    * on opaque surfaces: ``I @ opaque`` [W], ``opaque = alpha R_se U A`` (ISO 13790 11.3.4, sol-air;
      R_se = 0.04 m2 K/W), already divided by ``kappa`` (the steady-state share of deep-mass heat reaching
      the air) so that, put into the deep mass node, its effect on the air is ISO's;
    * thermal radiation to the sky: a constant loss ``sky_loss`` [W] = ``R_se h_r dtheta_er sum F_r U A``
      (ISO 13790 11.3.5: h_r = 5 eps = 4.5 W/(m2 K), dtheta_er = 11 K, F_r = 1 roofs, 0.5 walls and
      windows), of the windows at the room surfaces (with the sun through them) and of the opaque
      envelope in the deep mass (divided by ``kappa``).

    Returns
    -------
    window, opaque : numpy.ndarray, shape (5, G)
        [m2]
    sky_loss_star, sky_loss_deep : numpy.ndarray, shape (G,)
        [W]
    """
    _names, n, codes = _codes(archetype_names, n_buildings)
    shading = float(getattr(cfg, "window_shading_frac", 0.6))
    alpha = float(getattr(cfg, "solar_absorptance", 0.6))
    r_se, h_r, dtheta = 0.04, 4.5, 11.0
    win = np.zeros((len(_ARCHETYPES), 5))
    opq = np.zeros((len(_ARCHETYPES), 5))
    sky_air = np.zeros(len(_ARCHETYPES))
    sky_op = np.zeros(len(_ARCHETYPES))
    for i, a in enumerate(_ARCHETYPES):
        win[i, :4] = a.window_area_m2 / 4.0 * a.window_g * (1.0 - a.window_frame_frac) * shading
        opq[i, :4] = alpha * r_se * a.u_wall_w_per_k_m2 * a.wall_area_m2 / 4.0
        opq[i, 4] = alpha * r_se * a.b_roof * a.u_roof_w_per_k_m2 * a.roof_area_m2
        sky_air[i] = r_se * h_r * dtheta * 0.5 * a.h_window_w_per_k
        sky_op[i] = r_se * h_r * dtheta * (0.5 * a.u_wall_w_per_k_m2 * a.wall_area_m2
                                           + a.b_roof * a.u_roof_w_per_k_m2 * a.roof_area_m2)  # fmt: skip
    kappa = np.maximum(params.to_air_frac(params.n_nodes - 1), 1e-6)  # deep mass -> air, steady state
    return ((win[codes] * n[:, None]).T.copy(), (opq[codes] * n[:, None] / kappa[:, None]).T.copy(),
            sky_air[codes] * n, sky_op[codes] * n / kappa)  # fmt: skip


def archetype_parameters(
    name: str, n_buildings: float = 1.0, mass_participation_frac: float = 1.0,
    time_scale_h: float = COOLDOWN_TIME_H,
) -> RCParams3:  # fmt: skip
    """Three-node RC parameters of ``n_buildings`` buildings of one archetype, without variation (shape ``()``)."""
    row = _raw_row(archetype(name), mass_participation_frac, time_scale_h)
    return three_node_parameters(*(np.asarray(v * n_buildings) for v in row))
