"""Identical-twin experiment of the stage-A nowcast (importance weights only, no rejuvenation).

Usage::

    .venv/bin/python docs/scripts/nowcast_twin_reweighting.py [--truths 5] [--realizations 200] [--days 7]

For each truth seed, one realization of a run with that seed plays the city; its reports of the first
``--report-days`` days (every 12 h: buildings without heat and share without power per district, queues
off for the city, drawn from the nowcast error model) condition a run with another seed; the forecast of
the following days is scored against the truth by the CRPS of buildings without heat per district
(every 6 h), conditioned against unconditioned. Prints one line per truth and the mean skill score
``1 - CRPS_conditioned / CRPS_unconditioned``, and the effective sample size after the reports, the
figure that shows why stage B needs rejuvenation (docs/nowcast.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sim.chain import run_scenario  # noqa: E402
from sim.config.nowcast import NowcastConfig  # noqa: E402
from sim.nowcast import twin_reports  # noqa: E402
from sim.rng import stream  # noqa: E402
from sim.weighted_stats import crps  # noqa: E402
from tests.conftest import compose_config  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", default="kyiv")
    parser.add_argument("--truths", type=int, default=5)
    parser.add_argument("--realizations", type=int, default=200)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--report-days", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=20260129)
    args = parser.parse_args()

    base = [f"city={args.city}", f"horizon_days={args.days}", "attacks=continued"]
    prior_cfg = compose_config([*base, f"realizations={args.realizations}", f"seed={args.seed}"])
    prior = run_scenario(prior_cfg)
    n_queues = int(prior_cfg.city.grid.get("queues", 6))
    times = prior["time"].values
    start = times[0]
    report_times = start + np.arange(6, args.report_days * 24 + 1, 12).astype("timedelta64[h]")
    after = times >= start + np.timedelta64(int(args.report_days * 24), "h")
    score_t = np.flatnonzero(after)[::6]
    skills, rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.truths):
            truth_seed = args.seed + 1000 + k
            truth = run_scenario(compose_config([*base, "realizations=1", f"seed={truth_seed}"]))
            reports = twin_reports(truth, 0, report_times, NowcastConfig(), n_queues, stream(truth_seed, "twin_reports"))
            path = Path(tmp) / f"reports_{k}.csv"
            reports.to_csv(path, index=False)
            cond = run_scenario(compose_config([*base, f"realizations={args.realizations}", f"seed={args.seed}",
                                                f"nowcast.observations={path}"]))
            w = cond["realization_weight"].values
            y = truth["buildings_without_heat"].isel(realization=0, time=score_t).values  # (t, D)
            x = prior["buildings_without_heat"].isel(time=score_t).values  # (R, t, D)
            c_u = float(crps(x, np.ones(len(w)), y).mean())
            c_c = float(crps(x, w, y).mean())
            ess = float(cond["effective_sample_size"].values[-1])
            skills.append(1.0 - c_c / c_u)
            rows.append((truth_seed, c_u, c_c, skills[-1], ess))
            print(f"truth seed {truth_seed}: CRPS unconditioned {c_u:7.1f}  conditioned {c_c:7.1f} buildings "
                  f"per district; skill {skills[-1]:+.2f}; ESS after the reports {ess:.1f} of {args.realizations}")
    print(f"mean skill {np.mean(skills):+.3f} over {args.truths} truths; conditioned better in "
          f"{sum(s > 0 for s in skills)} of {args.truths}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
