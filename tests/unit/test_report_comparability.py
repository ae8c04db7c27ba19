"""What a comparison may pair and how it says what differs besides the scenario: scenarios of different cities
are never paired (a run-by-run difference between two cities means nothing), and a pair over two periods
(a sweep of ``horizon_days=7,14``) names both periods and does not call its totals "over N days"."""

from __future__ import annotations

import numpy as np
import pytest

from sim import sweep
from sim.errors import NotComparableError
from sim.report import content
from sim.report.i18n import Lang
from tests.unit.report_fixtures import make_run


def _of_city(ds, city: str):
    ds = ds.copy()
    ds.attrs["city"] = city
    ds.attrs["config"] = ds.attrs["config"].replace("name: kyiv", f"name: {city}")
    return ds


def test_scenarios_of_different_cities_are_not_paired():
    a, b = _of_city(make_run(days=3), "kyiv"), _of_city(make_run(days=3, policy="pause_week"), "small_town")
    with pytest.raises(NotComparableError, match=r"different cities \(kyiv, small_town\)"):
        content.pairs_for([("city=kyiv", a), ("city=small_town", b)])
    # an explicit label baseline that would pair across cities: the same refusal, not a paired difference
    with pytest.raises(NotComparableError):
        content.pairs_for([("city=kyiv", a), ("city=small_town", b)], baseline="city=kyiv")


def test_a_city_sweep_pairs_each_scenario_with_the_first_of_its_own_city():
    """-m city=kyiv,small_town horizon_days=3,4 without attacks=continued: each scenario against the first
    scenario of its city, not all against the first job (which would pair small town with Kyiv)."""
    runs = {(c, d): _of_city(make_run(days=d, seed=d), c) for c in ("kyiv", "small_town") for d in (3, 4)}
    scen = [(f"city={c} horizon_days={d}", ds) for (c, d), ds in runs.items()]
    pairs = content.pairs_for(scen)
    assert [(p.base, p.alt) for p in pairs] == [("city=kyiv horizon_days=3", "city=kyiv horizon_days=4"),
                                                ("city=small_town horizon_days=3", "city=small_town horizon_days=4")]
    # the sweep's comparison.csv pairs the same jobs (one rule for both)
    results = [ds for _l, ds in scen]
    labels = [lbl for lbl, _d in scen]
    table = sweep.comparison_table(results, labels, [lbl.split() for lbl in labels], baseline=None)
    assert sorted(set(zip(table["scenario"], table["baseline"], strict=True))) == [
        ("city=kyiv horizon_days=4", "city=kyiv horizon_days=3"),
        ("city=small_town horizon_days=4", "city=small_town horizon_days=3")]


def test_the_csv_says_not_compared_for_a_baseline_of_another_city():
    """A baseline key that pairs jobs across cities (``baseline=city=kyiv``) gives a row that says why, and no
    paired numbers."""
    a, b = _of_city(make_run(days=3), "kyiv"), _of_city(make_run(days=3, policy="pause_week"), "small_town")
    table = sweep.comparison_table([a, b], ["city=kyiv", "city=small_town"], [["city=kyiv"], ["city=small_town"]],
                                   baseline="city=kyiv")
    assert len(table) == 1
    row = table.iloc[0]
    assert not row["paired"] and np.isnan(row["diff_p50"])
    assert row["note"].startswith("not compared: different cities (kyiv, small_town)")


@pytest.fixture(scope="module")
def horizon_pair():
    short, long_ = make_run(days=2, seed=3), make_run(days=4, seed=3)
    for ds, d in ((short, 2), (long_, 4)):
        ds.attrs["horizon_days"] = float(d)
    return [("horizon_days=2", short), ("horizon_days=4", long_)]


def test_a_pair_over_two_periods_names_both(horizon_pair):
    (pair,) = content.pairs_for(horizon_pair)
    assert not content.same_period(pair.base_ds, pair.alt_ds)
    (sentence,) = content.period_sentences(pair)
    assert "29 Jan 2026 – 30 Jan 2026 (2 days) against 29 Jan 2026 – 1 Feb 2026 (4 days)" in sentence
    contract = content.contract(horizon_pair)
    assert contract["period"] == "29 Jan 2026 – 30 Jan 2026 (2 days); 29 Jan 2026 – 1 Feb 2026 (4 days)"
    assert contract["lead"] == "0–2 days from 29 Jan 2026; 0–4 days from 29 Jan 2026"
    # the donor sentence does not say its total is "over 2 days" (the alternative's covers 4)
    donor = content.donor_sentence(pair, content.PairFigures(pair, Lang("en")))
    assert donor.startswith("If ") and "over 2 days" not in donor and "over 4 days" not in donor
    uk = content.period_sentences(pair, Lang("uk"))[0]
    assert "2 дн." in uk and "4 дн." in uk


def test_a_pair_over_one_period_says_nothing_more(horizon_pair):
    same = [horizon_pair[0], ("horizon_days=2 seed=4", horizon_pair[0][1].copy())]
    (pair,) = content.pairs_for(same)
    assert content.same_period(pair.base_ds, pair.alt_ds) and content.period_sentences(pair) == []
    assert content.contract(same)["period"] == "29 Jan 2026 – 30 Jan 2026 (2 days)"
    donor = content.donor_sentence(pair, content.PairFigures(pair, Lang("en")))
    assert "over 2 days" in donor or "would not change" in donor


def test_the_csv_notes_a_pair_over_two_periods(horizon_pair):
    (_l1, a), (_l2, b) = horizon_pair
    table = sweep.comparison_table([a, b], ["horizon_days=2", "horizon_days=4"], [["horizon_days=2"],
                                                                                    ["horizon_days=4"]], baseline=None)
    notes = set(table["note"])
    assert notes == {"periods differ (baseline 2 days from 2026-01-29T00:00, scenario 4 days from "
                     "2026-01-29T00:00): totals add up over each scenario's own period"}
    assert table["paired"].all() and np.isfinite(table["diff_p50"]).any()


def test_swept_start_dates_and_steps_read_as_words_without_hydra_escapes():
    """Hydra records ``start=2026-01-29T00:00`` of a sweep as ``start=2026-01-29T00\\:00``; the brief showed
    "start = 2026-01-29T00\\:00" in its title and contract line."""
    ds = make_run(days=3)
    assert content.scenario_title(r"start=2026-01-29T00\:00", ds) == "From 29 Jan 2026"
    assert "\\" not in content.scenario_title(r"start=2026-01-29T00\:00", ds, Lang("uk"))
    assert content.scenario_title("dt_minutes=30", ds) == "30-minute steps"
    a, b = make_run(days=3), make_run(days=3, seed=8)
    scen = [(r"start=2026-01-10T00\:00", a), (r"start=2026-01-29T00\:00", b)]
    (pair,) = content.pairs_for(scen, baseline="start=2026-01-29T00:00")  # the baseline as a user types it
    assert (pair.base, pair.alt) == (r"start=2026-01-29T00\:00", r"start=2026-01-10T00\:00")
    assert content.contract(scen)["scenario"] == "from 10 Jan 2026; from 29 Jan 2026"


def _with_config(ds, old: str, new: str):
    ds = ds.copy()
    ds.attrs["config"] = ds.attrs["config"].replace(old, new)
    return ds


def test_the_methods_and_contract_name_each_scenarios_settings():
    """A sweep of the weather, of crews or of heating points (experiment=cold_sensitivity, repair_capacity,
    heating_points): the contract's trigger and the methods box named only the baseline's minimum temperature,
    crews and heating points."""
    a = _with_config(make_run(days=3), "people:", "weather:\n  kind: cold_snap\n  min_temperature_c: -25.0\npeople:")
    b = _with_config(_with_config(a, "min_temperature_c: -25.0", "min_temperature_c: -10.0"),
                     "crew_multiplier: 1.0", "crew_multiplier: 0.5")
    b = _with_config(b, "heating_points: 1300", "heating_points: 2600")
    scen = [("weather.min_temperature_c=-25", a), ("weather.min_temperature_c=-10", b)]
    assert "minimum -25 °C; synthetic cold snap ensemble, minimum -10 °C" in content.contract(scen)["trigger"]
    m = content.methods(a, scen)
    assert m["weather"] == "synthetic cold snap ensemble, minimum -25 °C; synthetic cold snap ensemble, minimum -10 °C"
    assert m["repair"][0].startswith("120 power and 60 heat-network crews; 120 power and 60 heat-network crews (x0.5)")
    assert m["heating_points"] == "1,300 heating points x 100 places; 2,600 heating points x 100 places"
    assert m["paired"] and m["seed"] == "7"
    uk = content.methods(a, scen, Lang("uk"))
    assert "-25" in uk["weather"] and "-10" in uk["weather"]
    # one scenario (a run's brief) reads as before
    assert content.methods(a, scen[:1])["weather"] == "synthetic cold snap ensemble, minimum -25 °C"


def test_unpaired_scenarios_are_not_said_to_share_random_numbers():
    """-m seed=1,2 and -m realizations=4,8: the methods box said "4 Monte Carlo runs (seed 1) ... Scenarios share
    random numbers, so differences are paired run by run", against the brief's own "not paired"; and the
    highlight named the seeds in the opposite order of the scenarios ("Seed 2 and seed 1 ... (1 and 2)")."""
    from sim.report.brief import build_html

    s1, s2 = make_run(days=3, seed=1), make_run(days=3, seed=2)
    s1.attrs["seed"], s2.attrs["seed"] = 1, 2
    m = content.methods(s1, [("seed=1", s1), ("seed=2", s2)])
    assert not m["paired"] and m["seed"] == "1; 2"
    few, many = make_run(n_real=4, days=3), make_run(n_real=8, days=3)
    m = content.methods(few, [("realizations=4", few), ("realizations=8", many)])
    assert not m["paired"] and m["runs"] == "4; 8"
    (pair,) = content.pairs_for([("seed=1", s1), ("seed=2", s2)])
    pf = content.PairFigures(pair, Lang("en"))
    (sentence,) = content.no_result_sentences(pair, pf, [])
    assert sentence.startswith("Seed 2 and seed 1 were run with different seeds (2 and 1)")
    (pair,) = content.pairs_for([("realizations=4", few), ("realizations=8", many)])
    (sentence,) = content.no_result_sentences(pair, content.PairFigures(pair, Lang("en")), [])
    assert "do not have the same runs (8 and 4)" in sentence
    from tests.unit.report_fixtures import make_sweep

    ds = make_sweep(days=3)
    ds["seed"] = ("scenario", np.array([1, 2]))
    for code, shared, apart in (("en", "Scenarios share random numbers", "do not share their runs"),
                                ("uk", "мають спільні випадкові числа", "не мають спільних прогонів")):
        html, _figs = build_html(ds, kind="comparison", lang=code)
        assert apart in html and shared not in html
    html, _figs = build_html(make_sweep(days=3), kind="comparison")
    assert "Scenarios share random numbers" in html and "do not share their runs" not in html


def test_the_console_says_why_a_pair_has_no_numbers():
    """-m seed=1,2 and a sweep with a failed job: the console printed only the footnote "Medians of each
    scenario, and the median of the run-by-run differences ..." about tables it did not print."""
    import pandas as pd

    from sim.report.console import comparison_summary

    a, b = make_run(days=3, seed=1), make_run(days=3, seed=2)
    a.attrs["seed"], b.attrs["seed"] = 1, 2
    table = sweep.comparison_table([a, b], ["seed=1", "seed=2"], [["seed=1"], ["seed=2"]], baseline=None)
    failed = pd.DataFrame([{"scenario": "seed=3", "note": "failed: bad value", "paired": False}],
                          columns=table.columns)
    text = comparison_summary(pd.concat([table, failed], ignore_index=True))
    assert text.splitlines() == [
        "seed=2  against  seed=1: not paired: different seeds or realizations; no paired differences",
        "seed=3: failed: bad value"]
    # a paired sweep keeps its tables and the footnote, and adds no line
    c = make_run(days=3, policy="pause_week", seed=7)
    paired = sweep.comparison_table([make_run(days=3), c], ["attacks=continued", "attacks=pause_week"],
                                    [["attacks=continued"], ["attacks=pause_week"]])
    text = comparison_summary(paired)
    assert text.splitlines()[0] == "attacks=pause_week  against  attacks=continued"
    assert text.endswith("not the difference of the two medians.") and "not paired" not in text


def test_a_sweep_left_with_one_result_says_so_in_words(tmp_path):
    """-m weather.min_temperature_c=-25,-500: the second job fails, and the sweep ended in "warning: comparison
    brief not rendered (InputError: ... along a 'scenario' dimension); try coldgrid-report", which fails the same
    way. It is now a NotComparableError ("coldgrid: no comparison brief: ..."; coldgrid-report exits 2)."""
    from sim.report.brief import render_comparison
    from tests.unit.report_fixtures import make_sweep

    one = make_sweep(days=3).isel(scenario=[0])
    one.attrs["failed_jobs"] = "1 (weather.min_temperature_c=-500): must be between -60 degC and 8 degC"
    with pytest.raises(NotComparableError, match=r"only one job of this sweep has a result, the others failed"):
        render_comparison(tmp_path, ds=one, pdf=False)
    del one.attrs["failed_jobs"]  # no failed job: not a sweep's outcome, the message as before
    with pytest.raises(Exception, match="at least two scenarios") as e:
        render_comparison(tmp_path, ds=one, pdf=False)
    assert not isinstance(e.value, NotComparableError)


def test_a_grids_scenarios_are_told_apart_in_the_contract():
    """-m attacks=continued,pause_week repair.crew_multiplier=0.5,1: the contract listed "strikes continue;
    repair crews x0.5; strikes continue; repair crews x1; ..." (four scenarios read as eight items)."""
    a, b = make_run(days=3), make_run(days=3, policy="pause_week")
    scen = [("attacks=continued repair.crew_multiplier=0.5", a), ("attacks=continued repair.crew_multiplier=1", a),
            ("attacks=pause_week repair.crew_multiplier=0.5", b)]
    assert content.contract(scen)["scenario"].split(" | ") == [
        "strikes continue; repair crews x0.5", "strikes continue; repair crews x1",
        "strikes pause for 1 day from 29 Jan; repair crews x0.5"]
    # one key per scenario: as before
    assert content.contract([("attacks=continued", a), ("attacks=pause_week", b)])["scenario"].count(" | ") == 0
