"""The cost of a nowcast step (part of ``make bench``): a nowcast against the plain run of the same size.

The reports are those of an identical twin (realization 0 of the run with seed + 1000, reports at 06:00
and 18:00 of the first two days that fall in the horizon, drawn from the error model as in
:mod:`sim.validation.nowcast`), so the filter does what it does on real reports: weights, and restarts
from the reported state when the ensemble degenerates. Both runs are timed in the same process; the
figure is their ratio, with the number of rejuvenations and the final effective sample size, and the
time of the filter itself (``nowcast`` stage: predicting the reports, weights, warm starts; without the
restarted simulations).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np


def nowcast_cost(compose, base: list[str], n_real: int, seed: int = 7) -> dict:
    """Time a plain run and a nowcast of ``n_real`` realizations; returns the figures (keys ``nowcast_*``)."""
    from sim.chain import run_scenario_full
    from sim.city import build_city
    from sim.config.nowcast import NowcastConfig
    from sim.network import build_network
    from sim.nowcast import twin_reports
    from sim.rng import stream

    plain_over = [*base, f"realizations={n_real}", f"seed={seed}"]
    t0 = time.perf_counter()
    run_scenario_full(compose(plain_over))
    plain_s = time.perf_counter() - t0
    truth_cfg = compose([*base, "realizations=1", f"seed={seed + 1000}"])
    truth = run_scenario_full(truth_cfg).dataset
    n_q = build_network(build_city(truth_cfg.city), truth_cfg.city.grid).n_queues
    start = truth["time"].values[0]
    end = truth["time"].values[-1]
    times = np.array([start + np.timedelta64(h, "h") for h in (6, 18, 30, 42)])
    times = times[times <= end]
    table = twin_reports(truth, 0, times, NowcastConfig(), n_q, stream(seed + 1000, "twin_reports"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.csv"
        table.to_csv(path, index=False)
        t0 = time.perf_counter()
        out = run_scenario_full(compose([*plain_over, f"nowcast.observations={path}"]))
        nowcast_s = time.perf_counter() - t0
    ds = out.dataset
    restarts = int(ds.attrs.get("nowcast_restarts", 0))
    return {
        "nowcast_realizations": n_real,
        "nowcast_reports": int(ds.attrs.get("nowcast_reports", 0)),
        "nowcast_plain_s": plain_s,
        "nowcast_s": nowcast_s,
        "nowcast_ratio_vs_plain": nowcast_s / plain_s,
        "nowcast_filter_s": float(out.stage_seconds.get("nowcast", float("nan"))),
        "nowcast_rejuvenations": restarts,
        "nowcast_final_ess": float(ds["effective_sample_size"].values[-1]),
        "nowcast_collapsed": str(ds.attrs.get("nowcast_status", "")).startswith("nowcast collapsed"),
    }
