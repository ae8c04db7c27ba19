"""Synthetic run and sweep Datasets with the names, dims and attributes of ``result.nc`` / ``sweep.nc``.

Small (10 realizations, 3 days, hourly) and deterministic; used by the report tests so that they do not
depend on the simulation chain. Numbers are plausible, not modelled.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

KYIV_DISTRICTS = {
    "Holosiivskyi": "UA80000000000126643",
    "Darnytskyi": "UA80000000000210193",
    "Desnianskyi": "UA80000000000336424",
    "Dniprovskyi": "UA80000000000479391",
    "Obolonskyi": "UA80000000000551439",
    "Pecherskyi": "UA80000000000624772",
    "Podilskyi": "UA80000000000719633",
    "Sviatoshynskyi": "UA80000000000875983",
    "Solomianskyi": "UA80000000000980793",
    "Shevchenkivskyi": "UA80000000001078669",
}
THRESHOLDS = [18.0, 16.0, 12.0, 9.0]
EDGES = [0, 6, 12, 24, 36, 48, 72]
AGES = ["all", "65plus", "under5"]

CONFIG_YAML = """seed: 7
realizations: 10
start: '2026-01-29T00:00'
horizon_days: 3
label: ''
city:
  name: kyiv
  population_total: 3700000
  share_left_frac: 0.16
attacks:
  policy: {policy}
  pause_start_day: 0.0
  pause_days: 1.0
repair:
  power_crews: 120
  heat_crews: 60
  crew_multiplier: 1.0
  transformer_spares: 3
  drain_delay_h: 4.0
  restart_h_per_building: 1.2
  frozen_repair_days: 21.0
people:
  heating_points: 1300
  places_per_point: 100
"""


def make_run(
    n_real: int = 10,
    days: int = 3,
    n_districts: int = 10,
    policy: str = "continued",
    label: str = "",
    seed: int = 7,
    severity: float = 1.0,
) -> xr.Dataset:
    """A synthetic run Dataset; ``severity`` scales the cold (a pause uses < 1)."""
    rng = np.random.default_rng(seed)
    names = list(KYIV_DISTRICTS)[:n_districts]
    codes = [KYIV_DISTRICTS[n] for n in names]
    T = days * 24
    R, D, _K = n_real, len(names), len(THRESHOLDS)
    time = pd.date_range("2026-01-29", periods=T, freq="h").values
    hours = np.arange(T)
    pop = np.linspace(380_000, 160_000, D)
    pop = pop / pop.sum() * 3_100_000

    outdoor = -12 - 8 * np.sin(np.pi * hours / T)[None, :] + rng.normal(0, 1.5, (R, T))
    # people below thresholds: a wave on day 1 (or later under a pause) then slow recovery
    wave_h = 20 + rng.integers(0, 10, R)
    if policy.startswith("pause"):
        wave_h = wave_h + 24
    ramp = np.clip((hours[None, :] - wave_h[:, None]) / 10.0, 0, 1) * np.exp(
        -np.clip(hours[None, :] - wave_h[:, None] - 10, 0, None) / 40.0
    )
    scale = severity * rng.uniform(0.6, 1.4, R)[:, None]
    share_by_k = np.array([0.45, 0.30, 0.12, 0.03])
    people_below = 3_100_000 * share_by_k[None, None, :] * (ramp * scale)[:, :, None]
    age_share = np.array([1.0, 0.17, 0.045])
    w = rng.dirichlet(np.ones(D) * 3)  # share of the cold per district
    ph = people_below.sum(axis=1)[:, :, None] * w[None, None, :]  # (R, K, D) person-hours (dt = 1 h)
    cold24 = 0.5 * ph[:, 1, :] / max(T, 1)
    hist = np.zeros((R, len(EDGES), 3))
    for a, s in enumerate(age_share):
        shape = np.array([5, 8, 10, 9, 6, 4, 2], float) * severity ** np.arange(len(EDGES))
        base = shape[None, :] * scale[:, :1] * 10_000 * s
        hist[:, :, a] = base * (1.4 if a == 1 else 1.0)
    demand = 0.3 * (people_below[:, :, 2] + 0.2 * people_below[:, :, 1])
    capacity = 130_000.0
    no_power = np.clip(0.2 + 0.6 * ramp[:, :, None] * rng.uniform(0.5, 1.0, (1, 1, D)), 0, 1)
    no_heat = np.round(6000 * severity * ramp[:, :, None] * w[None, None, :] * 2).astype(np.int64)
    waves = np.zeros((R, T), dtype=np.int64)
    waves[np.arange(R), wave_h] = 1
    hits = waves * rng.integers(2, 8, (R, 1))

    cap_d = capacity * pop / pop.sum()
    demand_d = demand[:, :, None] * w[None, None, :]
    points_d = np.maximum(demand_d, cap_d) / 100.0
    gens_d = no_power * points_d
    diesel_d = (gens_d * 30.0 * 0.6 * 0.25).reshape(R, days, 24, D).sum(axis=2)
    severe = 0.4 * cold24[..., None] * age_share
    spell_hist = hist * 0.5

    def v(data, dims, units, long_name, **kw):
        return (dims, np.asarray(data), {"units": units, "long_name": long_name, **kw})

    ds = xr.Dataset(
        {
            "outdoor_temperature": v(outdoor, ("realization", "time"), "degC", "outdoor air temperature"),
            "indoor_temperature": v(
                20 - 6 * ramp[:, :, None, None] * np.ones((1, 1, D, 3)),
                ("realization", "time", "district", "archetype"),
                "degC",
                "indoor air temperature",
            ),
            "share_without_power": v(
                no_power, ("realization", "time", "district"), "1", "share without power"
            ),
            "buildings_without_heat": v(
                no_heat, ("realization", "time", "district"), "1", "buildings without heat"
            ),
            "buildings_drained": v(
                no_heat // 2, ("realization", "time", "district"), "1", "buildings drained"
            ),
            "buildings_frozen": v(
                no_heat // 50, ("realization", "time", "district"), "1", "buildings frozen"
            ),
            "people_below_threshold": v(
                people_below, ("realization", "time", "threshold"), "1", "people below threshold"
            ),
            "people_below_threshold_by_age": v(
                people_below[..., None] * age_share,
                ("realization", "time", "threshold", "age_group"),
                "1",
                "people below threshold, by age group",
            ),
            "person_hours_below_threshold": v(
                ph, ("realization", "threshold", "district"), "h", "person-hours below threshold"
            ),
            "person_hours_below_threshold_by_age": v(
                ph[..., None] * age_share,
                ("realization", "threshold", "district", "age_group"),
                "h",
                "person-hours below threshold, by age group",
            ),
            "people_cold_24h": v(
                cold24,
                ("realization", "district"),
                "1",
                "people below 16 degC for 24 h or more",
                threshold_c=16.0,
                duration_h=24.0,
            ),
            "people_cold_24h_by_age": v(
                cold24[..., None] * age_share,
                ("realization", "district", "age_group"),
                "1",
                "people below 16 degC for 24 h or more, by age group",
                threshold_c=16.0,
                duration_h=24.0,
            ),
            "cold_hours_histogram": v(
                hist,
                ("realization", "duration_bin", "age_group"),
                "1",
                "affected people by hours below 16 degC",
            ),
            "cold_hours_median": v(
                np.full((R, 3), 24.0) * scale[:, :1], ("realization", "age_group"), "h", "median hours"
            ),
            "cold_hours_p90": v(
                np.full((R, 3), 60.0) * scale[:, :1], ("realization", "age_group"), "h", "p90"
            ),
            "occupants": v(pop[:, None] * age_share, ("district", "age_group"), "1", "people present"),
            "heating_point_demand": v(demand, ("realization", "time"), "1", "heating-point demand"),
            "heating_point_unmet_demand": v(
                np.maximum(demand - capacity, 0), ("realization", "time"), "1", "unmet demand"
            ),
            "heating_point_capacity": v(capacity, (), "1", "places in heating points"),
            "generators_running": v(gens_d.sum(axis=2), ("realization", "time"), "1", "generators running"),
            "generators_running_by_district": v(
                gens_d, ("realization", "time", "district"), "1", "generators running, by district"
            ),
            "generator_kw": v(30.0 * gens_d.sum(axis=2), ("realization", "time"), "kW", "generators running"),
            "generator_load_kw": v(18.0 * gens_d.sum(axis=2), ("realization", "time"), "kW", "generator load"),
            "diesel_consumption": v(diesel_d.sum(axis=2), ("realization", "day"), "L d-1", "diesel per day"),
            "diesel_consumption_by_district": v(
                diesel_d, ("realization", "day", "district"), "L d-1", "diesel per day, by district"
            ),
            "generator_class_kw": v([10.0, 30.0, 50.0], ("generator_class",), "kW", "class rating"),
            "generator_class_share": v([0.2, 0.6, 0.2], ("generator_class",), "1", "class share"),
            "heating_point_demand_by_district": v(
                demand_d, ("realization", "time", "district"), "1", "heating-point demand, by district"
            ),
            "heating_point_capacity_by_district": v(
                cap_d, ("district",), "1", "places by district", places_per_point=100.0
            ),
            "people_below_long_by_district_age": v(
                people_below[:, :, THRESHOLDS.index(16.0), None, None] * w[:, None] * age_share,
                ("realization", "time", "district", "age_group"),
                "1",
                "people below 16 degC, by district and age group",
                threshold_c=16.0,
            ),
            "people_below_threshold_by_district": v(
                people_below[..., None] * w,
                ("realization", "time", "threshold", "district"),
                "1",
                "people below threshold, by district",
            ),
            "people_severe_cold": v(
                severe,
                ("realization", "district", "age_group"),
                "1",
                "people below 12 degC for 72 h or more",
                threshold_c=12.0,
                duration_h=72.0,
            ),
            "people_dangerous_cold": v(
                0.05 * severe,
                ("realization", "district", "age_group"),
                "1",
                "people below 6 degC for 2 h or more",
                threshold_c=6.0,
                duration_h=2.0,
            ),
            "severe_spell_histogram": v(
                spell_hist, ("realization", "duration_bin", "age_group"), "1", "people by longest spell < 12 degC"
            ),
            "cold_spell_histogram": v(
                hist, ("realization", "duration_bin", "age_group"), "1", "people by longest spell < 16 degC"
            ),
            "people_without_water": v(
                200_000 * no_power.mean(axis=2), ("realization", "time"), "1", "people without water"
            ),
            "apartment_buildings": v(np.round(12_000 * w).astype(np.int64), ("district",), "1", "buildings"),
            "waves": v(waves, ("realization", "time"), "1", "strike waves"),
            "hits": v(hits, ("realization", "time"), "1", "nodes damaged"),
            "population": v(pop, ("district",), "1", "people present in the district"),
        },
        coords={
            "realization": ("realization", np.arange(R), {"standard_name": "realization"}),
            "time": ("time", time),
            "district": ("district", names),
            "katotth": ("district", codes),
            "archetype": ("archetype", ["khrushchyovka_5", "panel_9", "brick_stalinka"]),
            "threshold": ("threshold", THRESHOLDS, {"units": "degC"}),
            "age_group": ("age_group", AGES),
            "duration_bin": ("duration_bin", np.asarray(EDGES, float), {"units": "h"}),
            "day": ("day", pd.date_range("2026-01-29", periods=days, freq="D").values),
            "generator_class": ("generator_class", ["10kW", "30kW", "50kW"]),
        },
    )
    pause = policy.startswith("pause")
    ds.attrs = {
        "Conventions": "CF-1.10",
        "title": f"coldgrid scenario: {policy}, cold_snap -25 degC, kyiv",
        "institution": "coldgrid developers",
        "source": "coldgrid 0.1.0",
        "history": "2026-01-29T00:00:00Z synthetic test fixture",
        "scenario": f"{policy}, cold_snap -25 degC, kyiv",
        "seed": seed,
        "config": CONFIG_YAML.format(policy=policy).replace("label: ''", "label: " + json.dumps(label)),
        "label": label,
        "start": "2026-01-29T00:00",
        "horizon_days": float(days),
        "realizations": R,
        "attacks_policy": policy,
        "pause_start_day": 0.0,
        "pause_days": 1.0 if pause else 0.0,
        "city": "kyiv",
        "household_size": 2.42,
        "weather_source": "synthetic cold snap, min -25 degC",
    }
    return ds


def make_sweep(n_real: int = 10, days: int = 3, n_districts: int = 10, label: str = "") -> xr.Dataset:
    """A synthetic ``sweep.nc`` as :func:`sim.sweep.collect` writes it: continued and pause_week along a
    leading ``scenario`` dim (same seed), run attributes moved to per-scenario coordinates."""
    runs = [
        make_run(n_real, days, n_districts, policy="continued", label=label),
        make_run(n_real, days, n_districts, policy="pause_week", label=label, severity=0.6),
    ]
    labels = ["attacks=continued", "attacks=pause_week"]
    stripped = [r.copy().assign_attrs() for r in runs]
    for r in stripped:
        r.attrs = {}
    ds = xr.concat(
        stripped,
        dim=pd.Index(labels, name="scenario"),
        data_vars="all",
        coords="different",
        compat="equals",
        join="outer",
        combine_attrs="drop_conflicts",
    )
    ds["population"] = runs[0]["population"]
    for name in ("heating_point_capacity", "heating_point_capacity_by_district", "apartment_buildings",
                 "generator_class_kw", "generator_class_share"):
        ds[name] = runs[0][name]
    per = {
        "job": [0, 1],
        "overrides": labels,
        "scenario_name": [r.attrs["scenario"] for r in runs],
        "seed": [r.attrs["seed"] for r in runs],
        "config": [r.attrs["config"] for r in runs],
    }
    for name, vals in per.items():
        ds = ds.assign_coords(
            {name: ("scenario", np.asarray(vals, dtype=object if isinstance(vals[0], str) else None))}
        )
    ds.attrs = {
        "Conventions": "CF-1.10",
        "title": "coldgrid sweep: scenarios along the scenario dimension",
        "source": "coldgrid 0.1.0",
        "history": "synthetic test fixture",
        "baseline": "attacks=continued",
    }
    return ds
