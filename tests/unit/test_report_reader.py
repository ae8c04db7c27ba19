"""What an NGO reader of the brief trips over: plurals ("1 days"), wrong Ukrainian number forms, English left in
the Ukrainian brief, a bare config name as the scenario, "0 … 0" ranges, lower-cased month names, chart
labels that disagree with the text or overlap, a cold band without its colour, a table's note alone on a page."""

from __future__ import annotations

import itertools
import re
from html import unescape
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sim.report import brief, content, figures
from sim.report.i18n import get_lang
from tests.unit.report_fixtures import make_run, make_sweep

UK = get_lang("uk")
CSS = (Path(brief.__file__).parent / "static" / "brief.css").read_text(encoding="utf-8")


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _with_lead(monkeypatch, lead_days: float) -> None:
    """Every candidate trigger of the fixture with a median lead time of ``lead_days``."""
    real = content.trigger_table

    def table(ds, settings=None):
        t = real(ds, settings)
        return t.assign(lead_time_days_p50=lead_days)

    monkeypatch.setattr(content, "trigger_table", table)


@pytest.mark.parametrize(("lead", "en", "uk"), [(1.0, "about 1 day ", "близько 1 дн. "),
                                                (1.1, "about 1.1 days ", "близько 1,1 дн. "),
                                                (4.0, "about 4 days ", "близько 4 дн. ")])
def test_lead_time_agrees_with_its_number(monkeypatch, lead, en, uk):
    _with_lead(monkeypatch, lead)
    ds = make_run()
    t = content.run_content(ds)["triggers"]
    assert t["protocol"], "the fixture's chosen trigger"
    assert t["lead"].startswith(en) and not re.search(r"(?<![\d.])1 days|\.\d day\b", t["lead"])
    assert f"peaks {en}after the trigger" in t["protocol"] and not re.search(r"(?<![\d.])1 days", t["protocol"])
    tu = content.run_content(ds, UK)["triggers"]
    assert tu["lead"].startswith(uk)
    assert "Lead time" not in tu["protocol"] and "Probability" not in tu["protocol"]  # the split sentences translated


def test_a_one_day_horizon_is_singular():
    ds = make_run().isel(time=slice(0, 24), day=slice(0, 1))
    ds.attrs["horizon_days"] = 1.0
    assert content.pause_statement(ds).startswith("Horizon: 1 day, ")
    assert content.contract([("x", ds)])["period"].endswith("(1 day)")
    ds = make_run()
    ds.attrs["horizon_days"] = 3.0
    assert content.pause_statement(ds).startswith("Horizon: 3 days, ")
    ds.attrs["horizon_days"] = 1.0  # a recorded horizon that the time axis (3 days) contradicts: the axis
    assert content.pause_statement(ds).startswith("Horizon: 3 days, ")


def test_ukrainian_counts_of_days_and_hours_read_correctly():
    """"21 днів", "72 годин" are wrong Ukrainian (21 день, 72 години); the brief writes the invariant
    abbreviations "дн." and "год" after a number."""
    ds = make_run()
    ds.attrs["horizon_days"] = 21.0
    text = " ".join([*content.run_content(ds, UK)["highlights"], content.pause_statement(ds, UK),
                     " ".join(content.methods(ds, [("x", ds)], UK)["repair"])])
    assert not re.search(r"\d (днів|годин)\b", text), text
    assert "21 дн." in text and "72 год або довше" in text
    sweep = content.comparison_content(content.split_scenarios(make_sweep()), content.pairs_for(
        content.split_scenarios(make_sweep())), UK)
    assert not re.search(r"\d (днів|годин)\b", " ".join(sweep["highlights"]))


def test_no_english_units_in_the_ukrainian_tables():
    ds = make_run()
    body = content.run_content(ds, UK)
    gens = [c["range"] for r in body["districts"]["rows"] for c in r["cells"] if "/" in c["range"]]
    assert gens and all(g.endswith("кВт)") and "kW" not in g for g in gens)
    hours = [r["hours"] for r in body["vulnerable"]["rows"]]
    assert hours and all(h.endswith(" год") for h in hours), hours
    en = content.run_content(ds)
    assert all(r["hours"].endswith(" h") for r in en["vulnerable"]["rows"])


def test_explicit_hits_are_named_in_the_scenario_of_any_policy():
    """The hindcast's Darnytsia CHP, destroyed on 3 Feb, was in no sentence of its brief."""
    for policy in ("waves", "none"):
        ds = make_run(policy=policy)
        assert "listed hit" not in content.describe_scenario(ds)
        ds.attrs["config"] = ds.attrs["config"].replace(
            "  pause_days: 1.0\n", "  pause_days: 1.0\n  hits:\n  - node: Darnytsia CHP\n    day: 5.2\n"
                                   "    damage: destroyed\n  - node: TS-2\n    day: 1.5\n    damage: severe\n")
        text = content.describe_scenario(ds)
        assert text.endswith(", with the listed hits: TS-2 severely damaged on 30 Jan; Darnytsia CHP destroyed "
                             "on 3 Feb"), text
        uk = content.describe_scenario(ds, UK)
        assert uk.endswith(", із заданими ударами: TS-2: сильно пошкоджено 30 січ.; Darnytsia CHP: зруйновано "
                           "3 лют."), uk
        html, _ = brief.build_html(ds)
        assert "Darnytsia CHP destroyed on 3 Feb" in _text(html)


def test_a_hindcast_scenario_is_described_in_words():
    ds = make_run(policy="waves")
    ds.attrs["config"] = ds.attrs["config"].replace(
        "  pause_days: 1.0\n", "  pause_days: 1.0\n  waves:\n  - day: 1.2\n    drones: 242\n  - day: 12.25\n"
                               "    drones: 339\n")
    text = content.describe_scenario(ds)
    assert "strike policy" not in text and "waves" in text
    assert text.startswith("2 listed strike waves on the city's energy, from 30 Jan to 10 Feb")
    assert content.short_name(ds) == "the listed strike waves"
    uk = content.describe_scenario(ds, UK)
    assert uk.startswith("2 задані хвилі ударів") and "policy" not in uk
    html, _ = brief.build_html(ds)
    assert "strike policy" not in _text(html)


def _with_waves(days: list[float]):
    ds = make_run(policy="waves")
    waves = "".join(f"  - day: {d}\n    drones: 100\n" for d in days)
    ds.attrs["config"] = ds.attrs["config"].replace("  pause_days: 1.0\n", "  pause_days: 1.0\n  waves:\n" + waves)
    return ds


@pytest.mark.parametrize(("days", "en", "uk"), [
    ([1.2], "1 listed strike wave on the city's energy, on 30 Jan (",
     "1 задана хвиля ударів по енергетиці міста, 30 січ. ("),
    ([1.2, 12.25], "2 listed strike waves on the city's energy, from 30 Jan to 10 Feb (",
     "2 задані хвилі ударів по енергетиці міста, з 30 січ. до 10 лют. ("),
    ([1.2, 2.0, 3.0, 4.0, 12.25], "5 listed strike waves on the city's energy, from 30 Jan to 10 Feb (",
     "5 заданих хвиль ударів по енергетиці міста, з 30 січ. до 10 лют. ("),
    # Ukrainian 21 takes the plural form of 1 (form 0): still a span, "з ... до ..."
    ([1.2 + 0.5 * i for i in range(21)], "21 listed strike waves on the city's energy, from 30 Jan to 9 Feb (",
     "21 задана хвиля ударів по енергетиці міста, з 30 січ. до 9 лют. ("),
])
def test_listed_waves_one_date_or_a_span_in_both_languages(days, en, uk):
    """One wave is on a date ("on 30 Jan"), not "from 30 Jan to 30 Jan": the Ukrainian plural form 0 (1, 21,
    31 ...) said "з {first} до {last}" for exactly one wave."""
    ds = _with_waves(days)
    text, text_uk = content.describe_scenario(ds), content.describe_scenario(ds, UK)
    assert text.startswith(en), text
    assert text_uk.startswith(uk), text_uk
    if len(days) == 1:
        assert " from " not in text and " to " not in text
        assert not re.search(r"\bз \d+ \w+\. до\b", text_uk), text_uk
        assert "1 listed strike wave on the city's energy, on 30 Jan" in unescape(_text(brief.build_html(ds)[0]))
        assert "1 задана хвиля ударів по енергетиці міста, 30 січ." in _text(brief.build_html(ds, lang="uk")[0])


def test_the_trigger_counts_apartment_buildings_and_defines_its_hit_rate():
    html, _ = brief.build_html(make_run())
    text = _text(html)
    assert " blocks" not in text and "Blocks" not in text
    assert "apartment buildings without heat for 48 h" in text
    assert "Hit rate: of the runs with a shortfall of places, the share in which the trigger was met" in text


def test_a_range_that_reads_as_one_value_is_one_value():
    ds = make_sweep()
    scen = content.split_scenarios(ds)
    pf = content.PairFigures(content.pairs_for(scen)[0])
    assert pf.stats("heating_point_capacity")["range"] == "0"  # the same places in both scenarios
    assert " … " in pf.stats("person_days_below_12")["range"]


@pytest.mark.slow  # renders a comparison brief (~9 s)
def test_comparison_keeps_month_names_as_written():
    """A title lower-cased whole read "29 jan" (and "°c" in the histogram's axis label)."""
    html, figs = brief.build_html(make_sweep(days=3), kind="comparison")
    text = _text(html)
    titles = re.findall(r"strikes pause for 1 day from 29 (\w+)", text)
    assert titles and set(titles) == {"Jan"}, titles
    hist = next(f for f in figs if f.name == "paired_differences")
    labels = [ax.get_xlabel() for ax in hist.figure.axes] + [hist.figure.get_suptitle()]
    assert all("°c" not in t and "jan" not in t for t in labels), labels
    assert hist.figure.get_suptitle().startswith("What strikes pause")


def test_histogram_legend_rounds_like_the_text():
    diff = np.concatenate([np.full(20, -9.9e6), [-257_300.0], np.full(20, -39_000.0)])  # median -257,300
    fig = figures.paired_histogram([("change", diff, "people")], "t")
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert texts[0] == "median \N{MINUS SIGN}260k", texts
    assert texts[1].startswith("5th and 95th percentiles \N{MINUS SIGN}"), texts
    assert figures._compact(-0.2) == "0" and figures._compact(-3400) == "\N{MINUS SIGN}3.4k"


def _overlaps(boxes) -> bool:
    boxes = sorted(boxes, key=lambda b: b.x0)
    return any(b.x0 < a.x1 - 0.5 for a, b in itertools.pairwise(boxes))


def test_dates_on_the_half_width_chart_do_not_overlap_in_ukrainian():
    ds = make_run(days=21)
    fig = figures.heating_point_chart([("x", ds)], lang=UK)
    with mpl.rc_context(figures._RC):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        r = canvas.get_renderer()
        ax = fig.axes[0]
        labels = [t for t in ax.get_xticklabels() if t.get_text() and ax.get_xlim()[0] <= t.get_position()[0]
                  <= ax.get_xlim()[1]]
        assert len(labels) >= 3
        assert not _overlaps([t.get_window_extent(r) for t in labels]), [t.get_text() for t in labels]


def _drawn_in_ukrainian(chart):
    """``chart`` (a :mod:`sim.report.figures` function) of a two-scenario sweep in Ukrainian, drawn: the
    figure and its renderer."""
    named = [(content.scenario_title(n, d, UK), d) for n, d in content.split_scenarios(make_sweep())]
    fig = chart(named, lang=UK)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return fig, canvas.get_renderer()


def test_fan_chart_legend_fits_the_figure_in_ukrainian():
    fig, r = _drawn_in_ukrainian(figures.fan_chart)
    box, page = fig.legends[0].get_window_extent(r), fig.bbox
    assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, (box, page)


def test_every_cold_band_has_its_colour():
    s = content.Settings.from_dataset(make_run())
    for band in content.cold_bands(s):
        assert f"tr.band-{band[0]} td:first-child" in CSS, band[0]


def test_print_layout_keeps_notes_with_tables_and_dates_on_one_line():
    assert re.search(r"table\.data \+ \.note\s*\{[^}]*break-before:\s*avoid", CSS)
    assert re.search(r"table\.timeline td\.day\s*\{[^}]*white-space:\s*nowrap", CSS)
    html, _ = brief.build_html(make_run())
    assert '<td class="day">' in html


def test_places_short_says_why_it_exceeds_needed_minus_available():
    """A reader saw 250,000 places needed, 130,000 available and 160,000 short: the shortfall is summed
    district by district, which the needs table now says."""
    ds = make_run()
    body = content.run_content(ds)
    note = body["needs_note"]
    assert note.startswith("Heating-point places short at the peak: demand above the places of each district's "
                           "points, summed over districts")
    assert "spare places in one district do not cover a shortfall in another" in note
    html, _ = brief.build_html(ds)
    assert 'id="needs-note"' in html
    assert content.run_content(ds, UK)["needs_note"].startswith("Бракує місць")


def test_cold_bands_read_alike_and_the_sources_are_translated():
    """Band 4 said "for more than 2 h" and band 5 "for ≥ 2 h" (report.md: "< 9 °C for >= 2 h"); the Ukrainian
    table named its source "WHO 2018" next to a translated "ВООЗ" in the note."""
    s = content.Settings.from_dataset(make_run())
    bands = content.cold_bands(s)
    assert bands[4][1] == "< 9 °C for ≥ 2 h"
    uk = content.cold_bands(s, UK)
    assert uk[0][4] == "ВООЗ 2018" and all("WHO" not in b[4] for b in uk)


def test_console_agrees_with_the_brief():
    """The console printed "130,000 - 130,000" and a capped "±100 %" where the brief shows "130,000" and
    "over ±100 %"; a sweep printed "0 to 0"."""
    from sim.report.console import comparison_summary, run_summary
    from sim.report.exports import headline_frame

    frame = headline_frame(make_run())
    city = frame["adm5_name"] == ""
    cap = city & (frame["figure"] == "heating_point_capacity")
    assert cap.sum() == 1
    frame.loc[city & (frame["figure"] == "people_below_12_mean"), ["mc_rel_error", "mc_enough"]] = [3.0, False]
    lines = run_summary(frame).splitlines()
    line = next(x for x in lines if "Heating-point places available" in x)
    assert " - " not in line and "130,000" in line, line
    line = next(x for x in lines if "People below 12 °C indoors, average over the period" in x)
    assert line.rstrip().endswith("over ±100 % !"), line
    import pandas as pd

    table = pd.DataFrame([{"scenario": "attacks=pause_week", "baseline": "attacks=continued",
                           "figure": "buildings_frozen_peak", "label": "Buildings whose heating systems froze",
                           "unit": "buildings", "adm5_name": "", "baseline_p50": 0.0, "scenario_p50": 0.0,
                           "diff_p50": 0.0, "diff_p5": 0.0, "diff_p95": 0.0, "prob_reduction_25": 0.0}])
    line = next(x for x in comparison_summary(table).splitlines() if x.startswith("Buildings whose"))
    assert " to " not in line and line.split()[-3:] == ["0", "0", "%"], line


def _inside(fig) -> list[str]:
    """Texts of ``fig`` (titles, legends) that reach beyond its edges after drawing."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r, page = canvas.get_renderer(), fig.bbox
    out = []
    for ax in fig.axes:
        t = ax.title if ax.get_title() else ax._left_title
        b = t.get_window_extent(r)
        if t.get_text() and (b.x0 < page.x0 - 1 or b.x1 > page.x1 + 1):
            out.append(t.get_text())
    return out


def test_comparison_legends_do_not_cover_bars_or_curves_and_titles_fit():
    scen = content.split_scenarios(make_sweep())
    named = [(content.scenario_title(n, d, UK), d) for n, d in scen]
    for fig in (figures.district_chart(named, lang=UK), figures.duration_curves(named, lang=UK)):
        assert fig.legends, "a figure legend below the chart"
        assert all(ax.get_legend() is None for ax in fig.axes), "no legend inside the axes"
        assert not _inside(fig)


def test_duration_legend_and_axis_label_do_not_overlap():
    fig, r = _drawn_in_ukrainian(figures.duration_curves)
    legend = fig.legends[0].get_window_extent(r)
    labels = [ax.xaxis.label for ax in fig.axes if ax.get_xlabel()]
    labels += [fig._supxlabel] if getattr(fig, "_supxlabel", None) is not None else []
    assert labels
    assert all(not legend.overlaps(t.get_window_extent(r)) for t in labels)


def _with_shares(monkeypatch, runs_triggered: float, probability: float) -> None:
    """Every candidate trigger of the fixture met in ``runs_triggered`` of the runs, with a shortfall after it
    in ``probability`` of those."""
    real = content.trigger_table

    def table(ds, settings=None):
        return real(ds, settings).assign(runs_triggered=runs_triggered, probability=probability)

    monkeypatch.setattr(content, "trigger_table", table)


def test_a_trigger_met_in_every_run_says_so_rather_than_100_percent(monkeypatch):
    """"met in 100 % of runs" from 10 runs read as certainty: the brief says in how many runs."""
    _with_shares(monkeypatch, 1.0, 1.0)
    ds = make_run()  # 10 runs
    t = content.run_content(ds)["triggers"]
    assert "is met in all 10 runs, typically around" in t["sentence"]
    assert "more places are needed (in all 10 of those runs)." in t["sentence"]
    assert "a shortfall of places follows in all 10 runs in which the trigger is met." in t["protocol"]
    assert t["skill"].startswith("The trigger is met in all 10 runs; it catches ")
    assert not re.search(r"\b100 %", t["sentence"] + t["protocol"] + t["skill"])
    tu = content.run_content(ds, UK)["triggers"]
    assert "спрацьовує у кожному з 10 прогонів, зазвичай" in tu["sentence"]
    assert "(у кожному з цих 10 прогонів)" in tu["sentence"]
    assert "дефіцит місць настає у кожному з 10 прогонів зі спрацюванням тригера." in tu["protocol"]


def test_a_share_of_none_of_the_runs_says_so_and_others_stay_percentages(monkeypatch):
    _with_shares(monkeypatch, 0.5, 0.0)
    ds = make_run()
    t = content.run_content(ds)["triggers"]
    assert "is met in 50 % of runs, typically" in t["sentence"]
    assert "(in none of those 5 runs)" in t["sentence"]  # the 5 runs in which it is met
    assert "follows in none of the 5 runs in which the trigger is met." in t["protocol"]
    assert "(у жодному з цих 5 прогонів)" in content.run_content(ds, UK)["triggers"]["sentence"]
    # a conditioned nowcast's runs count by their weights: no count of runs to give, a percentage
    w = np.linspace(1.0, 2.0, ds.sizes["realization"])
    weighted = ds.assign(realization_weight=("realization", w / w.sum()))
    assert "(probability 0 %)" in content.run_content(weighted)["triggers"]["sentence"]


@pytest.fixture(scope="module")
def donor_pair():
    """A pair and its figures in English and Ukrainian, computed once (each is a comparison table)."""
    pair = content.Pair("attacks=continued", "attacks=pause_week", make_run(), make_run(policy="pause_week"))
    return pair, content.PairFigures(pair), content.PairFigures(pair, UK)


@pytest.mark.parametrize(("p", "en", "uk"), [
    (1.0, "; in all 10 paired model runs the cut is at least 25 %.",
     "; у кожному з 10 парних прогонів моделі скорочення становить щонайменше 25 %."),
    (0.0, "; in none of the 10 paired model runs is the cut 25 % or more.",
     "; у жодному з 10 парних прогонів моделі скорочення не сягає 25 %."),
    (0.3, "; in 30 % of the paired model runs the cut is at least 25 %.",
     "; у 30 % парних прогонів моделі скорочення становить щонайменше 25 %."),
])
def test_the_donor_sentence_says_all_or_none_of_the_paired_runs(monkeypatch, donor_pair, p, en, uk):
    real = content.PairFigures.stats

    def stats(self, key):
        st = real(self, key)
        return st | {"prob": self.lang.pct(p), "prob_value": p} if key == "person_days_below_12" else st

    monkeypatch.setattr(content.PairFigures, "stats", stats)  # on the class: the shared figures use it too
    pair, figures_en, figures_uk = donor_pair
    assert content.donor_sentence(pair, figures_en).endswith(en)
    assert content.donor_sentence(pair, figures_uk).endswith(uk)


def test_in_runs_keeps_percentages_for_a_single_run_and_fractions():
    en = get_lang("en")
    assert content.in_runs(en, 1.0, 40) == "in all 40 runs"
    assert content.in_runs(en, 0.0, 40) == "in none of the 40 runs"
    assert content.in_runs(en, 0.999, 40) == "in >99 % of runs"
    assert content.in_runs(en, 1.0, 1) == "in 100 % of runs"  # one run: "all 1 runs" says nothing more
    assert content.in_runs(UK, 1.0, 21) == "у кожному з 21 прогону"
    assert content.in_runs(UK, 0.0, 40) == "у жодному з 40 прогонів"
