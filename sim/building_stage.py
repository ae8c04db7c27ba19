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
4. the exact step of the three-node model with the air change of the step's start (:class:`sim.thermal.RCModel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import pandas as pd

from sim.archetypes import group_parameters, group_properties, group_ventilation, solar_coefficients
from sim.heating import BuildingInputs, heat_inputs_w, initial_state_c
from sim.occupancy import presence
from sim.solar import SurfaceIrradiance, surface_irradiance
from sim.thermal import RCModel
from sim.ventilation import DT_REF_K, V_REF_M_PER_S

__all__ = ["BuildingStage"]


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
        stage._buffers(n_realizations, len(groups))
        return stage

    def _buffers(self, n_real: int, n_groups: int) -> None:
        shape = (n_real, n_groups)
        self._q = (np.empty(shape), np.empty(shape))
        self.stove_households = np.zeros(shape)  # households on gas stoves over the last step
        self.operative_c = np.empty(shape)  # operative temperature at the start of the last step [degC]
        self._air, self._surface, self._deep, self._extra_h = (np.empty(shape) for _ in range(4))
        self._operative_t = -1  # the step whose operative temperature :attr:`operative_c` holds

    @property
    def indoor_c(self) -> np.ndarray:
        """Indoor air temperature, (R, G) (a view into the model's state). [degC]"""
        return self.model.indoor_c

    def start(self, t_out_c: np.ndarray, wind_m_per_s: np.ndarray) -> None:
        """Set the state to normal operation (heat and power on) at the first outdoor temperature and
        wind, (R, 1) each."""
        x = initial_state_c(self.inputs, self.model.params, t_out_c, self.cfg, self.model.ventilation, wind_m_per_s)
        self.model.set_state_nodes(x)

    def operative(self, t: int, t_out_c: np.ndarray, wind_m_per_s: np.ndarray) -> np.ndarray:
        """Operative temperature at the start of step ``t``, (R, G), in :attr:`operative_c`. [degC]

        Computed in the same pass as the step's sun and ventilation terms (:func:`_sun_and_air_kernel`),
        which :meth:`step` then reuses.
        """
        c, irr = self.coefficients, self.irradiance
        sky_row = 0 if irr.transmitted_w_per_m2.shape[0] == 1 else -1
        _sun_and_air_kernel(
            self.model.indoor_c, self.model.surface_c, np.require(t_out_c, float, "C"),
            np.require(wind_m_per_s, float, "C"), irr.transmitted_w_per_m2[:, t, :], irr.incident_w_per_m2[:, t, :],
            sky_row, c["win"], c["opaque"], c["sky_star"], c["sky_deep"], c["star_air"], c["star_surface"],
            c["op_air"], c["op_surface"], c["op_out"], c["h_vent"], c["k_wind"], c["vent_ref"],
            float(self.cfg.indoor_setpoint_c), self.model.ventilation is not None,
            self._air, self._surface, self._deep, self._extra_h, self.operative_c,
        )  # fmt: skip
        self._operative_t = t
        return self.operative_c

    def step(
        self, t: int, t_out_c: np.ndarray, wind_m_per_s: np.ndarray, powered: np.ndarray, heat_frac: np.ndarray
    ) -> np.ndarray:
        """Advance step ``t`` (module docstring) and return the indoor air temperature at its end, (R, G).

        Parameters
        ----------
        t : int
            Step index (row of the irradiance and presence arrays). [-]
        t_out_c, wind_m_per_s : numpy.ndarray, shape (R, 1)
            Outdoor temperature [degC] and wind [m/s] over the step.
        powered : numpy.ndarray of bool, shape (R, G)
            Power on in the group's buildings.
        heat_frac : numpy.ndarray, shape (R, G)
            Delivered district heat relative to the normal supply curve (bool counts as 0/1). [1]
        """
        if self._operative_t != t:  # the sun and ventilation terms of this step
            self.operative(t, t_out_c, wind_m_per_s)
        extra_h = None if self.model.ventilation is None else self._extra_h
        q_air, q_rad = heat_inputs_w(
            self.inputs, t_out_c, self.model.indoor_c, powered, heat_frac, self.cfg, out=self._q,
            presence=float(self.presence[t]), extra_air_w=self._air, extra_mass_w=self._surface,
            stove_households=self.stove_households, extra_h_w_per_k=extra_h,
        )  # fmt: skip
        return self.model.step(t_out_c, q_air, self._deep, wind_m_per_s=wind_m_per_s, q_surface_w=q_rad)


@numba.njit(cache=True, fastmath=False)
def _sun_and_air_kernel(
    air, surface, t_out, wind, transmitted, incident, sky_row, win, opaque, sky_star, sky_deep, star_air,
    star_surface, op_air, op_surface, op_out, h_vent, k_wind, vent_ref, set_c, has_vent,
    sol_air, sol_surface, sol_deep, extra_h, operative,
):  # pragma: no cover - compiled; exercised through BuildingStage.step
    """One pass over (R, G): the sun through windows less their sky radiation split at the room surfaces
    (air, surface mass), the sun and sky on the opaque envelope (deep mass), the ventilation above the
    reference of a flat at the setpoint (:func:`sim.heating.setpoint_ventilation_extra_w_per_k`) and the
    operative temperature of the current state. ``transmitted``/``incident`` are (R or 1, 5) rows of the
    step; ``win``/``opaque`` (G, 5) coefficients; ``t_out``/``wind`` (R, 1)."""
    n_real, n_groups = air.shape
    n_s = win.shape[1]
    for r in range(n_real):
        rr = r if sky_row < 0 else 0
        t_o = t_out[r, 0]
        w2 = wind[r, 0] * wind[r, 0]
        for g in range(n_groups):
            star = -sky_star[g]
            deep = -sky_deep[g]
            for k in range(n_s):
                star += transmitted[rr, k] * win[g, k]
                deep += incident[rr, k] * opaque[g, k]
            sol_air[r, g] = star * star_air[g]
            sol_surface[r, g] = star * star_surface[g]
            sol_deep[r, g] = deep
            operative[r, g] = air[r, g] * op_air[g] + surface[r, g] * op_surface[g] + t_o * op_out[g]
            if has_vent:
                dt = set_c - t_o
                dt = -dt if dt < 0.0 else dt
                extra_h[r, g] = h_vent[g] * (np.sqrt((dt + k_wind[g] * w2) / vent_ref[g]) - 1.0)
