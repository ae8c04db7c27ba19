"""Building archetypes: geometry, envelope, ventilation, heat capacities and gains of the building stock.

Names are the public keys used in configs (``city.apartment_stock``, ``city.private_stock``) and on the
``archetype`` coordinate of results; their order in :data:`ARCHETYPES` is part of the contract.

Every archetype is a simple box: ``storeys`` storeys of height ``storey_height_m`` on a rectangular footprint
``floor_area_m2 / storeys`` of depth ``depth_m``. Walls, windows, roof and ground floor follow from that
geometry and the window-to-floor ratio; each element has a U-value (effective, thermal bridges and panel
joints included). Heat capacity has two explicit parts (DESIGN.md, "Mind the time scale"):

* ``c_eff_j_per_k_m2``: the ISO 13790:2008 effective (daily-cycle) capacity class, Table 12
  (calibration E2): very light 80, light 110, medium 165, heavy 260, very heavy 370 kJ/(m2 K);
* ``c_long_j_per_k_m2``: the further mass that a cool-down over several days draws on (full thickness of
  concrete floor slabs and inner walls, the inner part of masonry outer walls), estimated from a mass
  inventory of the construction (kg/m2 of floor area x specific heat) minus the effective part. The
  config key ``buildings.mass_participation_frac`` scales it (0 gives the ISO 13790 building).

The resulting time constants ``tau = C / H`` follow the expert ordering of calibration E4 (16-storey panel
cools fastest, then 9-storey panel, then khrushchyovka; brick/stalinka slowest) and the small-house field
test of calibration E5. No Ukrainian TABULA/EPISCOPE typology exists (Ukraine is not among the TABULA
countries), so U-values are taken from calibration E1 (Soviet stock) and the DBN V.2.6-31:2016 minimum
thermal resistances (new and insulated buildings); everything else is stated per archetype below.

References
----------
.. [1] ISO 13790:2008, Energy performance of buildings - Calculation of energy use for space heating and
   cooling, Table 12 (capacity classes), 7.2.2 (5R1C network: h_ms = 9.1, h_is = 3.45 W/(m2 K),
   A_t = 4.5 A_f).
.. [2] DBN V.2.6-31:2016, Thermal insulation of buildings (Ukraine): minimum R for zone I (Kyiv): walls 3.3,
   roofs 6.0, floors over unheated basements 3.75, windows 0.75 m2 K/W.
.. [3] EN 12831:2003, Heating systems in buildings - Design heat load, Annex D: temperature adjustment
   factors b_u for spaces at unknown temperature (unheated basement 0.5-0.6, ventilated attic 0.9).
.. [4] reference/calibration.md, section E (E1-E5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sim.thermal import RCParams

#: Volumetric heat capacity of air, rho c_p = 1.2 kg/m3 x 1005 J/(kg K) ~ 1200 J/(m3 K). [J/(m3 K)]
AIR_J_PER_K_M3 = 1200.0
#: ISO 13790 7.2.2.2: heat transfer coefficient between the mass and the surface node. [W/(m2 K)]
H_MS_W_PER_K_M2 = 9.1
#: ISO 13790 7.2.2.2: heat transfer coefficient between the surface and the air node. [W/(m2 K)]
H_IS_W_PER_K_M2 = 3.45
#: ISO 13790 7.2.2.2: area of all surfaces facing the zone over the floor area, Lambda_at. [1]
A_TOT_PER_FLOOR = 4.5
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


@dataclass(frozen=True)
class Archetype:
    """One building archetype: geometry, envelope, ventilation, heat capacity and gains of ONE building.

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
    air_changes_per_h: float  # ventilation and infiltration, winter, windows shut [1/h]
    iso13790_class: str  # ISO 13790 Table 12 capacity class (calibration E2)
    c_long_j_per_k_m2: float  # long-term mass beyond the ISO effective capacity, per floor area [J/(K m2)]
    c_furnishing_j_per_k_m2: float  # furniture and contents coupled to the air node [J/(K m2)]
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

    # --- conductances -----------------------------------------------------------------------------------
    @property
    def h_window_w_per_k(self) -> float:
        """Transmission through windows, U A. [W/K]"""
        return self.u_window_w_per_k_m2 * self.window_area_m2

    @property
    def h_ventilation_w_per_k(self) -> float:
        """Ventilation and infiltration, rho c n V / 3600 (ISO 13790 9.3). [W/K]"""
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

    @property
    def h_air_mass_w_per_k(self) -> float:
        """Air-to-mass coupling: ISO 13790 H_tr,is and H_tr,ms in series. [W/K]"""
        a_m = ISO13790_CLASSES[self.iso13790_class][1] * self.floor_area_m2
        h_ms = H_MS_W_PER_K_M2 * a_m
        h_is = H_IS_W_PER_K_M2 * A_TOT_PER_FLOOR * self.floor_area_m2
        return 1.0 / (1.0 / h_ms + 1.0 / h_is)

    @property
    def h_mass_out_w_per_k(self) -> float:
        """Mass node to outdoors, ``1 / (1 / H_op - 1 / H_am)``. [W/K]

        Chosen, as ISO 13790 7.2.2.2 does for H_tr,em, so that the opaque path air-mass-outdoors in series
        conducts exactly ``H_op``: the network's steady-state heat loss is the envelope's ``H``.
        """
        return _mass_out(self.h_opaque_w_per_k, self.h_air_mass_w_per_k)

    # --- capacities -----------------------------------------------------------------------------------
    @property
    def c_eff_j_per_k_m2(self) -> float:
        """ISO 13790 Table 12 effective capacity of the archetype's class (calibration E2). [J/(K m2)]"""
        return ISO13790_CLASSES[self.iso13790_class][0]

    @property
    def c_air_j_per_k(self) -> float:
        """Air node: indoor air and furnishings. [J/K]"""
        return AIR_J_PER_K_M3 * self.air_volume_m3 + self.c_furnishing_j_per_k_m2 * self.floor_area_m2

    def c_mass_j_per_k(self, mass_participation_frac: float = 1.0) -> float:
        """Mass node: ISO effective capacity plus the participating share of the long-term mass. [J/K]"""
        return (self.c_eff_j_per_k_m2 + mass_participation_frac * self.c_long_j_per_k_m2) * self.floor_area_m2

    def tau_h(self, mass_participation_frac: float = 1.0) -> float:
        """Time constant of multi-day cool-downs, tau = C / H (calibration E6). [h]"""
        c = self.c_air_j_per_k + self.c_mass_j_per_k(mass_participation_frac)
        return c / self.h_total_w_per_k / 3600.0

    @property
    def tau_daily_h(self) -> float:
        """Time constant with the ISO 13790 effective capacity only (daily cycles), C_m / H. [h]"""
        return self.c_eff_j_per_k_m2 * self.floor_area_m2 / self.h_total_w_per_k / 3600.0


_SOVIET_WINDOW = "windows: E1 2.3 (double-sash wood), about half replaced by PVC ~1.4 [L] -> 1.85"

# fmt: off
_ARCHETYPES = (
    Archetype(
        "khrushchyovka_5", "5-storey khrushchyovka (1950-60s)", "apartment", 5, 3200.0,
        storey_height_m=2.7, room_height_m=2.5, depth_m=11.5, window_floor_ratio=0.14,
        u_wall_w_per_k_m2=1.2, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=1.0, u_floor_w_per_k_m2=1.0,
        b_roof=1.0, b_floor=0.6, air_changes_per_h=0.55, iso13790_class="heavy",
        c_long_j_per_k_m2=350e3, c_furnishing_j_per_k_m2=20e3,
        source=(
            "walls E1 (0.38-0.51 m brick or 0.35 m expanded-clay panel, U 1.1-1.4); " + _SOVIET_WINDOW
            + "; flat combined roof, floor over basement b 0.6 [3]; ach: natural stack ventilation, 5 "
            "storeys [L]; E2 heavy; long-term mass: 220 mm hollow-core slabs (~300 kg/m2) + brick inner "
            "walls + inner half of outer walls ~610 kJ/(m2 K) total [M]"
        ),
    ),
    Archetype(
        "panel_9", "9-storey panel (1970-90s)", "apartment", 9, 4600.0,
        storey_height_m=2.8, room_height_m=2.5, depth_m=12.0, window_floor_ratio=0.15,
        u_wall_w_per_k_m2=1.15, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=0.9, u_floor_w_per_k_m2=0.9,
        b_roof=0.9, b_floor=0.6, air_changes_per_h=0.7, iso13790_class="heavy",
        c_long_j_per_k_m2=290e3, c_furnishing_j_per_k_m2=20e3,
        source=(
            "walls E1 (three-layer or ceramsite panel, joints included); " + _SOVIET_WINDOW
            + "; technical attic b 0.9, basement b 0.6 [3]; ach [L]; E2 heavy; long-term mass: hollow-core "
            "slabs + 140 mm concrete inner walls ~550 kJ/(m2 K) total [M]"
        ),
    ),
    Archetype(
        "panel_16", "16-storey panel (1970-90s)", "apartment", 16, 6400.0,
        storey_height_m=2.8, room_height_m=2.5, depth_m=13.0, window_floor_ratio=0.16,
        u_wall_w_per_k_m2=1.15, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=0.9, u_floor_w_per_k_m2=0.9,
        b_roof=0.9, b_floor=0.6, air_changes_per_h=0.95, iso13790_class="heavy",
        c_long_j_per_k_m2=290e3, c_furnishing_j_per_k_m2=20e3,
        source=(
            "walls E1 as panel_9; " + _SOVIET_WINDOW + "; ach higher than panel_9: stack effect over 16 "
            "storeys, lift and refuse-chute shafts, wind exposure [L] (this gives E4's ordering); E2 heavy; "
            "long-term mass as panel_9 [M]"
        ),
    ),
    Archetype(
        "brick_stalinka", "Brick / stalinka (1930-50s)", "apartment", 5, 3000.0,
        storey_height_m=3.4, room_height_m=3.1, depth_m=14.0, window_floor_ratio=0.13,
        u_wall_w_per_k_m2=1.0, u_window_w_per_k_m2=1.85, u_roof_w_per_k_m2=0.8, u_floor_w_per_k_m2=0.9,
        b_roof=0.9, b_floor=0.6, air_changes_per_h=0.5, iso13790_class="very heavy",
        c_long_j_per_k_m2=360e3, c_furnishing_j_per_k_m2=20e3,
        source=(
            "walls: 0.64-0.77 m solid brick, U ~1.0 (E1 0.9-1.4); " + _SOVIET_WINDOW + "; cold attic b "
            "0.9, basement b 0.6 [3]; ach [L]; E2 very heavy; long-term mass: thick brick outer and inner "
            "walls, slabs with backfill ~730 kJ/(m2 K) total [M]"
        ),
    ),
    Archetype(
        "modern_monolithic", "Modern monolithic frame (2000s-)", "apartment", 18, 5000.0,
        storey_height_m=3.0, room_height_m=2.7, depth_m=15.0, window_floor_ratio=0.20,
        u_wall_w_per_k_m2=0.5, u_window_w_per_k_m2=1.4, u_roof_w_per_k_m2=0.35, u_floor_w_per_k_m2=0.5,
        b_roof=1.0, b_floor=0.6, air_changes_per_h=0.5, iso13790_class="heavy",
        c_long_j_per_k_m2=240e3, c_furnishing_j_per_k_m2=20e3,
        source=(
            "walls: aerated-concrete infill with thin insulation, slab-edge bridges, U 0.5 (between E1 and "
            "the DBN norm 0.30 [2]) [L]; PVC double glazing 1.4 [2]; roof 0.35; ach [L]; E2 heavy; "
            "long-term mass: 200 mm solid concrete slabs ~500 kJ/(m2 K) total [M]"
        ),
    ),
    Archetype(
        "private_old", "Old private house, not insulated", "house", 1, 90.0,
        storey_height_m=2.8, room_height_m=2.6, depth_m=9.0, window_floor_ratio=0.12,
        u_wall_w_per_k_m2=1.0, u_window_w_per_k_m2=2.3, u_roof_w_per_k_m2=0.8, u_floor_w_per_k_m2=0.6,
        b_roof=0.9, b_floor=0.5, air_changes_per_h=0.5, iso13790_class="very heavy",
        c_long_j_per_k_m2=520e3, c_furnishing_j_per_k_m2=20e3,
        source=(
            "walls E1 (uninsulated ~0.5 m brick or adobe, U ~1.0), windows E1 2.3; ceiling to cold attic "
            "b 0.9, floor on ground b 0.5 [3]; ach [L]; E2 very heavy (thick masonry); long-term mass: "
            "inner half of the masonry walls, inner brick walls, ceiling with clay backfill, masonry stove "
            "~780 kJ/(m2 K), plus the ground under the floor (E5, ground coupling) -> ~890 total [M]; "
            "checked against E5 (21 -> ~4 degC air in 48 h at -12 degC)"
        ),
    ),
    Archetype(
        "private_insulated", "Insulated private house, masonry", "house", 2, 150.0,
        storey_height_m=2.8, room_height_m=2.6, depth_m=8.0, window_floor_ratio=0.15,
        u_wall_w_per_k_m2=0.3, u_window_w_per_k_m2=1.1, u_roof_w_per_k_m2=0.17, u_floor_w_per_k_m2=0.27,
        b_roof=1.0, b_floor=0.5, air_changes_per_h=0.3, iso13790_class="very heavy",
        c_long_j_per_k_m2=800e3, c_furnishing_j_per_k_m2=20e3,
        source=(
            "DBN V.2.6-31 minimum R [2] (E1): walls 0.30, windows R 0.9 -> 1.1, roof R 6 -> 0.17, floor "
            "R 3.75 -> 0.27; floor on ground b 0.5 [3]; ach [L]; E2 very heavy; long-term mass: masonry "
            "walls inside the insulation, two concrete slabs, inner brick walls ~1170 kJ/(m2 K) total [M]; "
            "checked against E5 (15-17 degC after 48 h at -12 degC)"
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


def archetype_table(mass_participation_frac: float = 1.0) -> pd.DataFrame:
    """One row per archetype (canonical order) with envelope, U-values, capacities, H and tau.

    Parameters
    ----------
    mass_participation_frac : float
        Share of the long-term mass that takes part in cool-downs (config
        ``buildings.mass_participation_frac``). [1]

    Returns
    -------
    pandas.DataFrame
        Indexed by archetype name; columns carry their unit in the name.

    Examples
    --------
    >>> t = archetype_table()
    >>> list(t.index) == list(ARCHETYPES)
    True
    >>> bool((t["tau_h"] > t["tau_daily_h"]).all())
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
                "c_long_kj_per_k_m2": a.c_long_j_per_k_m2 / 1e3,
                "h_ventilation_w_per_k": a.h_ventilation_w_per_k,
                "h_window_w_per_k": a.h_window_w_per_k,
                "h_opaque_w_per_k": a.h_opaque_w_per_k,
                "h_total_w_per_k": h,
                "h_w_per_k_m2": h / a.floor_area_m2,
                "design_load_w_per_m2": h * (21.0 - DESIGN_OUTDOOR_C) / a.floor_area_m2,
                "tau_daily_h": a.tau_daily_h,
                "tau_h": a.tau_h(mass_participation_frac),
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


def group_parameters(
    archetype_names: np.ndarray, n_buildings: np.ndarray, cfg: Any, rng: np.random.Generator
) -> RCParams:
    """RC parameters of building groups: archetype values x buildings, with heat-loss variation.

    A group is ``n`` similar buildings; its parameters are the sum over its buildings (conductances and
    capacities scale with ``n``, so a group behaves like one of its buildings). The heat loss of each
    group (ventilation, windows and opaque envelope; not the internal air-mass coupling) is multiplied
    by ``cfg.ua_multiplier`` and by a mean-one lognormal factor with coefficient of variation
    ``cfg.ua_cv`` (floor position, renovation), one draw per group, so the group's steady-state heat-loss
    coefficient is exactly ``n x factor x H`` of its archetype. One normal is drawn per group even when
    ``ua_cv`` is 0, so that the stream of draws does not depend on it.

    Parameters
    ----------
    archetype_names : numpy.ndarray of str, shape (G,)
        Archetype of each group (names of :data:`ARCHETYPES`). [-]
    n_buildings : numpy.ndarray, shape (G,)
        Buildings per group. [buildings]
    cfg : BuildingsConfig or omegaconf.DictConfig
        Uses ``ua_multiplier``, ``ua_cv`` and ``mass_participation_frac``.
    rng : numpy.random.Generator
        The ``buildings`` stream (:func:`sim.rng.stream`).

    Returns
    -------
    RCParams
        Per-group arrays, shape (G,).
    """
    from sim.thermal import RCParams

    names = np.asarray(archetype_names).astype(str)
    n = np.asarray(n_buildings, dtype=float)
    if names.shape != n.shape or names.ndim != 1:
        raise ValueError("archetype_names and n_buildings must be 1-D arrays of the same length")
    frac = float(cfg.mass_participation_frac)
    codes = np.array([ARCHETYPES.index(archetype(x).name) for x in names], dtype=np.int64)
    per = np.array(
        [
            [
                a.h_ventilation_w_per_k + a.h_window_w_per_k,
                a.h_air_mass_w_per_k,
                a.h_opaque_w_per_k,
                a.c_air_j_per_k,
                a.c_mass_j_per_k(frac),
            ]
            for a in _ARCHETYPES
        ]
    )[codes].reshape(len(names), 5)
    z = rng.standard_normal(len(names))
    loss = float(cfg.ua_multiplier) * _lognormal_factor(float(cfg.ua_cv), z)
    h_air_mass = per[:, 1] * n
    return RCParams(
        h_air_out_w_per_k=per[:, 0] * n * loss,
        h_air_mass_w_per_k=h_air_mass,
        h_mass_out_w_per_k=_mass_out(per[:, 2] * n * loss, h_air_mass),
        c_air_j_per_k=per[:, 3] * n,
        c_mass_j_per_k=per[:, 4] * n,
    )


def archetype_parameters(
    name: str, n_buildings: float = 1.0, mass_participation_frac: float = 1.0
) -> RCParams:
    """RC parameters of ``n_buildings`` buildings of one archetype, without variation (shape ``()``)."""
    from sim.thermal import RCParams

    a = archetype(name)
    return RCParams(
        h_air_out_w_per_k=np.asarray((a.h_ventilation_w_per_k + a.h_window_w_per_k) * n_buildings),
        h_air_mass_w_per_k=np.asarray(a.h_air_mass_w_per_k * n_buildings),
        h_mass_out_w_per_k=np.asarray(a.h_mass_out_w_per_k * n_buildings),
        c_air_j_per_k=np.asarray(a.c_air_j_per_k * n_buildings),
        c_mass_j_per_k=np.asarray(a.c_mass_j_per_k(mass_participation_frac) * n_buildings),
    )
