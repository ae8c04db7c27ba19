"""Sweeps: config hash, resume checks, collection of synthetic results, comparison and tornado tables."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from omegaconf import OmegaConf

from sim import sweep
from sim.errors import ColdgridError
from sim.report.hxl import read_hxl_csv
from tests.conftest import compose_config

DISTRICTS = ["North", "South"]
THRESHOLDS = [18.0, 16.0, 12.0, 9.0]


def synthetic_result(scale: float = 1.0, seed: int = 1, n_real: int = 20, n_time: int = 48,
                     overrides: str = "", config: str = "seed: 1\n") -> xr.Dataset:
    """A small result.nc-like Dataset; exposure scales with ``scale`` (same random numbers for a seed)."""
    rng = np.random.default_rng(seed)
    time = pd.date_range("2026-01-29", periods=n_time, freq="h")
    base = rng.uniform(50.0, 150.0, size=(n_real, len(DISTRICTS)))
    ds = xr.Dataset(
        {
            "people_cold_24h": (("realization", "district"), scale * base,
                                {"units": "1", "long_name": "people below 16 degC for 24 h or more",
                                 "threshold_c": 16.0, "duration_h": 24.0}),
            "person_hours_below_threshold": (
                ("realization", "threshold", "district"),
                scale * rng.uniform(100.0, 1000.0, size=(n_real, len(THRESHOLDS), len(DISTRICTS))),
                {"units": "h", "long_name": "person-hours below threshold"}),
            "people_below_threshold": (
                ("realization", "time", "threshold"),
                scale * rng.uniform(0.0, 100.0, size=(n_real, n_time, len(THRESHOLDS))),
                {"units": "1", "long_name": "people below threshold"}),
            "outdoor_temperature": (("realization", "time"), rng.normal(-20.0, 3.0, size=(n_real, n_time)),
                                    {"units": "degC", "long_name": "outdoor air temperature"}),
        },
        coords={"realization": np.arange(n_real), "time": time, "district": DISTRICTS, "threshold": THRESHOLDS},
    )
    ds.attrs = {"Conventions": "CF-1.10", "scenario": f"synthetic x{scale:g}", "seed": seed, "config": config,
                "overrides": overrides, "config_hash": f"hash-{scale:g}-{seed}", "history": "test"}
    return ds


def write_job(sweep_dir: Path, num: int, overrides: list[str], ds: xr.Dataset | None = None,
              failed: str | None = None) -> Path:
    job = sweep_dir / str(num)
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides), encoding="utf-8")
    if ds is not None:
        ds.attrs["overrides"] = " ".join(overrides)
        ds.to_netcdf(job / "result.nc", engine="netcdf4")
    if failed is not None:
        sweep.record_failure(job, failed)
    return job


@pytest.fixture
def pause_sweep(tmp_path: Path) -> Path:
    """Three jobs: continued, pause_week (70 % of continued's exposure, same seed), one failed."""
    common = ["city=small_town", "realizations=20"]
    write_job(tmp_path, 0, ["attacks=continued", *common], synthetic_result(1.0))
    write_job(tmp_path, 1, ["attacks=pause_week", *common], synthetic_result(0.7))
    write_job(tmp_path, 2, ["attacks=pause_broken", *common], failed="weather.path: no such file\nsecond line")
    return tmp_path


# ------------------------------------------------------------------------------------------ config hash
def test_config_hash_ignores_resume_label_output_and_order():
    a = compose_config(["city=small_town", "realizations=3", "weather.min_temperature_c=-25"])
    b = compose_config(["weather.min_temperature_c=-25.0", "realizations=3", "city=small_town", "resume=true",
                        "label=again", "output.progress=never"])
    assert sweep.config_hash(a) == sweep.config_hash(b)
    c = compose_config(["city=small_town", "realizations=4"])
    assert sweep.config_hash(a) != sweep.config_hash(c)
    assert len(sweep.config_hash(a)) == 64


def test_config_hash_same_with_hydra_config_and_plain_dict():
    from sim.config.load import compose_config as compose

    with_hydra = compose(["city=small_town"], return_hydra_config=True)
    plain = compose_config(["city=small_town"])
    assert sweep.config_hash(with_hydra) == sweep.config_hash(plain)
    assert sweep.config_hash(OmegaConf.to_container(plain, resolve=True)) == sweep.config_hash(plain)


# ------------------------------------------------------------------------------------------ result state
def test_result_state(tmp_path: Path):
    ds = synthetic_result()
    path = tmp_path / "result.nc"
    assert sweep.result_state(path) == "missing"
    ds.to_netcdf(path, engine="netcdf4")
    assert sweep.result_state(path, "hash-1-1") == "complete"
    assert sweep.result_state(path) == "complete"
    assert sweep.result_state(path, "other") == "mismatch"
    # half-written: a truncated copy never counts as complete
    data = path.read_bytes()
    half = tmp_path / "half.nc"
    half.write_bytes(data[: len(data) // 2])
    assert sweep.result_state(half, "hash-1-1") == "incomplete"
    # a complete file without the hash (not written by run_job) is not taken either
    no_hash = ds.copy()
    no_hash.attrs = {k: v for k, v in ds.attrs.items() if k != "config_hash"}
    no_hash.to_netcdf(tmp_path / "nohash.nc", engine="netcdf4")
    assert sweep.result_state(tmp_path / "nohash.nc") == "incomplete"


# ------------------------------------------------------------------------------------------ labels
def test_scenario_labels_keep_only_varying_overrides():
    labels = sweep.scenario_labels([
        ["city=small_town", "+experiment/sensitivity=heat_loss_low", "attacks=continued"],
        ["city=small_town", "+experiment/sensitivity=heat_loss_low", "attacks=pause_week"],
        ["city=small_town", "+experiment/sensitivity=baseline", "attacks=continued"],
    ])
    assert labels == [
        "experiment/sensitivity=heat_loss_low attacks=continued",
        "experiment/sensitivity=heat_loss_low attacks=pause_week",
        "experiment/sensitivity=baseline attacks=continued",
    ]
    assert sweep.scenario_labels([["a=1"]]) == ["a=1"]
    assert sweep.scenario_labels([[]]) == ["default"]


# ------------------------------------------------------------------------------------------ collect
def test_collect_stacks_results_along_scenario_and_lists_failed_job(pause_sweep: Path):
    path = sweep.collect(pause_sweep)
    assert path == pause_sweep / "sweep.nc"
    with xr.open_dataset(path) as ds:
        assert list(ds["scenario"].values) == ["attacks=continued", "attacks=pause_week"]
        assert ds["people_cold_24h"].dims == ("scenario", "realization", "district")
        assert list(ds["job"].values) == [0, 1]
        assert ds["overrides"].values[1] == "attacks=pause_week city=small_town realizations=20"
        assert list(ds["config_hash"].values) == ["hash-1-1", "hash-0.7-1"]
        assert "2 (attacks=pause_broken): weather.path: no such file second line" in ds.attrs["failed_jobs"]
        xr.testing.assert_allclose(ds["people_cold_24h"].sel(scenario="attacks=pause_week", drop=True),
                                   0.7 * ds["people_cold_24h"].sel(scenario="attacks=continued", drop=True))
    failed = (pause_sweep / "failed.txt").read_text(encoding="utf-8").splitlines()
    assert failed == ["2\tattacks=pause_broken city=small_town realizations=20\tweather.path: no such file second line"]


def test_comparison_csv_paired_differences(pause_sweep: Path):
    sweep.collect(pause_sweep)
    table = read_hxl_csv(pause_sweep / "comparison.csv")
    ok = table[table["paired"].astype(str) == "True"]
    assert set(ok["scenario"]) == {"attacks=pause_week"}
    assert set(ok["baseline"]) == {"attacks=continued"}
    row = ok[ok["adm5_name"] == ""].set_index("figure").loc["people_cold_24h"]
    # pause = 0.7 x continued in every realization: a 30 % cut everywhere
    assert row["scenario_p50"] == pytest.approx(0.7 * row["baseline_p50"])
    assert row["diff_p95"] < 0
    assert row["prob_reduction_25"] == pytest.approx(1.0)
    failed = table[table["note"].astype(str).str.startswith("failed")]
    assert list(failed["scenario"]) == ["attacks=pause_broken"]


def test_comparison_pairs_within_other_swept_keys(tmp_path: Path):
    n = 0
    for t in ("-15", "-30"):
        for policy, scale in (("continued", 1.0), ("pause_week", 0.9 if t == "-15" else 0.5)):
            write_job(tmp_path, n, [f"weather.min_temperature_c={t}", f"attacks={policy}"],
                      synthetic_result(scale * (2.0 if t == "-30" else 1.0)))
            n += 1
    sweep.collect(tmp_path)
    table = read_hxl_csv(tmp_path / "comparison.csv")
    pairs = set(zip(table["scenario"], table["baseline"], strict=True))
    assert pairs == {
        ("weather.min_temperature_c=-15 attacks=pause_week", "weather.min_temperature_c=-15 attacks=continued"),
        ("weather.min_temperature_c=-30 attacks=pause_week", "weather.min_temperature_c=-30 attacks=continued"),
    }
    p = table[table["adm5_name"] == ""].set_index(["scenario", "figure"])["prob_reduction_25"]
    assert p[("weather.min_temperature_c=-15 attacks=pause_week", "people_cold_24h")] == 0.0
    assert p[("weather.min_temperature_c=-30 attacks=pause_week", "people_cold_24h")] == 1.0


def test_comparison_numeric_baseline_and_fallback_to_first_job(tmp_path: Path):
    for n, days in enumerate(("0", "7", "14")):
        write_job(tmp_path, n, ["attacks=pause_week", f"attacks.pause_days={days}"],
                  synthetic_result(1.0 - 0.02 * int(days)))
    sweep.collect(tmp_path, baseline="attacks.pause_days=0.0")
    table = read_hxl_csv(tmp_path / "comparison.csv")
    assert set(table["baseline"]) == {"attacks.pause_days=0"}
    assert set(table["scenario"]) == {"attacks.pause_days=7", "attacks.pause_days=14"}
    # no job matches the baseline: every scenario against the first job
    sweep.collect(tmp_path, baseline="attacks=continued")
    table = read_hxl_csv(tmp_path / "comparison.csv")
    assert set(table["baseline"]) == {"attacks.pause_days=0"}


def test_comparison_not_paired_when_seeds_differ(tmp_path: Path):
    write_job(tmp_path, 0, ["attacks=continued"], synthetic_result(1.0, seed=1))
    write_job(tmp_path, 1, ["attacks=pause_week"], synthetic_result(0.5, seed=2))
    sweep.collect(tmp_path)
    table = read_hxl_csv(tmp_path / "comparison.csv")
    assert len(table) == 1 and not bool(table["paired"].iloc[0])
    assert "not paired" in table["note"].iloc[0]


def test_collect_counts_incomplete_result_as_failed(tmp_path: Path):
    write_job(tmp_path, 0, ["attacks=continued"], synthetic_result(1.0))
    job = write_job(tmp_path, 1, ["attacks=pause_week"], synthetic_result(0.7))
    data = (job / "result.nc").read_bytes()
    (job / "result.nc").write_bytes(data[:1000])
    write_job(tmp_path, 2, ["attacks=pause_broken"])  # started, never finished
    sweep.collect(tmp_path)
    with xr.open_dataset(tmp_path / "sweep.nc") as ds:
        assert list(ds["scenario"].values) == ["attacks=continued"]
        assert "incomplete" in ds.attrs["failed_jobs"]
        assert "did not finish" in ds.attrs["failed_jobs"]


def test_collect_reads_baseline_from_multirun_yaml(tmp_path: Path):
    for n, crews in enumerate(("0.5", "1", "2")):
        write_job(tmp_path, n, [f"repair.crew_multiplier={crews}"], synthetic_result(2.0 / float(crews)))
    (tmp_path / "multirun.yaml").write_text(
        yaml.safe_dump({"hydra": {"callbacks": {"collect": {"baseline": "repair.crew_multiplier=1",
                                                            "reduction_frac": 0.5}}}}), encoding="utf-8")
    sweep.collect(tmp_path)
    table = read_hxl_csv(tmp_path / "comparison.csv")
    assert set(table["baseline"]) == {"repair.crew_multiplier=1"}
    p = table[table["adm5_name"] == ""].set_index(["scenario", "figure"])["prob_reduction_50"]
    assert p[("repair.crew_multiplier=2", "people_cold_24h")] == 1.0
    assert p[("repair.crew_multiplier=0.5", "people_cold_24h")] == 0.0


def test_collect_errors(tmp_path: Path):
    from sim.errors import InputError, ResultError

    with pytest.raises(InputError, match="no such sweep folder"):
        sweep.collect(tmp_path / "nope")
    with pytest.raises(InputError, match="no job folders"):
        sweep.collect(tmp_path)
    write_job(tmp_path, 0, ["attacks=continued"], failed="boom")
    with pytest.raises(ResultError, match="every job failed"):
        sweep.collect(tmp_path)


def test_tornado_table(tmp_path: Path):
    cfg = yaml.safe_dump({"buildings": {"ua_multiplier": 1.0}, "experiment": "sensitivity"})
    cases = {"baseline": 1.0, "heat_loss_low": 0.8, "heat_loss_high": 1.3, "heater_ownership_low": 1.05,
             "heater_ownership_high": 0.97}
    n = 0
    for case, scale in cases.items():
        ua = {"heat_loss_low": 0.8, "heat_loss_high": 1.2}.get(case, 1.0)
        c = yaml.safe_dump({"buildings": {"ua_multiplier": ua}, "experiment": "sensitivity"})
        for policy, pause in (("continued", 1.0), ("pause_week", 0.8)):
            write_job(tmp_path, n, [f"+experiment/sensitivity={case}", f"attacks={policy}"],
                      synthetic_result(scale * pause, config=c if case != "baseline" else cfg))
            n += 1
    sweep.collect(tmp_path)
    t = read_hxl_csv(tmp_path / "tornado.csv")
    level = t[(t["figure"] == "people_cold_24h") & (t["quantity"] == "level")]
    assert list(level["input"]) == ["heat_loss", "heater_ownership"]  # largest swing first
    row = level.iloc[0]
    assert row["high"] / row["baseline"] == pytest.approx(1.3)
    assert row["low_setting"] == "buildings.ua_multiplier=0.8"
    effect = t[(t["figure"] == "people_cold_24h") & (t["quantity"] == "pause_effect")].set_index("input")
    assert effect.loc["heat_loss", "high"] < effect.loc["heat_loss", "low"] < 0


# ------------------------------------------------------------------------------------------ run_job resume
class _FakeOutput:
    def __init__(self, ds: xr.Dataset) -> None:
        self.dataset = ds
        self.events = pd.DataFrame({"time_h": [0.0], "event": ["wave"]})
        self.stage_seconds = {"des": 0.0}


@pytest.fixture
def fake_chain(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Replace sim.chain by a stub that counts its calls and returns a synthetic result."""
    calls = {"n": 0}

    def run_scenario_full(cfg, progress=None):
        calls["n"] += 1
        ds = synthetic_result()
        ds.attrs = {"scenario": "stub", "seed": int(cfg.seed), "config": OmegaConf.to_yaml(cfg)}
        return _FakeOutput(ds)

    monkeypatch.setitem(sys.modules, "sim.chain", types.SimpleNamespace(run_scenario_full=run_scenario_full))
    return calls


def _cfg(*extra: str):
    return compose_config(["city=small_town", "realizations=3", "output.progress=never", *extra])


def test_run_job_writes_hash_and_resume_skips(tmp_path: Path, fake_chain: dict[str, int]):
    from sim.run import run_job

    cfg = _cfg()
    path = run_job(cfg, tmp_path, overrides=["city=small_town"], echo=lambda s: None)
    assert fake_chain["n"] == 1
    with xr.open_dataset(path) as ds:
        assert ds.attrs["config_hash"] == sweep.config_hash(cfg)
    assert (tmp_path / "summary.csv").exists() and (tmp_path / "events.csv").exists()
    mtime = os.stat(path).st_mtime_ns
    # without resume: refuses to overwrite
    with pytest.raises(ColdgridError, match="exists"):
        run_job(cfg, tmp_path, echo=lambda s: None)
    # with resume (and another label): skipped, not recomputed, file untouched
    said: list[str] = []
    assert run_job(_cfg("resume=true", "label=second"), tmp_path, echo=said.append) == path
    assert fake_chain["n"] == 1
    assert os.stat(path).st_mtime_ns == mtime
    assert "skipped" in said[0]


def test_run_job_resume_reruns_half_written_result(tmp_path: Path, fake_chain: dict[str, int]):
    from sim.run import run_job

    cfg = _cfg("resume=true")
    path = run_job(cfg, tmp_path, echo=lambda s: None)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])  # as if a copy was interrupted
    sweep.record_failure(tmp_path, "earlier failure")
    run_job(cfg, tmp_path, echo=lambda s: None)
    assert fake_chain["n"] == 2
    assert sweep.result_state(path, sweep.config_hash(cfg)) == "complete"
    assert (tmp_path / "result.nc.incomplete").exists()
    assert not (tmp_path / "FAILED").exists()


def test_rerun_sets_aside_the_tables_of_an_attempt_without_result(tmp_path: Path, fake_chain: dict[str, int]):
    """Input audit: on main a job rerun over a damaged result.nc (resume=true) or over a folder an
    interrupted attempt left kept that attempt's summary.csv and headline.csv (written only when absent)
    and its report.html (with output.report=false), beside a result.nc of another config."""
    from sim.run import run_job

    cfg = _cfg("resume=true", "output.report=false")
    path = run_job(cfg, tmp_path, echo=lambda s: None)
    for name in ("summary.csv", "headline.csv", "report.html"):
        (tmp_path / name).write_text("from an earlier attempt\n")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    run_job(cfg, tmp_path, echo=lambda s: None)
    assert fake_chain["n"] == 2
    for name in ("summary.csv", "headline.csv"):
        assert "earlier" not in (tmp_path / name).read_text(), name
    assert not (tmp_path / "report.html").exists()
    for name in ("summary.csv", "headline.csv", "report.html"):
        assert (tmp_path / f"{name}.incomplete").read_text() == "from an earlier attempt\n"  # kept, not lost


def test_run_job_resume_refuses_result_of_other_config(tmp_path: Path, fake_chain: dict[str, int]):
    from sim.run import run_job

    run_job(_cfg("resume=true"), tmp_path, echo=lambda s: None)
    with pytest.raises(ColdgridError, match="another config"):
        run_job(_cfg("resume=true", "seed=8"), tmp_path, echo=lambda s: None)
    assert fake_chain["n"] == 1


def test_record_failure_one_line(tmp_path: Path):
    sweep.record_failure(tmp_path, ValueError("bad\n  value"))
    assert (tmp_path / "FAILED").read_text(encoding="utf-8") == "ValueError: bad value\n"
    sweep.record_failure(tmp_path, ColdgridError("seed=-1: must be\nan integer"))
    assert (tmp_path / "FAILED").read_text(encoding="utf-8") == "seed=-1: must be an integer\n"
    sweep.clear_failure(tmp_path)
    assert not (tmp_path / "FAILED").exists()


# ------------------------------------------------------------------------------------- labels and records
def test_labels_come_from_the_result_not_from_hydra_overrides(tmp_path: Path):
    """Issue 17: Hydra rewrote .hydra/overrides.yaml of a job that then refused; the old result took the
    new label. The label is read from the result's own ``overrides`` attribute."""
    write_job(tmp_path, 0, ["attacks=continued"], synthetic_result(1.0))
    write_job(tmp_path, 1, ["attacks=pause_week"], synthetic_result(0.7))
    for num, lie in ((0, "weather.min_temperature_c=-10"), (1, "weather.min_temperature_c=-30")):
        (tmp_path / str(num) / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump([lie]), encoding="utf-8")
    sweep.collect(tmp_path)
    with xr.open_dataset(tmp_path / "sweep.nc") as ds:
        assert list(ds["scenario"].values) == ["attacks=continued", "attacks=pause_week"]


def test_collection_takes_the_jobs_of_the_last_sweep_and_refuses_after_a_refusal(tmp_path: Path):
    write_job(tmp_path, 0, ["attacks=continued"], synthetic_result(1.0))
    write_job(tmp_path, 1, ["attacks=pause_week"], synthetic_result(0.7))
    write_job(tmp_path, 2, ["attacks=none"], synthetic_result(0.1))  # left by an earlier, larger sweep
    sweep.start_sweep(tmp_path)
    sweep.record_job(tmp_path, 0, tmp_path / "0", ["attacks=continued"], "ok")
    sweep.record_job(tmp_path, 1, tmp_path / "1", ["attacks=pause_week"], "ok")
    assert [j.num for j in sweep.find_jobs(tmp_path)] == [0, 1]
    sweep.collect(tmp_path)
    with xr.open_dataset(tmp_path / "sweep.nc") as ds:
        assert ds.sizes["scenario"] == 2
    before = (tmp_path / "sweep.nc").read_bytes()
    sweep.start_sweep(tmp_path)
    sweep.record_job(tmp_path, 0, tmp_path / "0", ["attacks=pause_week"], "refused", "made from another config")
    sweep.record_job(tmp_path, 1, tmp_path / "1", ["attacks=continued"], "ok")
    with pytest.raises(ColdgridError, match="refused to overwrite"):
        sweep.collect(tmp_path)
    assert (tmp_path / "sweep.nc").read_bytes() == before
    assert not (tmp_path / "0" / "FAILED").exists()  # a refused job writes nothing into the folder it refused
    assert (tmp_path / "failed.txt").read_text(encoding="utf-8").startswith("0\tattacks=pause_week\t")


def test_run_does_not_import_sweep():
    """Issue 20: no import against the flow (run -> sweep); run uses sim.provenance."""
    import ast

    from tests.conftest import ROOT

    tree = ast.parse((ROOT / "sim" / "run.py").read_text(encoding="utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(str(m).startswith("sim.sweep") for m in names), names
