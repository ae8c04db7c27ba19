"""Run the identical-twin experiment of the nowcast once and store its per-truth figures under docs/data/.

Usage::

    nice -n 10 .venv/bin/python docs/scripts/nowcast_twin_figures.py                  # the test's truths
    nice -n 10 .venv/bin/python docs/scripts/nowcast_twin_figures.py --truth-seed0 20263129 --out /tmp/t.csv

The experiment (:func:`sim.validation.nowcast.twin_experiment`) takes minutes of CPU per truth, too slow
for the validation report's own run, so the report (``docs/scripts/make_validation_report.py``, section
"Nowcast: the identical-twin experiment") renders the stored figures of one run. The default settings are
the slow test's (:data:`sim.validation.nowcast.TWIN_QUICK`: 6 truths, 80 realizations, the test's truth
seeds ``seed + 1000 + k``), so the stored figures are those the test asserts on. Writes one row per truth
(CSV, default ``docs/data/nowcast_twin.csv``) with the settings, the commit of the code and whether the
work tree had uncommitted changes, and the wall time of the run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sim.validation.nowcast import TWIN_QUICK, truth_seeds, twin_experiment  # noqa: E402

OUT = ROOT / "docs" / "data" / "nowcast_twin.csv"
#: the per-truth columns stored (of :func:`twin_experiment`'s table)
COLUMNS = ["truth_seed", "crps_unconditioned", "crps_conditioned", "skill", "crps_weights_only",
           "skill_weights_only", "crps_analysis_unconditioned", "crps_analysis_conditioned", "skill_analysis",
           "analysis_coverage_90", "ess_min", "ess_final", "restarts", "collapsed"]  # fmt: skip


def _git(*args: str) -> str:
    r = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return r.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--truths", type=int, default=int(TWIN_QUICK["truths"]))
    parser.add_argument("--realizations", type=int, default=int(TWIN_QUICK["realizations"]))
    parser.add_argument("--truth-seed0", type=int, default=None,
                        help="first truth seed (default: the test's, seed + 1000); tuning sets: 20263129, 20263139")
    args = parser.parse_args(argv)
    settings = {**TWIN_QUICK, "truths": args.truths, "realizations": args.realizations,
                "truth_seed0": args.truth_seed0}  # fmt: skip
    commit = _git("rev-parse", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no", "--", "sim"))
    print(f"twin experiment: truths {truth_seeds(settings)}, {args.realizations} realizations, "
          f"seed {settings['seed']}, commit {commit[:10]}{' (sim/ modified)' if dirty else ''}", flush=True)
    t0 = time.perf_counter()
    df = twin_experiment(settings)
    wall = time.perf_counter() - t0
    out = df[COLUMNS].copy()
    out["ensemble_seed"] = int(settings["seed"])
    out["realizations"] = int(settings["realizations"])
    out["days"] = float(settings["days"])
    out["report_hours"] = " ".join(str(h) for h in settings["report_hours"])
    out["as_of_h"] = int(settings["as_of_h"])
    out["score_every_h"] = int(settings["score_every_h"])
    out["commit"] = commit
    out["sim_modified"] = dirty
    out["run_utc"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")
    out["wall_s"] = round(wall)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.out, index=False, float_format="%.6g")
    print(df[["truth_seed", "skill", "skill_analysis", "ess_min", "restarts", "collapsed"]].to_string(index=False))
    print(f"mean skill {df['skill'].mean():+.3f}, better in {(df['skill'] > 0).sum()} of {len(df)}, "
          f"collapses {int(df['collapsed'].sum())}; {wall:.0f} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
