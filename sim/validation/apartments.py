"""Unheated apartment blocks cooling down over days: the model against indoor readings from Kyiv, January 2026.

A validation (no parameter was fitted to these readings). Each reading is a documented indoor temperature
of a Kyiv flat left without district heat after the strikes of 9 and 20 January 2026, published by a news
outlet with the flat's situation (days without heat, power, stove use). They are single flats, reported
by residents with household thermometers: evidence of [L] quality individually, but independent of each
other and of the model. The model runs one building of the matching archetype through the same stage as
the chain (:class:`sim.building_stage.BuildingStage`: three-node RC model, stack and wind ventilation
with sealing, occupants at home, stoves and heaters as the flat gets cold, the default January sky),
starting from normal operation, with district heat off from hour 0 and the power pattern of the report.

Readings (:data:`READINGS`)

* ``k1_15d``: Obozrevatel, 25 Jan 2026 ("Kyivan Tatyana told how she survives in a flat at +1"): a
  multi-storey block without heating since 10 January, the flat "almost at zero", +1 degC on the thermometer
  after 15 days; windows sealed, rooms closed off with film. Archetype unknown: the model's range over the
  four Soviet-era apartment archetypes is compared, centred on ``panel_9``. Power: rolling outages
  (calibration C2, ~12 h a day off).
* ``k2_17storey``: The Kyiv Independent, 27-28 Jan 2026 ("Inside one of Kyiv's hardest-hit buildings this
  winter"): a 17-storey block in Rusanivka without central heating for weeks (since the 9 January strike,
  18 days), electricity from a generator a few hours a day; the resident heats with the gas stove daily and
  "it barely reaches 13 degC". Model: ``panel_16`` with that flat's gas stove in use (every household of
  the building heating with its stove), power 4 h a day.
* ``k3_1d``: Telegraf / Kyiv 24, 21 Jan 2026: Darnytskyi district after more than a day without heat (the
  20 January strike): "+10 degrees in the flats, up to +15 where there is gas". Model: ``panel_9`` after
  30 h, without stove use (the +10 degC reading), power 12 h a day.

Outdoor temperature: Kyiv's January 2026 mean, -7.6 degC (calibration F2) for the long outages; -10 degC for
20-21 January (the cold days after the strike, [M]); each with a band of +-3 K (``t_band_k``) reported as
the model's range.

Tolerance: ``APARTMENT_TOL_K`` = 4 K, chosen before the comparison from the two uncertainties of a single
reading against a model of the building's mean flat: the spread of flats in one block (corner and top-floor
flats several kelvin colder than the mean, [L]: 2.5 K) and the outdoor temperature over the period (+-3 K
moves the model's end temperature by about as much after many days): sqrt(2.5^2 + 3^2) ~ 4 K.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["APARTMENT_TOL_K", "READINGS", "Reading", "cool_down_operative", "figures", "kyiv_readings"]

#: Accepted difference between the model's central value and a reading (module docstring). [K]
APARTMENT_TOL_K = 4.0
#: Heated floor area per person present in the default Kyiv city's apartment blocks (sim.city, D1-D3). [m2]
M2_PER_PERSON = 17.5


@dataclass(frozen=True)
class Reading:
    """One published indoor reading and the conditions the model reproduces."""

    key: str
    source: str
    reading_c: float  # the reported indoor temperature [degC]
    hours: int  # time without district heat [h]
    t_out_c: float  # mean outdoor temperature over the period [degC]
    archetypes: tuple[str, ...]  # candidate archetypes; the first is the central one
    powered_h_per_day: float  # hours with power per day [h]
    stove_in_use: bool  # the flat heats with its gas stove
    start: str = "2026-01-10T00:00"


READINGS: tuple[Reading, ...] = (
    Reading("k1_15d", "Obozrevatel, 25 Jan 2026", 1.0, 15 * 24, -7.6,
            ("panel_9", "khrushchyovka_5", "panel_16", "brick_stalinka"), 12.0, False),
    Reading("k2_17storey", "The Kyiv Independent, 27-28 Jan 2026", 13.0, 18 * 24, -7.6, ("panel_16",), 4.0, True,
            "2026-01-09T06:00"),
    Reading("k3_1d", "Telegraf / Kyiv 24, 21 Jan 2026", 10.0, 30, -10.0, ("panel_9",), 12.0, False,
            "2026-01-20T06:00"),
)  # fmt: skip


def _powered(hours: int, per_day_h: float) -> np.ndarray:
    """Power on for ``per_day_h`` of every 24 h, in blocks spread over the day (outage queues). [bool]"""
    if per_day_h >= 24.0:
        return np.ones(hours, dtype=bool)
    n_blocks = 3 if per_day_h >= 6.0 else 1
    block = per_day_h / n_blocks
    hod = np.arange(hours) % 24
    period = 24.0 / n_blocks
    return (hod % period) < block


def cool_down_operative(
    archetype_name: str, hours: int, t_out_c: float, powered_h_per_day: float = 24.0,
    stove_in_use: bool = False, start: str = "2026-01-10T00:00", cfg: Any = None,
) -> np.ndarray:  # fmt: skip
    """Hourly operative temperature of one building after district heat stops at hour 0 (hour 0 included),
    through the chain's stage. [degC], shape (hours + 1,)"""
    from sim.archetypes import archetype
    from sim.building_stage import BuildingStage
    from sim.config.buildings import BuildingsConfig
    from sim.weather import Forecast

    cfg = BuildingsConfig(ua_cv=0.0) if cfg is None else cfg
    if stove_in_use:
        cfg = dataclasses.replace(cfg, gas_stove_share_frac=1.0)
    a = archetype(archetype_name)
    occupants = a.floor_area_m2 / M2_PER_PERSON
    groups = pd.DataFrame({"archetype": [a.name], "n_buildings": [1.0], "floor_area_m2": [a.floor_area_m2],
                           "occupants": [occupants], "households": [occupants / 2.42], "kind": [a.kind],
                           "heating": ["district" if a.kind == "apartment" else "gas_boiler"]})  # fmt: skip
    times = np.datetime64(start, "h") + np.arange(hours + 1).astype("timedelta64[h]")
    t_out = np.full((1, hours + 1), float(t_out_c))
    forecast = Forecast(times=times, outdoor_c=t_out, source="validation")
    stage = BuildingStage.from_groups(groups, cfg, np.random.default_rng(0), 1, times, 1.0, forecast)
    if stove_in_use:
        stage.inputs = dataclasses.replace(stage.inputs, gas_stove_frac=np.ones(1))
    wind = forecast.sky().wind_m_per_s[:, :1]
    col = np.full((1, 1), float(t_out_c))
    stage.start(col, wind)
    powered = _powered(hours, powered_h_per_day)
    out = []
    for t in range(hours):
        out.append(float(stage.operative(t, col, wind)[0, 0]))
        stage.step(t, col, wind, np.full((1, 1), bool(powered[t])), np.zeros((1, 1)))
    out.append(float(stage.operative(hours, col, wind)[0, 0]))
    return np.array(out)


def kyiv_readings(t_band_k: float = 3.0) -> dict[str, dict[str, Any]]:
    """Each reading with the model's operative temperature at the reading's time: the central value
    (first archetype, mean outdoor temperature) and the range over the candidate archetypes and the
    outdoor band. [degC]"""
    out: dict[str, dict[str, Any]] = {}
    for r in READINGS:
        vals = {}
        for name in r.archetypes:
            for dt in (-t_band_k, 0.0, t_band_k):
                curve = cool_down_operative(name, r.hours, r.t_out_c + dt, r.powered_h_per_day, r.stove_in_use, r.start)
                vals[(name, dt)] = curve
        central = vals[(r.archetypes[0], 0.0)]
        ends = [v[-1] for v in vals.values()]
        out[r.key] = {
            "reading": r, "reading_c": r.reading_c, "model_c": float(central[-1]), "curve_c": central,
            "model_min_c": float(min(ends)), "model_max_c": float(max(ends)),
            "difference_k": float(central[-1] - r.reading_c),
        }  # fmt: skip
    return out


def figures(quick: bool = False) -> dict[str, float]:
    """``apartments.<reading>.{model_c, model_min_c, model_max_c, reading_c}`` (a validation: nothing fitted)."""
    out: dict[str, float] = {}
    for key, r in kyiv_readings().items():
        for k in ("model_c", "model_min_c", "model_max_c", "reading_c", "difference_k"):
            out[f"apartments.{key}.{k}"] = float(r[k])
    return out
