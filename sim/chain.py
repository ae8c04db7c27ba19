"""The chain: config -> city -> weather -> threat -> DES supply -> thermal -> people -> Dataset.

:func:`run_scenario` is the one function the CLI, notebooks, sweeps and tests call. Each stage is a plain
function returning a typed object; nothing is global. Randomness comes from :mod:`sim.rng` streams keyed
by the run's ``seed``, the realization and the process, so scenarios share random numbers where they share
events.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr
from omegaconf import DictConfig, OmegaConf, open_dict
from threadpoolctl import threadpool_limits

from sim import memory, rng
from sim.archetypes import ARCHETYPES
from sim.building_stage import BuildingStage
from sim.city import City, build_city
from sim.config.attacks import left_out_warnings
from sim.config.validate import validate
from sim.config.weather import ignored_path_warning
from sim.des import CAUSES, simulate_supply
from sim.district_sums import add_building_counts
from sim.errors import ColdgridWarning
from sim.io import global_attrs
from sim.network import build_network
from sim.nowcast import condition, load_reports, uniform_weights
from sim.people import ExposureAccumulator, exposure_to_dataset
from sim.threat import make_campaign
from sim.timegrid import TimeGrid
from sim.weather import make_forecast

#: Called as ``progress(stage, done, total)``; the CLI passes a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass
class RunOutput:
    """Everything one run produces: the Dataset, the DES event log and the wall time per stage [s]."""

    dataset: xr.Dataset
    events: pd.DataFrame
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)  # DES statistics (n_events, des_seconds)


@dataclass
class ThermalOutput:
    """Indoor temperatures kept from the thermal stage. [degC]"""

    by_district_archetype: np.ndarray  # (R, T, D, A) occupant-weighted means of the air, float32
    archetypes: list[str]  # the archetype coordinate (those present in the city)
    occupants: np.ndarray  # (D, A) people present per district and archetype [people]
    per_group: np.ndarray | None  # (R, T, G) float32, only with buildings.trajectories=true
    by_district: dict[str, np.ndarray]  # (R, T, D) sums: no_power [people], no_heat, drained, frozen [buildings];
    # by_cause (R, T, D, C) [buildings]
    operative_by_district_archetype: np.ndarray | None = None  # (R, T, D, A) operative temperature, float32
    stove_household_hours: np.ndarray | None = None  # (R, D) household-hours of gas-stove heating [h]
    exposure_temperature: str = "air"  # which temperature the exposure counted ("operative" or "air")


@contextmanager
def _timed(times: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        times[stage] = times.get(stage, 0.0) + time.perf_counter() - t0


def scenario_name(cfg: DictConfig) -> str:
    """A short name of the scenario for outputs, e.g. ``pause_week, cold_snap -25 degC, kyiv``."""
    w = cfg.weather
    weather = f"cold_snap {w.min_temperature_c:g} degC" if w.kind == "cold_snap" else f"weather file {w.path}"
    return f"{cfg.attacks.policy}, {weather}, {cfg.city.name}"


def resolve_defaults(cfg: DictConfig) -> DictConfig:
    """Fill keys whose default depends on other keys (a copy; the stored config shows the values used).

    ``people.heating_points: null`` takes the city's figure ``city.heating_points``.
    """
    cfg = cfg.copy()
    if cfg.people.heating_points is None:
        with open_dict(cfg):
            cfg.people.heating_points = int(cfg.city.heating_points)
    return cfg


def run_scenario(cfg: DictConfig, progress: Progress | None = None) -> xr.Dataset:
    """Run one scenario (all realizations) and return its Dataset (the ``result.nc`` contract).

    Parameters
    ----------
    cfg : omegaconf.DictConfig
        A composed coldgrid config (``hydra.compose`` or the CLI); validated here.
    progress : callable, optional
        ``progress(stage, done, total)`` for a progress bar.
    """
    return run_scenario_full(cfg, progress).dataset


def run_scenario_full(cfg: DictConfig, progress: Progress | None = None) -> RunOutput:
    """Like :func:`run_scenario`, also returning the event log and the time per stage."""
    validate(cfg)
    if (ignored := ignored_path_warning(cfg.weather)) is not None:  # once per run (the CLI validates first too)
        warnings.warn(ignored, ColdgridWarning, stacklevel=2)
    cfg = resolve_defaults(cfg)
    times: dict[str, float] = {}
    seed = int(cfg.seed)
    n_real = int(cfg.realizations)
    grid = TimeGrid.from_config(str(cfg.start), float(cfg.horizon_days), float(cfg.dt_minutes),
                                float(cfg.city.utc_offset_h))

    with _timed(times, "city"):
        city = build_city(cfg.city)
        network = build_network(city, cfg.city.grid)
        # a nowcast's reports are read and checked before anything is simulated
        reports = load_reports(cfg.get("nowcast"), city.district_names, list(city.districts["katotth"]), grid,
                               network.n_queues)
    estimate_of = _memory_estimator(cfg, city, network, grid)
    memory.check_fits(estimate_of(n_real), n_real)
    if reports is not None and len(reports) > 0:  # the filter's restarts, before the prior run, not during it
        memory.check_nowcast_fits(estimate_of, n_real, _restart_size(cfg), int(cfg.nowcast.get("max_rejuvenations") or 0))
    with _timed(times, "weather"):
        past = cfg.nowcast.get("past_weather") if reports is not None else None
        forecast = make_forecast(cfg.weather, grid, n_real, seed, past_weather=past,
                                 as_of=None if reports is None else reports.as_of)
    with _timed(times, "threat"):
        campaign = make_campaign(cfg.attacks, network, grid, n_real, seed)
    for left_out in left_out_warnings(cfg.attacks, float(cfg.horizon_days)):  # names checked: now, once per run
        warnings.warn(left_out, ColdgridWarning, stacklevel=2)
    sim_out = _simulate(cfg, city, network, grid, forecast, campaign, seed, times, progress)
    ds, events, des_stats = sim_out.dataset, sim_out.events, dict(sim_out.stats)
    if reports is not None:
        rj = _rejuvenation(cfg, city, network, grid, forecast, seed, reports, times, campaign, events)
        t0 = time.perf_counter()
        ds = condition(ds, reports, cfg.nowcast, network.n_queues, restart=rj.restart, warm_start=rj.warm_start,
                       end=grid.times[-1] + np.timedelta64(round(grid.dt_h * 3600e9), "ns"), ancestors=rj.ancestors)
        restarts = sum(v for k, v in times.items() if k.startswith("restart "))
        times["nowcast"] = time.perf_counter() - t0 - restarts  # the filter itself, without the restarted runs
        if rj.events:
            events = pd.concat([events, *rj.events], ignore_index=True)
        for k, v in rj.stats.items():
            des_stats[k] = des_stats.get(k, 0) + v
    # CF time on the model clock (sim.timegrid, sim.io); set last: merging variables resets coordinate attrs
    ds["time"].attrs = grid.time_attrs()
    return RunOutput(dataset=ds, events=events, stage_seconds=times, stats=des_stats)


def _simulate(cfg, city, network, grid, forecast, campaign, seed, times, progress=None, stage: str = "") -> RunOutput:
    """The supply (DES), thermal and people stages and the Dataset of one ensemble."""
    with _timed(times, f"{stage}des"):
        supply = simulate_supply(
            city, network, campaign, forecast.outdoor_c, cfg.repair, cfg.buildings, grid, seed,
            progress=progress,
        )
    # one BLAS thread: the step's matrix products are small, and parallel sweeps run one job per core
    with _timed(times, f"{stage}thermal+people"), threadpool_limits(1):
        indoor, exposure = _thermal_and_people(cfg, city, grid, forecast, supply, seed, progress)
    with _timed(times, f"{stage}dataset"):
        ds = _assemble(cfg, city, grid, forecast, supply, indoor, exposure)
    return RunOutput(dataset=ds, events=supply.events, stats=dict(supply.stats))


def _memory_estimator(cfg, city, network, grid) -> Callable[[int], memory.MemoryEstimate]:
    """:func:`sim.memory.estimate` of this run for ``n`` realizations."""
    dims = (grid.n_steps, len(city.groups), len(network.feeders), len(city.districts),
            city.groups["archetype"].nunique(), len(cfg.people.thresholds_c))
    return lambda n: memory.estimate(n, *dims, trajectories=bool(cfg.buildings.trajectories))


def _restart_size(cfg) -> int:
    """Realizations per rejuvenation (``nowcast.restart_realizations``; null: the run's)."""
    return int(cfg.nowcast.get("restart_realizations") or cfg.realizations)


@dataclass
class _Rejuvenation:
    """The nowcast filter's two callables (a warm start at a report time, a generation restarted from it)
    and what the restarted generations add to the run: their event logs and DES statistics."""

    warm_start: Callable | None
    restart: Callable | None
    events: list[pd.DataFrame]
    stats: dict[str, float]
    ancestors: Callable | None = None


def _rejuvenation(cfg, city, network, grid, forecast, seed, reports, times, campaign, events) -> _Rejuvenation:
    """Build the callables of :func:`sim.rejuvenation.assimilate` for this run: the warm start of
    ``nowcast.rejuvenation`` (``reported``: the reported state, :mod:`sim.warm_start`, with the prior's
    weather realization by realization, cycled when the sizes differ; ``ancestors``: ancestors resampled
    by the pooled weights, :mod:`sim.ancestor_start`, each restarted realization with its ancestor's
    weather) and a restart that simulates ``nowcast.restart_realizations`` new realizations from it with
    fresh streams (:func:`sim.rejuvenation.generation_seed`). ``campaign`` and ``events``: the prior's."""
    from sim.ancestor_start import (
        History,
        ancestor_builder,
        ancestor_campaign,
        ancestor_forecast_rows,
        repairs_done,
    )
    from sim.rejuvenation import generation_seed
    from sim.warm_start import reported_warm_start, warm_start_campaign, zone_table

    zones = zone_table(city, network)
    n_real = int(cfg.realizations)
    n_restart = _restart_size(cfg)
    estimate_of = _memory_estimator(cfg, city, network, grid)
    out = _Rejuvenation(None, None, [], {})
    by_ancestors = str(cfg.nowcast.get("rejuvenation") or "reported") == "ancestors"
    histories = [History(campaign, repairs_done(events, network), np.arange(n_real))] if by_ancestors else []

    def warm_start(at, queues):
        return reported_warm_start(zones, reports, at, grid.start, cfg.nowcast, network.n_queues, queues)

    def restart(g, warm):
        if warm.ancestors is not None:
            rows = ancestor_forecast_rows(histories, warm)
        else:
            rows = np.arange(n_restart) % n_real
        fc = forecast if n_restart == n_real and warm.ancestors is None else _forecast_rows(forecast, rows)
        # checked before the prior run for every rejuvenation allowed; again here, in case memory was taken since
        memory.check_nowcast_fits(estimate_of, n_real, n_restart, g)
        seed_g = generation_seed(seed, g)
        stage = f"restart {g} "
        with _timed(times, f"{stage}threat"):
            if warm.ancestors is not None:
                camp = ancestor_campaign(cfg.attacks, network, grid, seed_g, warm, histories,
                                         float(cfg.repair.repair_time_multiplier))
            else:
                camp = warm_start_campaign(cfg.attacks, network, grid, n_restart, seed_g, warm)
        run = _simulate(cfg, city, network, grid, fc, camp, seed_g, times, None, stage)
        if by_ancestors:
            histories.append(History(camp, repairs_done(run.events, network), rows))
        ev = run.events.copy()
        ev["realization"] = ev["realization"].to_numpy() + n_real + (g - 1) * n_restart
        out.events.append(ev)
        for k, v in run.stats.items():
            out.stats[k] = out.stats.get(k, 0) + v
        return run.dataset

    out.restart = restart
    if by_ancestors:
        out.ancestors = ancestor_builder(seed, grid.start, n_restart)
    else:
        out.warm_start = warm_start
    return out


def _forecast_rows(forecast, rows: np.ndarray):
    """The forecast of the given realizations (rows of every (R, T) array)."""
    def pick(a):
        return a[rows] if a is not None and np.ndim(a) == 2 else a

    return dataclasses.replace(forecast, outdoor_c=forecast.outdoor_c[rows],
                               **{k: pick(getattr(forecast, k)) for k in ("ghi_w_per_m2", "dni_w_per_m2",
                                                                          "dhi_w_per_m2", "wind_m_per_s")})


def _district_archetype_weights(city: City, archetypes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Occupant weights (G, D*A) for occupant-weighted means per (district, archetype), and occupants (D, A).

    A (district, archetype) cell without occupants takes the archetype's city-wide mean, so the output stays
    finite; the ``occupants_by_archetype`` variable (zero there) tells such cells apart.
    """
    g = city.groups
    n_d, n_a = len(city.districts), len(archetypes)
    a_idx = np.array([archetypes.index(a) for a in g["archetype"]])
    d_idx = g["district_index"].to_numpy()
    occ = g["occupants"].to_numpy(dtype=float)
    weight_floor = np.where(occ > 0, occ, 1e-9)  # empty groups still define a temperature
    occ_da = np.zeros((n_d, n_a))
    np.add.at(occ_da, (d_idx, a_idx), occ)
    w = np.zeros((len(g), n_d * n_a))
    cell = d_idx * n_a + a_idx
    w[np.arange(len(g)), cell] = weight_floor
    totals = w.sum(axis=0)
    for a in range(n_a):  # empty cells: archetype city mean
        in_a = a_idx == a
        for d in range(n_d):
            c = d * n_a + a
            if totals[c] == 0:
                w[in_a, c] = weight_floor[in_a]
    w /= w.sum(axis=0, keepdims=True)
    return w, occ_da


def _thermal_and_people(cfg, city, grid, forecast, supply, seed, progress):
    groups = city.groups
    outdoor_c = forecast.outdoor_c
    n_real, n_steps = outdoor_c.shape
    n_groups = len(groups)
    bcfg = OmegaConf.to_object(cfg.buildings)  # a plain dataclass: no config lookups in the step loop
    # the heating-season rule (daily-mean outdoor temperature below heating_limit_c) is in the supply's
    # heat_frac, so the heat inputs get no hourly limit of their own
    stage = BuildingStage.from_groups(groups, dataclasses.replace(bcfg, heating_limit_c=math.inf),
                                      rng.stream(seed, "buildings"), n_real, grid.times, grid.dt_h,
                                      forecast)  # fmt: skip
    wind = np.ascontiguousarray(np.broadcast_to(forecast.sky(grid.dt_h).wind_m_per_s, (n_real, n_steps)))
    # start in steady state with heat and power on at the first outdoor temperature (and wind)
    stage.start(outdoor_c[:, :1], wind[:, :1])
    use_operative = str(bcfg.exposure_temperature) == "operative"

    archetypes = [a for a in ARCHETYPES if a in set(groups["archetype"])]
    weights, occupants_da = _district_archetype_weights(city, archetypes)
    n_d = len(city.districts)
    indoor_da = np.empty((n_real, n_steps, n_d, len(archetypes)), dtype=np.float32)
    operative_da = np.empty_like(indoor_da)

    acc = ExposureAccumulator(
        groups["occupants"].to_numpy(float),
        groups["share_65plus"].to_numpy(float),
        groups["share_under5"].to_numpy(float),
        groups["upper_floor_occupants"].to_numpy(float),
        groups["district_index"].to_numpy(),
        n_d,
        OmegaConf.to_object(cfg.people),
        grid.dt_h,
        n_real,
        n_steps,
        district_names=city.district_names,
    )
    feeder = supply.group_feeder
    heat_frac = supply.heat_frac  # delivered district heat (R, T, G) relative to the supply curve [1]
    indoor = stage.indoor_c
    trajectories = np.empty((n_real, n_steps, n_groups), np.float32) if cfg.buildings.trajectories else None
    # district sums per step: people without power and gas-stove household-hours as matrix products with
    # one-hot weights (G, D); buildings on district heating without heat, drained (or frozen), frozen and
    # by cause in one compiled pass (sim.district_sums: whole buildings, exact sums)
    onehot = np.zeros((n_groups, n_d))
    onehot[np.arange(n_groups), groups["district_index"].to_numpy()] = 1.0
    occ_w = onehot * groups["occupants"].to_numpy(float)[:, None]
    district_index = groups["district_index"].to_numpy(np.int64)
    dh_buildings = groups["n_buildings"].to_numpy(float) * (groups["heating"] == "district").to_numpy()
    by_district = {k: np.empty((n_real, n_steps, n_d)) for k in ("no_power", "no_heat", "drained", "frozen")}
    stove_hours = np.zeros((n_real, n_d))
    causes = CAUSES[1:]  # the causes of no heat (index 0 is "heated")
    by_district["by_cause"] = np.empty((n_real, n_steps, n_d, len(causes)))
    for t in range(n_steps):
        # every output at time[t] describes the start of step t, as do the supply states
        t_out = outdoor_c[:, t : t + 1]
        powered = supply.feeder_power[:, t, feeder]
        frac = heat_frac[:, t, :]
        state = supply.group_state[:, t, :]
        cause = supply.group_cause[:, t, :]
        # one compiled pass: the step, and the operative temperature at its start (stage.operative_c)
        start = indoor  # the state at the start of step t (a view, valid through the next step)
        indoor = stage.step(t, t_out, wind[:, t : t + 1], powered, frac)
        operative = stage.operative_c
        acc.update(t, operative if use_operative else start, powered)
        indoor_da[:, t] = (start @ weights).reshape(n_real, n_d, len(archetypes))
        operative_da[:, t] = (operative @ weights).reshape(n_real, n_d, len(archetypes))
        by_district["no_power"][:, t] = (~powered) @ occ_w
        # buildings with a cause of no heat (an outage, not the season), drained (or frozen), frozen, by cause
        add_building_counts(t, state, cause, district_index, dh_buildings, by_district["no_heat"],
                            by_district["drained"], by_district["frozen"], by_district["by_cause"])
        if trajectories is not None:
            trajectories[:, t] = start
        stove_hours += (stage.stove_households @ onehot) * grid.dt_h
        if progress and (t % 24 == 0 or t == n_steps - 1):
            progress("thermal", t + 1, n_steps)
    out = ThermalOutput(indoor_da, archetypes, occupants_da, trajectories, by_district, operative_da, stove_hours,
                        "operative" if use_operative else "air")  # fmt: skip
    return out, acc.finish()


def _assemble(cfg, city, grid, forecast, supply, indoor, exposure) -> xr.Dataset:
    indoor_da, archetypes = indoor.by_district_archetype, indoor.archetypes
    groups = city.groups
    n_real = forecast.outdoor_c.shape[0]
    districts = city.district_names
    coords = {
        "realization": ("realization", np.arange(n_real), {"standard_name": "realization",
                                                          "long_name": "Monte Carlo realization"}),
        "time": ("time", grid.times, {"long_name": "time (start of step)"}),
        "district": ("district", districts, {"long_name": "district (raion)"}),
        "katotth": ("district", list(city.districts["katotth"]),
                    {"long_name": "KATOTTH code of the district (empty for synthetic cities)"}),
        "archetype": ("archetype", archetypes, {"long_name": "building archetype"}),
    }
    ds = exposure_to_dataset(
        exposure,
        grid.times,
        districts,
        list(city.districts["katotth"]),
        list(cfg.people.thresholds_c),
        household_size=float(cfg.city.household_size),
    )
    ds = ds.assign_coords({k: v for k, v in coords.items() if k not in ds.coords or k == "archetype"})

    ds["outdoor_temperature"] = (
        ("realization", "time"),
        forecast.outdoor_c.astype(np.float64),
        {"units": "degC", "long_name": "outdoor air temperature", "standard_name": "air_temperature",
         "source": forecast.source},
    )
    ds["indoor_temperature"] = (
        ("realization", "time", "district", "archetype"),
        indoor_da,
        {"units": "degC", "long_name": "indoor air temperature, occupant-weighted mean over building groups"},
    )
    if indoor.operative_by_district_archetype is not None:
        ds["indoor_operative_temperature"] = (
            ("realization", "time", "district", "archetype"),
            indoor.operative_by_district_archetype,
            {"units": "degC",
             "long_name": "indoor operative temperature (mean of air and mean radiant), occupant-weighted mean",
             "comment": "ISO 7730 / EN 16798-1 approximation; the exposure variables count "
                        f"{indoor.exposure_temperature} temperature (docs/decisions.md)"},
        )  # fmt: skip
    if indoor.stove_household_hours is not None:
        ds["gas_stove_household_hours"] = (
            ("realization", "district"),
            indoor.stove_household_hours,
            {"units": "h", "long_name": "household-hours of space heating with gas stoves (carbon-monoxide risk)",
             "comment": "stove heat over buildings.gas_stove_kw, summed over households and steps"},
        )  # fmt: skip
    # power: share of residents (occupant-weighted) whose feeder is off
    occ_d = city.districts["population"].to_numpy(float)
    agg = indoor.by_district
    ds["share_without_power"] = (
        ("realization", "time", "district"),
        np.clip(agg["no_power"] / np.where(occ_d > 0, occ_d, 1.0), 0.0, 1.0),
        {"units": "1", "long_name": "share of residents whose feeder has no power (rolling, emergency or damage)"},
    )
    ds["buildings_without_heat"] = (
        ("realization", "time", "district"),
        np.rint(agg["no_heat"]).astype(np.int64),
        {"units": "1", "long_name": "buildings on district heating without heat (count)",
         "comment": "cut off by an outage (group_cause > 0); outside the heating season buildings are not counted"},
    )
    ds["buildings_without_heat_by_cause"] = (
        ("realization", "time", "district", "cause"),
        np.rint(agg["by_cause"]).astype(np.int64),
        {"units": "1", "long_name": "buildings on district heating without heat, by cause (count)",
         "comment": "source_damaged: its source or boiler house is down or short of capacity and sheds it; "
                    "no_pumping_power: the network pumps have no power; drained_waiting: the source is back, "
                    "the building waits for refill and restart; frozen: its system froze; mains_frozen: its "
                    "zone's heat mains froze. The causes sum to buildings_without_heat."},
    )
    ds = ds.assign_coords(cause=("cause", list(CAUSES[1:]), {"long_name": "cause of no heat"}))
    ds["buildings_drained"] = (
        ("realization", "time", "district"),
        np.rint(agg["drained"]).astype(np.int64),
        {"units": "1", "long_name": "buildings whose heating system is drained or frozen (count)"},
    )
    ds["buildings_frozen"] = (
        ("realization", "time", "district"),
        np.rint(agg["frozen"]).astype(np.int64),
        {"units": "1", "long_name": "buildings whose heating system froze (count; weeks to restore)"},
    )
    ds["waves"] = (("realization", "time"), supply.waves.astype(np.int64),
                   {"units": "1", "long_name": "strike waves on the city starting in the step (count)"})
    ds["hits"] = (("realization", "time"), supply.hits.astype(np.int64),
                  {"units": "1", "long_name": "energy-system nodes damaged in the step (count)"})
    ds["queues_off"] = (("realization", "time"), supply.queues_off.astype(np.float64),
                        {"units": "1", "long_name": "rolling-blackout outage queues off (of 6)"})
    ds = ds.assign(uniform_weights(grid.times, n_real))  # a nowcast replaces them (sim.nowcast.condition)
    ds["population"] = (("district",), city.districts["population"].to_numpy(float),
                        {"units": "1", "long_name": "people present in the district (count)"})
    ds["population_resident"] = (("district",), city.districts["population_resident"].to_numpy(float),
                                 {"units": "1", "long_name": "residents before departures (count)"})
    on_dh = groups[groups["heating"] == "district"].groupby("district_index")["n_buildings"].sum()
    ds["apartment_buildings"] = (("district",), on_dh.reindex(range(len(districts)), fill_value=0).to_numpy(np.int64),
                                 {"units": "1", "long_name": "buildings on district heating (count)"})
    ds["occupants_by_archetype"] = (
        ("district", "archetype"),
        indoor.occupants,
        {"units": "1", "long_name": "people present by district and archetype (count); zero: no such buildings"},
    )
    if indoor.per_group is not None:
        ds["indoor_temperature_group"] = (
            ("realization", "time", "group"),
            indoor.per_group,
            {"units": "degC", "long_name": "indoor air temperature per building group (buildings.trajectories)"},
        )
        ds = ds.assign_coords(
            group_district=("group", groups["district"].to_numpy(str), {"long_name": "district of the group"}),
            group_archetype=("group", groups["archetype"].to_numpy(str), {"long_name": "archetype of the group"}),
            group_buildings=("group", groups["n_buildings"].to_numpy(np.int64),
                             {"units": "1", "long_name": "buildings in the group (count)"}),
            group_occupants=("group", groups["occupants"].to_numpy(float),
                             {"units": "1", "long_name": "people present in the group (count)"}),
        )
    resolved = OmegaConf.to_yaml(cfg, resolve=True)
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ds.attrs = dict(ds.attrs) | global_attrs(
        title=f"coldgrid scenario: {scenario_name(cfg)}",
        scenario=scenario_name(cfg),
        seed=int(cfg.seed),
        config_yaml=resolved,
        label=str(cfg.label),
        history=f"{now} coldgrid run_scenario",
    )
    ds.attrs["weather_source"] = forecast.source
    ds.attrs["sky_source"] = forecast.sky_source or "default sky (sim/sky.py)"
    ds.attrs["exposure_temperature"] = indoor.exposure_temperature
    ds.attrs["start"] = str(cfg.start)
    ds.attrs["horizon_days"] = float(cfg.horizon_days)
    ds.attrs["realizations"] = int(n_real)
    ds.attrs["attacks_policy"] = str(cfg.attacks.policy)
    ds.attrs["pause_start_day"] = float(cfg.attacks.pause_start_day)
    ds.attrs["pause_days"] = float(cfg.attacks.pause_days) if "pause" in str(cfg.attacks.policy) else 0.0
    ds.attrs["city"] = city.name
    return ds
