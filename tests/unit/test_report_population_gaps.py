"""A population that is unknown (NaN) in some district, or not recorded at all: rates per 1,000 and the brief.

The model never writes a NaN population; an edited or merged ``result.nc`` can have one. Then

* the city's rate per 1,000 people present (``person_days_below_12_per_1000``) is not available, like the
  city's population (:func:`sim.report.content.people_present`): its numerator counts every district's
  person-days, so a denominator over the known districts only would make it too high;
* the district's own rate is not available (NaN, not 0) and the district is not ranked; the other districts
  are ranked among themselves exactly as without it;
* the brief renders (it raised ValueError on the district's population cell) and reads "not available"
  where a number would be, in English and Ukrainian;
* a result without a ``population`` variable reads like the NaN case in the methods box, never
  "– people present";
* the city's share of residents without power (weighted by people present: ``occupants`` in
  ``headline.csv``, the brief and the printed summary, ``population`` in ``summary.csv``) is not available
  when a district's weight is unknown, not the known districts' share labelled as the city's; the
  people-of-an-age ceilings likewise;
* the printed run summary reads "not available" for such a figure, never "–" or "nan".
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import xarray as xr

from sim import keyfigures
from sim.keyfigures import Settings
from sim.report import content, render_run
from sim.report.console import run_summary
from sim.report.exports import fmt_value, headline_frame
from sim.report.figures import district_chart
from sim.report.hxl import ALL_DISTRICTS, read_hxl_csv, summary_frame
from tests.unit.report_fixtures import make_run

EN, UK = content.Lang("en"), content.Lang("uk")
RATE = "person_days_below_12_per_1000"
UNKNOWN = 0  # index of the district whose population is unknown (Holosiivskyi, the largest)


def _unknown(ds: xr.Dataset, i: int = UNKNOWN) -> xr.Dataset:
    pop = ds["population"].values.astype(float).copy()
    pop[i] = np.nan
    return ds.assign(population=(ds["population"].dims, pop, ds["population"].attrs))


def _unknown_people(ds: xr.Dataset, i: int = UNKNOWN) -> xr.Dataset:
    """``ds`` with district ``i``'s people present unknown: ``population`` and ``occupants`` (every age) NaN."""
    occ = ds["occupants"].values.astype(float).copy()
    occ[i, :] = np.nan
    return _unknown(ds, i).assign(occupants=(ds["occupants"].dims, occ, ds["occupants"].attrs))


def _city(frame, key):
    return frame[(frame["figure"] == key) & (frame["adm5_name"] == "")].iloc[0]


def _district(frame, key, name):
    return frame[(frame["figure"] == key) & (frame["adm5_name"] == name)].iloc[0]


@pytest.fixture(scope="module")
def runs():
    ds = make_run()
    return ds, _unknown(ds)


# --------------------------------------------------------------------------- the rates
def test_city_rate_is_person_days_over_all_people_when_every_population_is_known(runs):
    ds, _ = runs
    s = Settings.from_dataset(ds)
    pd12 = keyfigures.values(ds, s, keys=["person_days_below_12"])["person_days_below_12"].values
    rate = 1000.0 * pd12 / float(ds["population"].sum())
    row = _city(headline_frame(ds), RATE)
    assert row["p50"] == pytest.approx(float(np.median(rate)), rel=1e-12)
    assert np.isfinite(row["mc_rel_error"])


def test_city_rate_is_not_available_when_one_district_population_is_unknown(runs):
    """Before: 1000 x every district's person-days / the 9 known districts' people (173 here instead of 149,
    the rate of the complete data: too high by the unknown district's share of the people)."""
    ds, gap = runs
    row = _city(headline_frame(gap), RATE)
    assert np.isnan([row["p50"], row["p5"], row["p95"]]).all(), row
    # no Monte Carlo verdict on a figure that more runs would not make known
    # the text the brief prints (was "–")
    assert np.isnan(row["mc_rel_error"]) and bool(row["mc_enough"]) and row["shown"] == "not available"
    # the person-days themselves stay: they do not depend on the population
    assert _city(headline_frame(gap), "person_days_below_12")["p50"] == _city(headline_frame(ds),
                                                                            "person_days_below_12")["p50"]


def test_district_rate_is_nan_for_an_unknown_population_and_zero_for_no_people(runs):
    ds, gap = runs
    s = Settings.from_dataset(ds)
    empty = ds.assign(population=ds["population"].where(np.arange(ds.sizes["district"]) != 1, 0.0))
    rate_gap, rate_empty = keyfigures.district_rate(gap, s), keyfigures.district_rate(empty, s)
    assert np.isnan(rate_gap.isel(district=UNKNOWN)).all()  # before: 0, ranked last as if no one was cold
    assert (rate_empty.isel(district=1) == 0).all()
    others = [i for i in range(ds.sizes["district"]) if i != UNKNOWN]
    xr.testing.assert_allclose(rate_gap.isel(district=others), keyfigures.district_rate(ds, s).isel(district=others))
    name = str(ds["district"].values[UNKNOWN])
    frame = headline_frame(gap)
    assert np.isnan(_district(frame, RATE, name)["p50"])
    assert np.isnan(_district(frame, "hardest_hit_share", name)["p50"])  # before: 0 %


@pytest.mark.parametrize("weighted", [False, True])
def test_unknown_district_is_not_ranked_and_the_others_rank_as_without_it(runs, weighted):
    ds, gap = runs
    if weighted:  # a conditioned nowcast's weights (the weighted quantile refuses NaN)
        w = np.linspace(1.0, 2.0, ds.sizes["realization"])
        ds, gap = (d.assign(realization_weight=("realization", w / w.sum())) for d in (ds, gap))
    s = Settings.from_dataset(ds)
    name = str(ds["district"].values[UNKNOWN])
    ranking = keyfigures.district_ranking(gap, s)
    assert str(ranking["district"].values[-1]) == name and np.isnan(ranking["p_top"].values[-1])
    without = keyfigures.district_ranking(ds.isel(district=[i for i in range(ds.sizes["district"]) if i != UNKNOWN]), s)
    np.testing.assert_array_equal(ranking["district"].values[:-1], without["district"].values)
    np.testing.assert_allclose(ranking["p_top"].values[:-1], without["p_top"].values)
    headline_frame(gap)  # no error with weights either


# --------------------------------------------------------------------------- the brief
@pytest.mark.parametrize(("lang", "na"), [(EN, "not available"), (UK, "немає даних")])
def test_brief_reads_not_available_for_the_unknown_rates(runs, lang, na):
    """Before: run_content raised ValueError (cannot convert float NaN to integer) on the district's
    population cell, so no brief was written at all."""
    _, gap = runs
    name = str(gap["district"].values[UNKNOWN])
    body = content.run_content(gap, lang)
    row = next(r for r in body["headline"] if r["key"] == RATE)
    assert (row["median"], row["range"], row["mc"]) == (na, "", "")
    last = body["districts"]["rows"][-1]  # not ranked: last
    assert last["key"] == name
    assert last["population"] == na and last["p_top"] == na
    assert last["cells"][0] == {"median": na, "range": ""}  # the rate per 1,000 is the first column
    assert all(r["population"] != na for r in body["districts"]["rows"][:-1])
    assert lang.place(name) in body["ranking_note"]
    assert not any(lang.place(name) in h for h in body["highlights"])


def test_ranking_note_is_unchanged_when_every_population_is_known(runs):
    ds, gap = runs
    known = content.run_content(ds)["ranking_note"]
    assert "not known" not in known and "not ranked" not in known
    assert content.run_content(gap)["ranking_note"].startswith(known + " Districts whose population is not known")


def test_district_chart_has_no_bar_for_an_unknown_population(runs):
    _, gap = runs
    name = str(gap["district"].values[UNKNOWN])
    fig = district_chart([("", gap)])
    gids = {a.get_gid() for ax in fig.axes for a in ax.patches}
    assert f"bar:0:{name}" not in gids
    assert {f"bar:0:{n}" for n in map(str, gap["district"].values[1:])} <= gids


def test_both_briefs_are_written_with_an_unknown_population(runs, tmp_path):
    _, gap = runs
    gap = gap.copy()
    gap.attrs["config"] = gap.attrs["config"] + "output:\n  languages: [en, uk]\n"
    names = {p.name for p in render_run(tmp_path, gap, pdf=False)}
    assert {"report.html", "report.uk.html", "headline.csv", "summary.csv"} <= names
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Denominator: people present: not available" in html


# --------------------------------------------------------------------------- no population variable
@pytest.mark.parametrize(("lang", "text"), [(EN, "people present: not available"),
                                            (UK, "присутніх людей: немає даних")])
def test_methods_box_without_a_population_variable_reads_as_an_unknown_one(runs, lang, text):
    """Before: "– people present (3.7 million residents, ...)": a dash where a number belongs."""
    ds, gap = runs
    none = ds.drop_vars("population")
    denominator = content.methods(none, [("", none)], lang)["denominator"]
    assert denominator.startswith(text + " (") and "–" not in denominator
    assert denominator == content.methods(gap, [("", gap)], lang)["denominator"]
    # the contract line keeps telling the two apart
    assert content.contract([("", none)], lang)["population"] == lang._("not recorded")
    assert content.contract([("", gap)], lang)["population"] == lang._("not available")


def test_methods_box_with_a_known_population_is_unchanged(runs):
    ds, _ = runs
    denominator = content.methods(ds, [("", ds)])["denominator"]
    assert denominator.startswith(f"{EN.num(float(ds['population'].sum()), 3)} people present (")


def test_no_city_ceiling_from_the_known_districts_only(runs):
    """A ceiling (everyone) summed over the known districts would be too low an upper bound (before:
    2.7 of 3.1 million here), and could mark an interval as reaching it; with a district unknown the city
    figures have no ceiling, the districts keep theirs."""
    ds, gap = runs
    known, frame = headline_frame(ds), headline_frame(gap)
    assert _city(known, "people_cold_72h")["ceiling"] == pytest.approx(float(ds["population"].sum()))
    total = float(ds["population"].sum())
    city = known[known["adm5_name"] == ""].set_index("figure")
    keys = [k for k, c in city["ceiling"].items() if np.isclose(c, total) or np.isclose(c, total / 2.42)]
    assert {"people_cold_72h", "people_below_12_mean", "households_cold_24h"} <= set(keys)
    gap_city = frame[frame["adm5_name"] == ""].set_index("figure").loc[keys]
    assert gap_city["ceiling"].isna().all() and not gap_city["at_ceiling"].any()
    name = str(ds["district"].values[1])
    assert _district(frame, "people_cold_72h", name)["ceiling"] == float(ds["population"][1])


# --------------------------------------------------------------------------- residents without power
SHARE = "share_without_power_peak"
SHARE_COL = "share_without_power_pct_p50"
SHARE_LABEL = "Residents without power at the peak"


def _hand_city_share(ds: xr.Dataset) -> np.ndarray:
    """(realization, time) city share without power [%], by hand: the districts' shares weighted by their
    people present (numpy, not the code under test)."""
    share = ds["share_without_power"].transpose("realization", "time", "district").values
    pop = ds["population"].values.astype(float)
    return 100.0 * (share @ pop) / pop.sum()


def _summary_city(ds: xr.Dataset):
    df, _ = summary_frame(ds)
    return df[df["adm5_name"] == ALL_DISTRICTS]


def _line(text: str, label: str) -> str:
    return next(ln for ln in text.splitlines() if label in ln)


def test_fixture_weights_the_city_share_unlike_an_unweighted_or_partial_mean(runs):
    """The hand figure below tells the three apart: weighted over every district, weighted over the known
    ones only (the defect), and the districts' plain mean."""
    ds, _ = runs
    np.testing.assert_allclose(ds["occupants"].sel(age_group="all").values, ds["population"].values)
    share = 100.0 * ds["share_without_power"].transpose("realization", "time", "district").values
    pop = ds["population"].values.astype(float)
    weighted = np.median(_hand_city_share(ds).max(axis=1))
    partial = np.median((share[..., 1:] @ pop[1:] / pop[1:].sum()).max(axis=1))
    plain = np.median(share.mean(axis=2).max(axis=1))
    assert abs(weighted - partial) > 1.0 and abs(weighted - plain) > 0.5, (weighted, partial, plain)


def test_city_share_without_power_is_the_population_weighted_mean_when_every_population_is_known(runs):
    ds, _ = runs
    hand = _hand_city_share(ds)
    row = _city(headline_frame(ds), SHARE)
    assert row["p50"] == pytest.approx(float(np.median(hand.max(axis=1))), rel=1e-12)
    assert row["shown"] == fmt_value(row["p50"], "%") != "not available"
    # summary.csv: each day's peak, median over runs (3 whole days of hourly steps in the fixture)
    daily = hand.reshape(ds.sizes["realization"], -1, 24).max(axis=2)
    # (written to 0.1 percentage point)
    np.testing.assert_allclose(_summary_city(ds)[SHARE_COL].values, np.median(daily, axis=0), rtol=0, atol=0.05)


def test_city_share_without_power_is_not_available_when_one_district_population_is_unknown(runs):
    """Before: 65.3 % here, the share over the 9 known districts (66.9 % over all 10), labelled as the city's,
    in headline.csv, the brief and the printed summary; summary.csv likewise."""
    ds, _ = runs
    gap = _unknown_people(ds)
    frame = headline_frame(gap)
    row = _city(frame, SHARE)
    assert np.isnan([row["p50"], row["p5"], row["p95"]]).all(), row
    assert np.isnan(row["mc_rel_error"]) and bool(row["mc_enough"]) and row["shown"] == "not available"
    assert np.isnan(_summary_city(gap)[SHARE_COL].values).all()
    # the districts' own shares do not depend on the weights: unchanged, the unknown one's too
    known = headline_frame(ds)
    for name in map(str, ds["district"].values):
        assert _district(frame, SHARE, name)["p50"] == _district(known, SHARE, name)["p50"]
    line = _line(run_summary(frame), SHARE_LABEL)
    assert line.count("not available") == 1 and "–" not in line and "nan" not in line.lower(), line


@pytest.mark.parametrize("unknown", ["occupants", "population"])
def test_each_city_share_follows_its_own_weights(runs, unknown):
    """headline.csv weights by ``occupants``, summary.csv by ``population`` (the same numbers in a result the
    model writes): each is not available when its own weight is unknown, and stays when only the other is."""
    ds, _ = runs
    gap = _unknown_people(ds)
    gap = gap.assign({unknown: gap[unknown]}).assign(
        {v: ds[v] for v in ("occupants", "population") if v != unknown})
    headline, daily = _city(headline_frame(gap), SHARE)["p50"], _summary_city(gap)[SHARE_COL].values
    if unknown == "occupants":
        assert np.isnan(headline) and np.isfinite(daily).all()
    else:
        assert np.isfinite(headline) and np.isnan(daily).all()


def test_age_group_ceilings_are_not_available_when_a_district_occupants_are_unknown(runs):
    """Before: the known districts' people aged 65+ (too low an upper bound), as the people ceilings were."""
    ds, _ = runs
    known, gap = headline_frame(ds), headline_frame(_unknown_people(ds))
    for key, age in (("people_cold_72h_65plus", 1), ("people_cold_72h_under5", 2)):
        assert _city(known, key)["ceiling"] == pytest.approx(float(ds["occupants"].values[:, age].sum()))
        assert np.isnan(_city(gap, key)["ceiling"]) and not _city(gap, key)["at_ceiling"]


@pytest.mark.parametrize(("lang", "na"), [(EN, "not available"), (UK, "немає даних")])
def test_brief_reads_not_available_for_the_city_share(runs, lang, na):
    ds, _ = runs
    body = content.run_content(_unknown_people(ds), lang)
    row = next(r for r in body["headline"] if r["key"] == SHARE)
    assert (row["median"], row["range"], row["mc"]) == (na, "", "")
    row = next(r for r in content.run_content(ds, lang)["headline"] if r["key"] == SHARE)
    assert row["median"] not in (na, "–") and row["range"]


def test_written_csvs_leave_the_city_share_empty_and_say_not_available(runs, tmp_path):
    """headline.csv: empty numbers and the brief's words in ``shown``; summary.csv: empty cells, its
    documented "not available at that level" (never "nan" or a partial share)."""
    ds, _ = runs
    render_run(tmp_path, _unknown_people(ds), pdf=False)
    head = read_hxl_csv(tmp_path / "headline.csv")
    row = _city(head, SHARE)
    assert np.isnan([row["p50"], row["p5"], row["p95"]]).all() and row["shown"] == "not available"
    daily = read_hxl_csv(tmp_path / "summary.csv")
    assert daily.loc[daily["adm5_name"] == ALL_DISTRICTS, SHARE_COL].isna().all()
    assert daily.loc[daily["adm5_name"] != ALL_DISTRICTS, SHARE_COL].notna().any()
    for name in ("headline.csv", "summary.csv"):
        assert "nan" not in (tmp_path / name).read_text(encoding="utf-8").lower()
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    cell = re.search(rf'<tr data-figure="{SHARE}"[^>]*><td>[^<]*</td><td class="num">([^<]*)</td>', html)
    assert cell and cell.group(1) == "not available"


# --------------------------------------------------------------------------- the printed run summary
def test_printed_summary_reads_not_available_for_the_city_rate(runs):
    """Before: "–" and "– - –" for the rate per 1,000, a dash a reader could take for zero or for a typo."""
    ds, gap = runs
    line = _line(run_summary(headline_frame(gap)), "per 1,000 people present")
    cells = line.split()
    assert "not available" in line and "–" not in line and "nan" not in line.lower(), line
    assert line.count("not available") == 1 and cells[-2:] == ["per", "1,000"], line  # no interval, no MC error
    known = _line(run_summary(headline_frame(ds)), "per 1,000 people present")
    assert "not available" not in known and " - " in known


def test_fmt_value_says_not_available_in_the_locale():
    assert fmt_value(float("nan"), "%") == "not available"
    assert fmt_value(float("nan"), "people", "uk") == "немає даних"
    assert fmt_value(float("inf"), "people") == "not available"
    assert fmt_value(1234.0, "people") == "1,200"


# --------------------------------------------------------------------------- a comparison
def test_comparison_of_an_unavailable_share_has_no_chance_of_a_cut(runs):
    """Before (once the share is not available): P(cut) 0 %, "more runs needed", an All-NaN RuntimeWarning and
    "−–" in the comparison brief."""
    from sim import stats

    ds, _ = runs
    alt = make_run(policy="pause_week", severity=0.6)
    base_gap, alt_gap = _unknown_people(ds), _unknown_people(alt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = stats.comparison_table(base_gap, alt_gap)
    row = _city(table, SHARE)
    assert np.isnan([row["a_p50"], row["b_p50"], row["diff_p50"], row["prob_reduction"]]).all(), row
    assert bool(row["mc_enough"])
    # one scenario known: its median stays
    row = _city(stats.comparison_table(ds, alt_gap), SHARE)
    assert row["a_p50"] == _city(headline_frame(ds), SHARE)["p50"] and np.isnan(row["b_p50"])
    for lang, na in ((EN, "not available"), (UK, "немає даних")):
        st = content.PairFigures(content.Pair("continued", "pause_week", base_gap, alt_gap), lang).stats(SHARE)
        assert (st["base"], st["alt"], st["diff"], st["range"], st["prob"], st["mc"]) == (na, na, na, "", "", "")
    known = content.PairFigures(content.Pair("continued", "pause_week", ds, alt)).stats(SHARE)
    assert "not available" not in known.values() and known["prob"]
