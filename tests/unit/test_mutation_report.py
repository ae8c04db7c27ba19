"""Hand-worked cases that kill the mutants mutmut left alive in sim.keyfigures and sim.report.content
(issue 20; docs/decisions.md, mutation testing). Expected values are worked out by hand in the comments or
recomputed with plain numpy from the arrays, never by the function under test. Each test builds its data
itself (mutmut maps a function to the tests that call it while they run, not inside module fixtures)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim import keyfigures
from sim.keyfigures import Settings
from sim.report import content
from sim.report.i18n import Lang
from tests.unit.report_fixtures import KYIV_DISTRICTS, make_run

EN = Lang("en")

TIME = pd.date_range("2026-01-29", periods=48, freq="h").values


# --------------------------------------------------------------------------------------- district ranking
def _ranking_ds(rates, population, weights=None) -> xr.Dataset:
    """Person-days below 12 degC per person present ``rates`` (R, D) for districts A, B, C..."""
    rates = np.asarray(rates, dtype=float)
    pop = np.asarray(population, dtype=float)
    ds = xr.Dataset(
        {"person_hours_below_threshold": (("realization", "threshold", "district"),
                                          24.0 * (rates * pop)[:, None, :]),
         "population": ("district", pop)},
        coords={"realization": np.arange(rates.shape[0]), "threshold": [12.0],
                "district": list("ABCDEFG"[: rates.shape[1]])},
    )
    if weights is not None:  # a conditioned nowcast's weights, here as a coordinate of the runs
        ds = ds.assign_coords(realization_weight=("realization", np.asarray(weights, dtype=float)))
    return ds


def test_ranking_weights_count_by_run():
    """Top 1 of 3 districts; A worst in run 0, B in run 1, C in run 2; weights 1/2, 1/4, 1/4 ->
    P(A) = 0.5, P(B) = P(C) = 0.25 (unweighted it would be 1/3 each)."""
    ds = _ranking_ds([[9, 1, 3], [1, 9, 2], [1, 2, 9]], [1000, 1000, 1000], weights=[0.5, 0.25, 0.25])
    r = keyfigures.district_ranking(ds, Settings(top_districts=1))
    np.testing.assert_allclose(r["p_top"].sel(district=["A", "B", "C"]).values, [0.5, 0.25, 0.25], atol=1e-12)
    assert str(r["district"].values[0]) == "A"
    assert set(r.coords) == {"realization", "district", "threshold"}  # the weights are not carried into the ranking
    assert set(r.data_vars) == {"rate", "p_top"}


def test_rate_of_a_district_with_one_person_or_less():
    """Rate = 1000 x person-days / people present: 1 person with 2 person-days -> 2000; half a person with
    1 person-day -> 2000; nobody present -> 0 (not infinite)."""
    ds = _ranking_ds([[2.0, 2.0, 0.0]], [1.0, 0.5, 0.0])
    ds["person_hours_below_threshold"][:] = 24.0 * np.array([2.0, 1.0, 3.0])[None, None, :]
    rate = keyfigures.district_rate(ds, Settings())
    np.testing.assert_allclose(rate.values, [[2000.0, 2000.0, 0.0]])


def test_ranking_ties_go_to_the_first_district():
    """Top 1 of A, B, C, D with rates 1, 1, 2, 2: C and D tie for the top; the district order gives it to C
    (P(C) = 1, P(D) = 0), as the docstring of district_ranking says."""
    ds = _ranking_ds([[1.0, 1.0, 2.0, 2.0]], [1000, 1000, 1000, 1000])
    r = keyfigures.district_ranking(ds, Settings(top_districts=1))
    np.testing.assert_array_equal(r["p_top"].sel(district=["A", "B", "C", "D"]).values, [0.0, 0.0, 1.0, 0.0])
    assert str(r["district"].values[0]) == "C"


def test_ranking_ties_in_probability_sorted_by_the_weighted_median():
    """A is top in every run; B and C (P = 0) are sorted by their median rate with the weights 0.8, 0.1,
    0.1: B's runs 5, 1, 1 have a weighted median of 5 and C's 2, 3, 3 one of 2 -> A, B, C (unweighted
    medians 1 and 3 would give A, C, B)."""
    ds = _ranking_ds([[10, 5, 2], [10, 1, 3], [10, 1, 3]], [1000, 1000, 1000], weights=[0.8, 0.1, 0.1])
    r = keyfigures.district_ranking(ds, Settings(top_districts=1))
    assert [str(d) for d in r["district"].values] == ["A", "B", "C"]
    np.testing.assert_array_equal(r["p_top"].values, [1.0, 0.0, 0.0])


# ------------------------------------------------------------------------------------------- settings
def test_config_of_reads_yaml_then_json():
    """YAML first; JSON when YAML fails (a tab after the colon is JSON whitespace, not YAML); {} otherwise."""
    assert keyfigures.config_of(xr.Dataset(attrs={"config": "people:\n  danger_c: 5\n"})) == {"people": {"danger_c": 5}}
    assert keyfigures.config_of(xr.Dataset(attrs={"config": '{"seed":\t3}'})) == {"seed": 3}
    assert keyfigures.config_of(xr.Dataset(attrs={"config": "{seed: [3"})) == {}  # neither YAML nor JSON
    assert keyfigures.config_of(xr.Dataset(attrs={"config": "[1,\t2]"})) == {}  # JSON, but not a mapping
    assert keyfigures.config_of(xr.Dataset(attrs={"config": "- 1\n- 2\n"})) == {}  # YAML, but not a mapping
    assert keyfigures.config_of(xr.Dataset()) == {}
    assert keyfigures.config_of(xr.Dataset(attrs={"config": ""})) == {}


CONFIG = """people:
  long_exposure_c: 15
  long_exposure_h: 30
  severe_exposure_c: 11
  severe_exposure_h: 60
  danger_c: 5
  danger_h: 3
city:
  household_size: 2.5
output:
  interval_pct: 80
  reduction_frac: 0.5
  restored_frac: 0.2
  top_districts: 2
  mc_confidence: 0.9
  mc_rel_tolerance: 0.2
  trigger_forecast_min_c: [-5, -8]
  trigger_blocks_frac: [0.1]
  trigger_sustained_h: 24
  trigger_forecast_days: 3
  trigger_min_probability: 0.6
  horizon_days: null
"""


def test_settings_from_every_config_key():
    s = Settings.from_dataset(xr.Dataset(attrs={"config": CONFIG}))
    assert s == Settings(long_c=15.0, long_h=30.0, severe_c=11.0, severe_h=60.0, danger_c=5.0, danger_h=3.0,
                         household_size=2.5, interval_pct=80, reduction_frac=0.5, restored_frac=0.2,
                         top_districts=2, mc_confidence=0.9, mc_rel_tolerance=0.2,
                         trigger_forecast_min_c=(-5.0, -8.0), trigger_blocks_frac=(0.1,), trigger_sustained_h=24,
                         trigger_forecast_days=3, trigger_min_probability=0.6, horizon_days=0.0)
    assert all(isinstance(x, float) for x in (s.long_c, s.long_h, s.severe_c, s.severe_h, s.danger_c, s.danger_h,
                                              s.household_size))
    assert all(isinstance(x, float) for x in s.trigger_forecast_min_c + s.trigger_blocks_frac)


def test_settings_variables_attributes_and_overrides_win():
    """The variables' threshold_c/duration_h (what was computed) beat the config; a variable without
    duration_h keeps the config's (or the default) duration; then the run's attributes, then overrides."""
    ds = xr.Dataset(
        {"people_cold_24h": ("district", [1.0], {"threshold_c": 17.0, "duration_h": 20.0}),
         "people_severe_cold": ("district", [1.0], {"threshold_c": 10.0}),
         "people_dangerous_cold": ("district", [1.0], {"threshold_c": 4.0, "duration_h": 1.0})},
        attrs={"config": CONFIG, "household_size": 3.0, "horizon_days": 7},
    )
    s = Settings.from_dataset(ds)
    assert (s.long_c, s.long_h, s.severe_c, s.severe_h, s.danger_c, s.danger_h) == (17.0, 20.0, 10.0, 60.0, 4.0, 1.0)
    assert (s.household_size, s.horizon_days) == (3.0, 7.0)
    assert isinstance(s.horizon_days, float) and isinstance(s.household_size, float)
    assert isinstance(s.long_c, float) and isinstance(s.long_h, float)
    # without a config the duration of a variable without duration_h is the default one (72 h)
    ds.attrs = {"horizon_days": 0}
    s = Settings.from_dataset(ds)
    assert (s.severe_c, s.severe_h, s.horizon_days, s.household_size) == (10.0, 72.0, 0.0, 2.42)
    s = Settings.from_dataset(ds, severe_c=9.0, top_districts=None)
    assert (s.severe_c, s.top_districts) == (9.0, 3)


def test_settings_ignore_groups_that_are_not_mappings():
    ds = xr.Dataset(attrs={"config": "people: 3\noutput: [1]\ncity: x\n"})
    assert Settings.from_dataset(ds) == Settings()
    ds = xr.Dataset({"people_cold_24h": ("district", [1.0], {"duration_h": 30.0})},
                    attrs={"config": "output:\n  top_districts: null\n"})
    assert Settings.from_dataset(ds) == Settings()  # no threshold_c: the variable does not set the duration


def test_placeholders():
    s = Settings(long_c=15.5, long_h=30, severe_c=11, severe_h=60, danger_c=5, danger_h=3, household_size=2.5,
                 restored_frac=0.2, interval_pct=80, reduction_frac=0.5)
    assert s.placeholders() == {
        "long_c": "15.5", "long_h": "30", "severe_c": "11", "severe_h": "60", "danger_c": "5", "danger_h": "3",
        "household_size": "2.5", "restored_pct": "80", "restored_frac_pct": "20", "interval": "80",
        "reduction_pct": "50",
    }


# ------------------------------------------------------------------------------------ the figure table
def _spell_ds(edges, var="severe_spell_histogram", ages=("all", "65plus", "under5")) -> xr.Dataset:
    """A histogram of people by their longest spell: 10 people per bin and age group, 1 run."""
    return xr.Dataset(
        {var: (("realization", "duration_bin", "age_group"), np.full((1, len(edges), len(ages)), 10.0))},
        coords={"duration_bin": np.asarray(edges, dtype=float), "age_group": list(ages)},
    )


def test_spell_figures_by_hand():
    """Edges 0, 24, 48, 72, 168 h below the severe threshold (12 degC, 72 h): 24, 48 and 168 h for each age
    (72 h is people_cold_72h_*); people of the age with a spell >= h: 10 per bin from h on."""
    ds = _spell_ds([0, 24, 48, 72, 168])
    figs = keyfigures._spell_figures(ds, Settings())
    assert [f.key for f in figs] == ["spell_12c_65plus_24h", "spell_12c_65plus_48h", "spell_12c_65plus_168h",
                                     "spell_12c_under5_24h", "spell_12c_under5_48h", "spell_12c_under5_168h"]
    f = figs[0]
    assert (f.label, f.unit, f.section, f.needs, f.extra) == (
        "Aged 65+ below {c} °C for {h} h or more", "people", "vulnerable", ("severe_spell_histogram",),
        {"c": "12", "h": "24"})
    assert f.definition == "people of this age whose longest spell below {c} °C in a row lasted at least {h} h"
    assert figs[3].label == "Under 5 below {c} °C for {h} h or more" and figs[5].extra == {"c": "12", "h": "168"}
    assert (f.lead, f.district, f.cut_is_good, f.threshold, f.peak) == (False, None, True, None, False)
    # bins from 24 h: 24, 48, 72, 168 -> 40 people; from 168 h: 10
    np.testing.assert_array_equal(f.city(ds, Settings()).values, [40.0])
    np.testing.assert_array_equal(figs[2].city(ds, Settings()).values, [10.0])
    occ = xr.Dataset({"occupants": (("district", "age_group"), [[100.0, 20.0, 5.0], [50.0, 10.0, 2.0]])},
                     coords={"age_group": ["all", "65plus", "under5"]})
    assert f.ceiling(occ, Settings()) == 30.0 and figs[3].ceiling(occ, Settings()) == 7.0
    # without occupants by age: everyone present is the ceiling; without either: none (infinite)
    assert f.ceiling(xr.Dataset({"population": ("district", [100.0, 50.0])}), Settings()) == 150.0
    assert f.ceiling(xr.Dataset({"occupants": ("district", [100.0, 50.0]),
                                 "population": ("district", [10.0, 5.0])}), Settings()) == 15.0
    assert f.ceiling(xr.Dataset(), Settings()) == float("inf")


def test_spell_figures_of_the_long_threshold_and_what_is_skipped():
    # the long threshold 15 degC for 48 h: 48 h is skipped (people_cold_24h_* hold it at the long duration)
    ds = _spell_ds([0, 24, 48, 72], var="cold_spell_histogram")
    keys = [f.key for f in keyfigures._spell_figures(ds, Settings(long_c=15.0, long_h=48.0))]
    assert keys == ["spell_15c_65plus_24h", "spell_15c_65plus_72h", "spell_15c_under5_24h", "spell_15c_under5_72h"]
    # a duration is used only when it is an edge (within round-off); no age groups: no figures
    assert [f.key for f in keyfigures._spell_figures(_spell_ds([0, 24.0000000001, 50]), Settings())] == [
        "spell_12c_65plus_24h", "spell_12c_under5_24h"]
    no_age = xr.Dataset({"severe_spell_histogram": (("realization", "duration_bin"), np.ones((1, 3)))},
                        coords={"duration_bin": [0.0, 24.0, 48.0]})
    assert keyfigures._spell_figures(no_age, Settings()) == []
    assert keyfigures._spell_figures(xr.Dataset(), Settings()) == []
    # both histograms: the severe figures first
    both = xr.merge([_spell_ds([0, 24]), _spell_ds([0, 24], var="cold_spell_histogram")])
    assert [f.key for f in keyfigures._spell_figures(both, Settings())] == [
        "spell_12c_65plus_24h", "spell_12c_under5_24h"]  # 24 h is the long duration: skipped for 16 degC
    assert [f.key for f in keyfigures._spell_figures(both, Settings(long_h=48.0))] == [
        "spell_12c_65plus_24h", "spell_12c_under5_24h", "spell_16c_65plus_24h", "spell_16c_under5_24h"]


def test_spell_counts_from_the_edge_on():
    """A spell exactly at the edge counts; 1e-9 h below an edge still counts as the edge."""
    ds = _spell_ds([0, 24, 48])
    ds["severe_spell_histogram"][0, :, 1] = [1.0, 2.0, 4.0]
    np.testing.assert_array_equal(keyfigures._spell("severe_spell_histogram", "65plus", 24.0)(ds, Settings()), 6.0)
    np.testing.assert_array_equal(keyfigures._spell("severe_spell_histogram", "65plus", 24.0 + 5e-10)(ds, Settings()),
                                  6.0)
    np.testing.assert_array_equal(keyfigures._spell("severe_spell_histogram", "65plus", 24.1)(ds, Settings()), 4.0)
    ds = ds.assign_coords(duration_bin=[0.0, 24.0 - 1e-9, 48.0])  # an edge at the tolerance itself counts
    np.testing.assert_array_equal(keyfigures._spell("severe_spell_histogram", "65plus", 24.0)(ds, Settings()), 6.0)


def test_available():
    f16, f12 = (next(f for f in keyfigures.FIGURES if f.key == k) for k in ("people_below_16_mean",
                                                                              "people_below_12_mean"))
    ds = xr.Dataset({"people_below_threshold": (("time", "threshold"), np.ones((2, 2)))},
                    coords={"threshold": [16.0, 11.0]})
    assert f16.available(ds, Settings()) and not f12.available(ds, Settings())
    assert f12.available(ds, Settings(severe_c=11.0)) and not f16.available(ds, Settings(long_c=15.0))
    assert not f16.available(xr.Dataset({"people_below_threshold": ("time", [1.0])}), Settings())  # no thresholds
    assert not f16.available(xr.Dataset({"x": ("time", [1.0])}), Settings())
    hp = next(f for f in keyfigures.FIGURES if f.key == "heating_point_capacity")  # needs two variables
    assert not hp.available(xr.Dataset({"heating_point_capacity": 1.0}), Settings())
    assert hp.available(xr.Dataset({"heating_point_capacity": 1.0, "heating_point_demand": ("time", [1.0])}),
                        Settings())


def test_definitions_without_and_with_a_dataset():
    assert keyfigures.definitions() == keyfigures.FIGURES
    assert [f.key for f in keyfigures.definitions(xr.Dataset())] == []
    ds = xr.Dataset(
        {"generators_running": (("realization", "time"), [[1.0, 5.0]]),
         "generators_running_by_district": (("realization", "time", "district"), [[[1.0], [5.0]]]),
         "generator_class_share": ("generator_class", [0.25, 0.75]),
         "generator_class_kw": ("generator_class", [7.5, 40.0]),
         "people_severe_cold": (("realization", "district", "age_group"), np.ones((1, 1, 3))),
         **_spell_ds([0, 24]).data_vars},
        coords={"generator_class": ["small", "big"], "age_group": ["all", "65plus", "under5"],
                "duration_bin": [0.0, 24.0]},
    )
    defs = keyfigures.definitions(ds)
    assert [f.key for f in defs] == [
        "people_cold_72h", "people_cold_72h_65plus", "people_cold_72h_under5", "spell_12c_65plus_24h",
        "spell_12c_under5_24h", "generators_peak", "generators_peak_small",
        "generators_peak_big"]
    small, big = defs[-2:]
    assert (small.label, small.unit, small.section, small.extra, big.extra) == (
        "... of which {kw} kW class", "generators", "needs", {"kw": "7.5"}, {"kw": "40"})
    assert small.definition == "generators running at the peak x the share of points needing this size class"
    assert small.needs == ("generators_running", "generator_class_share")
    # peak 5 generators x the class shares, city-wide and by district
    np.testing.assert_allclose(big.city(ds, Settings()).values, [3.75])
    np.testing.assert_allclose(small.district(ds, Settings()).values, [[1.25]])
    # the settings passed are used: a severe duration of 24 h leaves out the 24 h spell figures
    assert [f.key for f in keyfigures.definitions(ds, Settings(severe_h=24.0))][3:5] == [
        "generators_peak", "generators_peak_small"]
    ds = ds.drop_vars("generators_running_by_district")
    assert keyfigures.definitions(ds)[-1].district is None


def test_labels_and_definitions_in_words():
    f = next(f for f in keyfigures.FIGURES if f.key == "buildings_drained_peak")
    s = Settings()
    assert keyfigures.label_of(f, s) == "Buildings with drained heating systems at the peak"
    assert keyfigures.definition_of(f, s) == (
        "buildings whose heating system was drained (or froze) at the same time; peak: the highest value at "
        "any hour of the run, in each run (the median is over runs of these peaks)")
    assert keyfigures.definition_of(f, s, str.upper) == (
        "BUILDINGS WHOSE HEATING SYSTEM WAS DRAINED (OR FROZE) AT THE SAME TIME; PEAK: THE HIGHEST VALUE AT "
        "ANY HOUR OF THE RUN, IN EACH RUN (THE MEDIAN IS OVER RUNS OF THESE PEAKS)")
    g = next(f for f in keyfigures.FIGURES if f.key == "people_cold_72h")
    assert keyfigures.label_of(g, Settings(severe_c=11.5, severe_h=48)) == "People below 11.5 °C indoors for 48 h or more"
    assert keyfigures.label_of(g, s, lambda m: m.replace("People", "Menschen")) == (
        "Menschen below 12 °C indoors for 72 h or more")
    assert keyfigures.definition_of(g, s, lambda m: m[:6]) == "people"  # not a peak figure: no note
    spell = keyfigures._spell_figures(_spell_ds([0, 24]), s)[0]
    assert keyfigures.label_of(spell, s) == "Aged 65+ below 12 °C for 24 h or more"


def test_message_ids():
    ids = keyfigures.message_ids()
    assert ids[0] == keyfigures.PEAK_NOTE and len(ids) == len(set(ids))
    for text in ("Share of runs in which the district is among the {k} hardest hit",
                 "Person-days below {severe_c} °C per 1,000 people present", "people", "per 1,000",
                 "... of which {kw} kW class",
                 "generators running at the peak x the share of points needing this size class",
                 "people of this age whose longest spell below {c} °C in a row lasted at least {h} h",
                 "Aged 65+ below {c} °C for {h} h or more", "Under 5 below {c} °C for {h} h or more"):
        assert text in ids, text
    for f in keyfigures.FIGURES:
        assert f.label in ids and f.definition in ids, f.key
    units = ["people", "households", "person-days", "h", "places", "points", "generators", "kW", "L/day", "L",
             "buildings", "days", "%", "per 1,000"]
    assert ids[1:3] == list(keyfigures.EXTRA_LABELS.values()) and ids[3:3 + len(units)] == units
    # nothing else: the note, the extra labels, the units, the 5 class and spell ids, the table's texts
    n_fig = len({t for f in keyfigures.FIGURES for t in (f.label, f.definition)} - set(ids[:3 + len(units)]))
    assert len(ids) == 3 + len(units) + 5 + n_fig


def test_share_without_power_weighted_by_less_than_one_person():
    """0.25 and 0.5 people present (0.75 in all): the weighted share (0.25 x 0.2 + 0.5 x 0.6) / 0.75 =
    0.4667 at the one hour, not the plain mean 0.4."""
    ds = xr.Dataset({"share_without_power": (("realization", "time", "district"), [[[0.2, 0.6]]]),
                     "occupants": (("district", "age_group"), [[0.25], [0.5]])},
                    coords={"age_group": ["all"], "time": TIME[:1]})
    np.testing.assert_allclose(keyfigures.values(ds)["share_without_power_peak"].values, [100 * 0.35 / 0.75])


# --------------------------------------------------------------------------- report content: a run's time
def _timed(n_hours=48, **attrs) -> xr.Dataset:
    """A run with ``n_hours`` hourly steps from 29 Jan 2026 00:00, 5 realizations, and ``attrs``."""
    return xr.Dataset({"x": (("realization", "time"), np.zeros((5, n_hours)))},
                      coords={"time": pd.date_range("2026-01-29", periods=n_hours, freq="h").values}, attrs=attrs)


def test_n_runs():
    assert content.n_runs(_timed(realizations=9)) == 5  # the realization axis wins over the attribute
    assert content.n_runs(xr.Dataset(attrs={"realizations": 7})) == 7
    assert content.n_runs(xr.Dataset()) == 0


def test_horizon_days():
    """The attribute, else the time axis: 48 hourly steps cover 47 h + the last hour = 2 days; an attribute
    that the axis contradicts by a step or more (2.5 days recorded, 2 days of steps) gives way to the axis."""
    assert content._horizon_days(_timed(60, horizon_days=2.5)) == 2.5
    assert content._horizon_days(_timed(62, horizon_days=2.5)) == pytest.approx(62 / 24, abs=1e-12)
    assert content._horizon_days(_timed(horizon_days=2.5)) == pytest.approx(2.0, abs=1e-12)
    assert content._horizon_days(_timed(horizon_days=2.02)) == 2.02  # within a step: as recorded
    assert content._horizon_days(_timed()) == pytest.approx(2.0, abs=1e-12)
    assert content._horizon_days(_timed(3, horizon_days=0)) == pytest.approx(3 / 24, abs=1e-12)


def test_period_ends_one_second_before_the_horizon():
    # 2 days from 29 Jan 00:00 end on 30 Jan 23:59:59; 2.5 days on 31 Jan 11:59:59
    assert content._period(_timed(horizon_days=2.0), EN) == ("29 Jan 2026", "30 Jan 2026", 2.0)
    assert content._period(_timed(60, horizon_days=2.5), EN) == ("29 Jan 2026", "31 Jan 2026", 2.5)
    assert content._period(_timed(), EN)[1:] == ("30 Jan 2026", pytest.approx(2.0))


def test_pause_window_by_hand():
    """A pause of half a day from day 1.5: 30 Jan 12:00 to 31 Jan 00:00."""
    w = content.pause_window(_timed(attacks_policy="pause_week", pause_days=0.5, pause_start_day=1.5))
    assert w == (pd.Timestamp("2026-01-30 12:00"), pd.Timestamp("2026-01-31 00:00"), 1.5, 0.5)
    w = content.pause_window(_timed(attacks_policy="pause_then_surge", pause_days=2.0, pause_start_day=0))
    assert w == (pd.Timestamp("2026-01-29"), pd.Timestamp("2026-01-31"), 0.0, 2.0)
    w = content.pause_window(_timed(attacks_policy="pause_week", pause_days=3))  # no start day: day 0
    assert w == (pd.Timestamp("2026-01-29"), pd.Timestamp("2026-02-01"), 0.0, 3.0)
    assert content.pause_window(_timed(attacks_policy="pause_week", pause_days=0)) is None
    assert content.pause_window(_timed(attacks_policy="pause_week", pause_days=None)) is None
    assert content.pause_window(_timed(attacks_policy="pause_week")) is None  # no length recorded
    assert content.pause_window(_timed(attacks_policy="continued", pause_days=2.0)) is None


# --------------------------------------------------------------------- report content: a figure's row
def _set(f, key, **cols):
    """Set columns of the city row ``key`` of a Figures (what headline.csv would hold)."""
    for c, v in cols.items():
        f.city.loc[key, c] = v


def test_figures_value_interval_and_mc_by_hand():
    f = content.Figures(make_run(days=2, n_districts=2))
    key = "people_below_12_mean"  # people: whole numbers, two significant digits
    _set(f, key, p50=1234.4, p5=1000.0, p95=1049.0, at_ceiling=False, mc_rel_error=0.05, mc_enough=True)
    assert (f.value(key), f.value(key, "p5"), f.p50(key), float(f.row(key)["p95"])) == ("1,200", "1,000", 1234.4,
                                                                                         1049.0)
    assert f.interval(key) == "1,000"  # both ends print the same: one number
    assert f.mc(key) == "Monte Carlo error ±5 %"
    _set(f, key, p95=2000.0, at_ceiling=True, mc_rel_error=1.0, mc_enough=False)
    assert f.interval(key) == "1,000–2,000 (the upper end is the ceiling: everyone or everything)"
    assert f.mc(key) == "Monte Carlo error over ±100 % · more runs needed"  # an error of 100 % is over the scale
    _set(f, key, mc_rel_error=1.5)
    assert f.mc(key) == "Monte Carlo error over ±100 % · more runs needed"
    _set(f, key, mc_rel_error=0.5, mc_enough=True)
    assert f.mc(key) == "Monte Carlo error ±50 %"
    _set(f, key, p50=float("inf"))
    assert f.value(key) == "–"
    box = f.key_figure(key, "a sub line")
    assert box == content.KeyFigure("–", "People below 12 °C indoors, average over the period",
                                    "1,000–2,000 (the upper end is the ceiling: everyone or everything)",
                                    "a sub line", 1, mc="Monte Carlo error ±50 %", key=key)
    assert f.key_figure("people_below_16_mean").footnote == 2 and f.key_figure(key).footnote == 1
    assert f.key_figure(key).sub == ""
    kw = "generator_kw_peak"  # kW: not a count, two significant digits
    _set(f, kw, p50=0.4, p5=0.2, p95=-np.inf)
    assert (f.value(kw), f.value(kw, "p5"), f.value(kw, "p95")) == ("0.4", "0.2", "–")
    row = f.row(kw).copy()
    row["p50"], row["unit"] = 0.4, "people"  # a row given: its own unit and numbers
    assert f.value(kw, "p50", row) == "0"


def test_figures_interval_of_another_width():
    """output.interval_pct 80: the interval is p10-p90."""
    ds = make_run(days=2, n_districts=2)
    ds.attrs["config"] += "output:\n  interval_pct: 80\n"
    f = content.Figures(ds)
    key = "people_cold_72h"
    _set(f, key, p10=100.0, p90=300.0, p5=1.0, p95=1e6, at_ceiling=False)
    assert f.interval(key) == "100–300"


def test_district_values_skip_what_a_run_lacks_and_keep_the_rest():
    ds = make_run(days=2, n_districts=3)
    dv = keyfigures.district_values(ds)
    assert set(dv.coords) == {"realization", "district", "katotth"}
    np.testing.assert_array_equal(dv["realization"].values, np.arange(10))
    # no district breakdown of people below thresholds (a KeyError inside the figure): the others stay
    dv = keyfigures.district_values(ds.drop_vars("people_below_threshold_by_district"))
    assert "people_below_16_mean" not in dv and "people_cold_72h" in dv and "generators_peak" in dv
    # no district demand (the figure returns None): the figures after it stay
    dv = keyfigures.district_values(ds.drop_vars("heating_point_demand_by_district"))
    assert "heating_point_demand_peak" not in dv and "generators_peak" in dv and "diesel_l_per_day_mean" in dv
    # the settings given decide which figures exist: no 11 degC threshold in the run, no 11 degC figures
    dv = keyfigures.district_values(ds, Settings(severe_c=11.0))
    assert "people_below_12_mean" not in dv and "people_below_16_mean" in dv


def test_restore_days_with_the_whole_peak_as_the_target():
    """restored_frac 1 (allowed by output.restored_frac in [0, 1]): the first step after the peak counts,
    not the peak itself -> one step, 1 day here; with the peak at the last step, censored one step later."""
    out = keyfigures.restore_days(np.array([[0.0, 10.0, 10.0, 4.0], [0.0, 1.0, 2.0, 3.0]]), np.arange(4) * 24.0,
                                  24.0, 1.0)
    np.testing.assert_array_equal(out, [1.0, 1.0])


def test_days_to_restore_keeps_the_realizations():
    ds = xr.Dataset({"buildings_without_heat": (("realization", "time", "district"),
                                                [[[0.0], [10.0], [1.0]], [[5.0], [0.0], [0.0]]])},
                    coords={"realization": [5, 7], "time": TIME[:3]})
    v = keyfigures.values(ds, keys=["days_to_restore_heat"])["days_to_restore_heat"]
    np.testing.assert_array_equal(v["realization"].values, [5, 7])
    np.testing.assert_allclose(v.values, [1 / 24, 1 / 24])


def test_figures_of_a_run_without_age_groups():
    """people_severe_cold and cold_hours_median without an age_group dim (everyone): used as they are."""
    ds = xr.Dataset({"people_severe_cold": (("realization", "district"), [[1.0, 2.0], [3.0, 4.0]]),
                     "cold_hours_median": ("realization", [30.0, 40.0])})
    v = keyfigures.values(ds)
    np.testing.assert_array_equal(v["people_cold_72h"].values, [3.0, 7.0])
    np.testing.assert_array_equal(v["cold_hours_median"].values, [30.0, 40.0])


def test_points_needed_with_zero_places_per_point():
    """A places_per_point of 0 is read as 1 place a point (no division by zero): max(30, 20) / 1."""
    ds = xr.Dataset({
        "heating_point_demand_by_district": (("realization", "time", "district"), [[[30.0]]]),
        "heating_point_capacity_by_district": ("district", [20.0], {"places_per_point": 0.0}),
    }, coords={"time": TIME[:1]})
    np.testing.assert_allclose(keyfigures.values(ds)["heating_points_needed_peak"].values, [30.0])


def test_diesel_total_with_three_hour_steps_and_a_day_without_steps():
    """3-hourly steps over 36 h: day 0 has 8 steps (24 h), day 1 has 4 (12 h), day 2 none -> the daily
    figures 100, 60 and 50 L/day count for 1, 0.5 and 0 days: 130 L."""
    t = np.datetime64("2026-01-29T00:00", "ns") + np.arange(12) * np.timedelta64(3, "h")
    ds = xr.Dataset({"diesel_consumption": (("realization", "day"), [[100.0, 60.0, 50.0]])},
                    coords={"time": t, "day": [0, 1, 2]})
    np.testing.assert_allclose(keyfigures.values(ds)["diesel_total_l"].values, [130.0], rtol=1e-12)


def test_days_to_restore_of_short_runs():
    """Two 3-hourly steps, the peak at the last: censored one step (3 h) later -> 0.125 days. One step: the
    step is taken as 1 h -> 1/24 day. A peak of a single building counts."""
    def run(series, step_h):
        t = np.datetime64("2026-01-29T00:00", "ns") + np.arange(len(series[0])) * np.timedelta64(step_h, "h")
        ds = xr.Dataset({"buildings_without_heat": (("realization", "time", "district"),
                                                    np.asarray(series, dtype=float)[:, :, None])},
                        coords={"time": t})
        return keyfigures.values(ds, keys=["days_to_restore_heat"])["days_to_restore_heat"].values

    np.testing.assert_allclose(run([[0.0, 10.0]], 3), [3 / 24])
    np.testing.assert_allclose(run([[10.0]], 3), [1 / 24])
    np.testing.assert_allclose(run([[0.0, 1.0, 0.0, 0.0]], 1), [1 / 24])  # 1 building from h1 to h2


def test_definitions_read_the_settings_of_the_run():
    """Without settings, the run's config decides: a severe threshold of 11 degC in the config and on the
    threshold axis -> the severe figures exist (with the default 12 degC they would not)."""
    ds = xr.Dataset({"people_below_threshold": (("realization", "time", "threshold"), np.ones((1, 2, 2)))},
                    coords={"threshold": [16.0, 11.0], "time": TIME[:2], "realization": [4]},
                    attrs={"config": "people:\n  severe_exposure_c: 11\n"})
    keys = [f.key for f in keyfigures.definitions(ds)]
    assert keys == ["people_below_16_mean", "people_below_16_worst_day", "people_below_12_mean",
                    "people_below_12_worst_day"]
    v = keyfigures.values(ds)
    assert list(v["realization"].values) == [4]  # the figures keep the realization coordinate


# ----------------------------------------------------------------- report content: a pair's statistics
def _pf():
    base = make_run(n_districts=2)
    return content.PairFigures(content.Pair("a", "b", base, make_run(n_districts=2, policy="pause_week",
                                                                      severity=0.6)))


def _pair_row(pf, key, **cols):
    for c, v in cols.items():
        pf.city.loc[key, c] = v
    return pf.stats(key)


def test_pair_stats_by_hand():
    pf = _pf()
    key = "people_cold_72h"
    pf.base.city.loc[key, "ceiling"] = 1000.0
    st = _pair_row(pf, key, a_p50=1000.0, b_p50=400.0, diff_p50=-600.0, diff_p5=-800.0, diff_p95=0.2,
                   rel_diff_p50=-0.6, prob_reduction=0.75, mc_enough=False)
    assert st == {"label": "People below 12 °C indoors for 72 h or more", "unit": "people",
                  "base": "1,000 (at the ceiling)", "alt": "400", "diff": "−600", "range": "−800 … 0",
                  "rel": "−60 %", "prob": "75 %", "prob_value": 0.75, "diff_value": -600.0,
                  "mc": "more runs needed"}
    st = _pair_row(pf, key, a_p50=100.0, b_p50=1000.0 * (1 - 1e-9), diff_p50=900.0, diff_p5=20.0, diff_p95=1500.0,
                   rel_diff_p50=float("nan"), prob_reduction=float("nan"), mc_enough=True)
    assert (st["base"], st["alt"], st["diff"], st["range"], st["rel"], st["prob"], st["mc"]) == (
        "100 (at the ceiling)", "1,000", "+900", "+20 … +1,500", "", "", "")
    assert np.isnan(st["prob_value"]) and st["diff_value"] == 900.0
    assert _pair_row(pf, key, b_p50=1000.0 * (1 - 5e-10))["base"] == "100 (at the ceiling)"
    assert _pair_row(pf, key, b_p50=999.99)["base"] == "100"  # below the ceiling
    # a district row given: no ceiling mark (the ceiling is the city's)
    row = pf.city.loc[key].copy()
    row["a_p50"] = 1000.0
    assert pf.stats(key, row)["base"] == "1,000"
    pf.base.city.loc[key, "ceiling"] = 0.5  # a ceiling under 1 still marks
    assert _pair_row(pf, key, a_p50=0.5, b_p50=0.0)["base"] == "0 (at the ceiling)"
    pf.base.city.loc[key, "ceiling"] = 0.0  # no ceiling to reach
    assert _pair_row(pf, key, a_p50=0.0, b_p50=0.0)["base"] == "0"
    pf.base.city.loc[key, "ceiling"] = float("nan")
    assert _pair_row(pf, key, a_p50=5.0, b_p50=5.0)["base"] == "5"


def test_pair_values_and_signs_by_unit():
    pf = _pf()
    kw = "generator_kw_peak"  # kW: two significant digits, not whole numbers
    st = _pair_row(pf, kw, a_p50=0.4, b_p50=float("inf"), diff_p50=0.5, diff_p5=-0.5, diff_p95=0.0)
    assert (st["base"], st["alt"], st["diff"], st["range"], st["unit"]) == ("0.4", "–", "+0.5", "−0.5 … 0", "kW")
    assert pf._signed(kw, 0.4) == "+0.4" and pf._signed(kw, -1234.0) == "−1,200" and pf._signed(kw, 1.5) == "+1.5"
    assert pf._signed("people_cold_72h", 0.4) == "0" and pf._signed("people_cold_72h", -0.6) == "−1"
    assert pf._v("people_cold_72h", 1234.4) == "1,200" and pf._v("people_cold_72h", float("nan")) == "–"
    # a figure the baseline's table does not define: its own label, no ceiling
    pf.city.loc["extra"] = pf.city.loc[kw].copy()
    pf.city.loc["extra", ["label", "unit"]] = ["An extra figure", "places"]
    st = _pair_row(pf, "extra", a_p50=1e9, b_p50=1e9)
    assert (st["label"], st["unit"], st["base"]) == ("An extra figure", "places", "1 billion")


def test_pair_labels_in_the_brief_language():
    """The label comes from the figure table in the brief's language, not the English label of the CSV."""
    base = make_run(n_districts=2)
    pair = content.Pair("a", "b", base, make_run(n_districts=2, policy="pause_week", severity=0.6))
    st = content.PairFigures(pair, Lang("uk")).stats("people_cold_72h")
    assert st["label"] == "Люди нижче 12 °C у приміщенні 72 год або довше"


def test_district_needs_of_a_run_without_districts():
    from types import SimpleNamespace

    assert content.district_needs(SimpleNamespace(ds=xr.Dataset({"x": ("time", [1.0])}))) == {"rows": [],
                                                                                             "columns": []}


def test_district_needs_without_district_codes():
    ds = make_run(n_districts=3).drop_vars("katotth")
    d = content.district_needs(content.Figures(ds))
    assert [r["code"] for r in d["rows"]] == ["", "", ""]
    assert sorted(r["key"] for r in d["rows"]) == sorted(list(KYIV_DISTRICTS)[:3])


def test_district_table_every_column_and_cell():
    """Every column of the district table: its header, and per district the median and (for the ranking
    measure and the places needed) the p5-p95 interval, recomputed with numpy from the fixture's arrays."""
    from tests.unit.test_report_content import _median, _range

    ds = make_run()
    v = {k: ds[k].values for k in ds.data_vars}
    k12 = list(ds["threshold"].values).index(12.0)
    rate = 1000.0 * v["person_hours_below_threshold"][:, k12, :] / 24.0 / v["population"]
    dem_d, cap_d = v["heating_point_demand_by_district"], v["heating_point_capacity_by_district"]
    per_run = {  # (R, D) per figure, the unit's format, with the interval
        "Person-days < 12 °C per 1,000": (rate, EN.num, True),
        "65+ < 12 °C for ≥ 72 h": (v["people_severe_cold"][:, :, 1], EN.count, False),
        "Under 5 < 12 °C for ≥ 72 h": (v["people_severe_cold"][:, :, 2], EN.count, False),
        "Places needed (peak)": (dem_d.max(axis=1), EN.count, True),
        "Places available": (np.broadcast_to(cap_d, rate.shape), EN.count, False),
        "Places short (peak)": (np.clip(dem_d - cap_d, 0, None).max(axis=1), EN.count, False),
        "Generators (peak)": (v["generators_running_by_district"].max(axis=1), EN.count, False),
        "Diesel L/day": (v["diesel_consumption_by_district"].mean(axis=1), EN.num, False),
    }
    d = content.district_needs(content.Figures(ds))
    assert d["columns"] == list(per_run)
    names = list(KYIV_DISTRICTS)
    for r in d["rows"]:
        i = names.index(r["key"])
        assert r["name"] == r["key"]
        for cell, (label, (x, fmt, with_range)) in zip(r["cells"], per_run.items(), strict=True):
            assert cell["median"] == fmt(_median(x[:, i])), (r["key"], label)
            if label == "Generators (peak)":
                parts = "/".join(EN.count(_median(x[:, i] * share)) for share in (0.2, 0.6, 0.2))
                assert cell["range"] == f"{parts} (10/30/50 kW)"
            else:
                assert cell["range"] == (_range(x[:, i], fmt is EN.count) if with_range else ""), (r["key"], label)


def test_vulnerable_table_leaves_cells_without_a_figure_empty():
    """No histogram below the long threshold: its 48 and 72 h cells are empty strings (the 24 h ones are the
    people_cold_24h_* counts); the severe columns as in the full table."""
    from tests.unit.test_report_content import _median

    ds = make_run().drop_vars("cold_spell_histogram")
    t = content.vulnerable_table(content.Figures(ds))
    edges = ds["duration_bin"].values
    severe = ds["severe_spell_histogram"].values
    sev72 = ds["people_severe_cold"].values.sum(axis=1)
    cold24 = ds["people_cold_24h_by_age"].values.sum(axis=1)
    c = EN.count

    def spell(h, age):
        return c(_median(severe[:, edges >= h, age].sum(axis=1)))

    assert [r["hours"] for r in t["rows"]] == ["≥ 24 h", "≥ 48 h", "≥ 72 h"]
    assert [r["cells"] for r in t["rows"]] == [
        [spell(24, 1), spell(24, 2), c(_median(cold24[:, 1])), c(_median(cold24[:, 2]))],
        [spell(48, 1), spell(48, 2), "", ""],
        [c(_median(sev72[:, 1])), c(_median(sev72[:, 2])), "", ""],
    ]


def test_highlights_name_the_scenario_in_the_brief_language():
    uk = Lang("uk")
    ds = make_run()
    h = content.run_highlights(ds, content.Figures(ds, uk), {"rows": []}, {})
    scenario = uk._("strike waves on the city's energy continue at the January–February 2026 rate")
    assert scenario != "strike waves on the city's energy continue at the January–February 2026 rate"
    assert scenario in h[0]


def test_where_highlight_names_at_most_three_districts_that_are_ever_on_top():
    ds = make_run()
    f = content.Figures(ds)

    def where(values):
        rows = [{"name": n, "p_top": EN.pct(p), "p_top_value": p} for n, p in zip("ABCDE", values, strict=False)]
        return [t for t in content.run_highlights(ds, f, {"rows": rows}, {}) if t.startswith("Where")]

    tail = ", by the share of runs in which each is among the 3 hardest hit districts."
    assert where([0.9, 0.5, 0.3, 0.2, 0.0]) == ["Where: hardest hit are A (90 %); B (50 %); C (30 %)" + tail]
    assert where([0.9, 0.0, 0.0]) == ["Where: hardest hit are A (90 %)" + tail]
    assert where([0.0, 0.0]) == []


def test_when_highlight_only_for_a_usable_trigger_with_a_sentence():
    ds = make_run()
    f = content.Figures(ds)

    def last(triggers):
        return content.run_highlights(ds, f, {"rows": []}, triggers)[-1]

    assert last({"sentence": "the trigger is met.", "usable": True}) == "When: the trigger is met."
    assert last({"sentence": "the trigger is met.", "usable": False}).startswith("Heat would be back in 90 %")
    assert last({"sentence": "", "usable": True}).startswith("Heat would be back in 90 %")


def test_district_table_sorted_by_the_share_of_runs_then_the_rate():
    """Top 1 of three districts X, Y, Z (rates per 1,000 by run below): X is on top in 4 runs, Y and Z in 3
    each; the median rates are X 0, Y 9, Z 0 -> X, Y, Z (by the rate alone it would be Y first)."""
    ds = make_run(n_districts=3)
    ds.attrs["config"] += "output:\n  top_districts: 1\n"
    rate = np.array([[10, 9, 0]] * 4 + [[0, 10, 0]] * 3 + [[0, 9, 10]] * 3, dtype=float)
    k12 = list(ds["threshold"].values).index(12.0)
    ph = ds["person_hours_below_threshold"].values.copy()
    ph[:, k12, :] = rate * ds["population"].values * 24.0 / 1000.0
    ds["person_hours_below_threshold"].values[:] = ph
    rows = content.district_needs(content.Figures(ds))["rows"]
    names = list(KYIV_DISTRICTS)[:3]
    assert [r["key"] for r in rows] == names
    assert [r["p_top"] for r in rows] == ["40 %", "30 %", "30 %"]


def test_district_table_without_population_or_size_classes():
    """No population: no ranking (share "–", sorted as 0), no population column; no generator size
    classes: the generators cell has no interval."""
    ds = make_run(n_districts=3).drop_vars(["population", "generator_class_share", "generator_class_kw"])
    d = content.district_needs(content.Figures(ds))
    assert [r["population"] for r in d["rows"]] == ["", "", ""]
    assert [r["p_top_value"] for r in d["rows"]] == [0.0, 0.0, 0.0]
    assert [r["key"] for r in d["rows"]] == list(KYIV_DISTRICTS)[:3]  # no ranking: the district order
    col = d["columns"].index("Generators (peak)")
    assert [r["cells"][col]["range"] for r in d["rows"]] == ["", "", ""]
    assert all(r["cells"][col]["median"] for r in d["rows"])


# ------------------------------------------------------------------ report content: the trigger box
TRIGGER_DATE = pd.Timestamp("2026-02-03 06:00")  # day 3 of February, day 34 of the year


def _trigger_frame(date=TRIGGER_DATE) -> pd.DataFrame:
    """A triggers.csv by hand: T1 chosen (city row and seven districts), T2 not (it never fired)."""
    city = {"blocks_without_heat_over": 20, "sustained_h": 3.0, "forecast_days": 1.0, "adm5_code": "",
            "adm5_name": ""}
    rows = [
        {**city, "trigger": "T1", "chosen": True, "forecast_min_below_c": -10.0, "runs_triggered": 0.5,
         "probability": 0.8, "hit_rate": 0.9, "trigger_date_p50": date, "lead_time_days_p50": 1.5,
         "places_to_open_p50": 99.0, "places_to_open_p95": 150.0},
        {**city, "trigger": "T2", "chosen": False, "forecast_min_below_c": -30.0, "runs_triggered": 0.0,
         "probability": float("nan"), "hit_rate": 0.0, "trigger_date_p50": None,
         "lead_time_days_p50": float("nan"), "places_to_open_p50": float("nan"), "places_to_open_p95": float("nan")},
    ]
    for trig, places in (("T1", {"A": 30.0, "B": 45.0, "C": 0.0, "D": 5.0, "E": 12.0, "F": 7.0, "G": 1.0}),
                         ("T2", {"X": 100.0})):
        for name, p in places.items():
            rows.append({**rows[0 if trig == "T1" else 1], "adm5_name": name, "adm5_code": "UA" + name,
                         "places_to_open_p50": p})
    return pd.DataFrame(rows)


def test_trigger_box_by_hand(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(content, "trigger_table", lambda ds, s: _trigger_frame())
    f = SimpleNamespace(s=Settings(trigger_min_probability=0.8), lang=EN)
    out = content.trigger_content(xr.Dataset(), f)
    assert out["candidates"] == [
        {"id": "T1", "chosen": True, "x": "-10", "y": "20", "fires": "50 %", "p": "80 %", "hit": "90 %",
         "lead": "1.5", "z": "99"},
        {"id": "T2", "chosen": False, "x": "-30", "y": "20", "fires": "0 %", "p": EN.pct(float("nan")),
         "hit": "0 %", "lead": "–", "z": "–"},
    ]
    # the five districts with the most places to open under the chosen trigger, most first; none at 0
    assert out["protocol"] == (
        "If the forecast minimum for the next 1 day falls below -10 °C and more than 20 apartment buildings have been "
        "without heat for 3 h, open about 99 more heating-point places (up to 150 in 19 of 20 runs), first in "
        "B (45), A (30), E (12), F (7), D (5). Lead time: the demand peaks about 1.5 days after the trigger. "
        "Probability: a shortfall of places follows in 80 % of the runs in which the trigger is met.")
    assert out["sentence"] == ("the trigger (forecast minimum below -10 °C and more than 20 apartment buildings "
                               "without heat for 3 h) is met in 50 % of runs, typically around 3 Feb; then about 99 more "
                               "places are needed (probability 80 %).")
    assert out["skill"] == "The trigger is met in 50 % of runs; it catches 90 % of the runs with a shortfall."
    assert out["usable"] is True  # 80 % asked, 80 % reached
    assert out["contract"] == ("forecast minimum below -10 °C and more than 20 apartment buildings without heat "
                               "for 3 h")
    assert out["lead"] == "about 1.5 days from the trigger to the peak of demand"
    assert set(out) == {"candidates", "sentence", "protocol", "skill", "usable", "contract", "lead"}

    f.s = Settings(trigger_min_probability=0.85)
    out = content.trigger_content(xr.Dataset(), f)
    assert out["usable"] is False and out["protocol"].endswith(
        "in which the trigger is met. No candidate reaches the probability asked for (85 %); this one comes closest.")
    assert out["protocol"].startswith("If the forecast minimum for the next 1 day falls below -10 °C")


def test_trigger_box_without_a_date_a_district_or_a_candidate(monkeypatch):
    from types import SimpleNamespace

    f = SimpleNamespace(s=Settings(), lang=EN)
    frame = _trigger_frame(date=None)
    frame.loc[frame["adm5_name"] != "", "places_to_open_p50"] = 0.0
    monkeypatch.setattr(content, "trigger_table", lambda ds, s: frame)
    out = content.trigger_content(xr.Dataset(), f)
    assert "typically around –;" in out["sentence"] and "first in no district short of places." in out["protocol"]
    frame.loc[frame["adm5_name"] == "C", "places_to_open_p50"] = 0.5  # half a place short still counts
    assert "first in C (0). Lead time" in content.trigger_content(xr.Dataset(), f)["protocol"]
    none = _trigger_frame()
    none["chosen"] = False
    monkeypatch.setattr(content, "trigger_table", lambda ds, s: none)
    out = content.trigger_content(xr.Dataset(), f)
    assert {k: out[k] for k in ("sentence", "protocol", "skill", "usable", "contract", "lead")} == {
        "sentence": "", "protocol": "No candidate trigger fired in any run.", "skill": "", "usable": False,
        "contract": "", "lead": ""}
    assert [c["id"] for c in out["candidates"]] == ["T1", "T2"]
    monkeypatch.setattr(content, "trigger_table", lambda ds, s: none.iloc[:0])
    assert content.trigger_content(xr.Dataset(), f) == {}


def test_trigger_box_uses_the_settings_of_the_brief():
    """The hand-worked trigger of tests/unit/test_keyfigures.py (blocks > 20 for 3 h, forecast < -10 degC):
    it fires in run 0 only, at h4; 30 places short at h7, 3 h later (with the default settings it would not
    fire at all: 48 h sustained)."""
    from types import SimpleNamespace

    from tests.unit.test_keyfigures import _trigger_ds

    s = Settings(trigger_forecast_min_c=(-10.0,), trigger_blocks_frac=(0.2,), trigger_sustained_h=3.0,
                 trigger_forecast_days=1.0, trigger_min_probability=0.5)
    out = content.trigger_content(_trigger_ds(), SimpleNamespace(s=s, lang=EN))
    assert out["candidates"] == [{"id": "T1", "chosen": True, "x": "-10", "y": "20", "fires": "50 %", "p": "100 %",
                                  "hit": "100 %", "lead": EN.num(3 / 24), "z": "30"}]
    assert out["usable"] is True and "first in A (30)" in out["protocol"]


# --------------------------------------------------------------------- report content: a comparison
def test_comparison_content_notes_boxes_rows_and_texts():
    base = make_run()
    base.attrs["config"] += "output:\n  reduction_frac: 0.5\n"
    alt = make_run(policy="pause_week", severity=0.6)
    pair = content.Pair("attacks=continued", "attacks=pause_week", base, alt)
    out = content.comparison_content([(pair.base, base), (pair.alt, alt)], [pair])
    assert out["definitions"][:2] == [
        "probability over paired runs (same seed) that the alternative is at least 50 % below the baseline; runs "
        "where the baseline has nothing to cut count as no success",
        "the median of the run-by-run differences (same seed), not the difference of the two medians: the two can "
        "differ because the runs that are worst under one scenario are not always the worst under the other"]
    assert out["definitions"][2:] == [
        "sum over people of the time their home was below 12 °C, in days",
        "people whose home is below 12 °C, averaged over each day of the run; the worst day's average",
        "people whose home stayed below 12 °C for at least 72 h in a row at some time of the run",
        "buildings whose undrained heating system froze, at the peak (a frozen system stays out for weeks)"]
    assert (out["prob_note"], out["paired_note"], out["cut_text"]) == (1, 2, "chance of a cut of at least 50 %")
    block = out["blocks"][0]
    pf = block["pf"]
    boxes = block["key_figures"]
    assert [b.footnote for b in boxes] == [3, 4, 5, 6]
    assert [b.label for b in boxes] == ["Person-days below 12 °C indoors: change",
                                        "People below 12 °C indoors on the worst day: change",
                                        "People below 12 °C indoors for 72 h or more: change",
                                        "Buildings whose heating systems froze (weeks to restore): change"]
    for b in boxes:
        st = pf.stats(b.key)
        assert (b.value, b.range, b.prob, b.mc, b.extra) == (st["diff"], st["range"], st["prob"], st["mc"],
                                                             {"paired_note": 2})
    assert [r["key"] for r in block["rows"]] == list(pf.city.index)
    for r in block["rows"]:  # every row is the pair's statistics of its figure (NaN probabilities compared apart)
        st = pf.stats(r["key"]) | {"key": r["key"]}
        np.testing.assert_equal(r.pop("prob_value"), st.pop("prob_value"))
        assert r == st, r["key"]
    assert (block["base"], block["alt"], block["base_title"], block["alt_title"]) == (
        "attacks=continued", "attacks=pause_week", "Strikes continue", "Strikes pause for 1 day from 29 Jan")
    assert block["base_text"] == "strike waves on the city's energy continue at the January–February 2026 rate"
    assert block["alt_text"] == ("no strike waves on the city for 1 day from 29 Jan (day 0) to 30 Jan, then waves "
                                 "resume")
    assert block["window"] == (
        "The pause runs from 29 Jan 2026 to 30 Jan 2026 (days 0–1 of the run); the figures cover the whole horizon "
        "of 3 days, 29 Jan 2026 – 31 Jan 2026. A pause that starts later or a longer horizon gives other numbers "
        "(experiment=pause_timing).")
    assert block["donor"] == content.donor_sentence(pair, pf) and block["donor"] == out["highlights"][0]
    assert out["highlights"] == block["highlights"][:5] and out["summary"]["rows"][0]["title"] == block["alt_title"]
    assert [r["name"] for r in block["districts"]["rows"]] == [r["name"] for r in
                                                               content.district_pair_rows(pf)["rows"]]


def test_comparison_content_of_two_pairs_and_in_ukrainian():
    base = make_run()
    # other synthetic numbers (rng seed 8), the same run seed: a comparison is paired only within one seed
    alts = [make_run(policy="pause_week", severity=0.6),
            make_run(policy="pause_week", severity=0.3, seed=8).assign_attrs(seed=7)]
    pairs = [content.Pair("a", f"b{i}", base, a) for i, a in enumerate(alts)]
    out = content.comparison_content([("a", base), ("b0", alts[0]), ("b1", alts[1])], pairs)
    assert len(out["blocks"]) == 2 and len(out["summary"]["rows"]) == 2
    assert out["highlights"] == [*out["blocks"][0]["highlights"][:4], out["summary"]["sentence"]]
    assert out["summary"]["sentence"].startswith("Of the 2 alternatives, ")
    assert [b.footnote for b in out["blocks"][1]["key_figures"]] == [3, 4, 5, 6]  # the same notes, once
    uk = Lang("uk")
    box = content.comparison_content([("a", base), ("b0", alts[0])], pairs[:1], uk)["blocks"][0]["key_figures"][0]
    assert box.label == uk._("{label}: change", label=uk._("Person-days below {severe_c} °C indoors").format(
        severe_c="12"))
    assert content.comparison_content([("a", base)], [])["blocks"] == []


def test_comparison_titles_and_texts_follow_the_labels_and_the_language():
    base = make_run()
    alt = make_run(policy="pause_week", severity=0.6)
    pair = content.Pair("attacks=continued seed=7", "attacks=pause_week seed=7", base, alt)
    block = content.comparison_content([(pair.base, base), (pair.alt, alt)], [pair])["blocks"][0]
    assert (block["base_title"], block["alt_title"]) == ("Strikes continue; seed 7",
                                                         "Strikes pause for 1 day from 29 Jan; seed 7")
    uk = Lang("uk")
    block = content.comparison_content([(pair.base, base), (pair.alt, alt)], [pair], uk)["blocks"][0]
    continued = uk._("strikes continue")
    assert block["base_title"] == continued[:1].upper() + continued[1:] + "; " + uk._("seed {s}", s="7")
    assert block["base_text"] == uk._("strike waves on the city's energy continue at the January–February 2026 rate")
    assert block["alt_title"] != "Strikes pause for 1 day from 29 Jan; seed 7"
    assert not block["alt_text"].startswith("no strike waves")


def test_comparison_summary_and_donor_sentence_in_ukrainian():
    """A Ukrainian comparison of two alternatives: the summary sentence and the donor sentence are written in
    Ukrainian, with the Ukrainian names of both scenarios (an English summary or an English "strikes
    continue" inside a Ukrainian brief is what a dropped ``lang`` would give)."""
    base = make_run()
    # other synthetic numbers (rng seed 8), the same run seed: a comparison is paired only within one seed
    alts = [make_run(policy="pause_week", severity=0.6),
            make_run(policy="pause_week", severity=0.3, seed=8).assign_attrs(seed=7)]
    pairs = [content.Pair("a", f"b{i}", base, a) for i, a in enumerate(alts)]
    uk = Lang("uk")
    out = content.comparison_content([("a", base), ("b0", alts[0]), ("b1", alts[1])], pairs, uk)
    sentence = out["summary"]["sentence"]
    assert sentence and not sentence.startswith("Of the 2 alternatives")
    assert sentence == uk._("Of the {n} alternatives, {best} cuts person-days below the severe threshold most "
                            "(median of paired differences {d}).", n=2,
                            best=min(out["summary"]["rows"], key=lambda r: r["value"])["title"],
                            d=min(out["summary"]["rows"], key=lambda r: r["value"])["diff"])
    donor = out["blocks"][0]["donor"]
    assert uk._("strikes continue") in donor and "strikes continue" not in donor


class _OneFigure:
    """A pair's figures reduced to person-days below 12 degC: a given median of paired differences, its
    relative change and probability (what ``donor_sentence`` reads)."""

    def __init__(self, diff: float, rel: str = "", prob: str = "", frozen: float | None = None):
        self.lang, self.s = EN, Settings()
        self._st = {"person_days_below_12": {"diff_value": diff, "rel": rel, "prob": prob}}
        if frozen is not None:  # buildings whose heating systems froze, at the peak
            self._st["buildings_frozen_peak"] = {"diff_value": frozen, "rel": "", "prob": ""}

    def __contains__(self, key: str) -> bool:
        return key in self._st

    def stats(self, key: str) -> dict:
        return dict(self._st[key])

    def _v(self, key: str, x: float) -> str:
        return f"{x:g}"


@pytest.mark.parametrize(("diff", "rel", "expected"), [
    # half a person-day more is more, not "no change"
    (0.5, "", "If strikes pause for 1 day from 29 Jan rather than strikes continue, around 0.5 more person-days "
              "would be spent below 12 °C at home over 3 days (median of paired runs)."),
    (0.0, "", "If strikes pause for 1 day from 29 Jan rather than strikes continue, the person-days below 12 °C at "
              "home would not change (median of paired runs)."),
    (-2.0, "-40 %", "If strikes pause for 1 day from 29 Jan rather than strikes continue, around 2 fewer person-days "
                    "would be spent below 12 °C at home over 3 days (median of paired runs, -40 %)."),
    # no relative change (a baseline of 0 in the median run): nothing in its place (no empty ", )")
    (-2.0, "", "If strikes pause for 1 day from 29 Jan rather than strikes continue, around 2 fewer person-days "
               "would be spent below 12 °C at home over 3 days (median of paired runs)."),
])
def test_donor_sentence_by_the_sign_of_the_paired_median(diff, rel, expected):
    pair = content.Pair("a", "b", make_run(), make_run(policy="pause_week", severity=0.6))
    assert content.donor_sentence(pair, _OneFigure(diff, rel)) == expected


@pytest.mark.parametrize(("frozen", "prob", "tail"), [
    (-3.0, "", ", and about 3 fewer buildings' heating systems would freeze (weeks to repair each)."),
    (0.0, "", "."),  # no change in frozen systems: nothing said
    (0.5, "", "."),  # more frozen systems: not a "fewer" clause
    (-3.0, "80 %", ", and about 3 fewer buildings' heating systems would freeze (weeks to repair each); in 80 % of "
                   "the paired model runs the cut is at least 25 %."),
])
def test_donor_sentence_adds_frozen_systems_avoided_and_the_probability(frozen, prob, tail):
    pair = content.Pair("a", "b", make_run(), make_run(policy="pause_week", severity=0.6))
    head = ("If strikes pause for 1 day from 29 Jan rather than strikes continue, around 2 fewer person-days would "
            "be spent below 12 °C at home over 3 days (median of paired runs, -40 %)")
    assert content.donor_sentence(pair, _OneFigure(-2.0, "-40 %", prob, frozen)) == head + tail


def test_figures_labels_beyond_the_definitions_and_district_rows():
    """Labels of the two extra figures (written out by hand for the default settings: the 3 hardest-hit
    districts, 12 degC); a figure of the headline frame without a definition takes the frame's own label and
    definition; district rows hold the districts only, not the city total (adm5_name "")."""
    f = content.Figures(make_run())
    assert f.label("hardest_hit_share") == "Share of runs in which the district is among the 3 hardest hit"
    assert f.label("person_days_below_12_per_1000") == "Person-days below 12 °C per 1,000 people present"
    key = f.city.index[0]
    f.defs.pop(key)  # as for a figure the definitions do not know
    assert f.label(key) == str(f.frame.loc[(f.frame["figure"] == key) & (f.frame["adm5_name"] == ""), "label"].iloc[0])
    assert f.definition(key) == str(
        f.frame.loc[(f.frame["figure"] == key) & (f.frame["adm5_name"] == ""), "definition"].iloc[0])
    assert f.label(key) and f.definition(key) and f.label(key) != "None" and f.definition(key) != "None"
    rows = f.district_rows(key)
    assert "" not in rows.index and len(rows) > 0 and set(rows.index) <= set(KYIV_DISTRICTS)
