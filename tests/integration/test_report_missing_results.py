"""``coldgrid-report SWEEP`` on a sweep with a scenario, or a figure of one, that has no values.

``sim.sweep.collect`` aligns the jobs' results with an outer join: a variable one job's result lacks is NaN
in that scenario of ``sweep.nc``, and a scenario whose values were lost is NaN throughout. The comparison
brief stopped in a traceback (a weighted quantile over NaN weights, ``numpy.histogram`` of NaN). It must
render and say "no result" where a value is missing (in the Ukrainian brief too), leave those cells of
``summary.csv`` empty (never 0), and refuse a sweep without any value in one line with exit status 2.

The sweep is real: two jobs of ``coldgrid -m attacks=continued,pause_week`` on the small town (2 runs, 3
days), run once for the module; each test edits its own copy (a job's ``result.nc``, or ``sweep.nc``
written with the project's own :func:`sim.io.write_netcdf`, as ``collect`` writes it).
"""

from __future__ import annotations

import html as _html
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sim.io import open_result, write_netcdf
from sim.report import figures, render_comparison
from sim.report.hxl import read_hxl_csv
from sim.report.scenarios import has_result, split_scenarios
from tests.cli_runner import report_in_process
from tests.cli_runner import run_in_process as run

BASE, ALT = "attacks=continued", "attacks=pause_week"
ALT_TITLE = "Strikes pause for 7 days from 29 Jan"  # the pause_week scenario as the brief names it
BASE_TITLE = "Strikes continue"
#: the cells of summary.csv that the fan chart's variable (people_below_threshold) fills on city rows
CITY_COLUMNS = ["people_below_16c_p50", "people_below_12c_p50", "people_below_16c_mean_p50"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sweep")
    r = run("-m", f"attacks={BASE.split('=')[1]},{ALT.split('=')[1]}", "city=small_town", "realizations=2",
            "horizon_days=3", "output.report=false", "output.progress=never", f"hydra.sweep.dir={out}", cwd=out)
    assert r.returncode == 0, r.stderr
    with xr.open_dataset(out / "sweep.nc") as ds:
        assert list(ds["scenario"].values) == [BASE, ALT]
    return out


def _copy(sweep: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(sweep, tmp_path / "sweep"))


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return _html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _row(html: str, figure: str) -> list[str]:
    """The cells of a comparison table's row of ``figure`` (the first table: the main pair)."""
    m = re.search(rf'<tr data-figure="{figure}">(.*?)</tr>', html, flags=re.S)
    assert m, figure
    return [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), flags=re.S)]


def _report_ok(folder: Path, *args: str) -> str:
    r = report_in_process(str(folder), *args)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "Warning" not in r.stderr, r.stderr
    return (folder / "comparison.html").read_text(encoding="utf-8")


def _nan_scenarios(folder: Path, labels: list[str]) -> None:
    """Every numeric value of these scenarios NaN in ``sweep.nc`` (a job whose values were lost)."""
    ds = open_result(folder / "sweep.nc")
    keep = ~ds["scenario"].isin(labels)
    for name, v in ds.data_vars.items():
        if "scenario" in v.dims and np.issubdtype(v.dtype, np.number):
            ds[name] = v.astype(float).where(keep).assign_attrs(v.attrs)
    (folder / "sweep.nc").unlink()
    write_netcdf(ds, folder / "sweep.nc", check=False)


def test_a_variable_missing_in_one_job_reads_no_result(sweep: Path, tmp_path: Path):
    """Job 1 (pause_week) without the hourly counts and the person-hours: collected by coldgrid-report, the
    outer join makes them NaN for that scenario; on main ``numpy.histogram`` of the paired histogram raised a
    ValueError (a range of [nan, nan])."""
    folder = _copy(sweep, tmp_path)
    with xr.open_dataset(folder / "1" / "result.nc") as ds:
        ds = ds.load()
    ds.drop_vars(["people_below_threshold", "person_hours_below_threshold"]).to_netcdf(folder / "1" / "r.nc")
    (folder / "1" / "r.nc").replace(folder / "1" / "result.nc")
    (folder / "sweep.nc").unlink()
    (folder / "comparison.csv").unlink()
    html = _report_ok(folder, "--no-pdf")
    with xr.open_dataset(folder / "sweep.nc") as ds:  # collected again, with the NaN of the outer join
        assert bool(ds["people_below_threshold"].sel(scenario=ALT).isnull().all())
        assert bool(ds["people_below_threshold"].sel(scenario=BASE).notnull().all())
    text = _text(html)
    # the scenario's figures: what it has is compared, what it lacks says so (not "0", not a blank)
    cells = _row(html, "person_days_below_12")
    assert cells[1] not in ("", "no result", "0") and cells[2] == "no result" and cells[3] == "no result", cells
    assert _row(html, "buildings_frozen_peak")[2] != "no result"  # its variables are there: compared
    assert re.search(rf"{ALT_TITLE}: no result for \d+ figures \(missing from its job's result\)", text), text
    assert f"No result for {ALT_TITLE}: its values are missing from the sweep" in text  # fan chart, districts
    # the fan chart draws the baseline and names the scenario it cannot draw in its legend
    named = [(n, d) for n, d in split_scenarios(open_result(folder / "sweep.nc"))]
    assert figures.no_result(named, "fan_chart") == [ALT] and figures.no_result(named, "heating_points") == []
    fig = figures.fan_chart(named)
    assert fig is not None
    gids = {a.get_gid() for ax in fig.axes for a in ax.get_lines()}
    assert "median:16:0" in gids and "median:16:1" not in gids
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert f"{ALT}: no result" in legend and f"{BASE}: no result" not in legend
    # summary.csv: the missing cells are empty (NaN), the baseline's are numbers
    table = read_hxl_csv(folder / "summary.csv")
    city = table[table["adm5_name"] == "All districts"].set_index("scenario")
    assert city.loc[ALT, CITY_COLUMNS].isna().all().all()
    assert city.loc[BASE, CITY_COLUMNS].notna().all().all()
    assert city.loc[ALT, "population"].notna().all()  # what the job has is still there


def test_a_job_of_fewer_runs_is_not_padded_with_nan_nor_paired(sweep: Path, tmp_path: Path):
    """A job with fewer realizations than the other (``-m realizations=2,3`` gives this): the outer join
    pads it with NaN runs; on main the weighted quantile stopped on their NaN weights. The padding is not
    read as runs, and two scenarios of different runs are not compared run by run."""
    folder = _copy(sweep, tmp_path)
    with xr.open_dataset(folder / "1" / "result.nc") as ds:
        ds = ds.load()
    ds.isel(realization=[0]).to_netcdf(folder / "1" / "r.nc")
    (folder / "1" / "r.nc").replace(folder / "1" / "result.nc")
    (folder / "sweep.nc").unlink()
    (folder / "comparison.csv").unlink()
    html = _report_ok(folder, "--no-pdf")
    scenarios = dict(split_scenarios(open_result(folder / "sweep.nc")))
    assert scenarios[ALT].sizes["realization"] == 1 and scenarios[ALT].attrs["padded_realizations"] == 1
    assert scenarios[BASE].sizes["realization"] == 2 and "padded_realizations" not in scenarios[BASE].attrs
    text = _text(html)
    assert f"{ALT_TITLE} and strikes continue do not have the same runs (1 and 2)" in text, text
    base, alt, diff = _row(html, "person_days_below_12")[1:4]
    assert diff == "not paired" and "no result" not in (base, alt) and "" not in (base, alt)
    assert "Not drawn: the two scenarios do not have the same runs" in text
    table = read_hxl_csv(folder / "summary.csv")
    city = table[table["adm5_name"] == "All districts"].set_index("scenario")
    assert city.loc[ALT, CITY_COLUMNS].notna().all().all()  # its one run, not NaN


def test_a_job_of_a_shorter_period_keeps_its_own_period(sweep: Path, tmp_path: Path):
    """A job that ran fewer days (``-m horizon_days=2,3`` gives this): the outer join pads its hours and
    days with NaN; on main the fan chart's quantiles met all-NaN hours (numpy RuntimeWarnings on stderr).
    The scenario keeps its own 2 days."""
    folder = _copy(sweep, tmp_path)
    with xr.open_dataset(folder / "1" / "result.nc") as ds:
        ds = ds.load()
    assert ds.sizes["time"] == 72 and ds.sizes["day"] == 3
    ds.isel(time=slice(0, 48), day=slice(0, 2)).to_netcdf(folder / "1" / "r.nc")
    (folder / "1" / "r.nc").replace(folder / "1" / "result.nc")
    (folder / "sweep.nc").unlink()
    (folder / "comparison.csv").unlink()
    html = _report_ok(folder, "--no-pdf")  # no warning on stderr
    scenarios = dict(split_scenarios(open_result(folder / "sweep.nc")))
    assert scenarios[ALT].sizes["time"] == 48 and scenarios[ALT].attrs["padded_time"] == 24
    assert scenarios[ALT].sizes["day"] == 2 and scenarios[ALT].attrs["padded_day"] == 1
    assert scenarios[BASE].sizes["time"] == 72 and "padded_time" not in scenarios[BASE].attrs
    assert not np.isnan(scenarios[ALT]["people_below_threshold"].values).any()
    assert "no result" not in _row(html, "person_days_below_12")[1:3]
    # the two periods are named, in the contract line and in a highlight, and the csv notes them
    text = _text(html)
    assert ("29 Jan 2026 – 31 Jan 2026 (3 days); 29 Jan 2026 – 30 Jan 2026 (2 days)" in text
            and "cover different periods, 29 Jan 2026 – 31 Jan 2026 (3 days) against 29 Jan 2026 – 30 Jan 2026 "
                "(2 days): totals" in text), text[:3000]
    notes = set(read_hxl_csv(folder / "comparison.csv")["note"])
    assert notes == {"periods differ (baseline 3 days from 2026-01-29T00:00, scenario 2 days from 2026-01-29T00:00): "
                     "totals add up over each scenario's own period"}


def test_jobs_of_different_seeds_are_not_paired(sweep: Path, tmp_path: Path):
    """Realization r of seed 1 and realization r of seed 2 share only their number: a ``-m seed=1,2``-like
    pair was compared run by run (paired differences, "P(cut)") because the realization labels matched.
    ``sim.sweep`` already wrote "not paired: different seeds" in comparison.csv; the brief now agrees."""
    folder = _copy(sweep, tmp_path)
    with xr.open_dataset(folder / "1" / "result.nc") as ds:
        ds = ds.load()
    assert ds.attrs["seed"] != 99
    ds.attrs["seed"] = 99  # the job as a run of another seed would label it
    ds.to_netcdf(folder / "1" / "r.nc")
    (folder / "1" / "r.nc").replace(folder / "1" / "result.nc")
    (folder / "sweep.nc").unlink()
    (folder / "comparison.csv").unlink()
    html = _report_ok(folder, "--no-pdf")
    text = _text(html)
    seed = int(open_result(folder / "0" / "result.nc").attrs["seed"])
    assert (f"{ALT_TITLE} and strikes continue were run with different seeds (99 and {seed}), so their runs are "
            "not paired") in text, text
    assert _row(html, "person_days_below_12")[3] == "not paired"
    assert "Not drawn: the two scenarios do not have the same runs" in text
    # the same pair with the same seed is paired (the fixture's sweep as it is)
    same = _text(_report_ok(_copy(sweep, tmp_path / "same"), "--no-pdf"))
    assert "were run with different seeds" not in same and "Not drawn: the two scenarios" not in same


@pytest.mark.parametrize("empty", [ALT, BASE])
def test_a_scenario_without_any_value_reads_no_result(sweep: Path, tmp_path: Path, empty: str):
    """Either scenario of the pair NaN throughout in sweep.nc: on main a ValueError of the weighted quantile
    (NaN weights) in the fan chart. The brief (HTML and PDF, English and Ukrainian) says "no result"."""
    folder = _copy(sweep, tmp_path)
    _nan_scenarios(folder, [empty])
    html = _report_ok(folder)
    assert (folder / "comparison.pdf").stat().st_size > 10_000
    title = ALT_TITLE if empty == ALT else BASE_TITLE
    text = _text(html)
    assert f"{title}: no result (its values are missing from the sweep" in text
    assert "Population not recorded" not in text and "people present: not available" not in text  # the other's
    for key in ("person_days_below_12", "people_below_12_worst_day"):
        base, alt, diff = _row(html, key)[1:4]
        assert diff == "no result"
        assert (alt if empty == ALT else base) == "no result"
        assert (base if empty == ALT else alt) not in ("", "no result", "–")
    # key figures: the boxes read "no result", not a number
    boxes = re.findall(r'<div class="kf-value">(.*?)</div>', html)
    assert boxes and set(boxes) == {"no result"}
    # the paired histogram cannot be drawn: its place says why; the other figures draw the other scenario
    assert re.search(r'<figure class="fig fig-missing[^"]*" id="fig-paired_differences"', html)
    assert not (folder / "figures" / "paired_differences.svg").exists()
    assert (folder / "figures" / "fan_chart.svg").exists()
    # summary.csv: every number of the empty scenario is an empty cell, never 0
    table = read_hxl_csv(folder / "summary.csv")
    numbers = [c for c in table.columns if c.startswith(("people_", "population", "buildings_"))]
    assert table.loc[table["scenario"] == empty, numbers].isna().all().all()
    assert table.loc[table["scenario"] != empty, numbers].notna().any().all()
    # the Ukrainian brief says it in Ukrainian
    render_comparison(folder, pdf=False, languages=["uk"])
    uk = (folder / "comparison.uk.html").read_text(encoding="utf-8")
    assert "немає результату" in uk and "no result" not in _text(uk)
    assert re.search(r'<div class="kf-value">немає результату</div>', uk)


def test_a_sweep_without_any_value_is_one_line_and_status_2(sweep: Path, tmp_path: Path):
    folder = _copy(sweep, tmp_path)
    _nan_scenarios(folder, [BASE, ALT])
    assert not any(has_result(d) for _n, d in split_scenarios(open_result(folder / "sweep.nc")))
    r = report_in_process(str(folder), "--no-pdf")
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0] == (f"coldgrid-report: error: {folder / 'sweep.nc'}: no scenario has a result (every value is "
                        "NaN: its jobs failed or their results hold no values); run the sweep again")
    assert not (folder / "comparison.html").exists() and not (folder / "summary.csv").exists()
