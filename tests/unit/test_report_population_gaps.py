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
  "– people present".
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from sim import keyfigures
from sim.keyfigures import Settings
from sim.report import content, render_run
from sim.report.exports import headline_frame
from sim.report.figures import district_chart
from tests.unit.report_fixtures import make_run

EN, UK = content.Lang("en"), content.Lang("uk")
RATE = "person_days_below_12_per_1000"
UNKNOWN = 0  # index of the district whose population is unknown (Holosiivskyi, the largest)


def _unknown(ds: xr.Dataset, i: int = UNKNOWN) -> xr.Dataset:
    pop = ds["population"].values.astype(float).copy()
    pop[i] = np.nan
    return ds.assign(population=(ds["population"].dims, pop, ds["population"].attrs))


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
    assert np.isnan(row["mc_rel_error"]) and bool(row["mc_enough"]) and row["shown"] == "–"
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
