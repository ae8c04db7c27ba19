"""Brief marks tied to numpy (issue 16): ceilings, generators by size class, the Monte Carlo error columns
and the "runs were enough" rule, the pause window and horizon, and frozen systems avoided.

Expected values are recomputed here from the arrays of the synthetic result (``report_fixtures``) with
numpy and scipy, never taken from the code under test. The Monte Carlo interval of a median is the
distribution-free order-statistic interval (Conover, *Practical Nonparametric Statistics*, 3rd ed. 1999,
section 3.2): ``[x_(k), x_(n-k+1)]`` with the largest ``k`` for which ``1 - 2 P(B <= k - 1) >= 0.95``,
``B ~ Binomial(n, 1/2)``; enough when its half-width is at most 10 % of the median (the defaults of
``output.mc_confidence`` and ``output.mc_rel_tolerance``).
"""

from __future__ import annotations

import html as htmllib
import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy.stats import binom

from sim import stats
from sim.report import render_comparison, render_run
from sim.report.content import split_scenarios
from sim.report.hxl import read_hxl_csv
from sim.report.numbers import count
from tests.unit.report_fixtures import make_run, make_sweep
from tests.unit.test_report_ties import recompute

CEILING_TEXT = "(the upper end is the ceiling: everyone or everything)"


def _values(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """Per-run lead figures by numpy (``test_report_ties.recompute``) and the under-5 72 h count."""
    out = recompute(ds)
    ages = list(ds["age_group"].values)
    out["people_cold_72h_under5"] = ds["people_severe_cold"].values[:, :, ages.index("under5")].sum(axis=1)
    return out


def _render(tmp_path_factory, n_real: int):
    folder = tmp_path_factory.mktemp(f"run{n_real}")
    make_run(n_real=n_real, n_districts=4).to_netcdf(folder / "result.nc")
    ds = xr.open_dataset(folder / "result.nc").load()
    render_run(folder, ds, pdf=False, languages=["en"])
    html = htmllib.unescape((folder / "report.html").read_text(encoding="utf-8"))
    return ds, read_hxl_csv(folder / "headline.csv"), html


@pytest.fixture(scope="module")
def run10(tmp_path_factory):
    return _render(tmp_path_factory, 10)


def _all_figures_row(html: str, key: str) -> str:
    section = html[html.index('<section class="headline">'):]
    m = re.search(rf'<tr data-figure="{key}"[^>]*>(.*?)</tr>', section, re.S)
    assert m, key
    return m.group(1)


# ------------------------------------------------------------------------------------------------ ceilings
def test_a_range_that_reaches_the_ceiling_is_marked_and_only_that(run10):
    ds, table, html = run10
    city = table[table["adm5_name"] == ""].set_index("figure")
    peak = ds["buildings_without_heat"].values.sum(axis=2).max(axis=1)  # (R,) city peak per run
    total = float(ds["apartment_buildings"].values.sum())
    assert np.percentile(peak, 95) >= total  # the fixture reaches it: every building without heat
    assert bool(city.loc["buildings_without_heat_peak", "at_ceiling"])
    assert float(city.loc["buildings_without_heat_peak", "ceiling"]) == pytest.approx(total)
    assert CEILING_TEXT in _all_figures_row(html, "buildings_without_heat_peak")
    frozen = ds["buildings_frozen"].values.sum(axis=2).max(axis=1)
    assert np.percentile(frozen, 95) < total
    assert not bool(city.loc["buildings_frozen_peak", "at_ceiling"])
    marked = {k for k in city.index if CEILING_TEXT in _all_figures_row(html, k)}
    assert marked == set(city.index[city["at_ceiling"].astype(bool)])


def test_comparison_marks_a_median_at_the_ceiling(comparison):
    sweep, html = comparison
    (_, a), _ = split_scenarios(sweep)
    total = float(a["apartment_buildings"].values.sum())
    peak_a = np.median(a["buildings_without_heat"].values.sum(axis=2).max(axis=1))
    assert peak_a >= total
    row = re.search(r'<tr data-figure="buildings_without_heat_peak">(.*?)</tr>', html, re.S).group(1)
    assert f"{count(peak_a)} (at the ceiling)" in row
    other = re.search(r'<tr data-figure="person_days_below_12">(.*?)</tr>', html, re.S).group(1)
    assert "(at the ceiling)" not in other


# ---------------------------------------------------------------------------------- generators by class
def test_generators_by_size_class_in_headline_csv_and_district_table(run10):
    ds, table, html = run10
    city = table[table["adm5_name"] == ""].set_index("figure")
    peak = ds["generators_running"].values.max(axis=1)  # (R,)
    shares = ds["generator_class_share"].values
    classes = [str(c) for c in ds["generator_class"].values]
    for cls, share in zip(classes, shares, strict=True):
        np.testing.assert_allclose(city.loc[f"generators_peak_{cls}", "p50"], share * np.median(peak), rtol=1e-9)
        assert city.loc[f"generators_peak_{cls}", "unit"] == "generators"
    np.testing.assert_allclose(sum(city.loc[f"generators_peak_{c}", "p50"] for c in classes),
                               city.loc["generators_peak", "p50"], rtol=1e-9)
    kw = "/".join(f"{float(k):g}" for k in ds["generator_class_kw"].values)
    peak_d = ds["generators_running_by_district"].values.max(axis=1)  # (R, D)
    for i, name in enumerate(ds["district"].values):
        tr = re.search(rf'<tr data-district="{name}">(.*?)</tr>', html, re.S).group(1)
        per_class = "/".join(count(s * np.median(peak_d[:, i])) for s in shares)
        assert f"{per_class} ({kw} kW)" in tr, (name, per_class)
        rows = table[table["adm5_name"] == name].set_index("figure")
        np.testing.assert_allclose(rows.loc[f"generators_peak_{classes[1]}", "p50"],
                                   shares[1] * np.median(peak_d[:, i]), rtol=1e-9)


# -------------------------------------------------------------------------------------- Monte Carlo error
def _mc(values: np.ndarray, confidence: float = 0.95, tol: float = 0.1) -> tuple[float, bool]:
    x = np.sort(values)
    n = x.size
    ks = [k for k in range(1, n // 2 + 1) if 1 - 2 * binom.cdf(k - 1, n, 0.5) >= confidence]
    if not ks:
        return (x[-1] - x[0]) / 2 / abs(np.median(x)), False
    k = max(ks)
    half = (x[n - k] - x[k - 1]) / 2
    rel = 0.0 if half == 0 else half / abs(np.median(x))
    return rel, rel <= tol


@pytest.mark.parametrize("n_real", [10, 160])
def test_monte_carlo_error_columns_and_the_enough_rule(tmp_path_factory, n_real):
    ds, table, html = _render(tmp_path_factory, n_real)
    city = table[table["adm5_name"] == ""].set_index("figure")
    for key, values in _values(ds).items():
        rel, enough = _mc(values)
        np.testing.assert_allclose(city.loc[key, "mc_rel_error"], rel, rtol=1e-9, err_msg=key)
        assert bool(city.loc[key, "mc_enough"]) == enough, key
        box = re.search(rf'data-figure="{key}">\s*<div class="kf-value">.*?<div class="kf-mc">([^<]*)</div>',
                        html, re.S)
        if box:
            assert ("more runs needed" in box.group(1)) == (not enough), (key, box.group(1))
    lead = city[city["lead"].astype(bool)]
    verdicts = {k: _mc(v)[1] for k, v in _values(ds).items() if k in lead.index}
    assert set(verdicts) == set(lead.index), "a lead figure the recomputation misses"
    ok, n = sum(verdicts.values()), len(verdicts)
    if ok == n:
        assert f"{n_real} runs were enough: for every lead figure" in html
    elif ok == 0:  # "not enough for any", not "enough for 0 of 8"
        assert f"{n_real} runs were not enough for any of the {n} lead figures" in html
    else:
        assert f"{n_real} runs were enough for {ok} of {n} lead figures" in html
    # the fixture's spread: 10 runs are too few for a median within ±10 %, 160 are enough (both branches)
    assert (ok == 0) if n_real == 10 else (ok == n)


# ------------------------------------------------------------------------------- pause window, frozen
@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    folder = tmp_path_factory.mktemp("comparison")
    sweep = make_sweep(n_districts=3)
    render_comparison(folder, sweep, pdf=False, languages=["en"])
    return sweep, htmllib.unescape((folder / "comparison.html").read_text(encoding="utf-8"))


def _d(t: pd.Timestamp) -> str:
    return f"{t.day} {t:%b %Y}"


def test_the_comparison_states_the_pause_window_and_the_horizon(comparison):
    sweep, html = comparison
    _, (_, alt) = split_scenarios(sweep)
    t = pd.DatetimeIndex(alt["time"].values)
    start_day, days = float(alt.attrs["pause_start_day"]), float(alt.attrs["pause_days"])
    p0 = t[0] + pd.Timedelta(days=start_day)
    horizon = len(t) / 24  # hourly steps
    expected = (f"The pause runs from {_d(p0)} to {_d(p0 + pd.Timedelta(days=days))} (days {start_day:g}–"
                f"{start_day + days:g} of the run); the figures cover the whole horizon of {horizon:g} days, "
                f"{_d(t[0])} – {_d(t[-1])}.")
    assert expected in html
    assert html.count(expected) >= 2  # under the highlights and in the pair's section


def test_the_donor_sentence_counts_frozen_systems_avoided(comparison):
    sweep, html = comparison
    (_, a), (_, b) = split_scenarios(sweep)
    fa = a["buildings_frozen"].values.sum(axis=2).max(axis=1)
    fb = b["buildings_frozen"].values.sum(axis=2).max(axis=1)
    d = np.median(fb - fa)
    assert d < 0
    pa = a["person_hours_below_threshold"].values[:, 2, :].sum(axis=1) / 24.0  # 12 degC, the fixture's axis
    pb = b["person_hours_below_threshold"].values[:, 2, :].sum(axis=1) / 24.0
    donor = next(li for li in re.findall(r"<li>(.*?)</li>", html, re.S) if "person-days would be spent" in li)
    assert f"around {count(abs(np.median(pb - pa)))} fewer person-days" in donor
    assert f"about {count(abs(d))} fewer buildings' heating systems would freeze" in donor
    # and the same number is in the comparison table (comparison.csv's rows)
    table = stats.comparison_table(a, b)
    row = table[(table["adm5_name"] == "") & (table["figure"] == "buildings_frozen_peak")].iloc[0]
    np.testing.assert_allclose(row["diff_p50"], d, rtol=1e-9)


# ------------------------------------------------------------------------------ lead figures and bands
def test_the_saturating_24h_count_is_secondary_and_16c_is_a_lead_box(run10):
    ds, table, html = run10
    city = table[table["adm5_name"] == ""].set_index("figure")
    boxes = re.findall(r'<div class="kf[^"]*" data-figure="([^"]+)">', html)
    assert "people_cold_24h" not in boxes and not bool(city.loc["people_cold_24h", "lead"])
    assert "people_cold_24h" in city.index  # kept as a secondary figure
    assert "people_below_16_mean" in boxes and bool(city.loc["people_below_16_worst_day", "lead"])
    below16 = ds["people_below_threshold"].values[:, :, 1]  # 16 degC on the fixture's axis
    worst = below16.reshape(below16.shape[0], -1, 24).mean(axis=2).max(axis=1)
    box = re.search(r'data-figure="people_below_16_mean">.*?<div class="kf-sub">([^<]*)</div>', html, re.S).group(1)
    assert box == f"worst day: {count(np.median(worst))}"


def test_the_cold_bands_name_their_sources(run10):
    _, _, html = run10
    bands = html[html.index('<table class="bands"'):]
    bands = bands[: bands.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", bands, re.S)[1:]  # after the header
    assert len(rows) == 6
    sources = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[-1] for r in rows]
    assert sources[:2] == ["WHO 2018", "WHO 2018"]
    assert all("Cold Weather Plan for England 2011" in s for s in sources[2:])
    assert "Collins 1986" in sources[-1]
    assert "< 6 °C for ≥ 2 h" in rows[-1]  # the dangerous band at the config's danger_c, danger_h
