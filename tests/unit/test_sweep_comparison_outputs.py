"""What a sweep hands back (issue 16): the printed comparison table, ``comparison.csv`` as HXL with district
rows, and the pairing of ``experiment=pause_timing`` (each 7-day pause against the job without a pause at
the same start day).

Synthetic results (``tests/unit/test_sweep.py::synthetic_result``) whose exposure is a known multiple of
the baseline's in every realization, so the expected paired differences are known without the code under
test: scenario = ``scale`` x baseline, realization by realization.
"""

from __future__ import annotations

from pathlib import Path

import hxl
import numpy as np
import pytest
import yaml
from omegaconf import OmegaConf

from sim import sweep
from sim.callbacks import CollectSweep
from sim.report.exports import fmt_value
from sim.report.hxl import read_hxl_csv
from sim.report.numbers import signed
from tests.conftest import compose_config
from tests.unit.test_sweep import DISTRICTS, synthetic_result, write_job


@pytest.fixture
def pause_sweep(tmp_path: Path) -> Path:
    common = ["city=small_town", "realizations=20"]
    write_job(tmp_path, 0, ["attacks=continued", *common], synthetic_result(1.0))
    write_job(tmp_path, 1, ["attacks=pause_week", *common], synthetic_result(0.7))
    return tmp_path


def assert_prints_comparison(out: str, table, figure: str) -> str:
    """``out`` (a sweep's stdout) holds the comparison table, with the row of ``figure`` showing both medians
    and the median of paired differences of ``table`` (comparison.csv), before the paths; returns that row."""
    row = table[(table["adm5_name"].fillna("") == "")].set_index("figure").loc[figure]
    lines = out.splitlines()
    assert any("median of paired diff." in ln for ln in lines), out
    line = next(ln for ln in lines if ln.startswith(str(row["label"])))
    unit = str(row["unit"])
    for cell in (fmt_value(row["baseline_p50"], unit), fmt_value(row["scenario_p50"], unit), signed(row["diff_p50"])):
        assert cell in line, (cell, line)
    assert "not the difference of the two medians" in out
    assert out.index("median of paired diff.") < out.index("coldgrid: sweep collected:")
    return line


def test_the_sweep_callback_prints_its_comparison_table(pause_sweep: Path, capsys: pytest.CaptureFixture):
    cfg = OmegaConf.create({"hydra": {"sweep": {"dir": str(pause_sweep)}}, "output": {"report": False}})
    CollectSweep().on_multirun_end(cfg)
    out = capsys.readouterr().out
    table = read_hxl_csv(pause_sweep / "comparison.csv")
    line = assert_prints_comparison(out, table, "people_cold_24h")
    row = table[(table["adm5_name"].fillna("") == "")].set_index("figure").loc["people_cold_24h"]
    assert float(row["diff_p50"]) < 0  # 0.7 x the baseline in every run
    assert "100 %" in line  # every run cuts by 30 %, so P(cut >= 25 %) = 1


def test_comparison_csv_is_hxl_with_district_rows(pause_sweep: Path):
    sweep.collect(pause_sweep)
    path = pause_sweep / "comparison.csv"
    data = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = [c.display_tag for c in data.columns]
    assert "#adm5+name" in tags and "#meta+scenario" in " ".join(t or "" for t in tags)
    assert all(t for t in tags), f"columns without a hashtag: {[c.header for c in data.columns if not c.display_tag]}"
    rows = list(data)
    table = read_hxl_csv(path)
    assert len(rows) == len(table)  # libhxl sees every data row: the tag row is row 2, not a data row
    names = {r.get("#adm5+name") or "" for r in rows}
    assert set(DISTRICTS) <= names and "" in names  # district rows and the city rows
    # a district row holds that district's paired difference: 0.7 x baseline - baseline = -0.3 x baseline
    d = table[(table["adm5_name"] == DISTRICTS[0]) & (table["figure"] == "people_cold_24h")].iloc[0]
    assert float(d["diff_p50"]) == pytest.approx(-0.3 * float(d["baseline_p50"]), rel=1e-6)
    first = rows[0]
    assert first.get("#meta+scenario") == str(table["scenario"].iloc[0])


def test_pause_timing_pairs_each_pause_with_no_pause_at_the_same_start(tmp_path: Path):
    """The preset's sweep (configs/experiment/pause_timing.yaml): start day x pause_days 0/7; baseline
    attacks.pause_days=0 read from multirun.yaml as the collect callback records it."""
    scale = {("0", "7"): 0.5, ("3", "7"): 0.8}
    n = 0
    for start in ("0", "3"):
        for days in ("0", "7"):
            write_job(tmp_path, n, [f"attacks.pause_start_day={start}", f"attacks.pause_days={days}"],
                      synthetic_result(scale.get((start, days), 1.0)))
            n += 1
    (tmp_path / "multirun.yaml").write_text(
        yaml.safe_dump({"hydra": {"callbacks": {"collect": {"baseline": "attacks.pause_days=0"}}}}), encoding="utf-8")
    sweep.collect(tmp_path)
    table = read_hxl_csv(tmp_path / "comparison.csv")
    pairs = set(zip(table["scenario"], table["baseline"], strict=True))
    assert pairs == {
        ("attacks.pause_start_day=0 attacks.pause_days=7", "attacks.pause_start_day=0 attacks.pause_days=0"),
        ("attacks.pause_start_day=3 attacks.pause_days=7", "attacks.pause_start_day=3 attacks.pause_days=0"),
    }
    city = table[table["adm5_name"].fillna("") == ""].set_index(["scenario", "figure"])
    for start, s in (("0", 0.5), ("3", 0.8)):
        r = city.loc[(f"attacks.pause_start_day={start} attacks.pause_days=7", "people_cold_24h")]
        assert float(r["diff_p50"]) == pytest.approx((s - 1.0) * float(r["baseline_p50"]), rel=1e-6)
    assert np.isclose(city.loc[("attacks.pause_start_day=0 attacks.pause_days=7", "people_cold_24h"),
                               "prob_reduction_25"], 1.0)
    assert np.isclose(city.loc[("attacks.pause_start_day=3 attacks.pause_days=7", "people_cold_24h"),
                               "prob_reduction_25"], 0.0)


def test_a_sweep_over_cities_is_collected_but_not_compared(tmp_path: Path, capsys: pytest.CaptureFixture):
    """``-m city=small_town,kyiv``: both jobs are collected, but a run-by-run difference between two cities
    means nothing: no paired rows in comparison.csv, and the callback says in one line why there is no
    comparison brief (it stopped in a KeyError traceback from the district chart)."""
    for num, city in enumerate(("small_town", "kyiv")):
        ds = synthetic_result(1.0 + num, config=OmegaConf.to_yaml(compose_config([f"city={city}"])))
        ds.attrs["city"] = city
        write_job(tmp_path, num, [f"city={city}", "realizations=20"], ds)
    cfg = OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)}},
                            "output": {"report": True, "pdf": False, "languages": ["en"]}})
    CollectSweep().on_multirun_end(cfg)
    out, err = capsys.readouterr()
    assert (tmp_path / "sweep.nc").is_file()
    assert len(read_hxl_csv(tmp_path / "comparison.csv")) == 0
    assert ("coldgrid: no comparison brief: the scenarios are of different cities (small_town, kyiv): scenarios "
            "of different cities are not compared run by run; each job's brief has its figures") in out
    assert "Traceback" not in out + err and "warning" not in out
    assert not (tmp_path / "comparison.html").exists()
    # coldgrid-report on that sweep: the same reason, one line, exit status 2
    from tests.cli_runner import report_in_process

    r = report_in_process(str(tmp_path), "--no-pdf")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert [ln for ln in r.stderr.splitlines() if ln.strip()] == [
        "coldgrid-report: error: the scenarios are of different cities (small_town, kyiv): scenarios of different "
        "cities are not compared run by run; each job's brief has its figures"]
