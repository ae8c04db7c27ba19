"""Numbers that tie: each key figure of the brief = headline.csv = a recomputation from result.nc with
plain numpy; comparison.csv and the comparison brief = numpy on both scenarios; each figure's plotted data
= the statistics its caption claims. Expected values never come from the code under test: they are
recomputed here from the saved arrays (np.median, np.percentile, sums and maxima over axes)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim import stats
from sim.report import figures, render_comparison, render_run
from sim.report.content import split_scenarios
from sim.report.hxl import read_hxl_csv
from sim.report.numbers import count, num
from tests.unit.report_fixtures import make_run, make_sweep

K = {18.0: 0, 16.0: 1, 12.0: 2, 9.0: 3}  # the fixture's threshold axis


def recompute(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """Per-realization lead figures straight from the arrays of result.nc (hourly steps, 3 whole days)."""
    below = ds["people_below_threshold"].values  # (R, T, K)
    R, T, _ = below.shape
    daily = lambda x: x.reshape(R, T // 24, 24).mean(axis=2).max(axis=1)  # noqa: E731
    ages = list(ds["age_group"].values)
    severe = ds["people_severe_cold"].values  # (R, D, A)
    return {
        "people_below_16_mean": below[:, :, K[16.0]].mean(axis=1),
        "people_below_16_worst_day": daily(below[:, :, K[16.0]]),
        "people_below_12_mean": below[:, :, K[12.0]].mean(axis=1),
        "people_below_12_worst_day": daily(below[:, :, K[12.0]]),
        "person_days_below_12": ds["person_hours_below_threshold"].values[:, K[12.0], :].sum(axis=1) / 24.0,
        "people_cold_72h": severe[:, :, ages.index("all")].sum(axis=1),
        "people_cold_72h_65plus": severe[:, :, ages.index("65plus")].sum(axis=1),
        "heating_point_demand_peak": ds["heating_point_demand"].values.max(axis=1),
        "generators_peak": ds["generators_running"].values.max(axis=1),
        "diesel_l_per_day_mean": ds["diesel_consumption"].values.mean(axis=1),
        "people_cold_24h": ds["people_cold_24h"].values.sum(axis=1),
    }


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    make_run(n_districts=4).to_netcdf(folder / "result.nc")
    ds = xr.open_dataset(folder / "result.nc").load()
    render_run(folder, ds, pdf=False, languages=["en"])
    return folder, ds


def _kf_value(html: str, key: str) -> str:
    m = re.search(rf'data-figure="{key}">\s*<div class="kf-value">([^<]*)</div>', html)
    assert m, f"no key figure {key}"
    return m.group(1)


def _kf_range(html: str, key: str) -> str:
    m = re.search(rf'data-figure="{key}">.*?<div class="kf-range">[^<]*?range ([^<]*)</div>', html, re.S)
    assert m, f"no range for {key}"
    return m.group(1)


def test_key_figures_equal_headline_csv_equal_numpy(run_folder):
    folder, ds = run_folder
    html = (folder / "report.html").read_text(encoding="utf-8")
    table = read_hxl_csv(folder / "headline.csv")
    city = table[table["adm5_name"] == ""].set_index("figure")
    for key, values in recompute(ds).items():
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        np.testing.assert_allclose(city.loc[key, "p50"], p50, rtol=1e-9, err_msg=key)
        np.testing.assert_allclose([city.loc[key, "p5"], city.loc[key, "p95"]], [p5, p95], rtol=1e-9, err_msg=key)
        assert city.loc[key, "shown"] == count(p50), key
        if re.search(rf'<div class="kf[^"]*" data-figure="{key}">', html):
            # the box shows the median (a brief that showed p95 or p5 fails here) and the 90 % interval
            assert _kf_value(html, key) == count(p50), key
            assert count(p50) != count(p95), f"fixture too narrow to tell p50 from p95 for {key}"
            assert _kf_range(html, key).startswith(f"{count(p5)}–{count(p95)}"), key
    shown = [k for k in recompute(ds) if re.search(rf'<div class="kf[^"]*" data-figure="{k}">', html)]
    assert {"people_below_12_mean", "person_days_below_12", "people_cold_72h", "heating_point_demand_peak",
            "generators_peak", "diesel_l_per_day_mean"} <= set(shown)


def test_every_number_of_the_all_figures_table_is_in_headline_csv(run_folder):
    folder, _ = run_folder
    html = (folder / "report.html").read_text(encoding="utf-8")
    table = read_hxl_csv(folder / "headline.csv")
    city = table[table["adm5_name"] == ""].set_index("figure")
    section = html[html.index('<section class="headline">'):]
    rows = re.findall(r'<tr data-figure="([^"]+)"[^>]*><td>[^<]*</td><td class="num">([^<]*)</td>', section)
    assert len(rows) == len(city)
    for key, median in rows:
        assert median == city.loc[key, "shown"], key


def test_district_table_equals_headline_csv_and_numpy(run_folder):
    folder, ds = run_folder
    html = (folder / "report.html").read_text(encoding="utf-8")
    table = read_hxl_csv(folder / "headline.csv")
    demand = ds["heating_point_demand_by_district"].values.max(axis=1)  # (R, D) peak per run and district
    rate = 1000 * ds["person_hours_below_threshold"].values[:, K[12.0], :] / 24.0 / ds["population"].values
    order = np.argsort(-rate, axis=1)
    top3 = np.zeros(rate.shape[1])
    for r in range(rate.shape[0]):
        top3[order[r, :3]] += 1.0 / rate.shape[0]
    for i, name in enumerate(ds["district"].values):
        rows = table[table["adm5_name"] == name].set_index("figure")
        np.testing.assert_allclose(rows.loc["heating_point_demand_peak", "p50"], np.median(demand[:, i]), rtol=1e-9)
        np.testing.assert_allclose(rows.loc["person_days_below_12_per_1000", "p50"], np.median(rate[:, i]), rtol=1e-9)
        np.testing.assert_allclose(rows.loc["hardest_hit_share", "p50"], 100 * top3[i], rtol=1e-9)
        tr = re.search(rf'<tr data-district="{name}">(.*?)</tr>', html, re.S).group(1)
        share_cell = re.findall(r'<td class="num">([^<]*)</td>', tr)[1]  # after "people present"
        assert share_cell == f"{round(100 * top3[i])} %", (name, share_cell, top3[i])
        assert count(np.median(demand[:, i])) in tr
    assert {0.0, 1.0} <= set(np.round(top3, 12))  # the fixture has districts at 0 and 100 %: both are checked


def test_timeline_equals_summary_csv(run_folder):
    folder, ds = run_folder
    html = (folder / "report.html").read_text(encoding="utf-8")
    summary = read_hxl_csv(folder / "summary.csv")
    city = summary[summary["adm5_name"] == "All districts"]
    demand = ds["heating_point_demand"].values.reshape(ds.sizes["realization"], -1, 24).max(axis=2)
    np.testing.assert_allclose(city["heating_point_demand_p50"].to_numpy(float), np.round(np.median(demand, axis=0)))
    section = html[html.index('id="when"'):html.index('class="headline"')]
    table = section[section.index('class="data timeline"'):]
    cells = re.findall(r"<tr><td class=\"day\">[^<]*</td>((?:<td class=\"num\">[^<]*</td>)+)</tr>", table)
    first_cols = [re.findall(r'<td class="num">([^<]*)</td>', c)[0] for c in cells[: len(city)]]
    assert first_cols == [count(x) for x in city["heating_point_demand_p50"]]


def test_headline_csv_is_valid_hxl(run_folder):
    import hxl

    folder, _ = run_folder
    for name in ("headline.csv", "triggers.csv", "summary.csv"):
        data = hxl.data(str(folder / name), hxl.InputOptions(allow_local=True))
        tags = [c.display_tag for c in data.columns]
        assert all(t and t.startswith("#") for t in tags), (name, tags)
        assert len(list(data)) > 0
    rows = list(hxl.data(str(folder / "headline.csv"), hxl.InputOptions(allow_local=True)))
    assert any(r.get("#indicator+code") == "people_below_12_mean" for r in rows)


# ---------------------------------------------------------------------------------------------- comparison
@pytest.fixture(scope="module")
def sweep():
    return make_sweep(n_districts=3)


def test_comparison_table_uses_both_scenarios(sweep):
    (_, a), (_, b) = split_scenarios(sweep)
    table = stats.comparison_table(a, b)
    city = table[table["adm5_name"] == ""].set_index("figure")
    pa = a["person_hours_below_threshold"].values[:, K[12.0], :].sum(axis=1) / 24.0
    pb = b["person_hours_below_threshold"].values[:, K[12.0], :].sum(axis=1) / 24.0
    row = city.loc["person_days_below_12"]
    np.testing.assert_allclose(row["a_p50"], np.median(pa), rtol=1e-9)
    np.testing.assert_allclose(row["b_p50"], np.median(pb), rtol=1e-9)
    assert not np.isclose(np.median(pa), np.median(pb))
    np.testing.assert_allclose(row["diff_p50"], np.median(pb - pa), rtol=1e-9)
    np.testing.assert_allclose([row["diff_p5"], row["diff_p95"]], np.percentile(pb - pa, [5, 95]), rtol=1e-9)
    assert row["prob_reduction"] == pytest.approx(np.mean((pa > 0) & (pa - pb >= 0.25 * pa) & (pb < pa)))
    np.testing.assert_allclose(row["rel_diff_p50"], np.median((pb - pa) / pa), rtol=1e-9)
    # district rows: the same by district
    d = table[(table["figure"] == "person_days_below_12") & (table["adm5_name"] != "")]
    da = a["person_hours_below_threshold"].values[:, K[12.0], :] / 24.0
    db = b["person_hours_below_threshold"].values[:, K[12.0], :] / 24.0
    np.testing.assert_allclose(d["diff_p50"].to_numpy(), np.median(db - da, axis=0), rtol=1e-9)
    np.testing.assert_allclose(d["b_p50"].to_numpy(), np.median(db, axis=0), rtol=1e-9)


def test_comparison_brief_shows_medians_and_median_of_paired_differences(sweep, tmp_path):
    render_comparison(tmp_path, sweep, pdf=False, languages=["en"])
    html = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    (_, a), (_, b) = split_scenarios(sweep)
    pa = a["person_hours_below_threshold"].values[:, K[12.0], :].sum(axis=1) / 24.0
    pb = b["person_hours_below_threshold"].values[:, K[12.0], :].sum(axis=1) / 24.0
    d = np.median(pb - pa)
    box = re.search(r'data-figure="person_days_below_12">(.*?)</div>\s*</div>', html, re.S).group(0)
    assert f'<div class="kf-value">−{count(abs(d))}</div>' in box
    assert f"medians {count(np.median(pa))} → {count(np.median(pb))}" in box
    assert "median of paired differences" in box
    row = re.search(r'<tr data-figure="person_days_below_12">(.*?)</tr>', html, re.S).group(1)
    assert count(np.median(pa)) in row and count(np.median(pb)) in row and f"−{count(abs(d))}" in row


# ------------------------------------------------------------------------------------------------- figures
def _line(fig, gid):
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_gid() == gid:
                return ax, line
    raise AssertionError(f"no line {gid}")


def test_fan_chart_plots_people_below_16_and_12_medians_and_bands():
    ds = make_run(n_districts=3)
    fig = figures.fan_chart([("x", ds)])
    below = ds["people_below_threshold"].values
    for c in (16.0, 12.0):
        axes = [ax for ax in fig.axes if ax.get_ylabel() == f"people below {c:g} °C"]
        assert len(axes) == 1, f"no panel for {c:g} °C"
        ax = axes[0]
        median = next(ln for ln in ax.get_lines() if (ln.get_gid() or "").startswith("median:"))
        np.testing.assert_allclose(median.get_ydata(), np.median(below[:, :, K[c]], axis=0), rtol=1e-9)
        x = median.get_xydata()[:, 0]  # the time axis in plot units, as the band's vertices
        for name, (p_lo, p_hi) in (("band5-95:", (5, 95)), ("band25-75:", (25, 75))):
            band = next(col for col in ax.collections if (col.get_gid() or "").startswith(name))
            verts = band.get_paths()[0].vertices
            lo, hi = np.percentile(below[:, :, K[c]], [p_lo, p_hi], axis=0)
            assert not np.allclose(lo, hi), "fixture too narrow to tell the band's ends apart"
            # at every time step the band spans exactly [p_lo, p_hi] of the runs at that step
            for j, xj in enumerate(x):
                ys = verts[np.isclose(verts[:, 0], xj, rtol=0, atol=1e-6), 1]  # 1e-6 d: well below an hour
                assert ys.size >= 2, (name, j)
                np.testing.assert_allclose([ys.min(), ys.max()], [lo[j], hi[j]], rtol=1e-9, err_msg=f"{name} {c} {j}")


def test_district_chart_bars_are_the_median_rates():
    ds = make_run(n_districts=4)
    fig = figures.district_chart([("x", ds)])
    rate = 1000 * ds["person_hours_below_threshold"].values[:, K[12.0], :] / 24.0 / ds["population"].values
    widths = {}
    for patch in fig.axes[0].patches:
        gid = patch.get_gid() or ""
        if gid.startswith("bar:0:"):
            widths[gid.split(":", 2)[2]] = patch.get_width()
    assert len(widths) == 4
    for i, name in enumerate(ds["district"].values):
        np.testing.assert_allclose(widths[str(name)], np.median(rate[:, i]), rtol=1e-9)


def test_heating_point_chart_plots_median_demand_capacity_and_median_of_peaks():
    ds = make_run(n_districts=3)
    fig = figures.heating_point_chart([("x", ds)])
    demand = ds["heating_point_demand"].values
    _, median = _line(fig, "median:demand:0")
    np.testing.assert_allclose(median.get_ydata(), np.median(demand, axis=0), rtol=1e-9)
    _, peak = _line(fig, "peak:demand:0")
    np.testing.assert_allclose(peak.get_ydata()[0], np.median(demand.max(axis=1)), rtol=1e-9)
    _, cap = _line(fig, "capacity")
    assert cap.get_ydata()[0] == float(ds["heating_point_capacity"])


def test_duration_curves_plot_the_share_still_cold():
    ds = make_run(n_districts=3)
    fig = figures.duration_curves([("x", ds)])
    hist = ds["severe_spell_histogram"].sel(age_group="65plus").values  # (R, B)
    at_least = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1] / hist.sum(axis=1, keepdims=True)
    _, line = _line(fig, "median:65plus:0")
    np.testing.assert_allclose(line.get_ydata(), 100 * np.median(at_least, axis=0), rtol=1e-9)


def test_paired_histogram_marks_the_median_of_differences():
    diff = np.array([-5.0, -3.0, -1.0, 0.0, 4.0])
    fig = figures.paired_histogram([("d", diff, "people")], "t")
    _, line = _line(fig, "median:0")
    assert line.get_xdata()[0] == -1.0


def test_console_summary_shows_the_csv_medians(run_folder):
    from sim.report.console import run_summary
    from sim.report.exports import headline_frame

    _, ds = run_folder
    text = run_summary(headline_frame(ds))
    values = recompute(ds)
    line = next(ln for ln in text.splitlines() if "average over the period" in ln and "12 °C" in ln)
    assert count(np.median(values["people_below_12_mean"])) in line
    assert num(np.median(values["people_below_12_mean"])) in line


def test_events_in_calendar_time():
    from sim.report.exports import events_in_calendar_time

    ev = pd.DataFrame({"realization": [0, 1], "time_h": [0.0, 36.5], "kind": ["wave", "hit"]})
    out = events_in_calendar_time(ev, "2026-01-29T00:00")
    assert list(out.columns) == ["realization", "time", "time_h", "kind"]
    assert list(out["time"]) == ["2026-01-29T00:00", "2026-01-30T12:30"]


def test_events_with_the_des_calendar_times_keep_them():
    """The DES's own event log has ``time`` (datetime64) already: it is formatted, not added twice."""
    from sim.report.exports import events_in_calendar_time

    ev = pd.DataFrame({"realization": [0], "time": np.array(["2026-02-03T05:30"], "datetime64[s]"),
                       "time_h": [125.5], "kind": ["wave"]})
    out = events_in_calendar_time(ev, "2026-01-29T00:00")
    assert list(out.columns) == ["realization", "time", "time_h", "kind"]
    assert list(out["time"]) == ["2026-02-03T05:30"]
