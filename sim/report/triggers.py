"""Anticipatory-action triggers derived from the ensemble, in the style of IFRC Early Action Protocols.

A trigger is a rule a city service can check on the day: *if the forecast minimum falls below X degC and
more than Y apartment blocks have been without heat for 48 h, open Z more heating-point places in
districts ...*. Each Monte Carlo run is one possible course of the weeks ahead; in each run the trigger
fires at the first hour ``t`` at which

* the number of buildings on district heating without heat stayed above ``Y`` over the whole preceding
  ``trigger_sustained_h`` hours (a count the heat utility reports), and
* the coldest outdoor temperature over the next ``trigger_forecast_days`` days is below ``X`` (a perfect
  forecast of that run's weather: an optimistic assumption on forecast skill).

What follows is read from the same run after ``t``: whether heating-point demand exceeds the places of a
district (a *shortfall*), how many places are missing at the worst hour (``Z``, by district), and when the
demand peaks (the lead time). Over runs: the share in which the trigger fires, the probability that a
shortfall follows once it has fired, and the hit rate (the share of runs with a shortfall in which the
trigger fired first). Candidates come from the grid ``output.trigger_forecast_min_c`` x
``output.trigger_blocks_frac`` (Y as a share of the city's apartment blocks); the brief names the usable
one (probability at least ``output.trigger_min_probability``) with the highest hit rate, ties to the
earlier trigger.

References: IFRC, Early Action Protocol template and guidance (forecast-based financing: trigger, lead
time, probability, early actions).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from sim.keyfigures import Settings, _dt_h, _hours
from sim.weighted_stats import median, percentiles, probability, realization_weights

__all__ = ["TRIGGER_COLUMNS", "chosen", "trigger_table"]

#: Columns of :func:`trigger_table`.
TRIGGER_COLUMNS = [
    "trigger", "chosen", "forecast_min_below_c", "blocks_without_heat_over", "blocks_frac", "sustained_h",
    "forecast_days", "runs_triggered", "probability", "hit_rate", "trigger_day_p50", "trigger_date_p50",
    "lead_time_days_p50", "places_to_open_p50", "places_to_open_p95", "adm5_code", "adm5_name",
]


def _sustained_min(series: np.ndarray, n: int) -> np.ndarray:
    """(R, T) -> (R, T) minimum over the ``n`` steps ending at each step; -inf before ``n`` steps passed."""
    out = np.full(series.shape, -np.inf)
    if n <= series.shape[1]:
        win = np.lib.stride_tricks.sliding_window_view(series, n, axis=1).min(axis=-1)
        out[:, n - 1:] = win
    return out


def _forward_min(series: np.ndarray, n: int) -> np.ndarray:
    """(R, T) -> (R, T) minimum over the ``n`` steps starting at each step (shorter at the end)."""
    pad = np.concatenate([series, np.full((series.shape[0], n - 1), np.inf)], axis=1)
    return np.lib.stride_tricks.sliding_window_view(pad, n, axis=1).min(axis=-1)


def _med(a: np.ndarray, w: np.ndarray | None = None) -> float:
    return float(median(a, w)) if a.size and (w is None or w.sum() > 0) else float("nan")


def _p95(a: np.ndarray, w: np.ndarray | None = None) -> float:
    return float(percentiles(a, 95, w)) if a.size and (w is None or w.sum() > 0) else float("nan")


def _share(event: np.ndarray, w: np.ndarray | None) -> float:
    return float(probability(event, w)) if event.size and (w is None or w.sum() > 0) else float("nan")


def trigger_table(ds: xr.Dataset, settings: Settings | None = None) -> pd.DataFrame:
    """Every candidate trigger with its skill in the ensemble; one city row and one row per district each.

    Returns an empty table (with :data:`TRIGGER_COLUMNS`) when the result lacks the variables needed
    (``buildings_without_heat``, ``outdoor_temperature``, ``heating_point_demand_by_district``,
    ``heating_point_capacity_by_district``). A conditioned nowcast's runs count by their weights
    (``realization_weight``): shares, probabilities, medians and the 95th percentile are weighted.
    """
    s = settings or Settings.from_dataset(ds)
    w = realization_weights(ds)
    need = ("buildings_without_heat", "outdoor_temperature", "heating_point_demand_by_district",
            "heating_point_capacity_by_district")
    if not all(v in ds for v in need):
        return pd.DataFrame(columns=TRIGGER_COLUMNS)
    dt_h = _dt_h(ds)
    hours = _hours(ds)
    times = pd.DatetimeIndex(ds["time"].values)
    blocks = ds["buildings_without_heat"].sum("district").transpose("realization", "time").values.astype(float)
    outdoor = ds["outdoor_temperature"].transpose("realization", "time").values.astype(float)
    demand_d = ds["heating_point_demand_by_district"].transpose("realization", "time", "district").values
    cap_d = ds["heating_point_capacity_by_district"].values.astype(float)
    unmet_d = np.maximum(demand_d - cap_d, 0.0)  # (R, T, D)
    unmet = unmet_d.sum(axis=-1)
    demand = demand_d.sum(axis=-1)
    n_total = float(ds["apartment_buildings"].sum()) if "apartment_buildings" in ds else float(blocks.max())
    sustained = _sustained_min(blocks, max(1, int(np.ceil(s.trigger_sustained_h / dt_h - 1e-9))))
    fmin = _forward_min(outdoor, max(1, int(np.ceil(s.trigger_forecast_days * 24.0 / dt_h - 1e-9))))
    shortfall_any: np.ndarray = np.asarray((unmet > 0).any(axis=1))
    districts = [str(d) for d in ds["district"].values]
    codes = [str(c) for c in ds["katotth"].values] if "katotth" in ds.coords else [""] * len(districts)
    steps = np.arange(blocks.shape[1])[None, :]
    rows: list[dict[str, Any]] = []
    for x in s.trigger_forecast_min_c:
        for frac in s.trigger_blocks_frac:
            y = round(frac * n_total)
            cond = (sustained > y) & (fmin < x)
            fired: np.ndarray = np.asarray(cond.any(axis=1))
            if w is not None:  # a realization of zero weight is not in the ensemble: it cannot fire
                fired &= w > 0
            t_fire = np.where(fired, np.argmax(cond, axis=1), -1)
            after = steps >= t_fire[:, None]
            unmet_after = np.where(after[:, :, None], unmet_d, 0.0).max(axis=1)  # (R, D)
            shortfall_after: np.ndarray = fired & (np.where(after, unmet, 0.0) > 0).any(axis=1)
            peak_t = np.argmax(np.where(after, demand, -np.inf), axis=1)
            lead_d = (hours[peak_t] - hours[np.maximum(t_fire, 0)]) / 24.0
            n_fired = int(fired.sum())
            wf = None if w is None else w[fired]
            prob = _share(shortfall_after[fired], wf) if n_fired else float("nan")
            hit = (_share((fired & shortfall_after)[shortfall_any], None if w is None else w[shortfall_any])
                   if shortfall_any.any() else float("nan"))
            day50 = _med(hours[t_fire[fired]] / 24.0, wf)
            date50 = (times[0] + pd.Timedelta(hours=day50 * 24.0)).strftime("%Y-%m-%d") if n_fired else ""
            base = {
                "trigger": f"T{len(rows) // (len(districts) + 1) + 1}",
                "chosen": False,
                "forecast_min_below_c": float(x),
                "blocks_without_heat_over": int(y),
                "blocks_frac": float(frac),
                "sustained_h": float(s.trigger_sustained_h),
                "forecast_days": float(s.trigger_forecast_days),
                "runs_triggered": _share(fired, w),
                "probability": prob,
                "hit_rate": hit,
                "trigger_day_p50": day50,
                "trigger_date_p50": date50,
                "lead_time_days_p50": _med(lead_d[fired], wf),
            }
            # the city's places to open at the worst hour after the trigger, in each run
            city_z = np.where(after, unmet, 0.0).max(axis=1)[fired] if n_fired else np.array([])
            rows.append(base | {
                "places_to_open_p50": _med(city_z, wf),
                "places_to_open_p95": _p95(city_z, wf),
                "adm5_code": "", "adm5_name": "",
            })
            for i, (name, code) in enumerate(zip(districts, codes, strict=True)):
                z = unmet_after[fired, i]
                rows.append(base | {
                    "places_to_open_p50": _med(z, wf),
                    "places_to_open_p95": _p95(z, wf),
                    "adm5_code": code, "adm5_name": name,
                })
    table = pd.DataFrame(rows, columns=TRIGGER_COLUMNS)
    best = chosen(table, s)
    if best is not None:
        table.loc[table["trigger"] == best, "chosen"] = True
    return table


def chosen(table: pd.DataFrame, settings: Settings) -> str | None:
    """The trigger the brief names: probability >= ``trigger_min_probability``, then the highest hit
    rate, then the earliest median trigger day; without a usable one, the highest probability."""
    city = table[table["adm5_name"] == ""].copy()
    city = city[city["runs_triggered"] > 0]
    if city.empty:
        return None
    usable = city[city["probability"] >= settings.trigger_min_probability]
    pool = usable if not usable.empty else city
    pool = pool.assign(_hit=pool["hit_rate"].fillna(0.0), _p=pool["probability"].fillna(0.0))
    keys = ["_hit", "trigger_day_p50"] if not usable.empty else ["_p", "trigger_day_p50"]
    pool = pool.sort_values(keys, ascending=[False, True], kind="stable")
    return str(pool["trigger"].iloc[0])
