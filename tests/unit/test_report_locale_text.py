"""Numbers and recorded text in the Ukrainian brief; unknown figures and empty slots in both languages.

* a configured value (a threshold, hours, a household size, a multiplier) reaches the text in the brief's
  locale: a decimal comma in Ukrainian (CLDR ``uk``), the English text as Python's ``:g`` wrote it;
* the weather source recorded by the run (``weather_source``) has its fixed parts translated, the file
  names in it stay as given;
* a population that is all NaN is "not available", never 0 people;
* the donor sentence without a relative change has no empty slot.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from sim.keyfigures import Settings
from sim.report import content, numbers
from sim.report.figures import _compact
from tests.unit.report_fixtures import make_run

EN, UK = content.Lang("en"), content.Lang("uk")
WEATHER = "weather:\n  kind: cold_snap\n  min_temperature_c: -25\n"
DECIMAL_POINT = re.compile(r"\d\.\d")


def _run(**kw):
    ds = make_run(**kw)
    ds.attrs["config"] += WEATHER
    return ds


def _strings(x, skip=("figures_obj", "pf", "model", "version", "key", "id")) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, content.KeyFigure):
        x = {k: getattr(x, k) for k in ("value", "label", "range", "sub", "diff", "prob", "mc")}
    if isinstance(x, dict):
        return [s for k, v in x.items() if k not in skip for s in _strings(v)]
    if isinstance(x, list | tuple):
        return [s for v in x for s in _strings(v)]
    return []


# --------------------------------------------------------------------------- 1. decimal comma
@pytest.mark.parametrize("x", [-25.0, -27.5, 12.0, 1.2, 2.42, 0.5, 72.0, 180.0, 0.0, 999.5, 1 / 3])
def test_exact_is_python_g_in_english_and_has_a_decimal_comma_in_ukrainian(x):
    assert numbers.exact(x) == f"{x:g}" == EN.exact(x)
    assert UK.exact(x) == f"{x:g}".replace(".", ",")


def test_exact_groups_digits_by_the_locale():
    assert numbers.exact(12500.0, "uk") == "12\xa0500" and numbers.exact(12500.0) == "12,500"
    assert numbers.exact_text("-25.0", "uk") == "-25,0" and numbers.exact_text("-25.0") == "-25.0"
    assert numbers.exact_text("1e+06") == "1e+06" and numbers.exact_text("x.csv", "uk") == "x.csv"


def _with_fractions():
    """The fixture's run with fractional settings: coldest night -27.5 degC, a 1.5-day pause from day 0.5,
    household size 2.42 and 1.2 crew-hours per building (the fixture's), crews x2.5, drain after 4.5 h."""
    ds = make_run(policy="pause_week", severity=0.6)
    ds.attrs["config"] = (ds.attrs["config"].replace("crew_multiplier: 1.0", "crew_multiplier: 2.5")
                          .replace("drain_delay_h: 4.0", "drain_delay_h: 4.5")
                          + "weather:\n  kind: cold_snap\n  min_temperature_c: -27.5\n")
    ds.attrs["pause_start_day"], ds.attrs["pause_days"] = 0.5, 1.5
    return ds


def _prose(ds, lang) -> dict:
    base = _run()
    pair = content.Pair("attacks=continued", "attacks=pause_week", base, ds)
    scen = [(pair.base, base), (pair.alt, ds)]
    return {
        "run": content.run_content(ds, lang),
        "pause": content.pause_statement(ds, lang),
        "methods": content.methods(ds, [("attacks=pause_week weather.min_temperature_c=-27.5", ds)], lang),
        "contract": content.contract([("", ds)], lang),
        "titles": [content.scenario_title("repair.crew_multiplier=2.5 weather.min_temperature_c=-27.5", ds, lang)],
        "comparison": content.comparison_content(scen, [pair], lang),
        "bands": content.cold_bands(Settings(severe_c=12.5, long_c=16.5, danger_c=6.5, danger_h=2.5), lang),
    }


def test_no_decimal_point_in_the_ukrainian_brief():
    uk = _strings(_prose(_with_fractions(), UK))
    left = [s for s in uk if DECIMAL_POINT.search(s)]
    assert not left, f"decimal points in the Ukrainian brief: {left[:4]}"
    assert any("2,42" in s for s in uk) and any("1,2" in s for s in uk) and any("-27,5" in s for s in uk)


def test_the_english_brief_keeps_its_numbers():
    ds = _with_fractions()
    m = content.methods(ds, [("", ds)])
    assert m["household_size"] == "2.42"
    assert m["repair"][0].startswith("120 power and 60 heat-network crews (x2.5)")
    assert m["repair"][2] == ("Heating systems drained after 4.5 h without circulation in frost; refill and restart "
                              "1.2 crew-hours per building after the heat source returns")
    assert m["weather"] == "synthetic cold snap ensemble, minimum -27.5 °C"
    assert content.describe_scenario(ds) == ("no strike waves on the city for 1.5 days from 29 Jan (day 0.5) to "
                                             "31 Jan, then waves resume")


def test_figure_labels_and_definitions_in_the_locale():
    f = content.Figures(_run(), UK)
    assert "2,42" in f.definition("households_cold_24h") and "2.42" not in f.definition("households_cold_24h")
    assert "2.42" in content.Figures(_run()).definition("households_cold_24h")


def test_axis_labels_in_the_locale():
    assert [_compact(x) for x in (1200, 3_400_000, 12_000, 800)] == ["1.2k", "3.4M", "12k", "800"]
    assert not any(DECIMAL_POINT.search(_compact(x, None, UK)) for x in (1200, 3_400_000, 1500))
    assert _compact(1200, None, UK).startswith("1,2")


# --------------------------------------------------------------------------- 2. the recorded weather source
@pytest.mark.parametrize(("recorded", "kept"), [
    ("file: /data/ens.nc (51 realizations)", "/data/ens.nc"),
    ("file: fc.csv (1 series for all realizations)", "fc.csv"),
    ("file: fc.csv (3 realizations, cycled)", "fc.csv"),
    ("file: fc.csv (60 realizations, first 50 used)", "fc.csv"),
    ("weather file my forecast.csv", "my forecast.csv"),
    ("observed before 2026-01-29 20:00:00: obs.csv; then file: ens.nc (51 realizations)", "obs.csv"),
    ("file: ens.nc (51 realizations); quantile mapping of daily means: hind.nc onto kyiv.dly TAVG 1991-2020, "
     "window +-15 d", "hind.nc"),
    ("cold_snap: spell to -25.0 degC (ensemble-median daily minimum) from a baseline of -7.6 degC", "-25,0"),
])
def test_recorded_weather_source_is_translated_around_the_file_names(recorded, kept):
    ds = make_run()
    ds.attrs["weather_source"] = recorded
    en, uk = content.weather_text(ds, EN), content.weather_text(ds, UK)
    assert en == recorded.replace(" degC", " °C")  # English: as recorded
    assert kept in uk
    words = re.compile(r"\b[a-z]{4,}\b")  # English words (identifiers such as TAVG, EPW may stay)
    names = " ".join(re.findall(r"\S+\.[a-z]+\b", en))  # file names stay as given
    english = set(words.findall(en.replace("_", " "))) - set(words.findall(names))
    assert not english & set(words.findall(uk.replace("_", " "))), uk
    assert content.methods(ds, [("", ds)], UK)["weather"] == uk


def test_unknown_recorded_weather_source_stays_as_given():
    ds = make_run()
    ds.attrs["weather_source"] = "ECMWF ENS 51 members, 2 m temperature in degC"
    assert content.weather_text(ds, UK) == "ECMWF ENS 51 members, 2 m temperature in °C"


# --------------------------------------------------------------------------- 3. population unknown
def _unknown_population():
    ds = _run()
    ds["population"] = ds["population"] * np.nan
    return ds


def test_unknown_population_is_not_available_not_zero():
    ds = _unknown_population()
    for lang in (EN, UK):
        pop = content.contract([("", ds)], lang)["population"]
        denom = content.methods(ds, [("", ds)], lang)["denominator"]
        assert not re.match(r"0\b", pop) and not re.search(r"\b0\b", denom), (pop, denom)
        assert lang._("{n} people present", n="0") not in (pop, denom)
    assert content.contract([("", ds)])["population"] == "not available"
    assert content.methods(ds, [("", ds)])["denominator"].startswith("people present: not available")
    assert content.contract([("", ds)], UK)["population"] == UK._("not available") != "not available"
    assert content.methods(ds, [("", ds)], UK)["denominator"].startswith(UK._("people present: not available"))


def test_known_population_is_still_counted():
    ds = _run()
    assert content.contract([("", ds)])["population"] == "3.1 million people present"


# --------------------------------------------------------------------------- 4. donor sentence, no relative change
def test_donor_sentence_without_a_relative_change_has_no_empty_slot():
    base, alt = _run(n_districts=2), _run(n_districts=2, policy="pause_week", severity=0.6)
    pair = content.Pair("attacks=continued", "attacks=pause_week", base, alt)
    for lang in (EN, UK):
        pf = content.PairFigures(pair, lang)
        pf.city.loc["person_days_below_12", "rel_diff_p50"] = np.nan  # a baseline of 0 in the median run
        assert pf.stats("person_days_below_12")["rel"] == "" and pf.stats("person_days_below_12")["diff_value"] < 0
        text = content.donor_sentence(pair, pf)
        assert ", )" not in text and "()" not in text and "( " not in text, text
        assert not re.search(r",\s*\)", text), text
    pf = content.PairFigures(pair)
    pf.city.loc["person_days_below_12", "rel_diff_p50"] = np.nan
    assert re.search(r"over 3 days \(median of paired runs\)[,;.]", content.donor_sentence(pair, pf))


def test_population_unknown_in_one_district_is_not_summed_over_the_others():
    """A city total over the known districts only would be silently too low: it is not available."""
    from sim.report import summary_frame
    from sim.report.hxl import ALL_DISTRICTS

    ds = _run()
    pop = ds["population"].values.astype(float).copy()
    pop[0] = np.nan
    ds["population"] = (ds["population"].dims, pop)
    assert np.isnan(content.people_present(ds))
    assert content.contract([("", ds)])["population"] == "not available"
    df, _ = summary_frame(ds)
    city = df[df["adm5_name"] == ALL_DISTRICTS]["population"]
    assert city.isna().all(), city
    known = df[(df["adm5_name"] != ALL_DISTRICTS)]["population"].dropna()
    assert len(known) and (known > 0).all()  # the known districts keep their figures


def test_sensitivity_bounds_in_ukrainian_have_decimal_commas_and_unambiguous_separators():
    from sim.report.sensitivity import bounds_text

    assert bounds_text("[0.5, 1.5]", EN) == "[0.5, 1.5]"  # English as recorded
    assert bounds_text("[0.5, 1.5]", UK) == "[0,5; 1,5]"
    assert bounds_text("[-25.0, -10.0, 3.0]", UK) == "[-25; -10; 3]"
    assert bounds_text("not json", UK) == "not json"


# --------------------------------------------------------------------------- 5. headline.csv's own texts
def _fractional_threshold():
    """The fixture's run with its severe threshold at 12.5 degC (a threshold the result has)."""
    ds = _run().assign_coords(threshold=[18.0, 16.0, 12.5, 9.0])
    ds["people_severe_cold"].attrs["threshold_c"] = 12.5
    s = Settings.from_dataset(ds)
    assert s.severe_c == 12.5
    return ds, s


def _texts(frame, key) -> list[str]:
    rows = frame[frame["figure"] == key]
    assert len(rows), key
    return [*rows["label"], *rows["definition"]]


@pytest.mark.parametrize("key", ["person_days_below_12_per_1000", "hardest_hit_share"])
def test_headline_frame_writes_its_numbers_with_the_locale_formatter(key):
    """The two figures headline_frame defines itself wrote their threshold with Python's ``:g``; they go
    through :func:`sim.report.numbers.exact` now: a decimal comma in ``uk``, the same digits in English
    (``headline.csv`` is English and unchanged)."""
    from sim.report.exports import headline_frame

    ds, s = _fractional_threshold()
    en, uk = headline_frame(ds, s), headline_frame(ds, s, locale="uk")
    assert any("12.5 °C" in t for t in _texts(en, key)) and not any("12,5" in t for t in _texts(en, key))
    assert any("12,5 °C" in t for t in _texts(uk, key))
    assert not [t for t in _texts(uk, key) if DECIMAL_POINT.search(t)]
    assert content.Figures(ds, UK).frame["definition"].tolist() == uk["definition"].tolist()  # the brief's frame


def test_headline_frame_english_texts_are_those_of_python_g():
    from sim.report.exports import headline_frame

    ds, s = _fractional_threshold()
    frame = headline_frame(ds, s)
    share = frame[frame["figure"] == "hardest_hit_share"]["definition"]
    assert set(share) == {f"districts ranked in each run by person-days below {12.5:g} °C per 1,000 people present"}
    rate = frame[frame["figure"] == "person_days_below_12_per_1000"]["label"]
    assert set(rate) == {f"Person-days below {12.5:g} °C per 1,000 people present"}
