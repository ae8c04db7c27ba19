"""``coldgrid -m experiment=sobol`` end to end on the small town: jobs, labels, collection, resume, errors.

One parameter (the cold snap's depth) and N = 4 base samples: 4 x (1 + 2) = 12 design rows under
``continued`` and ``pause_week``, plus the nominal pair: 26 short jobs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sim import sensitivity as sa
from sim.provenance import result_provenance

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
PARAM = '[{key:weather.min_temperature_c,bounds:[-30.0,-12.0],source:"calibration F3"}]'
SMALL = ["city=small_town", "realizations=3", "horizon_days=4", "output.progress=never", "sobol.samples=4",
         f"sobol.parameters={PARAM}", "sobol.resamples=100"]


def _coldgrid(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg")
    return subprocess.run([str(BIN / "coldgrid"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    work = tmp_path_factory.mktemp("sobol")
    folder = work / "sw"
    proc = _coldgrid(["-m", "experiment=sobol", *SMALL, "output.pdf=false", f"hydra.sweep.dir={folder}"], work)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return folder, proc


def test_jobs_carry_their_sample_and_values_in_their_own_results(sweep):
    folder, proc = sweep
    design = sa.read_design(folder)
    assert design is not None and design.X.shape == (12, 1) and len(design.jobs) == 26
    for job in design.jobs:
        overrides, _ = result_provenance(folder / str(job["num"]) / "result.nc")
        assert f"sobol.sample={job['sample']}" in overrides
        if job["sample"] >= 0:
            value = float(next(o for o in overrides if o.startswith("weather.min_temperature_c=")).split("=")[1])
            assert value == design.X[job["sample"], 0]  # exact: the override is the shortest round trip
    assert "Largest total Sobol indices" in proc.stdout and "Comparison brief" in proc.stdout


def test_sobol_nc_and_csv(sweep):
    folder, _ = sweep
    with xr.open_dataset(folder / "sobol.nc") as ds:
        ds = ds.load()
    assert list(ds["scenario"].values) == ["attacks=continued", "attacks=pause_week",
                                           "attacks=pause_week - attacks=continued"]
    assert list(ds["quantity"].values) == ["level", "level", "paired_difference"]
    assert set(sa.lead_keys()) >= set(ds["figure"].values) and ds.sizes["figure"] >= 5
    assert ds["output"].shape == (3, ds.sizes["figure"], 12)
    # the paired effect is the statistic of the run-by-run differences: for the mean, a difference of means
    np.testing.assert_allclose(ds["output"].values[2], ds["output"].values[1] - ds["output"].values[0], atol=1e-6)
    # rows are matched to their samples: a colder snap (lower minimum) leaves more people below 16 degC
    from scipy.stats import spearmanr

    f = list(ds["figure"].values).index("people_below_16_mean")
    rho = spearmanr(ds["parameter_value"].values[:, 0], ds["output"].values[0, f]).statistic
    # 12 rows of 3 small-town realizations: the supply noise keeps rho near -0.75 (seeded, so fixed); rows
    # mismatched to their samples give independent ranks, and P(rho <= -0.671) = 1 % for n = 12 (one-sided
    # critical value of Spearman's rho, e.g. Zar 1972, Table 1), so a mismatch fails with 99 % probability
    assert rho < -0.671, rho
    ok = np.isfinite(ds["ST"].values[0, f]).all() and np.isfinite(ds["S1"].values[0, f]).all()
    assert ok and ds["ST"].values[0, f, 0] > 0
    text = (folder / "sobol.csv").read_text(encoding="utf-8").splitlines()
    assert text[1].startswith("#meta+scenario") and "#indicator+code" in text[1]
    # the nominal point is the comparison of the brief
    with xr.open_dataset(folder / "sweep.nc") as sw:
        assert sw.sizes["scenario"] == 2
    html = (folder / "comparison.html").read_text(encoding="utf-8")
    assert 'id="sensitivity"' in html  # the parameter has no label: its key is shown
    assert "weather.min_temperature_c" in html


def test_missing_sample_means_no_indices_and_resume_fills_it(sweep, tmp_path):
    import shutil

    src, _ = sweep
    folder = tmp_path / "copy"
    shutil.copytree(src, folder)
    before = xr.open_dataset(folder / "sobol.nc").load()
    (folder / "sobol.nc").unlink()
    job = next(j for j in sa.read_design(folder).jobs if j["sample"] == 5)
    (folder / str(job["num"]) / "result.nc").unlink()
    with pytest.raises(sa.ResultError, match=r"no Sobol indices: 1 of 24 sample jobs .*design rows 5;"):
        sa.collect(folder)
    assert not (folder / "sobol.nc").exists()
    proc = _coldgrid(["-m", "experiment=sobol", *SMALL, "output.pdf=false", f"hydra.sweep.dir={folder}",
                      "resume=true"], tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count("job skipped") == 25
    after = xr.open_dataset(folder / "sobol.nc").load()
    xr.testing.assert_allclose(before[["output", "S1", "ST"]], after[["output", "S1", "ST"]])


def test_resume_with_another_design_is_refused_before_any_job(sweep, tmp_path):
    import shutil

    src, _ = sweep
    folder = tmp_path / "copy"
    shutil.copytree(src, folder)
    args = [a if a != "sobol.samples=4" else "sobol.samples=8" for a in SMALL]
    proc = _coldgrid(["-m", "experiment=sobol", *args, f"hydra.sweep.dir={folder}", "resume=true"], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("coldgrid: error: resume:")
    assert "another Sobol design" in proc.stderr
    assert json.loads((folder / sa.DESIGN).read_text())["samples"] == 4


@pytest.mark.parametrize(("param", "message"), [
    ('[{key:buildings.nope,bounds:[0.0,1.0],source:"[L]"}]', "sobol.parameters: buildings.nope: no numeric config key"),
    ('[{key:people.uptake_frac,bounds:[0.5,1.5],source:"[L]"}]', "at the design's extremes: people.uptake_frac="),
    ('[{key:people.uptake_frac,bounds:[0.1,0.5]}]', "sobol.parameters[0].source"),
])
def test_bad_parameter_lists_stop_before_any_job_on_one_line(tmp_path, param, message):
    args = [a for a in SMALL if not a.startswith("sobol.parameters")] + [f"sobol.parameters={param}"]
    proc = _coldgrid(["-m", "experiment=sobol", *args, f"hydra.sweep.dir={tmp_path / 'sw'}"], tmp_path)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert lines[-1].startswith("coldgrid: error: ") and message in lines[-1], proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list((tmp_path / "sw").glob("*/result.nc"))


def test_trust_accepts_the_project_sweeper_and_refuses_user_configs_that_choose_others(tmp_path):
    from sim.config import trust

    assert "hydra_plugins.coldgrid_sobol_sweeper.sobol_sweeper.SobolSweeper" in trust.ALLOWED_TARGETS
    user = tmp_path / "user"
    (user / "experiment").mkdir(parents=True)
    (user / "experiment" / "mine.yaml").write_text(
        "# @package _global_\ndefaults:\n  - override /hydra/sweeper: sobol\n", encoding="utf-8")
    proc = _coldgrid(["-m", f"--config-dir={user}", "experiment=mine", *SMALL], tmp_path)
    assert proc.returncode == 2 and "changes Hydra's own config" in proc.stderr, proc.stderr
    proc = _coldgrid(["-m", "experiment=sobol", *SMALL, "hydra.sweeper._target_=os.system"], tmp_path)
    assert proc.returncode == 2 and "is not allowed" in proc.stderr, proc.stderr
    # a user parameter list is values only: a list of their own is accepted, a _target_ in it is not
    user = tmp_path / "user2"
    (user / "sobol").mkdir(parents=True)
    (user / "sobol" / "mine.yaml").write_text(
        "parameters:\n  - {key: buildings.heater_share_frac, bounds: [0.1, 0.5], source: '[L]', _target_: os.system}\n",
        encoding="utf-8")
    proc = _coldgrid(["-m", f"--config-dir={user}", "experiment=sobol", "sobol=mine", *SMALL[:4]], tmp_path)
    assert proc.returncode == 2 and "_target_" in proc.stderr, proc.stderr
    ok = tmp_path / "user3"
    (ok / "sobol").mkdir(parents=True)
    (ok / "sobol" / "mine.yaml").write_text(
        "parameters:\n  - {key: buildings.heater_share_frac, bounds: [0.1, 0.5], source: '[L]'}\n", encoding="utf-8")
    proc = _coldgrid([f"--config-dir={ok}", "experiment=sobol", "sobol=mine", "--cfg", "job"], tmp_path)
    assert proc.returncode == 0 and "buildings.heater_share_frac" in proc.stdout, proc.stderr
