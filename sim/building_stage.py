"""The thermal stage of building groups, one step at a time: sun, ventilation, heat inputs, exact RC step.

:class:`BuildingStage` holds everything static about G building groups in R realizations (RC parameters,
ventilation, solar and gain coefficients, operative-temperature weights) and the state of their RC model;
:meth:`BuildingStage.step` advances one step given the outdoor temperature, the wind, power and the
delivered district heat. The chain (:func:`sim.chain.run_scenario`), the validation against measured
cool-downs (:mod:`sim.validation.apartments`) and the cooling-curve figures use it, so they all run the
same physics. Nothing is kept per step beyond a few (R, G) buffers.

Per step, in order (every quantity is held over the step, the RC step is exact for that):

1. the sun through windows less their radiation to the sky, released at the room surfaces and split
   between air, surface mass and back out (:meth:`sim.archetypes.Archetype.radiant_shares`); the sun on
   and the sky radiation of the opaque envelope into the deep mass (:func:`sim.archetypes.solar_coefficients`);
2. the ventilation at the setpoint sizing the supply curve (:func:`sim.heating.setpoint_ventilation_extra_w_per_k`);
3. the heat inputs (:func:`sim.heating.heat_inputs_w`): district heat by its delivered fraction, boilers,
   stoves, heaters, people at home (:func:`sim.occupancy.presence`), appliances;
4. the exact step of the three-node model with the air change of the step's start (:class:`sim.thermal.RCModel`);

and the operative temperature at the step's start (:attr:`BuildingStage.operative_c`). :meth:`BuildingStage.step`
does all of it in one compiled pass over (realizations, groups) (:func:`_fused_step_kernel`), with every
per-group constant tabulated once (:meth:`BuildingStage.from_groups`) and the per-step inputs (the sun on
each surface kind) computed for the whole run before the first step. The formulas exist once, as scalar
compiled functions that both that pass and the three passes of :meth:`BuildingStage.step_reference` call
(:func:`sim.heating.heat_input_kernel`, :func:`sim.ventilation.squared_factor_kernel`,
:func:`sim.thermal.rc3_kernel`, :func:`_sun_kernel`), in the same order, so the two agree to the last bit
(``tests/unit/test_building_stage.py``). The one difference is the ventilation level: the reference takes
it from a logarithm (:func:`sim.ventilation.level_of_squared_factor`), the fused pass from a table of
that function's exact breakpoints (:class:`sim.ventilation.LevelLookup`, ``tests/unit/test_level_lookup.py``),
which gives the same level for every value and costs a shift and two loads instead of a logarithm.

The fused pass runs its chunks of realizations on numba's threads (``NUMBA_NUM_THREADS``; joblib's
workers set it to 1 themselves); each element is computed the same way on any thread, so the results do
not depend on the number of threads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import pandas as pd

from sim.archetypes import group_parameters, group_properties, group_ventilation, solar_coefficients
from sim.heating import (
    HEAT_INPUT_ROWS,
    BuildingInputs,
    heat_input_constants,
    heat_input_kernel,
    heat_inputs_w,
    initial_state_c,
    inv_radiator_excess,
)
from sim.occupancy import presence
from sim.solar import SurfaceIrradiance, surface_irradiance
from sim.thermal import RCModel, rc3_lanes
from sim.ventilation import DT_REF_K, V_REF_M_PER_S, level_from_lookup, squared_factor_kernel

__all__ = ["GROUP_ROWS", "BuildingStage"]

# The fused pass runs on numba's threads (OpenMP layer). OpenMP threads spin by default while they wait
# for the next parallel region; on a shared 2-core machine a spinning thread takes the core that the main
# thread's work between steps needs (measured: 0.12 x the bare two-state update instead of 0.44 x with one
# thread and 0.75 x with two passive ones). Read by libgomp when numba loads it, at the first fused step;
# a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

#: Rows of the per-group table of the fused pass (:attr:`BuildingStage.group_table`, (len, G)): the heat-input
#: constants (:data:`sim.heating.HEAT_INPUT_ROWS`, first, so that :func:`sim.heating.heat_input_kernel`
#: reads them), then window and opaque solar coefficients per surface kind of :data:`sim.solar.SURFACES`
#: [m2], the sky losses at the room surfaces and into the deep mass [W], the radiant shares to air and
#: surface mass [1], the operative weights of air, surface mass and outdoors [1], the reference
#: ventilation conductance [W/K], the wind-stack ratio [K s2/m2], ``dT_ref + k_wind v_ref^2`` [K] and its
#: inverse [1/K], and 1 for district heat (else 0).
GROUP_ROWS = (*HEAT_INPUT_ROWS, *(f"win_{i}" for i in range(5)), *(f"opaque_{i}" for i in range(5)), "sky_star",
              "sky_deep", "star_air", "star_surface", "op_air", "op_surface", "op_out", "h_vent", "k_wind", "vent_ref",
              "inv_ref", "district")  # fmt: skip
_N_SURF = 5
_WIN = len(HEAT_INPUT_ROWS)  # first row of the window coefficients
_OPQ, _SKY_STAR, _SKY_DEEP = _WIN + 5, _WIN + 10, _WIN + 11
_STAR_AIR, _STAR_SURF, _OP_AIR, _OP_SURF, _OP_OUT = _WIN + 12, _WIN + 13, _WIN + 14, _WIN + 15, _WIN + 16
_H_VENT, _K_WIND, _VENT_REF, _INV_REF, _DISTRICT = _WIN + 17, _WIN + 18, _WIN + 19, _WIN + 20, _WIN + 21
#: Groups per tile of the fused pass: a tile's coefficient rows (a few ventilation levels per group) stay in
#: the first-level cache while the realizations of a chunk pass (32 measured faster than 16 and 64). [-]
TILE = 32
#: Rows of the fused pass's scratch (per tile row): operative temperature, stove households, heat into
#: air, surface and deep mass, squared air-change factor.
_SCRATCH_ROWS = 6
#: Chunks of realizations per thread of the fused pass: the threads take chunks in turn, so that a thread
#: slowed by other processes on a shared machine holds the others up by one chunk at most. [-]
_CHUNKS_PER_THREAD = 4


@dataclass
class BuildingStage:
    """Static data and state of the thermal stage for G groups in R realizations (see the module docstring).

    Build it with :meth:`from_groups`; call :meth:`start` once, then :meth:`step` for each step.
    """

    model: RCModel
    inputs: BuildingInputs
    cfg: Any  # BuildingsConfig (a plain dataclass)
    irradiance: SurfaceIrradiance  # (R or 1, T, 5)
    presence: np.ndarray  # (T,) [1]
    coefficients: dict[str, np.ndarray]  # solar, radiant-share and operative-weight arrays per group

    def __post_init__(self) -> None:
        self.group_table: np.ndarray = np.empty((len(GROUP_ROWS), 0))  # (len(GROUP_ROWS), G), :meth:`_group_table`
        self._table_key: tuple[Any, ...] | None = None  # what :attr:`group_table` was tabulated from

    @classmethod
    def from_groups(
        cls, groups: pd.DataFrame, cfg: Any, rng: np.random.Generator, n_realizations: int, times: np.ndarray,
        dt_h: float, forecast: Any,
    ) -> BuildingStage:  # fmt: skip
        """The stage of a building-group table (``sim.city.City.groups`` columns) under ``forecast``.

        Parameters
        ----------
        groups : pandas.DataFrame
            ``archetype``, ``n_buildings``, ``floor_area_m2``, ``occupants``, ``households``, ``kind``, ``heating``.
        cfg : BuildingsConfig
            The ``buildings`` group as a dataclass.
        rng : numpy.random.Generator
            The ``buildings`` stream (heat-loss variation, :func:`sim.archetypes.group_parameters`).
        n_realizations : int
            R. [-]
        times : numpy.ndarray of datetime64, shape (T,)
            Step starts (local time).
        dt_h : float
            Step length. [h]
        forecast : sim.weather.Forecast
            Its sky (:meth:`sim.weather.Forecast.sky`) and site give the sun.
        """
        arch, n_bld = groups["archetype"].to_numpy(), groups["n_buildings"].to_numpy()
        params = group_parameters(arch, n_bld, cfg, rng)
        inputs = BuildingInputs.from_groups(groups, params)
        vent = group_ventilation(params, arch, n_bld, cfg) if cfg.variable_ventilation else None
        model = RCModel(params, dt_h * 3600.0, n_realizations, ventilation=vent)
        sky = forecast.sky(dt_h)
        irr = surface_irradiance(times, forecast.site, sky.ghi_w_per_m2, sky.dni_w_per_m2, sky.dhi_w_per_m2, dt_h)
        c_win, c_opaque, sky_star, sky_deep = solar_coefficients(arch, n_bld, params, cfg)
        props = group_properties(arch, cfg)
        coef = {"win": np.ascontiguousarray(c_win.T), "opaque": np.ascontiguousarray(c_opaque.T),
                "sky_star": sky_star, "sky_deep": sky_deep}  # fmt: skip
        coef.update({c: np.ascontiguousarray(props[c].to_numpy()) for c in props.columns})
        g = len(groups)
        if vent is None:
            coef.update(h_vent=np.zeros(g), k_wind=np.zeros(g), vent_ref=np.ones(g))
        else:
            coef.update(h_vent=np.ascontiguousarray(vent.h_vent_w_per_k), k_wind=np.ascontiguousarray(vent.k_wind),
                        vent_ref=np.ascontiguousarray(DT_REF_K + vent.k_wind * V_REF_M_PER_S**2))  # fmt: skip
        stage = cls(model, inputs, cfg, irr, presence(times, dt_h), coef)
        stage._tabulate()
        stage._buffers(n_realizations, len(groups))
        return stage

    def _tabulate(self) -> None:
        """The per-group table and the per-step irradiance rows of the fused pass (once per run)."""
        self._group_table()
        irr = self.irradiance
        # (T, R or 1, 5), so that a step's rows are one contiguous block
        self._transmitted_t = np.ascontiguousarray(np.swapaxes(irr.transmitted_w_per_m2, 0, 1))
        self._incident_t = np.ascontiguousarray(np.swapaxes(irr.incident_w_per_m2, 0, 1))

    def _group_table(self) -> np.ndarray:
        """:attr:`group_table`, tabulated again if :attr:`inputs`, :attr:`cfg` or :attr:`coefficients` were
        replaced since (e.g. ``dataclasses.replace(stage.inputs, ...)`` in a validation set-up)."""
        key = (self.inputs, self.cfg, self.coefficients)
        if self._table_key is not None and all(a is b for a, b in zip(key, self._table_key, strict=True)):
            return self.group_table
        c, model = self.coefficients, self.model
        heat, self.heat_scalars = heat_input_constants(self.inputs, self.cfg)
        k_wind, inv_ref = model.level_constants()[:2]
        rows = [*heat, *c["win"].T, *c["opaque"].T, *(c[n] for n in GROUP_ROWS[_SKY_STAR : _INV_REF]), inv_ref,
                self.inputs.uses_district_heat]  # fmt: skip
        self.group_table = np.ascontiguousarray(np.stack([np.asarray(x, dtype=float) for x in rows]))
        assert self.group_table.shape[0] == len(GROUP_ROWS) and np.array_equal(self.group_table[_K_WIND], k_wind)
        self._table_key = key
        return self.group_table

    def _buffers(self, n_real: int, n_groups: int) -> None:
        shape = (n_real, n_groups)
        self._q = (np.empty(shape), np.empty(shape))
        self.stove_households = np.zeros(shape)  # households on gas stoves over the last step
        self.operative_c = np.empty(shape)  # operative temperature at the start of the last step [degC]
        self._air, self._surface, self._deep, self._extra_h = (np.empty(shape) for _ in range(4))
        # the fused pass's scratch, one row per chunk of realizations (:func:`_fused_step_kernel`)
        threads = int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]  # the most numba will run
        n_chunks = max(1, min(n_real, _CHUNKS_PER_THREAD * threads))
        self._work = np.empty((n_chunks, _SCRATCH_ROWS * TILE))
        self._kbuf = np.empty((n_chunks, TILE), dtype=np.int64)
        self._per_real = np.empty((3, n_real))  # per-realization terms of a step (:func:`_fused_step_kernel`)

    @property
    def indoor_c(self) -> np.ndarray:
        """Indoor air temperature, (R, G) (a view into the model's state). [degC]"""
        return self.model.indoor_c

    def start(self, t_out_c: np.ndarray, wind_m_per_s: np.ndarray) -> None:
        """Set the state to normal operation (heat and power on) at the first outdoor temperature and
        wind, (R, 1) each."""
        x = initial_state_c(self.inputs, self.model.params, t_out_c, self.cfg, self.model.ventilation, wind_m_per_s)
        self.model.set_state_nodes(x)

    def operative(self, t: int, t_out_c: np.ndarray, wind_m_per_s: np.ndarray | None = None) -> np.ndarray:
        """Operative temperature of the current state under outdoor temperature ``t_out_c`` (R, 1), written
        into and returned as :attr:`operative_c`, (R, G); the same weights as the fused step's. ``t`` and
        the wind are not needed (kept for callers of the former signature). [degC]"""
        c = self.coefficients
        t_o = np.asarray(t_out_c, dtype=float)
        np.add(self.model.indoor_c * c["op_air"] + self.model.surface_c * c["op_surface"], t_o * c["op_out"],
               out=self.operative_c)  # fmt: skip
        return self.operative_c

    def step(
        self, t: int, t_out_c: np.ndarray, wind_m_per_s: np.ndarray, powered: np.ndarray, heat_frac: np.ndarray
    ) -> np.ndarray:
        """Advance step ``t`` (module docstring) in one compiled pass and return the indoor air temperature
        at its end, (R, G); :attr:`operative_c` holds the operative temperature at its start and
        :attr:`stove_households` the households on gas stoves over it.

        Parameters
        ----------
        t : int
            Step index (row of the irradiance and presence arrays). [-]
        t_out_c, wind_m_per_s : numpy.ndarray, shape (R, 1)
            Outdoor temperature [degC] and wind [m/s] over the step.
        powered : numpy.ndarray of bool, shape (R, G)
            Power on in the group's buildings.
        heat_frac : numpy.ndarray, shape (R, G)
            Delivered district heat relative to the normal supply curve, float (any float dtype and
            strides, e.g. a step's slice of the supply's (R, T, G) array) or bool (counts as 0/1). [1]

        Returns
        -------
        numpy.ndarray, shape (R, G)
            A view into the model's state, valid until the next-but-one step. [degC]
        """
        model = self.model
        x, y, level = model.advance_buffers()
        t_out, wind = _column(t_out_c, model.n_realizations), _column(wind_m_per_s, model.n_realizations)
        frac = np.asarray(heat_frac)
        if frac.dtype == np.bool_:
            frac = frac.view(np.uint8)  # 0/1, one compiled version for bool inputs
        transmitted, incident = self._transmitted_t[t], self._incident_t[t]
        with numba.parallel_chunksize(1):  # the threads take the chunks of realizations in turn
            _fused_step_kernel(  # type: ignore[call-arg]  # a numba Dispatcher, untyped arity
                x, t_out, wind, transmitted, incident, np.asarray(powered, dtype=np.bool_), frac,
                float(self.presence[t]), self._group_table(), *self.heat_scalars, model.coefficients,
                *model.level_constants()[2:5], *model.level_lookup(), model.ventilation is not None, y, level,
                self.operative_c, self.stove_households, self._per_real, self._work, self._kbuf,
            )  # fmt: skip
        model.commit()
        return y[0]

    def step_reference(
        self, t: int, t_out_c: np.ndarray, wind_m_per_s: np.ndarray, powered: np.ndarray, heat_frac: np.ndarray
    ) -> np.ndarray:
        """:meth:`step` as three passes over (R, G): sun, ventilation and operative temperature
        (:func:`_sun_and_air_kernel`), the heat inputs (:func:`sim.heating.heat_inputs_w`) and the RC step
        (:meth:`sim.thermal.RCModel.step`). The reference the fused pass is tested against (and the
        implementation before it); same arguments, results and side effects."""
        _c, irr = self.coefficients, self.irradiance
        sky_row = 0 if irr.transmitted_w_per_m2.shape[0] == 1 else -1
        t_out, wind = _column(t_out_c, self.model.n_realizations), _column(wind_m_per_s, self.model.n_realizations)
        _sun_and_air_kernel(
            self.model.indoor_c, self.model.surface_c, t_out, wind, irr.transmitted_w_per_m2[:, t, :],
            irr.incident_w_per_m2[:, t, :], sky_row, self._group_table(), float(self.cfg.indoor_setpoint_c),
            self.model.ventilation is not None, self._air, self._surface, self._deep, self._extra_h, self.operative_c,
        )  # fmt: skip
        extra_h = None if self.model.ventilation is None else self._extra_h
        q_air, q_rad = heat_inputs_w(
            self.inputs, t_out, self.model.indoor_c, powered, heat_frac, self.cfg, out=self._q,
            presence=float(self.presence[t]), extra_air_w=self._air, extra_mass_w=self._surface,
            stove_households=self.stove_households, extra_h_w_per_k=extra_h,
        )  # fmt: skip
        return self.model.step(t_out, q_air, self._deep, wind_m_per_s=wind, q_surface_w=q_rad)


def _column(value: np.ndarray | float, n_real: int) -> np.ndarray:
    """A per-realization input as a C-contiguous, writeable float64 (R, 1) array (copies only if needed)."""
    v = np.asarray(value, dtype=float)
    if v.shape != (n_real, 1):
        v = np.broadcast_to(v.reshape(-1, 1) if v.ndim == 1 else v, (n_real, 1))
    return np.require(v, float, ["C", "W"])


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _sun_kernel(transmitted, incident, rr, table, g):  # pragma: no cover - compiled
    """Sun of one (realization, group): the heat released at the room surfaces (the sun through windows
    less their radiation to the sky) [W] and the heat into the deep mass (sun and sky on the opaque
    envelope) [W]; ``transmitted``/``incident`` are a step's (R or 1, 5) rows, ``rr`` the row, ``table``
    the (len(GROUP_ROWS), G) group table."""
    star = -table[_SKY_STAR, g]
    deep = -table[_SKY_DEEP, g]
    for k in range(_N_SURF):
        star += transmitted[rr, k] * table[_WIN + k, g]
        deep += incident[rr, k] * table[_OPQ + k, g]
    return star, deep


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _setpoint_extra_h(table, g, abs_set_minus_out, wind2):  # pragma: no cover - compiled
    """Ventilation above the reference of a flat at the setpoint, ``h_vent (f_set - 1)`` [W/K]
    (:func:`sim.heating.setpoint_ventilation_extra_w_per_k`)."""
    return table[_H_VENT, g] * (np.sqrt((abs_set_minus_out + table[_K_WIND, g] * wind2) / table[_VENT_REF, g]) - 1.0)


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _operative_kernel(table, g, air, surface, t_o):  # pragma: no cover - compiled
    """Operative temperature of one (realization, group) (:meth:`sim.archetypes.Archetype.operative_weights`). [degC]"""
    return air * table[_OP_AIR, g] + surface * table[_OP_SURF, g] + t_o * table[_OP_OUT, g]


@numba.njit(cache=True, fastmath=False, error_model="numpy")
def _sun_and_air_kernel(
    air, surface, t_out, wind, transmitted, incident, sky_row, table, set_c, has_vent,
    sol_air, sol_surface, sol_deep, extra_h, operative,
):  # pragma: no cover - compiled; exercised through BuildingStage.step_reference
    """First pass of :meth:`BuildingStage.step_reference` over (R, G): the sun split at the room surfaces
    (air, surface mass) and into the deep mass (:func:`_sun_kernel`), the ventilation above the reference
    at the setpoint (:func:`_setpoint_extra_h`) and the operative temperature of the current state.
    ``t_out``/``wind`` (R, 1); ``table`` the group table of :data:`GROUP_ROWS`."""
    n_real, n_groups = air.shape
    for r in range(n_real):
        rr = r if sky_row < 0 else 0
        t_o = t_out[r, 0]
        w2 = wind[r, 0] * wind[r, 0]
        dt = set_c - t_o
        dt = -dt if dt < 0.0 else dt
        for g in range(n_groups):
            star, deep = _sun_kernel(transmitted, incident, rr, table, g)
            sol_air[r, g] = star * table[_STAR_AIR, g]
            sol_surface[r, g] = star * table[_STAR_SURF, g]
            sol_deep[r, g] = deep
            operative[r, g] = _operative_kernel(table, g, air[r, g], surface[r, g], t_o)
            if has_vent:
                extra_h[r, g] = _setpoint_extra_h(table, g, dt, w2)


@numba.njit(cache=True, fastmath=False, error_model="numpy", parallel=True)
def _fused_step_kernel(
    x, t_out, wind, transmitted, incident, powered, heat_frac, presence, table, set_c, heating_limit_c,
    design_span_k, radiator_excess_k, inv_exponent, radiant_frac, supplement_start_c, supplement_span_k,
    inv_stove_w, coef, seal_frac, seal_start_c, inv_seal_span_k, lut_shift, lut_base, lut_level, lut_bp, has_vent,
    y, level, operative, stove_hh, per_real, work, kbuf,
):  # pragma: no cover - compiled; exercised through BuildingStage.step
    """One step of the thermal stage in one pass over (R, G) (module docstring), tile by tile.

    For each (realization, group), from the state ``x`` (3, R, G) at the step's start: the operative
    temperature (:func:`_operative_kernel`), the sun (:func:`_sun_kernel`), the ventilation at the setpoint
    (:func:`_setpoint_extra_h`), the heat inputs (:func:`sim.heating.heat_input_kernel`), the squared
    air-change factor (:func:`sim.ventilation.squared_factor_kernel`) and its level (the table
    ``lut_*`` of :meth:`sim.thermal.RCModel.level_lookup`, :func:`sim.ventilation.level_from_lookup`:
    the level :func:`sim.ventilation.level_of_squared_factor` gives, without its logarithm) and the exact
    step (:func:`sim.thermal.rc3_kernel`, with the level's row of ``coef``, (G, K, 24)) into ``y``.

    The realizations are cut into ``work.shape[0]`` chunks that the threads take in turn (``prange``,
    chunk size 1), each with its own scratch rows ``work[c]`` (6 * :data:`TILE`) and ``kbuf[c]``
    (:data:`TILE`, int64); every element is computed the same way whatever the chunks and threads, so
    the result does not depend on them. Within a chunk, groups are taken :data:`TILE` at a time,
    realization by realization, so that a tile's coefficient rows stay in cache. The tile's first group
    is computed from a counter (provably >= 0), so that group indices need no wraparound and the loads
    along a tile row are plain vector loads, not gathers. Each tile row is short loops: the inputs,
    written to the scratch only (one store target, so the compiler vectorizes that loop), the copies of
    the operative temperature and the stove households out of it, the levels, and the exact step.
    """
    n_real, n_groups = x.shape[1], x.shape[2]
    one_sky = transmitted.shape[0] == 1
    n_chunks = work.shape[0]
    per = (n_real + n_chunks - 1) // n_chunks
    n_tiles = (n_groups + TILE - 1) // TILE
    for r in range(n_real):  # once per realization, not once per tile row
        t_o = t_out[r, 0]
        per_real[0, r] = wind[r, 0] * wind[r, 0]
        dt = set_c - t_o
        per_real[1, r] = -dt if dt < 0.0 else dt
        per_real[2, r] = inv_radiator_excess(set_c - t_o, design_span_k, radiator_excess_k, inv_exponent)
    for c in numba.prange(n_chunks):
        w = work[c]
        w_bits = w.view(np.int64)
        kb = kbuf[c]
        for tile in range(n_tiles):
            g0 = tile * TILE
            n = min(TILE, n_groups - g0)
            for r in range(c * per, min(n_real, (c + 1) * per)):
                rr = 0 if one_sky else r
                t_o = t_out[r, 0]
                w2, dt, inv_excess = per_real[0, r], per_real[1, r], per_real[2, r]
                for j in range(n):
                    g = g0 + j
                    a = x[0, r, g]
                    star, deep = _sun_kernel(transmitted, incident, rr, table, g)
                    extra_h = _setpoint_extra_h(table, g, dt, w2) if has_vent else 0.0
                    q_air, q_rad, stove = heat_input_kernel(
                        t_o, inv_excess, a, powered[r, g], float(heat_frac[r, g]), star * table[_STAR_AIR, g],
                        star * table[_STAR_SURF, g], extra_h, table[_DISTRICT, g] > 0.5, table, g, presence,
                        set_c, heating_limit_c, radiant_frac, supplement_start_c, supplement_span_k, inv_stove_w,
                    )  # fmt: skip
                    w[j] = _operative_kernel(table, g, a, x[1, r, g], t_o)
                    w[TILE + j] = stove
                    w[2 * TILE + j] = q_air
                    w[3 * TILE + j] = q_rad
                    w[4 * TILE + j] = deep
                    w[5 * TILE + j] = squared_factor_kernel(a, t_o, w2, table[_K_WIND, g], table[_INV_REF, g],
                                                            seal_frac, seal_start_c, inv_seal_span_k)  # fmt: skip
                for j in range(n):
                    operative[r, g0 + j] = w[j]
                for j in range(n):
                    stove_hh[r, g0 + j] = w[TILE + j]
                if has_vent:
                    for j in range(n):
                        k = level_from_lookup(w[5 * TILE + j], w_bits[5 * TILE + j], lut_shift, lut_base,
                                              lut_level, lut_bp)  # fmt: skip
                        kb[j] = k
                        level[r, g0 + j] = k
                else:
                    for j in range(n):
                        kb[j] = 0
                for j in range(n):
                    g = g0 + j
                    y0, y1, y2 = rc3_lanes(coef, g, kb[j], x[0, r, g], x[1, r, g], x[2, r, g], t_o,
                                           w[2 * TILE + j], w[3 * TILE + j], w[4 * TILE + j])  # fmt: skip
                    y[0, r, g] = y0
                    y[1, r, g] = y1
                    y[2, r, g] = y2
