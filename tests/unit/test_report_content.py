"""The brief's content (sim.report.content, sim.keyfigures) built from the synthetic run of report_fixtures,
without rendering: every number a reader sees is recomputed here with numpy from the run's arrays, and
formatted with the brief's number formats (sim.report.i18n, which is not under test).

Fast (no simulation chain, no PDF, no browser; about 1 s a test), so that ``make mutation`` can run these
tests for every mutant of sim.report.content and sim.keyfigures. Each test builds its content itself (no
module-scoped fixture): mutmut maps a function to the tests that call it while they run.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.report import content
from sim.report.i18n import Lang
from tests.unit.report_fixtures import EDGES, KYIV_DISTRICTS, THRESHOLDS, make_run

EN = Lang("en")
K12, K16 = THRESHOLDS.index(12.0), THRESHOLDS.index(16.0)
ALL, A65, U5 = 0, 1, 2  # the fixture's age groups


def _median(x) -> float:
    return float(np.median(np.asarray(x, dtype=float)))


def _range(x, count=True) -> str:
    """The brief's interval: p5-p95 over runs (type 7, numpy's default), as the brief rounds it."""
    fmt = EN.count if count else EN.num
    lo, hi = (fmt(float(v)) for v in np.percentile(np.asarray(x, dtype=float), [5, 95]))
    return lo if lo == hi else f"{lo}–{hi}"


def _mc(x, tolerance=0.1) -> str:
    """Monte Carlo error of the median of 10 runs: [x_(2), x_(9)] (Conover 1999, 3.2; coverage 97.9 %)."""
    s = np.sort(np.asarray(x, dtype=float))
    rel = (s[8] - s[1]) / 2 / abs(np.median(s))
    text = "Monte Carlo error ±" + (EN.pct(rel) if rel < 1 else ">100 %")
    return text if rel <= tolerance else text + " · more runs needed"


def _arrays(ds):
    """Per-run figures of the fixture, by numpy (reference/report.md definitions: mean over hours, worst
    daily mean, peak = highest hour of each run)."""
    pb = ds["people_below_threshold"].values  # (R, T, K)
    R, T = pb.shape[:2]
    days = T // 24
    severe = ds["people_severe_cold"].values.sum(axis=1)  # (R, age)
    return {
        "people_below_12_mean": pb[:, :, K12].mean(axis=1),
        "people_below_16_mean": pb[:, :, K16].mean(axis=1),
        "people_below_12_worst_day": pb[:, :, K12].reshape(R, days, 24).mean(axis=2).max(axis=1),
        "people_below_16_worst_day": pb[:, :, K16].reshape(R, days, 24).mean(axis=2).max(axis=1),
        "person_days_below_12": ds["person_hours_below_threshold"].values[:, K12, :].sum(axis=1) / 24.0,
        "people_cold_72h": severe[:, ALL],
        "people_cold_72h_65plus": severe[:, A65],
        "people_cold_72h_under5": severe[:, U5],
        "heating_point_demand_peak": ds["heating_point_demand"].values.max(axis=1),
        "generators_peak": ds["generators_running"].values.max(axis=1),
        "generator_kw_peak": ds["generator_kw"].values.max(axis=1),
        "generator_load_kw_peak": ds["generator_load_kw"].values.max(axis=1),
        "diesel_l_per_day_mean": ds["diesel_consumption"].values.mean(axis=1),
        "diesel_l_per_day_peak": ds["diesel_consumption"].values.max(axis=1),
    }


def _rate(ds):
    """Person-days below 12 degC per 1,000 people present, (R, D): the district ranking's measure."""
    return 1000.0 * ds["person_hours_below_threshold"].values[:, K12, :] / 24.0 / ds["population"].values[None, :]


def _p_top(rate, k=3):
    """Share of runs in which each district is among the k hardest hit (ties by district order)."""
    order = np.argsort(-rate, axis=1, kind="stable")
    top = np.zeros_like(rate, dtype=bool)
    np.put_along_axis(top, order[:, :k], True, axis=1)
    return top.mean(axis=0)


def test_key_figure_boxes():
    ds = make_run()
    v = _arrays(ds)
    boxes = {k.key: k for k in content.run_content(ds)["key_figures"]}
    assert list(boxes) == ["people_below_12_mean", "people_below_16_mean", "person_days_below_12", "people_cold_72h",
                           "heating_point_demand_peak", "generators_peak", "diesel_l_per_day_mean"]
    for key, box in boxes.items():
        count = key != "diesel_l_per_day_mean"  # L/day is not a count: two significant digits, not whole people
        assert box.value == (EN.count if count else EN.num)(_median(v[key])), key
        assert box.range == _range(v[key], count), key
        assert box.mc == _mc(v[key]), key
    c = EN.count
    assert boxes["people_below_12_mean"].sub == f"worst day: {c(_median(v['people_below_12_worst_day']))}"
    assert boxes["people_below_16_mean"].sub == f"worst day: {c(_median(v['people_below_16_worst_day']))}"
    assert boxes["people_cold_72h"].sub == (f"of whom {c(_median(v['people_cold_72h_65plus']))} aged 65+ and "
                                            f"{c(_median(v['people_cold_72h_under5']))} under 5")
    assert boxes["heating_point_demand_peak"].sub == "against 130,000 places available"
    assert boxes["generators_peak"].sub == (f"rated {c(_median(v['generator_kw_peak']))} kW, load "
                                            f"{c(_median(v['generator_load_kw_peak']))} kW")
    assert boxes["diesel_l_per_day_mean"].sub == f"peak day: {EN.num(_median(v['diesel_l_per_day_peak']))} L"
    assert boxes["people_below_12_mean"].label == "People below 12 °C indoors, average over the period"


def test_footnotes_are_numbered_in_order_of_first_use():
    out = content.run_content(make_run())
    boxes = out["key_figures"]
    assert [b.footnote for b in boxes] == list(range(1, len(boxes) + 1))  # seven figures, seven definitions
    assert out["definitions"][0] == "people whose home is below 12 °C, averaged over every hour of the period"
    assert out["definitions"][4].endswith("; peak: the highest value at any hour of the run, in each run (the "
                                          "median is over runs of these peaks)")


def test_interval_at_the_ceiling_is_marked():
    # everyone below 16 degC in the worst runs: p95 of the mean over hours reaches the population, 3.1 million
    ds = make_run()
    pb = ds["people_below_threshold"].values.copy()
    pb[-2:, :, K16] = float(ds["population"].sum())
    ds["people_below_threshold"].values[:] = pb
    box = {k.key: k for k in content.run_content(ds)["key_figures"]}["people_below_16_mean"]
    assert box.range.endswith(" (the upper end is the ceiling: everyone or everything)")
    assert box.range.startswith(_range(pb[:, :, K16].mean(axis=1)))


def test_monte_carlo_statement():
    ds = make_run()
    f = content.Figures(ds)
    lead = f.frame[(f.frame["adm5_name"] == "") & f.frame["lead"].astype(bool)]  # headline.csv's lead rows
    ok, n = int(lead["mc_enough"].sum()), len(lead)
    assert ok < n  # the fixture's 10 runs are too few for the 10 % rule
    if ok:
        assert content.mc_statement(f) == (f"10 runs were enough for {ok} of {n} lead figures (the 95 % confidence "
                                           "interval of the median within ±10 % of it); the others need more runs "
                                           "(realizations=...).")
    else:  # none: not "enough for 0 of 8"
        assert content.mc_statement(f) == (f"10 runs were not enough for any of the {n} lead figures (the 95 % "
                                           "confidence interval of the median is not within ±10 % of it); they "
                                           "need more runs (realizations=...).")
    ds.attrs["config"] += "output:\n  mc_rel_tolerance: 0.5\n"
    assert content.mc_statement(content.Figures(ds)) == ("10 runs were enough: for every lead figure the 95 % "
                                                         "confidence interval of the median is within ±50 % of it.")


def test_monte_carlo_error_over_100_percent_and_a_zero_median():
    ds = make_run()
    f = content.Figures(ds)
    row = f.row("people_below_12_mean").copy()
    row["mc_rel_error"], row["mc_enough"] = 3.0, False
    assert f.mc("people_below_12_mean", row) == "Monte Carlo error over ±100 % · more runs needed"
    row["mc_rel_error"] = float("nan")
    assert f.mc("people_below_12_mean", row) == ""
    row["p50"] = float("nan")
    assert f.value("people_below_12_mean", "p50", row) == "–"


def test_districts_ranked_with_their_numbers():
    ds = make_run()
    rate = _rate(ds)
    p_top = _p_top(rate)
    names = list(KYIV_DISTRICTS)
    order = sorted(range(len(names)), key=lambda d: (-p_top[d], -np.median(rate[:, d])))
    d = content.run_content(ds)["districts"]
    assert [r["key"] for r in d["rows"]] == [names[i] for i in order]
    assert d["columns"][0] == "Person-days < 12 °C per 1,000"
    pop = ds["population"].values
    for r in d["rows"]:
        i = names.index(r["key"])
        assert r["code"] == KYIV_DISTRICTS[r["key"]]
        assert r["p_top"] == EN.pct(p_top[i]) and r["p_top_value"] == pytest.approx(p_top[i], abs=1e-12)
        assert r["population"] == EN.count(pop[i])
        first = r["cells"][0]  # person-days per 1,000: not a count
        assert first["median"] == EN.num(_median(rate[:, i]))
        assert first["range"] == _range(rate[:, i], count=False)
        places = r["cells"][d["columns"].index("Places needed (peak)")]
        assert places["median"] == EN.count(_median(ds["heating_point_demand_by_district"].values[:, :, i].max(axis=1)))
    assert {0.0, 1.0} <= set(np.round(p_top, 12))  # districts at 0 and 100 %: both ends of the ranking checked


def test_generators_by_size_class_in_the_district_table():
    ds = make_run()
    d = content.run_content(ds)["districts"]
    col = d["columns"].index("Generators (peak)")
    i = list(KYIV_DISTRICTS).index(d["rows"][0]["key"])
    peak = ds["generators_running_by_district"].values[:, :, i].max(axis=1)
    cell = d["rows"][0]["cells"][col]
    assert cell["median"] == EN.count(_median(peak))
    parts = "/".join(EN.count(_median(peak * share)) for share in (0.2, 0.6, 0.2))
    assert cell["range"] == f"{parts} (10/30/50 kW)"


def test_vulnerable_table_by_spell_length():
    ds = make_run()
    t = content.run_content(ds)["vulnerable"]
    assert t["header"] == ["aged 65+ below 12 °C", "under 5 below 12 °C", "aged 65+ below 16 °C", "under 5 below 16 °C"]
    assert [r["hours"] for r in t["rows"]] == ["≥ 24 h", "≥ 48 h", "≥ 72 h"]  # no 168 h edge in the fixture
    edges = np.asarray(EDGES, dtype=float)
    severe, long_ = ds["severe_spell_histogram"].values, ds["cold_spell_histogram"].values  # (R, bin, age)
    c = EN.count

    def spell(hist, h, age):
        return c(_median(hist[:, edges >= h, age].sum(axis=1)))

    cold24 = ds["people_cold_24h_by_age"].values.sum(axis=1)  # (R, age)
    sev = ds["people_severe_cold"].values.sum(axis=1)
    expected = [
        [spell(severe, 24, A65), spell(severe, 24, U5), c(_median(cold24[:, A65])), c(_median(cold24[:, U5]))],
        [spell(severe, 48, A65), spell(severe, 48, U5), spell(long_, 48, A65), spell(long_, 48, U5)],
        [c(_median(sev[:, A65])), c(_median(sev[:, U5])), spell(long_, 72, A65), spell(long_, 72, U5)],
    ]
    assert [r["cells"] for r in t["rows"]] == expected


def test_highlights_numbers():
    ds = make_run()
    v = _arrays(ds)
    c = EN.count
    h = content.run_content(ds)["highlights"]
    assert h[0] == ("If strike waves on the city's energy continue at the January–February 2026 rate, on average "
                    f"around {c(_median(v['people_below_12_mean']))} people would be below 12 °C at home over the 3 "
                    f"days, and around {c(_median(v['people_below_12_worst_day']))} on the worst day.")
    assert h[1] == (f"Around {c(_median(v['people_cold_72h']))} people would stay below 12 °C for 72 hours or more "
                    f"in a row, among them {c(_median(v['people_cold_72h_65plus']))} aged 65 or over and "
                    f"{c(_median(v['people_cold_72h_under5']))} children under 5, who need a warm room or a heating "
                    "point first.")
    rate = _rate(ds)
    p_top = _p_top(rate)
    names = list(KYIV_DISTRICTS)
    top = sorted(range(len(names)), key=lambda d: (-p_top[d], -np.median(rate[:, d])))[:3]
    where = "; ".join(f"{names[i]} ({EN.pct(p_top[i])})" for i in top)
    assert h[2] == (f"Where: hardest hit are {where}, by the share of runs in which each is among the 3 hardest "
                    "hit districts.")
    assert h[3] == (f"How many: heating points would need around {c(_median(v['heating_point_demand_peak']))} places "
                    f"at the peak against 130,000 available; {c(_median(v['generators_peak']))} generators would "
                    f"run at the same time and burn around {EN.num(_median(v['diesel_l_per_day_mean']))} litres of "
                    "diesel a day.")
    assert len(h) == 5 and h[4].startswith(("When: ", "Heat would be back in 90 % of the buildings"))


def _restore_days(ds, frac=0.1):
    """Days from each run's peak of buildings without heat until at most ``frac`` of it (censored at the end)."""
    series = ds["buildings_without_heat"].values.sum(axis=2).astype(float)  # (R, T), hourly
    out = []
    for s in series:
        i = int(np.argmax(s))
        later = [j for j in range(i + 1, s.size) if s[j] <= frac * s[i]]
        out.append(((later[0] if later else s.size) - i) / 24.0 if s[i] > 0 else 0.0)
    return np.array(out)


def test_restore_highlight_without_a_usable_trigger():
    ds = make_run()
    f = content.Figures(ds)
    text = content.run_highlights(ds, f, {"rows": []}, {})
    assert text[-1] == (f"Heat would be back in 90 % of the buildings that lost it about "
                        f"{EN.num(_median(_restore_days(ds)))} days after the peak.")


def test_contract_line():
    ds = make_run()
    c = content.contract([("", ds)])
    assert c["period"] == "29 Jan 2026 – 31 Jan 2026 (3 days)"
    assert c["population"] == f"{EN.num(3_100_000.0)} people present"
    assert (c["runs"], c["version"], c["lead"]) == (10, "coldgrid 0.1.0", "0–3 days from 29 Jan 2026")
    assert c["place"] == "Kyiv (synthetic Kyiv-like city)"
    # the horizon from the time axis when the attribute is missing: 71 h between the first and last step + 1 h
    del ds.attrs["horizon_days"]
    assert content.contract([("", ds)])["period"] == "29 Jan 2026 – 31 Jan 2026 (3 days)"
    two_days = make_run(days=2)
    del two_days.attrs["horizon_days"]
    assert content.contract([("", two_days)])["period"] == "29 Jan 2026 – 30 Jan 2026 (2 days)"


def test_pause_window_and_its_sentence():
    ds = make_run(policy="pause_week")
    start, end, day, days = content.pause_window(ds)
    assert (str(start.date()), str(end.date()), day, days) == ("2026-01-29", "2026-01-30", 0.0, 1.0)
    assert content.describe_scenario(ds) == ("no strike waves on the city for 1 day from 29 Jan (day 0) to 30 Jan, "
                                             "then waves resume")
    assert content.pause_window(make_run()) is None  # continued: no pause
    ds.attrs["pause_days"] = 0.0
    assert content.pause_window(ds) is None and content.short_name(ds) == "strikes continue"


def _pair(severity=0.6):
    base = make_run()
    alt = make_run(policy="pause_week", severity=severity)
    return content.Pair("attacks=continued", "attacks=pause_week", base, alt)


def test_comparison_key_figures_are_medians_of_paired_differences():
    pair = _pair()
    a, b = _arrays(pair.base_ds), _arrays(pair.alt_ds)
    out = content.comparison_content([(pair.base, pair.base_ds), (pair.alt, pair.alt_ds)], [pair])
    boxes = {k.key: k for k in out["blocks"][0]["key_figures"]}
    assert list(boxes) == ["person_days_below_12", "people_below_12_worst_day", "people_cold_72h",
                           "buildings_frozen_peak"]

    def signed(x):
        text = EN.count(abs(x))
        return text if text == "0" else ("+" if x > 0 else "−") + text

    for key in ("person_days_below_12", "people_below_12_worst_day", "people_cold_72h"):
        d = b[key] - a[key]
        lo, hi = np.percentile(d, [5, 95])
        assert boxes[key].value == signed(_median(d)), key
        assert boxes[key].range == f"{signed(lo)} … {signed(hi)}", key
        assert boxes[key].sub == f"medians {EN.count(_median(a[key]))} → {EN.count(_median(b[key]))} people" \
            if key != "person_days_below_12" else boxes[key].sub.startswith("medians "), key
        # a cut of >= 25 % (b <= 0.75 a and b < a) run by run
        cut = (a[key] > 0) & (a[key] - b[key] >= 0.25 * a[key]) & (b[key] < a[key])
        assert boxes[key].prob == EN.pct(cut.mean()), key


def test_donor_sentence_and_pair_highlights():
    pair = _pair()
    a, b = _arrays(pair.base_ds), _arrays(pair.alt_ds)
    pf = content.PairFigures(pair)
    d = b["person_days_below_12"] - a["person_days_below_12"]
    rel = np.median(d / a["person_days_below_12"])
    assert _median(d) < 0
    sentence = content.donor_sentence(pair, pf)
    assert sentence.startswith(
        f"If strikes pause for 1 day from 29 Jan rather than strikes continue, around {EN.count(abs(_median(d)))} "
        f"fewer person-days would be spent below 12 °C at home over 3 days (median of paired runs, "
        f"{EN.signed(100 * rel)} %)")
    cut = (a["person_days_below_12"] - b["person_days_below_12"] >= 0.25 * a["person_days_below_12"])
    runs = f"all {cut.size}" if cut.all() else f"{EN.pct(cut.mean())} of the"  # all: "in all 10", not "100 %"
    assert sentence.endswith(f"; in {runs} paired model runs the cut is at least 25 %.")
    h = content.pair_highlights(pair, pf)
    assert h[0] == sentence
    wd = b["people_below_12_worst_day"] - a["people_below_12_worst_day"]
    assert h[1] == (f"On the worst day: {EN.count(_median(b['people_below_12_worst_day']))} instead of "
                    f"{EN.count(_median(a['people_below_12_worst_day']))} people below 12 °C at home (median of "
                    f"paired differences −{EN.count(abs(_median(wd)))}).")


def test_a_worse_alternative_and_no_change():
    base = make_run()
    worse = content.Pair("a", "b", base, make_run(policy="pause_week", severity=3.0))
    pf = content.PairFigures(worse)
    d = _arrays(worse.alt_ds)["person_days_below_12"] - _arrays(base)["person_days_below_12"]
    assert _median(d) > 0
    assert content.donor_sentence(worse, pf).startswith(
        f"If strikes pause for 1 day from 29 Jan rather than strikes continue, around {EN.count(_median(d))} more "
        "person-days would be spent below 12 °C at home over 3 days (median of paired runs)")
    same = content.Pair("a", "b", base, base.copy())
    assert content.donor_sentence(same, content.PairFigures(same)).startswith(
        "If strikes continue rather than strikes continue, the person-days below 12 °C at home would not change")


def test_district_pair_rows_sorted_by_the_paired_difference():
    pair = _pair()
    pf = content.PairFigures(pair)
    rows = content.district_pair_rows(pf)["rows"]
    ph_a = pair.base_ds["person_hours_below_threshold"].values[:, K12, :] / 24.0
    ph_b = pair.alt_ds["person_hours_below_threshold"].values[:, K12, :] / 24.0
    diffs = np.median(ph_b - ph_a, axis=0)
    names = list(KYIV_DISTRICTS)
    assert [r["name"] for r in rows] == [names[i] for i in np.argsort(diffs, kind="stable")]
    for r in rows:
        i = names.index(r["name"])
        assert r["cells"][0]["diff_value"] == pytest.approx(diffs[i], rel=1e-12)
        assert r["code"] == KYIV_DISTRICTS[r["name"]]
