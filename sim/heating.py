"""Heat inputs of building groups: district heat, own boilers, electric heaters, gas stoves and gains.

Pure functions over (realizations R, groups G); :func:`heat_inputs_w` is the one call the chain makes each
step (a single compiled pass over the (R, G) arrays), :func:`initial_state_c` gives the steady state of
normal operation to start from.

Heat sources, per group [W]:

* **Heating system** (district heat, or an own gas boiler in houses and flats without district heat):
  the usual outdoor-temperature supply curve, sized so that in normal operation (heat on, power on,
  nominal gains) the indoor air sits exactly at ``indoor_setpoint_c``:
  ``q_curve = (H (T_set - T_o) - g_nominal) / (1 - f (1 - kappa))``, with ``H`` the steady-state heat-loss
  coefficient, ``g_nominal`` the air-equivalent nominal gains, ``f = radiant_frac`` the share of radiator
  heat delivered to the mass node and ``kappa`` the share of that reaching the air
  (:attr:`sim.thermal.RCParams.radiant_to_air_frac`). Radiators can emit more into a cold room:
  ``e = 1 + (T_set - T_a) / dT_rad(T_o)`` (EN 442 characteristic, linearized in the room temperature),
  with ``dT_rad = radiator_excess_k ((T_set - T_o) / (T_set - T_design))^(1/n)`` the radiator excess
  temperature of the supply curve at that load.
  **District heat** delivers ``q = q_curve min(phi, e)``: ``phi`` is the delivered-heat fraction of the
  supply model (1 normal, 0 none, in between reduced, above 1 a boosted supply after a restart, where
  the source has headroom); radiators take what the network delivers up to what they can emit. It flows
  while the outdoor temperature is below ``heating_limit_c`` (the elevator units of Soviet-era
  substations need no power in the building). **Own gas boilers** modulate to the emitters,
  ``q = q_curve e``, while powered (their pumps), capped at ``boiler_kw`` per house (per household in
  flats with own boilers).
* **Gas stoves**: households that have a gas cooker (``gas_stove_frac`` of the archetype: none in blocks
  above 10 storeys, built with electric cookers) and heat with it when cold (``gas_stove_share_frac``),
  ``gas_stove_kw`` each; usable without power. Their use counts as household-hours of gas-stove space
  heating (a carbon-monoxide risk indicator, calibration G3).
* **Electric heaters** in district-heated groups while power is on: ``heater_share_frac x heater_kw`` per
  household.
* Stoves and heaters are used as the flat gets cold: the share of those who have one rises linearly from
  0 at ``supplement_start_c`` to 1 at ``supplement_full_c`` of indoor air [L]; they stay on after heat
  returns while the flat is still cold. They are thermostatically capped by the remaining deficit to the
  setpoint, ``H (T_set - T_o) + H (T_set - T_a) - gains - q_system`` (the steady-state need plus a
  proportional recovery term), so they never heat a flat above ``indoor_setpoint_c``.
* **Internal gains**: occupants at home x ``person_gain_w`` (the presence of the hour,
  :mod:`sim.occupancy`); appliances ``appliance_w_per_m2`` x floor area while powered; half of them
  radiant (ISO 13790 C.2), released at the room surfaces and split between air, surface mass and the
  windows as the sun through windows is (:meth:`sim.archetypes.Archetype.radiant_shares`). Solar gains (:mod:`sim.solar`) arrive as extra
  inputs per node.

The convective share of radiator heat, heaters and stoves go to the air node.

References
----------
.. [1] EN 442-2:2014, Radiators and convectors - Test methods and rating (characteristic exponent n).
.. [2] DSTU-N B V.1.1-27:2010, Building climatology (Kyiv design temperature -22 degC).
.. [3] ASHRAE Handbook - Fundamentals, ch. 18, Table 1: sensible heat of people (70 W seated, very light work).
.. [4] ISO 13790:2008, C.2: half of the internal gains to the air node, half to the surfaces.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numba
import numpy as np
import pandas as pd

from sim.rc_params import Params
from sim.thermal import steady_state

__all__ = [
    "HEAT_INPUT_ROWS",
    "BuildingInputs",
    "heat_input_constants",
    "heat_input_kernel",
    "heat_inputs_w",
    "initial_state_c",
    "inv_radiator_excess",
    "normal_operation_w",
    "radiant_inputs",
    "setpoint_ventilation_extra_w_per_k",
]

_REQUIRED = ("n_buildings", "floor_area_m2", "occupants", "households", "kind", "heating")
#: ISO 13790 C.2: share of internal gains (people, appliances) that is radiant. [1]
GAINS_RADIANT_FRAC = 0.5


@dataclass(frozen=True)
class BuildingInputs:
    """Static per-group arrays, shape (G,), that the heat inputs need.

    Attributes
    ----------
    n_buildings : numpy.ndarray
        Buildings in the group. [buildings]
    floor_area_m2 : numpy.ndarray
        Heated floor area of the group. [m2]
    occupants : numpy.ndarray
        People living in the group (present in the city). [people]
    households : numpy.ndarray
        Households in the group. [households]
    is_house : numpy.ndarray of bool
        Private houses (``kind == 'house'``).
    uses_district_heat : numpy.ndarray of bool
        Heated by district heat (``heating == 'district'``); otherwise by own gas boilers.
    h_total_w_per_k : numpy.ndarray
        Steady-state heat-loss coefficient of the group (sizes the supply curve). [W/K]
    radiant_to_air_frac : numpy.ndarray
        Share of heat put into the node that takes radiant heat (the mass of a two-node model, the
        surface mass of a three-node one) that acts on the air's steady state. [1]
    gas_stove_frac : numpy.ndarray
        Households with a gas cooker (archetype). [1]
    radiant_air_share, radiant_surface_share : numpy.ndarray
        Shares of radiant heat released at the room surfaces (radiant gains) that go to the air and to the
        node taking radiant heat; the rest leaves through the windows (:meth:`sim.archetypes.Archetype.radiant_shares`). [1]
    """

    n_buildings: np.ndarray
    floor_area_m2: np.ndarray
    occupants: np.ndarray
    households: np.ndarray
    is_house: np.ndarray
    uses_district_heat: np.ndarray
    h_total_w_per_k: np.ndarray
    radiant_to_air_frac: np.ndarray
    gas_stove_frac: np.ndarray | float = 1.0
    radiant_air_share: np.ndarray | float = 1.0
    radiant_surface_share: np.ndarray | float = 0.0

    def __post_init__(self) -> None:
        n = np.array(self.floor_area_m2, dtype=float).reshape(-1).shape[0]
        for f in fields(self):
            dtype = bool if f.name in ("is_house", "uses_district_heat") else float
            arr = np.array(getattr(self, f.name), dtype=dtype).reshape(-1)
            if f.name in ("gas_stove_frac", "radiant_air_share", "radiant_surface_share") and arr.shape[0] == 1:
                arr = np.repeat(arr, n)
            if arr.shape[0] != n:
                raise ValueError(f"BuildingInputs.{f.name}: expected {n} groups, got {arr.shape[0]}")
            arr.flags.writeable = False
            object.__setattr__(self, f.name, arr)

    @property
    def boiler_cap_w(self) -> np.ndarray | None:
        """Own gas boilers per group (one per house, one per flat), times 1000 W/kW; None if none. [W/kW]"""
        if self.uses_district_heat.all():
            return None
        units = np.where(self.is_house, self.n_buildings, self.households)
        return np.where(self.uses_district_heat, np.inf, units * 1e3)

    @property
    def n_groups(self) -> int:
        """Number of building groups G."""
        return int(self.floor_area_m2.shape[0])

    @property
    def gains_air_frac(self) -> np.ndarray:
        """Share of internal gains into the air node: the convective half and the radiant air share. [1]"""
        return np.asarray(1.0 - GAINS_RADIANT_FRAC + GAINS_RADIANT_FRAC * self.radiant_air_share)

    @property
    def gains_radiant_node_frac(self) -> np.ndarray:
        """Share of internal gains into the node taking radiant heat. [1]"""
        return np.asarray(GAINS_RADIANT_FRAC * self.radiant_surface_share)

    @property
    def gains_air_equivalent_frac(self) -> np.ndarray:
        """Share of internal gains that acts on the air's steady state. [1]"""
        return self.gains_air_frac + self.gains_radiant_node_frac * self.radiant_to_air_frac

    @classmethod
    def from_groups(cls, groups: pd.DataFrame, params: Params) -> BuildingInputs:
        """Build from the city's building-group table and the groups' RC parameters.

        Parameters
        ----------
        groups : pandas.DataFrame
            One row per group with at least ``n_buildings``, ``floor_area_m2`` (group total),
            ``occupants``, ``households``, ``kind`` ('apartment' or 'house') and ``heating``
            ('district' or 'gas_boiler'); with ``archetype``, the archetype's gas cookers and radiant
            split are used (:mod:`sim.archetypes`).
        params : RCParams or RCParams3
            Per-group parameters from :func:`sim.archetypes.group_parameters`, shape (G,).
        """
        missing = [c for c in _REQUIRED if c not in groups.columns]
        if missing:
            raise ValueError(f"building groups table lacks columns: {', '.join(missing)}")
        if params.shape != (len(groups),):
            raise ValueError(f"params have shape {params.shape}, groups table has {len(groups)} rows")
        heating = groups["heating"].astype(str).to_numpy()
        bad = sorted(set(heating) - {"district", "gas_boiler"})
        if bad:
            raise ValueError(f"unknown heating {bad}; valid: district, gas_boiler")
        stove, radiant, surface = np.ones(len(groups)), np.ones(len(groups)), np.zeros(len(groups))
        if "archetype" in groups.columns:
            from sim.archetypes import archetype

            arch = [archetype(str(a)) for a in groups["archetype"]]
            stove = np.array([a.gas_stove_frac for a in arch])
            shares = np.array([a.radiant_shares() for a in arch]).reshape(len(arch), 3)
            radiant, surface = shares[:, 0], shares[:, 1]
        return cls(
            n_buildings=groups["n_buildings"].to_numpy(float),
            floor_area_m2=groups["floor_area_m2"].to_numpy(float),
            occupants=groups["occupants"].to_numpy(float),
            households=groups["households"].to_numpy(float),
            is_house=groups["kind"].astype(str).to_numpy() == "house",
            uses_district_heat=heating == "district",
            h_total_w_per_k=params.h_total_w_per_k,
            radiant_to_air_frac=params.radiant_to_air_frac,
            gas_stove_frac=stove,
            radiant_air_share=radiant,
            radiant_surface_share=surface,
        )


def _curve_coefficients(
    bp: BuildingInputs, cfg: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-group terms of the supply curve: slope [W/K], offset [W], people [W] (all at home) and
    appliance [W] gains; the offset holds the nominal gains (mean presence), air-equivalent."""
    from sim.occupancy import mean_presence

    people_w = bp.occupants * float(cfg.person_gain_w)
    appliance_w = bp.floor_area_m2 * float(cfg.appliance_w_per_m2)
    f = float(cfg.radiant_frac)
    share = 1.0 / (1.0 - f * (1.0 - bp.radiant_to_air_frac))
    nominal = (people_w * mean_presence() + appliance_w) * bp.gains_air_equivalent_frac
    return bp.h_total_w_per_k * share, nominal * share, people_w, appliance_w


def _gains_split(bp: BuildingInputs, gains_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Internal gains into the air and the radiant node (ISO 13790 C.2 radiant half, star shares). [W]"""
    return gains_w * bp.gains_air_frac, gains_w * bp.gains_radiant_node_frac


def setpoint_ventilation_extra_w_per_k(
    ventilation: Any, t_out_c: np.ndarray | float, cfg: Any, wind_m_per_s: np.ndarray | float | None = None
) -> np.ndarray:
    """Ventilation conductance above the reference at the setpoint, ``h_vent (f_set - 1)``, where ``f_set``
    is the air-change factor of a flat at ``indoor_setpoint_c`` (:func:`sim.ventilation.air_change_factor`,
    no sealing). The supply curve is sized with it, so normal operation keeps the setpoint whatever the
    stack and wind. Shape: broadcast of ``t_out_c`` and (G,). [W/K]"""
    from sim.ventilation import V_REF_M_PER_S, air_change_factor

    wind = V_REF_M_PER_S if wind_m_per_s is None else wind_m_per_s
    f = air_change_factor(float(cfg.indoor_setpoint_c), t_out_c, wind, ventilation.k_wind)
    return ventilation.h_vent_w_per_k * (f - 1.0)


def normal_operation_w(
    bp: BuildingInputs, t_out_c: np.ndarray | float, cfg: Any, extra_h_w_per_k: np.ndarray | float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Heat inputs of normal operation: heating system on the supply curve, power on, nominal gains.

    Ignores ``heating_limit_c`` (the system is taken to keep the setpoint whatever the weather), so the
    steady state of these inputs is the setpoint wherever the curve is positive. Nominal gains: the daily
    mean presence of occupants (:func:`sim.occupancy.mean_presence`), no sun.

    Parameters
    ----------
    bp : BuildingInputs
        Static group data, G groups.
    t_out_c : array_like
        Outdoor temperature, e.g. (R, 1). [degC]
    cfg : BuildingsConfig or omegaconf.DictConfig
        The ``buildings`` group.
    extra_h_w_per_k : array_like
        Air-node conductance to outdoors above the reference (variable ventilation at the setpoint,
        :func:`setpoint_ventilation_extra_w_per_k`), broadcastable with the result. [W/K]

    Returns
    -------
    q_air_w, q_mass_w : numpy.ndarray, shape broadcast of t_out_c and (G,)
        Heat into the air and the mass node. [W]
    """
    from sim.occupancy import mean_presence

    slope, offset, people_w, appliance_w = _curve_coefficients(bp, cfg)
    slope = slope + np.asarray(extra_h_w_per_k, dtype=float) * (slope / bp.h_total_w_per_k)
    t_out = np.asarray(t_out_c, dtype=float)
    q_sys = np.maximum(slope * (float(cfg.indoor_setpoint_c) - t_out) - offset, 0.0)
    q_mass = float(cfg.radiant_frac) * q_sys
    g_air, g_mass = _gains_split(bp, people_w * mean_presence() + appliance_w)
    return q_sys - q_mass + g_air, q_mass + g_mass


def initial_state_c(
    bp: BuildingInputs, params: Params, t_out_c: np.ndarray | float, cfg: Any,
    ventilation: Any = None, wind_m_per_s: np.ndarray | float | None = None,
) -> np.ndarray:  # fmt: skip
    """Steady-state node temperatures of normal operation (:func:`normal_operation_w`), shape (..., G, 2),
    with the air change of a flat at the setpoint when ``ventilation`` (a
    :class:`sim.thermal.GroupVentilation`) is given. [degC]"""
    if ventilation is None:
        q_air, q_rad = normal_operation_w(bp, t_out_c, cfg)
        return steady_state(params, t_out_c, q_air, **radiant_inputs(params, q_rad))
    extra = setpoint_ventilation_extra_w_per_k(ventilation, t_out_c, cfg, wind_m_per_s)
    q_air, q_rad = normal_operation_w(bp, t_out_c, cfg, extra)
    p = replace(params, h_air_out_w_per_k=params.h_air_out_w_per_k + extra)
    return steady_state(p, t_out_c, q_air, **radiant_inputs(params, q_rad))


def radiant_inputs(params: Any, q_radiant_w: np.ndarray | float) -> dict[str, np.ndarray | float]:
    """The keyword (``q_mass_w`` or ``q_surface_w``) that puts heat into the node taking radiant heat:
    the mass of a two-node model, the surface mass of a three-node one (``params.n_nodes``)."""
    return {"q_surface_w": q_radiant_w} if params.n_nodes == 3 else {"q_mass_w": q_radiant_w}


def heat_inputs_w(
    bp: BuildingInputs,
    t_out_c: np.ndarray,
    indoor_c: np.ndarray,
    powered: np.ndarray,
    heat_frac: np.ndarray,
    cfg: Any,
    out: tuple[np.ndarray, np.ndarray] | None = None,
    *,
    presence: float = 1.0,
    extra_air_w: np.ndarray | None = None,
    extra_mass_w: np.ndarray | None = None,
    stove_households: np.ndarray | None = None,
    extra_h_w_per_k: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Heat into the air and mass nodes of every group for one step (see the module docstring).

    Parameters
    ----------
    bp : BuildingInputs
        Static group data, G groups.
    t_out_c : numpy.ndarray, shape (R, 1) or (R, G)
        Outdoor temperature. [degC]
    indoor_c : numpy.ndarray, shape (R, G)
        Indoor air temperature at the start of the step. [degC]
    powered : numpy.ndarray of bool, shape (R, G)
        Power is on in the group's buildings.
    heat_frac : numpy.ndarray, shape (R, G)
        District heat delivered relative to the group's normal supply curve (1 normal, 0 none, > 1 a
        boosted supply); a bool array counts as 0/1. Ignored for groups without district heat. [1]
    cfg : BuildingsConfig or omegaconf.DictConfig
        The ``buildings`` group.
    out : tuple of two numpy.ndarray, shape (R, G), optional
        Arrays to write ``q_air_w`` and ``q_mass_w`` into (saves two allocations per step); by default
        new arrays are returned.
    presence : float
        Share of occupants at home over the step (:func:`sim.occupancy.presence`); default 1. [1]
    extra_air_w, extra_mass_w : numpy.ndarray, shape (R, G), optional
        Further heat into the air and the mass node (solar gains); they count as gains for the caps of
        stoves and heaters. [W]
    stove_households : numpy.ndarray, shape (R, G), optional
        Filled with the households heating with gas stoves over the step (stove heat over
        ``gas_stove_kw``, so a capped stove counts in part). [households]
    extra_h_w_per_k : numpy.ndarray, shape (R, G), optional
        Air-node conductance above the reference at the setpoint (variable ventilation,
        :func:`setpoint_ventilation_extra_w_per_k`); sizes the supply curve and the caps. [W/K]

    Returns
    -------
    q_air_w : numpy.ndarray, shape (R, G)
        Heat into the air node: convective share of the heating system, stoves, heaters and gains. [W]
    q_mass_w : numpy.ndarray, shape (R, G)
        Heat into the node taking radiant heat (:func:`radiant_inputs`: the mass of a two-node model,
        the surface mass of a three-node one): radiative share of the heating system and radiant gains. [W]

    Examples
    --------
    >>> from sim.archetypes import archetype_parameters
    >>> from sim.config.buildings import BuildingsConfig
    >>> p = archetype_parameters("panel_9").scaled(np.ones(1))
    >>> bp = BuildingInputs(1, 4600.0, 200, 80, False, True, p.h_total_w_per_k, p.radiant_to_air_frac)
    >>> on = np.ones((1, 1), bool)
    >>> from sim.occupancy import mean_presence
    >>> q_air, q_mass = heat_inputs_w(bp, np.full((1, 1), -10.0), np.full((1, 1), 21.0), on, on,
    ...                               BuildingsConfig(), presence=mean_presence())
    >>> x = steady_state(p, -10.0, q_air, **radiant_inputs(p, q_mass))
    >>> round(float(x[0, 0, 0]), 9)  # normal operation keeps the setpoint
    21.0
    """
    t_out = np.asarray(t_out_c, dtype=float)
    indoor = np.asarray(indoor_c, dtype=float)
    powered = np.asarray(powered, dtype=bool)
    frac = np.asarray(heat_frac, dtype=float)
    shape = np.broadcast_shapes(indoor.shape, powered.shape, frac.shape, t_out.shape, (bp.n_groups,))
    rows = (int(np.prod(shape[:-1], dtype=np.int64)), bp.n_groups)  # the kernel works on (R, G)

    def as_rows(a: np.ndarray, dtype: type, width: int = bp.n_groups) -> np.ndarray:
        # C-contiguous and writeable, so the kernel always sees the same array types (read-only views
        # would compile a second version); copies only broadcast, read-only or non-contiguous inputs
        if a.shape != (rows[0], width):
            a = np.broadcast_to(a, (*shape[:-1], width)).reshape(rows[0], width)
        return np.require(a, dtype, ["C", "W"])

    # one outdoor temperature per realization, e.g. (R, 1), or one per group
    t_rows = as_rows(t_out, float, 1 if t_out.ndim == 0 or t_out.shape[-1] == 1 else bp.n_groups)
    q_air, q_mass = (np.empty(shape), np.empty(shape)) if out is None else out
    direct = all(a.shape == shape and a.dtype == np.float64 and a.flags.c_contiguous for a in (q_air, q_mass))
    q_rows = (q_air.reshape(rows), q_mass.reshape(rows)) if direct else (np.empty(rows), np.empty(rows))
    none = np.zeros((rows[0], 1))
    ex_air = none if extra_air_w is None else as_rows(np.asarray(extra_air_w, dtype=float), float)
    ex_mass = none if extra_mass_w is None else as_rows(np.asarray(extra_mass_w, dtype=float), float)
    stove_rows = np.empty(rows) if stove_households is None else stove_households.reshape(rows)
    ex_h = none if extra_h_w_per_k is None else as_rows(np.asarray(extra_h_w_per_k, dtype=float), float)
    groups, scalars = heat_input_constants(bp, cfg)
    _heat_inputs_kernel(  # type: ignore[call-arg]  # a numba Dispatcher, untyped arity
        t_rows, as_rows(indoor, float), as_rows(powered, bool), as_rows(frac, float), ex_air, ex_mass, ex_h,
        bp.uses_district_heat, groups, float(presence), *scalars, q_rows[0], q_rows[1], stove_rows,
    )  # fmt: skip
    if not direct:  # out= buffers the kernel cannot write into
        q_air[...] = q_rows[0].reshape(shape)
        q_mass[...] = q_rows[1].reshape(shape)
    return q_air, q_mass


#: Rows of the per-group table of :func:`heat_input_constants`.
HEAT_INPUT_ROWS = ("slope", "offset", "people_w", "appliance_w", "gains_air", "gains_rad", "h_total", "boiler_cap_w",
                   "stove_w", "heater_w")  # fmt: skip


def heat_input_constants(bp: BuildingInputs, cfg: Any) -> tuple[np.ndarray, tuple[float, ...]]:
    """The constants of :func:`heat_input_kernel`: a per-group table (len(HEAT_INPUT_ROWS), G), C-contiguous
    (:data:`HEAT_INPUT_ROWS`: supply-curve slope [W/K] and offset [W], people all at home and appliances [W],
    gains' shares into the air and the radiant node [1], heat-loss coefficient [W/K], boiler cap (inf
    where none) [W], stove and heater power when all are on [W]) and the scalars that follow ``presence``
    in its signature (setpoint [degC], heating limit [degC], design span [K], radiator excess [K], 1 / n,
    radiant share [1], supplement start [degC] and span [K], 1 / stove power [1/W])."""
    slope, offset, people_w, appliance_w = _curve_coefficients(bp, cfg)
    cap = bp.boiler_cap_w
    stove_kw = float(cfg.gas_stove_kw)
    groups = np.ascontiguousarray(np.stack([
        slope, offset, people_w, appliance_w, bp.gains_air_frac, bp.gains_radiant_node_frac, bp.h_total_w_per_k,
        np.full(bp.n_groups, np.inf) if cap is None else cap * float(cfg.boiler_kw),
        bp.households * bp.gas_stove_frac * (float(cfg.gas_stove_share_frac) * stove_kw * 1e3),
        bp.households * (float(cfg.heater_share_frac) * float(cfg.heater_kw) * 1e3),
    ]).astype(float))  # fmt: skip
    set_c = float(cfg.indoor_setpoint_c)
    scalars = (set_c, float(cfg.heating_limit_c), set_c - float(cfg.design_outdoor_c), float(cfg.radiator_excess_k),
               1.0 / float(cfg.radiator_exponent), float(cfg.radiant_frac), float(cfg.supplement_start_c),
               float(cfg.supplement_start_c) - float(cfg.supplement_full_c),
               1.0 / (stove_kw * 1e3) if stove_kw > 0 else 0.0)  # fmt: skip
    return groups, scalars


@numba.njit(cache=True, fastmath=False, error_model="numpy")
def inv_radiator_excess(set_minus_out, design_span_k, radiator_excess_k, inv_exponent):  # pragma: no cover
    """1 / dT_rad(T_o): inverse radiator excess temperature of the supply curve at the load. [1/K]"""
    load = set_minus_out / design_span_k
    if load < 1e-3:
        load = 1e-3
    return 1.0 / (radiator_excess_k * load**inv_exponent)


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def heat_input_kernel(
    t_o, inv_excess, indoor, power, frac, extra_air, extra_mass, extra_h, district, groups, g, presence, set_c,
    heating_limit_c, radiant_frac, supplement_start_c, supplement_span_k, inv_stove_w,
):  # pragma: no cover - compiled; exercised through heat_inputs_w and sim.building_stage
    """The formulas of the module docstring for one (realization, group): returns ``(q_air, q_mass,
    stove_households)``. ``groups[:, g]`` is the group's column of :func:`heat_input_constants`;
    ``inv_excess`` is :func:`inv_radiator_excess` of the outdoor temperature ``t_o``. NaN propagates as in
    numpy (``max``/``min`` written as comparisons that keep a NaN left operand). The one definition of the
    heat inputs: :func:`heat_inputs_w` and the fused step of :mod:`sim.building_stage` both call it."""
    slope, offset, h_total = groups[0, g], groups[1, g], groups[6, g]
    set_minus_out = set_c - t_o
    need = set_c - indoor  # deficit to the setpoint [K]
    emit = need * inv_excess + 1.0  # EN 442 emitter factor
    h_eff = h_total + extra_h
    curve = set_minus_out * (slope * (h_eff / h_total)) - offset  # supply curve
    curve = 0.0 if curve < 0.0 else curve
    if district:
        f = frac if t_o < heating_limit_c else 0.0
        f = 0.0 if f < 0.0 else f
        q = curve * (f if f < emit else emit)
    else:  # own boilers modulate to the emitters while powered
        q = curve * emit if power else 0.0
    q = 0.0 if q < 0.0 else q
    cap = groups[7, g]
    q = cap if cap < q else q
    qm = q * radiant_frac
    q_sys = q
    q -= qm
    # internal gains: people at home always, appliances while powered; radiant part partly to mass
    pw = 1.0 if power else 0.0
    gains = pw * groups[3, g] + groups[2, g] * presence
    q += gains * groups[4, g] + extra_air
    qm += gains * groups[5, g] + extra_mass
    # stoves and heaters as the flat gets cold, capped by the remaining deficit to the setpoint
    use = (supplement_start_c - indoor) / supplement_span_k
    use = 0.0 if use < 0.0 else (1.0 if use > 1.0 else use)
    need = (need + set_minus_out) * h_eff - gains - extra_air - extra_mass - q_sys
    need = 0.0 if need < 0.0 else need
    stove = groups[8, g] * use
    stove = stove if stove < need else need
    q += stove
    need -= stove
    heater = pw * use * (groups[9, g] * (1.0 if district else 0.0))
    return q + (heater if heater < need else need), qm, stove * inv_stove_w


@numba.njit(cache=True, fastmath=False, error_model="numpy")
def _heat_inputs_kernel(
    t_out, indoor, powered, heat_frac, extra_air, extra_mass, extra_h, uses_dh, groups, presence, set_c,
    heating_limit_c, design_span_k, radiator_excess_k, inv_exponent, radiant_frac, supplement_start_c,
    supplement_span_k, inv_stove_w, q_air, q_mass, stove_hh,
):  # pragma: no cover - compiled; exercised through heat_inputs_w
    """:func:`heat_input_kernel` over (R, G); writes ``q_air``, ``q_mass`` and ``stove_hh``.

    ``t_out`` is (R, 1) or (R, G), ``extra_air``/``extra_mass``/``extra_h`` (R, 1) zeros or (R, G).
    """
    n_real, n_groups = indoor.shape
    per_group_t = t_out.shape[1] > 1
    wide_ea, wide_em, wide_h = extra_air.shape[1] > 1, extra_mass.shape[1] > 1, extra_h.shape[1] > 1
    for r in range(n_real):
        inv_r = inv_radiator_excess(set_c - t_out[r, 0], design_span_k, radiator_excess_k, inv_exponent)
        for g in range(n_groups):
            t_o, inv_excess = t_out[r, 0], inv_r
            if per_group_t:  # one pow per group, else one per realization
                t_o = t_out[r, g]
                inv_excess = inv_radiator_excess(set_c - t_o, design_span_k, radiator_excess_k, inv_exponent)
            qa, qm, st = heat_input_kernel(
                t_o, inv_excess, indoor[r, g], powered[r, g], heat_frac[r, g],
                extra_air[r, g] if wide_ea else extra_air[r, 0], extra_mass[r, g] if wide_em else extra_mass[r, 0],
                extra_h[r, g] if wide_h else extra_h[r, 0], uses_dh[g], groups, g, presence, set_c, heating_limit_c,
                radiant_frac, supplement_start_c, supplement_span_k, inv_stove_w,
            )  # fmt: skip
            q_air[r, g] = qa
            q_mass[r, g] = qm
            stove_hh[r, g] = st
