"""Helpers to run the DES on hand-made inputs (tests, notebooks, what-if checks).

:func:`hit_campaign` builds a :class:`~sim.threat.Campaign` from explicit hits; :func:`run_city` composes a
city, attacks and repair config from ``configs/`` and runs the DES with a constant or given outdoor
temperature.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import simpy
from omegaconf import OmegaConf

from sim.city import City, build_city
from sim.config import BuildingsConfig, CityConfig, RepairConfig
from sim.config.load import load_option
from sim.des import simulate_supply
from sim.des.timeline import SupplyTimeline
from sim.network import Network, build_network
from sim.resources import config_dir
from sim.threat import ALERT_COLUMNS, HIT_COLUMNS, WAVE_COLUMNS, Campaign, make_campaign
from sim.timegrid import TimeGrid

CONFIGS = config_dir()


def hit_campaign(net: Network, hits: Sequence[tuple], n_realizations: int = 1,
                 alerts: Sequence[tuple[float, float]] = (), damage: str = "moderate") -> Campaign:
    """A campaign of explicit hits ``(time_h, node, repair_h[, needs_transformer[, unit, unit_repair_h
    [, damage]]])`` in every realization.

    Each distinct hit time is one wave (ids 0, 1, ...); ``alerts`` are ``(start_h, end_h)``. A hit on a
    heat source without ``unit`` strikes its first unit (a CHP: the unit is out as long as the plant).
    """
    times = sorted({float(h[0]) for h in hits})
    waves, rows, al = [], [], []
    units = net.unit_table
    for r in range(n_realizations):
        for k, t in enumerate(times):
            n = sum(1 for h in hits if float(h[0]) == t)
            waves.append((r, k, t, "", 0, 0, 0, 0, 0, 0, n, n, False, False, 0, 0))
        for h in hits:
            k = times.index(float(h[0]))
            node = int(h[1])
            kind = net.kind_of(node)
            src = int(net.nodes["heat_source"].to_numpy()[node])  # nodes are indexed 0..N-1
            first_unit = int(np.flatnonzero(units["source"].to_numpy() == src)[0]) if src >= 0 else -1
            unit = int(h[4]) if len(h) > 4 else first_unit
            unit_h = float(h[5]) if len(h) > 5 else (float(h[2]) if kind == "chp" else 0.0)
            level = str(h[6]) if len(h) > 6 else damage
            rows.append((r, k, float(h[0]), node, kind, level, float(h[2]),
                         bool(h[3]) if len(h) > 3 else False, False, unit, unit_h, False))
        al += [(r, float(s), float(e), -1) for s, e in alerts]
    return Campaign(
        policy="explicit", n_realizations=n_realizations,
        waves=pd.DataFrame(waves, columns=list(WAVE_COLUMNS)),
        hits=pd.DataFrame(rows, columns=list(HIT_COLUMNS)),
        withheld=pd.DataFrame(columns=list(WAVE_COLUMNS)),
        alerts=pd.DataFrame(al, columns=list(ALERT_COLUMNS)),
    )


def load_city(name: str, grid: dict | None = None) -> tuple[City, Network]:
    """City and network of ``configs/city/<name>.yaml`` (``grid`` overrides keys of ``city.grid``)."""
    cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load(CONFIGS / "city" / f"{name}.yaml"))
    if grid:
        cfg.grid = OmegaConf.merge(cfg.grid, grid)
    city = build_city(cfg)
    return city, build_network(city, cfg.grid)


def run_city(city_name: str = "small_town", policy: str = "continued", n_realizations: int = 4,
             days: float = 7.0, seed: int = 3, outdoor_c: float | np.ndarray = -12.0,
             attacks: dict | None = None, repair: dict | None = None, campaign: Campaign | None = None,
             start: str = "2026-01-29T00:00", grid: dict | None = None, buildings: dict | None = None,
             processes: int | None = None):
    """Run the DES for a config city and policy; returns ``(city, network, campaign, timeline)``
    (``processes``: as :func:`~sim.des.simulate_supply` takes it)."""
    city, net = load_city(city_name, grid)
    tgrid = TimeGrid.from_config(start, days, 60)
    att = OmegaConf.merge(load_option("attacks", policy, CONFIGS), attacks or {})
    rep = OmegaConf.merge(OmegaConf.structured(RepairConfig), OmegaConf.load(CONFIGS / "repair" / "default.yaml"),
                          repair or {})
    camp = campaign if campaign is not None else make_campaign(att, net, tgrid, n_realizations, seed)
    out = np.broadcast_to(np.asarray(outdoor_c, dtype=float), (n_realizations, tgrid.n_steps)).copy()
    bld = OmegaConf.merge(OmegaConf.structured(BuildingsConfig), buildings or {})
    tl: SupplyTimeline = simulate_supply(city, net, camp, out, rep, bld, tgrid, seed, processes=processes)
    return city, net, camp, tl


def make_state(city_name: str = "small_town", outdoor_c: float = -12.0, days: float = 2.0, seed: int = 3,
               repair: dict | None = None, grid: dict | None = None):
    """A fresh :class:`~sim.des.state.SupplyState` of one realization without running processes, for
    tests of the update path and the power balance; returns ``(state, network)``."""
    from sim.des import _draws, freeze_tolerance_k_h
    from sim.des.params import repair_params
    from sim.des.state import SupplyState
    from sim.des.tables import RunTables

    city, net = load_city(city_name, grid)
    tgrid = TimeGrid.from_config("2026-01-29T00:00", days, 60)
    rep = OmegaConf.merge(OmegaConf.structured(RepairConfig), OmegaConf.load(CONFIGS / "repair" / "default.yaml"),
                          repair or {})
    rp = repair_params(rep)
    bld = OmegaConf.structured(BuildingsConfig)
    n_g = len(city.groups)
    tables = RunTables(net, tgrid, rp, float(bld.heater_share_frac) * float(bld.heater_kw),
                       freeze_tolerance_k_h(seed, n_g, rp["freeze_k_h"], rp["freeze_cv"]))
    env = simpy.Environment()
    st = SupplyState(env, tables, np.full(tgrid.n_steps, float(outdoor_c)),
                     _draws(seed, 0, n_g, int(tgrid.horizon_h / 4) + 1, net.n_queues, rp))
    st.update()
    return st, net
