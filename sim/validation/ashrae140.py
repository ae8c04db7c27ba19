"""ANSI/ASHRAE Standard 140-2020, free-float cases 600FF and 900FF: the thermal engine as the BESTEST box.

Standard 140 is the method of test that building-energy programs are held to. Its free-float cases run a
single-zone box without heating or cooling for a year of Denver weather and compare the annual minimum,
maximum and mean hourly zone air temperature with the range of the reference programs. Here the box is
built from the case specification with coldgrid's own pieces, not from a Kyiv archetype: the two-node RC
model (:class:`sim.thermal.TwoNodeModel`, first-order hold on the outdoor temperature), the mass and
surface coupling of :mod:`sim.archetypes` (ISO 13790 h_is, h_ms in series with the layer's conduction
resistance, :class:`sim.archetypes.MassLayer`), the sun on each surface from :mod:`sim.solar` (pvlib:
sun position, Perez transposition, glass incidence-angle modifiers), sol-air gains and thermal radiation
to the sky on opaque surfaces as in ISO 13790 11.3.4-11.3.5 (:func:`sim.archetypes.solar_coefficients`
uses the same formulas).

Case specification (ASHRAE 140-2020 section 7.2 / 5.2.1, as summarised in
VICUS-Software/vicus-validation ``docs/bestest_cases/Case600.md`` and encoded in the reference
implementations lbl-srg/modelica-buildings ``Buildings.ThermalZones.Detailed.Validation.BESTEST`` and
RWTH-EBC/AixLib ``DataBase.Walls.ASHRAE140``):

* box 8 m x 6 m x 2.7 m (floor 48 m2, 129.6 m3), two windows 3 m x 2 m on the south wall (12 m2),
  double clear glazing (3.048 mm panes, 12 mm air gap) with U 2.10 W/(m2 K) air to air and SHGC 0.769 at
  normal incidence (0.670 hemispherical); the pane: normal-incidence transmittance 0.834, reflectance
  0.075, index of refraction 1.493, extinction coefficient 0.0337 /mm (:data:`sim.solar.GLASS_ASHRAE140_2020`;
  the 2020 edition's glass, not the 3.175 mm, n 1.526, 0.0196 /mm pane of the editions up to 2017, which
  transmits 4-9 % more at the angles that matter and put Table B8-11 out of range);
* 600 (light): walls plasterboard 12 mm (k 0.16, rho 950, c 840) / fibreglass 66 mm (0.04, 12, 840) / wood
  siding 9 mm (0.14, 530, 900); roof plasterboard 10 mm / fibreglass 111.8 mm / roof deck 19 mm; floor
  timber 25 mm (0.14, 650, 1200) on 1.003 m insulation (0.04);
* 900 (heavy): walls concrete block 100 mm (0.51, 1400, 1000) / foam 61.5 mm (0.04, 10, 1400) / siding;
  floor concrete slab 80 mm (1.13, 1400, 1000) on 1.007 m insulation; roof as 600;
* air-to-air U of the 600 constructions 0.418 (walls), 0.276 (roof), 0.039 W/(m2 K) (raised floor), i.e.
  surface resistances of 0.602, 0.633 and 0.462 m2 K/W on top of the layers (applied to the 900 layers
  too); exterior combined coefficients 21.6 (walls), 21.8 (roof), 17.8 W/(m2 K) (windows); solar
  absorptance 0.6 outside and inside; ground reflectance 0.2; the raised floor's underside at outdoor air
  temperature, no sun; 3.5 % of the transmitted sun lost back out through the windows (the specified
  interior solar distribution);
* infiltration 0.5 air changes per hour (at the site's air density, ~1 kg/m3 at 1650 m); internal gains
  200 W continuous, 60 % radiative, 40 % convective;
* weather: TMY3 of Denver International Airport (725650), read with :func:`pvlib.iotools.read_epw` from
  ``../shared/data/USA_CO_Denver.Intl.AP.725650_TMY3.epw``.

The sun on the windows is checked on its own against Tables B8-11, B8-13 and B8-14 (:func:`annual_solar`:
annual incident radiation per surface, transmitted radiation and their ratio per window case).

Reference ranges (:data:`REFERENCE_RANGES`): ASHRAE 140-2020 Informative Annex B8, Tables B8-5a/b/c
(example results of BSIMAC, CSE, DeST, EnergyPlus, ESP-r and TRNSYS with the TMY3 file), as rendered in
JasonGlazer/ashrae-140-automation ``std140_tf_output-section_7_table_b8_05{a,b,c}.md`` and as the
``staRes`` record of the Modelica Buildings library's Case600FF. Standard 140 sets no pass/fail
criterion; landing inside the range of the reference programs is the customary test.

Modelling choices of the box (documented, not tuned): thermal radiation to the sky as ISO 13790 11.3.5
with the hourly sky temperature from the file's horizontal infrared radiation (the archetypes, without
such data, use ISO's mean depression of 11 K); the room's surfaces, mass, star node and the distribution
of radiant heat as in the archetypes (ISO 13790 h_is, h_ms, C.3; the specified convective coefficients are
not used); hourly values are the mean of the step's start and end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.archetypes import H_IS_W_PER_K_M2, MassLayer, fold_star, radiant_distribution, three_node_parameters

__all__ = ["EPW_PATH", "INCIDENT_RANGES", "REFERENCE_RANGES", "TRANSMISSIVITY_RANGES", "TRANSMITTED_RANGES",
           "annual_solar", "bestest_box", "figures", "free_float", "run_case", "window_transmissivity"]

#: ASHRAE 140-2020 Tables B8-5a/b/c: range (min, max) of the reference programs' annual minimum, maximum
#: and mean hourly zone air temperature in the free-float cases. [degC]
REFERENCE_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "600FF": {"tmin_c": (-13.8, -9.9), "tmax_c": (62.4, 68.4), "tmean_c": (24.3, 26.1)},
    "900FF": {"tmin_c": (0.6, 2.2), "tmax_c": (43.3, 46.0), "tmean_c": (24.5, 25.7)},
}
#: ASHRAE 140-2020 Table B8-11: range (min, max) of the reference programs' annual transmissivity of the
#: windows, annual unshaded transmitted over incident solar radiation: case 600 (south, double pane),
#: 620 (west, double pane), 670 (south, single pane). As rendered in JasonGlazer/ashrae-140-automation
#: ``std140_tf_output-section_7_table_b8_11.md``. [1]
TRANSMISSIVITY_RANGES: dict[str, tuple[float, float]] = {
    "600_south": (0.587, 0.627), "620_west": (0.600, 0.640), "670_south_single": (0.747, 0.770)}
#: ASHRAE 140-2020 Table B8-13: range of the reference programs' annual incident solar radiation on the
#: surfaces of case 600 (``roof`` is the table's "horizontal"), and Table B8-14: annual transmitted solar
#: radiation through the unshaded windows, per m2 of window, of cases 600, 620 and 670 (as rendered in
#: JasonGlazer/ashrae-140-automation ``std140_tf_output-section_7_table_b8_13.md`` / ``_14.md``). [kWh/m2]
INCIDENT_RANGES: dict[str, tuple[float, float]] = {
    "roof": (1663.0, 1670.0), "north": (399.0, 477.0), "east": (1017.0, 1068.0), "south": (1291.0, 1387.0),
    "west": (903.0, 997.0)}
TRANSMITTED_RANGES: dict[str, tuple[float, float]] = {
    "600_south": (804.0, 826.0), "620_west": (569.0, 624.0), "670_south_single": (988.0, 1039.0)}
#: The window cases of Tables B8-11 and B8-14: (surface kind, panes).
_WINDOW_CASES = {"600_south": ("south", 2), "620_west": ("west", 2), "670_south_single": ("south", 1)}
#: The TMY3 weather of Denver International Airport (the file the standard uses), in ../shared/data.
EPW_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "USA_CO_Denver.Intl.AP.725650_TMY3.epw"

#: Surface resistances on top of the layers, from the specified air-to-air R of the 600 constructions
#: (walls 2.391, roof 3.626, raised floor 25.716 m2 K/W) [m2 K/W]
_R_FILMS = {"wall": 0.602, "roof": 0.633, "floor": 0.462}
#: Exterior combined surface coefficients of the spec: walls, roof, windows [W/(m2 K)]
_H_EXT = {"wall": 21.6, "roof": 21.8, "window": 17.8}
_ABS = 0.6  # solar absorptance, outside and inside [1]
_FLOOR, _VOLUME = 48.0, 129.6  # [m2], [m3]
_WALLS = {"north": 21.6, "east": 16.2, "south": 21.6 - 12.0, "west": 16.2}  # opaque wall areas [m2]
_WINDOW_M2, _WINDOW_U, _WINDOW_G = 12.0, 2.10, 0.769
_INTERIOR_M2 = 2 * (8.0 + 6.0) * 2.7 + 2 * _FLOOR  # all interior surfaces, windows included [m2]
#: Share of the transmitted sun lost back out through the windows (the spec's interior solar distribution). [1]
WINDOW_BACK_LOSS = 0.035
_GAINS_W, _GAINS_RADIANT = 200.0, 0.6


def _u(element: str, layers: list[tuple[float, float]]) -> float:
    """Air-to-air U-value from (thickness [m], conductivity [W/(m K)]) layers and the element's films."""
    return 1.0 / (_R_FILMS[element] + sum(d / k for d, k in layers))


@dataclass(frozen=True)
class Box:
    """The BESTEST box as two-node parameters and the coefficients of its gains."""

    params: Any  # sim.thermal.RCParams3, shape (1,)
    window_w_per_w_m2: np.ndarray  # (5, 1): transmitted irradiance per surface kind -> solar heat [m2]
    opaque_w_per_w_m2: np.ndarray  # (5, 1): incident irradiance -> heat into the deep mass node [m2]
    sky_loss_star_w_per_k: float  # window's radiation to the sky per K of sky depression, at the surfaces [W/K]
    sky_loss_deep_w_per_k: float  # of the opaque surfaces, into the deep mass node [W/K]
    star_shares: tuple[float, float]  # radiant heat to the air and the surface mass (ISO 13790 C.3) [1]
    window_sky_shares: tuple[float, float]  # the window's sky loss, taken at the star node: air, surface [1]
    c_mass_j_per_k: float  # [J/K]
    h_total_w_per_k: float  # [W/K]


def bestest_box(case: str, air_density_kg_per_m3: float = 0.99) -> Box:
    """Two-node parameters of case ``"600FF"`` or ``"900FF"`` from the specification (module docstring)."""
    heavy = case.startswith("9")
    roof = _u("roof", [(0.010, 0.16), (0.1118, 0.04), (0.019, 0.14)])
    if heavy:
        wall = _u("wall", [(0.100, 0.51), (0.0615, 0.04), (0.009, 0.14)])
        floor = _u("floor", [(0.080, 1.13), (1.007, 0.04)])
        mass = [MassLayer("concrete block walls", sum(_WALLS.values()), 0.100, 1400, 0.51, 1000, 1),
                MassLayer("concrete floor slab", _FLOOR, 0.080, 1400, 1.13, 1000, 1)]  # fmt: skip
    else:
        wall = _u("wall", [(0.012, 0.16), (0.066, 0.04), (0.009, 0.14)])
        floor = _u("floor", [(0.025, 0.14), (1.003, 0.04)])
        mass = [MassLayer("plasterboard walls", sum(_WALLS.values()), 0.012, 950, 0.16, 840, 1),
                MassLayer("timber floor", _FLOOR, 0.025, 650, 0.14, 1200, 1)]  # fmt: skip
    mass.append(MassLayer("plasterboard ceiling", _FLOOR, 0.010, 950, 0.16, 840, 1))
    ts = 72.0  # the model's default cool-down time; every layer here is thinner than its reach
    c_mass = sum((float(x.area) * x.capacity_j_per_k_m2(ts) for x in mass), 0.0)
    h_ms = sum((float(x.area) * x.surface_conductance_w_per_k_m2(ts) for x in mass), 0.0)
    h_sm = sum((float(x.area) * x.internal_conductance_w_per_k_m2(ts) for x in mass), 0.0)
    h_is = H_IS_W_PER_K_M2 * _INTERIOR_M2
    h_win = _WINDOW_U * _WINDOW_M2
    h_op = wall * sum(_WALLS.values()) + roof * _FLOOR + floor * _FLOOR
    h_ve = air_density_kg_per_m3 * 1005.0 * 0.5 * _VOLUME / 3600.0
    params = three_node_parameters(*(np.array([v]) for v in (
        h_ve, h_win, h_op, h_is, h_ms, h_sm, air_density_kg_per_m3 * 1005.0 * _VOLUME, c_mass)))  # fmt: skip
    a_m = sum((float(x.area) * x.faces for x in mass), 0.0)
    shares = radiant_distribution(fold_star(h_is, h_ms, h_win).shares, a_m / _INTERIOR_M2)
    kappa = float(params.mass_to_air_frac[0])  # deep mass -> air, steady state
    h_r = 4.5  # ISO 13790 11.3.5 (h_r = 5 eps, eps 0.9); times the sky depression, per K
    r_wall, r_roof, r_win = (1.0 / _H_EXT[k] for k in ("wall", "roof", "window"))
    window = np.zeros((5, 1))
    window[2, 0] = _WINDOW_M2 * _WINDOW_G * (1.0 - WINDOW_BACK_LOSS)  # south (sim.solar.SURFACES order)
    opaque = np.zeros((5, 1))
    for s, name in enumerate(("north", "east", "south", "west")):
        opaque[s, 0] = _ABS * r_wall * wall * _WALLS[name] / kappa
    opaque[4, 0] = _ABS * r_roof * roof * _FLOOR / kappa
    sky_star = r_win * h_r * 0.5 * _WINDOW_U * _WINDOW_M2
    sky_deep = h_r * (r_wall * 0.5 * wall * sum(_WALLS.values()) + r_roof * roof * _FLOOR) / kappa
    star = fold_star(h_is, h_ms, h_win).shares
    return Box(params, window, opaque, sky_star, sky_deep, (float(shares[0]), float(shares[1])),
               (float(star[0]), float(star[1])), c_mass, float(params.h_total_w_per_k[0]))  # fmt: skip


def free_float(case: str, epw_path: Path | str = EPW_PATH, warmup_years: int = 1) -> dict[str, Any]:
    """Run a free-float case for a year (after ``warmup_years`` of the same year) and return the hourly
    zone air temperature [degC] (hourly means), the outdoor temperature and the annual figures."""
    import pvlib

    from sim.solar import GLASS_ASHRAE140_2020, Site, surface_irradiance
    from sim.thermal import RCModel

    data, meta = pvlib.iotools.read_epw(str(epw_path))
    times = data.index.tz_localize(None).to_numpy().astype("datetime64[ns]")
    site = Site(float(meta["latitude"]), float(meta["longitude"]), float(meta["TZ"]), float(meta["altitude"]), 0.2)
    irr = surface_irradiance(times, site, data["ghi"].to_numpy(float), data["dni"].to_numpy(float),
                             data["dhi"].to_numpy(float), glass=GLASS_ASHRAE140_2020)  # fmt: skip
    rho = 101325.0 * (1.0 - 2.25577e-5 * float(meta["altitude"])) ** 5.25588 / (287.05 * 293.15)
    box = bestest_box(case, rho)
    t_air = data["temp_air"].to_numpy(float)
    t_start = np.r_[t_air[-1], t_air[:-1]]  # EPW dry bulb is at the hour's end: ramp from the previous one
    sol_win = (irr.transmitted_w_per_m2[0] @ box.window_w_per_w_m2)[:, 0]
    sol_op = (irr.incident_w_per_m2[0] @ box.opaque_w_per_w_m2)[:, 0]
    # sky depression: air minus sky temperature from the file's horizontal infrared (sigma T_sky^4),
    # ISO 13790 11.3.5 with the hourly value instead of its mean 11 K
    t_sky = (np.maximum(data["ghi_infrared"].to_numpy(float), 1.0) / 5.670374e-8) ** 0.25 - 273.15
    dtheta = t_air - t_sky
    conv = _GAINS_W * (1.0 - _GAINS_RADIANT)
    rad = _GAINS_W * _GAINS_RADIANT + sol_win
    q_air = conv + rad * box.star_shares[0] - box.sky_loss_star_w_per_k * dtheta * box.window_sky_shares[0]
    q_surf = rad * box.star_shares[1] - box.sky_loss_star_w_per_k * dtheta * box.window_sky_shares[1]
    q_deep = sol_op - box.sky_loss_deep_w_per_k * dtheta
    model = RCModel(box.params, 3600.0, 1, first_order_hold=True)
    model.initialize_steady(np.full((1, 1), t_air.mean()), q_air.mean(), q_deep.mean(), q_surf.mean())
    n = t_air.shape[0]
    hourly = np.empty(n)
    for _year in range(warmup_years + 1):
        prev = float(model.indoor_c[0, 0])
        for k in range(n):
            air = float(model.step(t_start[k], q_air[k], q_deep[k], t_out_end_c=t_air[k], q_surface_w=q_surf[k])[0, 0])
            hourly[k] = 0.5 * (prev + air)
            prev = air
    return {
        "case": case, "hourly_c": hourly, "outdoor_c": t_air, "times": times,
        "tmin_c": float(hourly.min()), "tmax_c": float(hourly.max()), "tmean_c": float(hourly.mean()),
        "tau_h": float((box.c_mass_j_per_k + box.params.c_air_j_per_k[0]) / box.h_total_w_per_k / 3600.0),
        "h_total_w_per_k": box.h_total_w_per_k,
    }  # fmt: skip


def run_case(case: str) -> dict[str, Any]:
    """:func:`free_float` with the reference range of each figure and whether it lies inside."""
    out = free_float(case)
    out["ranges"] = REFERENCE_RANGES[case]
    out["inside"] = {k: lo <= out[k] <= hi for k, (lo, hi) in REFERENCE_RANGES[case].items()}
    return out


def annual_solar(epw_path: Path | str = EPW_PATH) -> dict[str, dict[str, float]]:
    """The sun on the BESTEST box over the year, as Tables B8-11, B8-13 and B8-14 report it, from
    :func:`sim.solar.surface_irradiance` (Perez sky, the glazing model of the chain with the 2020 pane,
    :data:`sim.solar.GLASS_ASHRAE140_2020`) on Denver's TMY3:

    * ``incident_kwh_m2``: annual incident radiation per surface kind (:data:`INCIDENT_RANGES`) [kWh/m2];
    * ``transmitted_kwh_m2``: annual radiation transmitted per m2 of window, the relative transmitted
      irradiance times the glazing's normal-incidence transmittance (:data:`TRANSMITTED_RANGES`) [kWh/m2];
    * ``transmissivity``: their ratio, transmitted over incident on the window's surface
      (:data:`TRANSMISSIVITY_RANGES`) [1].
    """
    import pvlib

    from sim.solar import GLASS_ASHRAE140_2020, SURFACES, Site, glazing_transmittance, surface_irradiance

    data, meta = pvlib.iotools.read_epw(str(epw_path))
    times = data.index.tz_localize(None).to_numpy().astype("datetime64[ns]")
    site = Site(float(meta["latitude"]), float(meta["longitude"]), float(meta["TZ"]), float(meta["altitude"]), 0.2)
    col = {name: i for i, (name, _, _) in enumerate(SURFACES)}
    out: dict[str, dict[str, float]] = {"incident_kwh_m2": {}, "transmitted_kwh_m2": {}, "transmissivity": {}}
    for key, (surface, panes) in _WINDOW_CASES.items():
        irr = surface_irradiance(times, site, data["ghi"].to_numpy(float), data["dni"].to_numpy(float),
                                 data["dhi"].to_numpy(float), panes=panes, glass=GLASS_ASHRAE140_2020)  # fmt: skip
        if not out["incident_kwh_m2"]:  # the same for every glazing
            for name, k in col.items():
                out["incident_kwh_m2"][name] = float(irr.incident_w_per_m2[0, :, k].sum()) / 1000.0  # hourly steps
        k = col[surface]
        tau0 = float(glazing_transmittance(0.0, panes, GLASS_ASHRAE140_2020))
        transmitted = float(irr.transmitted_w_per_m2[0, :, k].sum()) * tau0 / 1000.0
        out["transmitted_kwh_m2"][key] = transmitted
        out["transmissivity"][key] = transmitted / out["incident_kwh_m2"][surface]
    return out


def window_transmissivity(epw_path: Path | str = EPW_PATH) -> dict[str, float]:
    """Annual transmitted over incident solar radiation of the BESTEST windows (Table B8-11's quantity;
    :func:`annual_solar`). [1]"""
    return annual_solar(epw_path)["transmissivity"]


def figures(quick: bool = False) -> dict[str, float]:
    """``ashrae140.<case>.{tmin_c, tmax_c, tmean_c}`` for 600FF and 900FF (a validation: nothing was fitted
    to the reference ranges), and each range's bounds (``...tmin_c_ref_lo``/``_hi``). NaN without the
    weather file (``../shared/data``)."""
    out: dict[str, float] = {}
    for case, ranges in REFERENCE_RANGES.items():
        res = free_float(case) if EPW_PATH.is_file() else None
        for key, (lo, hi) in ranges.items():
            out[f"ashrae140.{case}.{key}"] = float("nan") if res is None else res[key]
            out[f"ashrae140.{case}.{key}_ref_lo"] = lo
            out[f"ashrae140.{case}.{key}_ref_hi"] = hi
    tau = window_transmissivity() if EPW_PATH.is_file() else {}
    for key, (lo, hi) in TRANSMISSIVITY_RANGES.items():
        out[f"ashrae140.transmissivity.{key}"] = tau.get(key, float("nan"))
        out[f"ashrae140.transmissivity.{key}_ref_lo"] = lo
        out[f"ashrae140.transmissivity.{key}_ref_hi"] = hi
    return out
