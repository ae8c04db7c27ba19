"""The brief's prose (sim.report.content): every text of the brief translated, and what the English must say.

The Ukrainian brief must not be half in English: every message the content asks gettext for has a
Ukrainian translation in ``sim/report/locale/uk/LC_MESSAGES/coldgrid.po`` (a mutated or misspelt message id
falls back to the English id), and no string of the Ukrainian content repeats three English words in a row
of the English content. The English texts are checked against the fixture's known settings
(tests/unit/report_fixtures.py: seed 7, 10 runs, 3 days from 29 Jan 2026, 120 power and 60 heat crews,
...), written out by hand. Fast (about 1 s a test); each test builds its content itself, so that mutmut maps
the functions to the tests (``[tool.mutmut]``).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
import typing
import warnings

import numpy as np
import pytest
from babel.messages.pofile import read_po

from sim.keyfigures import Settings
from sim.report import content
from sim.report.i18n import Lang, catalog_path
from tests.unit.report_fixtures import make_run

EN, UK = Lang("en"), Lang("uk")
WEATHER = "weather:\n  kind: cold_snap\n  min_temperature_c: -25\n"


@functools.cache
def _translated() -> frozenset[str]:
    """Message ids (singular of plurals) with a non-empty Ukrainian translation."""
    with catalog_path("uk").open("rb") as fh:
        cat = read_po(fh, locale="uk", domain="coldgrid")
    have = set()
    for m in cat:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if all(strings):
            have.add(m.id if isinstance(m.id, str) else m.id[0])
    return frozenset(have)


@dataclasses.dataclass(frozen=True)
class StrictUk(Lang):
    """Ukrainian that records every message id asked for without a translation in the catalog."""

    code: str = "uk"
    missing: list = dataclasses.field(default_factory=list, compare=False, hash=False)

    def _(self, message: str, **kw: object) -> str:
        if message not in _translated():
            self.missing.append(message)
        return super()._(message, **kw)

    def n_(self, singular: str, plural: str, n: float, **kw: object) -> str:
        if singular not in _translated():
            self.missing.append(singular)
        return super().n_(singular, plural, n, **kw)


def _run(policy: str = "continued", **kw) -> object:
    """The fixture's run with a cold-snap weather config (the weather in words, as real runs record it)."""
    ds = make_run(policy=policy, **kw)
    ds.attrs["config"] += WEATHER
    return ds


def _pause(start_day: float = 0.0, length: float | None = 1.0, policy: str = "pause_week", **kw) -> object:
    """A pause scenario: no strikes from ``start_day`` for ``length`` days (attributes as result.nc has them)."""
    ds = _run(policy=policy, severity=0.6, **kw)
    ds.attrs["pause_start_day"], ds.attrs["pause_days"] = start_day, length
    return ds


def _strings(x) -> list[str]:
    """Every string of a content structure, in order (KeyFigure boxes by field; objects left out)."""
    if isinstance(x, str):
        return [x]
    if isinstance(x, content.KeyFigure):
        x = dataclasses.asdict(x)
    if isinstance(x, dict):
        return [s for k, v in x.items() if k not in ("figures_obj", "pf") for s in _strings(v)]
    if isinstance(x, list | tuple):
        return [s for v in x for s in _strings(v)]
    return []


def _run_prose(lang: Lang) -> dict:
    """Everything of a run brief that goes through gettext (content, methods box, caveats, contract line)."""
    ds = _run()
    return {
        "run": content.run_content(ds, lang),
        "pause": content.pause_statement(ds, lang),
        "methods": content.methods(ds, [("", ds)], lang),
        "caveats": content.caveats(lang),
        "contract": content.contract([("", ds)], lang),
    }


def _comparison_prose(lang: Lang) -> dict:
    """A comparison brief: continued against a 1-day pause (two districts, to keep it fast)."""
    base, alt = _run(n_districts=2), _pause(n_districts=2)
    scen = [("attacks=continued", base), ("attacks=pause_week", alt)]
    pairs = [content.Pair(scen[0][0], scen[1][0], base, alt)]
    return {
        "comparison": content.comparison_content(scen, pairs, lang),
        "pause": content.pause_statement(alt, lang),
        "methods": content.methods(base, scen, lang),
        "contract": content.contract(scen, lang),
    }


def _check_all_ukrainian(build) -> None:
    """Build in English and in (strict) Ukrainian: no message without a translation, no English left."""
    uk = StrictUk()
    en_text, uk_text = _strings(build(EN)), _strings(build(uk))
    assert not uk.missing, f"untranslated in the Ukrainian brief: {sorted(set(uk.missing))[:5]}"
    assert len(en_text) == len(uk_text) and len(en_text) > 20
    left = [(e, u) for e, u in zip(en_text, uk_text, strict=True) if _english_runs(e) & _english_runs(u)]
    assert not left, f"English left in the Ukrainian brief: {left[:3]}"


WORD = re.compile(r"\w+")
ASCII_WORD = re.compile(r"[A-Za-z]+")


def _english_runs(text: str, n: int = 3) -> set[tuple[str, ...]]:
    """Runs of ``n`` consecutive words of Latin letters only (numbers and Cyrillic words break a run)."""
    words = WORD.findall(text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)
            if all(ASCII_WORD.fullmatch(w) for w in words[i:i + n])}


def test_run_brief_is_all_ukrainian():
    _check_all_ukrainian(_run_prose)


def test_comparison_brief_is_all_ukrainian():
    _check_all_ukrainian(_comparison_prose)

POLICIES = ["continued", "single_wave", "total_heat_loss", "none", "pause_week", "pause_then_surge", "pause_broken"]


def _scenario_words(lang: Lang) -> list[str]:
    """The scenario texts of every strike policy (with and without a pause window), the swept keys in words."""
    out = []
    for policy in POLICIES:
        for days in (0.0, 1.0, 2.0):
            ds = _pause(length=days, policy=policy) if policy.startswith("pause") else _run(policy)
            out += [content.describe_scenario(ds, lang), content.short_name(ds, lang),
                    content.scenario_title(f"attacks={policy}", ds, lang)]
    keys = {"weather.min_temperature_c": "-30", "repair.crew_multiplier": "2", "people.heating_points": "900",
            "people.places_per_point": "80", "people.uptake_frac": "0.5", "seed": "3", "realizations": "200",
            "horizon_days": "21"}
    out += [content.scenario_title(f"{k}={v}", _run(), lang) for k, v in keys.items()]
    small = _run()
    small.attrs["city"] = "small_town"
    out += [content.city_name(small, lang), content.city_name(_run(), lang), content.weather_text(_run(), lang)]
    bare = _run()
    bare.attrs["config"] = ""
    out += [content.methods(bare, [("x", bare)], lang)["repair"][0], content.contract([("", bare.drop_vars("population"))], lang)["population"]]
    return out


def test_scenario_texts_are_all_ukrainian():
    _check_all_ukrainian(_scenario_words)


# --------------------------------------------------------------------------- the methods box
CREWS = "120 power and 60 heat-network crews"
REPAIRS = "; repairs stop during air-raid alerts; repaired assets can be hit again"
KYIV_D1 = "; population estimate 2024 (mobile data, incl. internally displaced people), calibration D1"


def _with_config(ds, old: str, new: str):
    assert old in ds.attrs["config"]
    ds.attrs["config"] = ds.attrs["config"].replace(old, new)
    return ds


def test_methods_box_states_the_run_settings():
    """The fixture's settings (report_fixtures.CONFIG_YAML and attributes), written out by hand."""
    ds = _run()
    ds["population"] = ds["population"] * (3_143_000 / 3_100_000)
    m = content.methods(ds, [("", ds)])
    assert m["model"] == "coldgrid 0.1.0"
    assert (m["runs"], m["seed"], m["household_size"], m["interval"]) == (10, "7", "2.42", "90")
    assert m["period"] == "29 Jan 2026 – 31 Jan 2026 (3 days, hourly steps)"
    assert m["weather"] == "synthetic cold snap ensemble, minimum -25 °C"
    assert m["scenarios"] == [("strikes continue",
                               "strike waves on the city's energy continue at the January–February 2026 rate")]
    assert m["repair"] == [
        CREWS + REPAIRS,
        "3 spare large transformers; new ones take 180 days",
        "Heating systems drained after 4 h without circulation in frost; refill and restart 1.2 crew-hours per "
        "building after the heat source returns",
        "Systems that freeze take about 21 days to restore",
    ]
    # 3 significant digits of the people present, 2 of the residents (3.7 million, 16 % left)
    assert m["denominator"] == ("3.14 million people present (3.7 million residents, of whom 16 % assumed to "
                                "have left)" + KYIV_D1)
    assert m["heating_points"] == "1,300 heating points x 100 places"
    assert m["mc_rule"] == ("Monte Carlo error: a distribution-free 95 % confidence interval of each median from "
                            "order statistics; the runs are enough when its half-width is within ±10 % of the "
                            "median (output.mc_rel_tolerance).")
    assert m["bands"] == content.cold_bands(Settings())


def test_methods_box_with_other_settings():
    ds = _run()
    ds["population"] = ds["population"] * (3_143_400 / 3_100_000)  # 3.1434 million: 3 digits, not 4
    _with_config(ds, "crew_multiplier: 1.0", "crew_multiplier: 2.5\n  transformer_lead_days: 90")
    _with_config(ds, "restart_h_per_building: 1.2", "restart_h_per_building: 2")
    _with_config(ds, "drain_delay_h: 4.0", "drain_delay_h: 6")
    _with_config(ds, "frozen_repair_days: 21.0", "frozen_repair_days: 14")
    _with_config(ds, "population_total: 3700000", "population_total: 3740000")
    _with_config(ds, "heating_points: 1300\n  places_per_point: 100", "heating_points: 1250\n  places_per_point: 85")
    ds.attrs["config"] += "output:\n  interval_pct: 80\n  mc_confidence: 0.9\n  mc_rel_tolerance: 0.05\n"
    ds.attrs["household_size"], ds.attrs["seed"] = 3.0, 11
    pause = _pause(length=2.0)  # the same settings (a setting the scenarios differ in lists each value)
    pause.attrs.update(config=ds.attrs["config"].replace("policy: continued", "policy: pause_week"), seed=11)
    pause["population"] = ds["population"]
    m = content.methods(ds, [("attacks=continued", ds), ("attacks=pause_week", pause)])
    assert m["repair"] == [
        CREWS + " (x2.5)" + REPAIRS,
        "3 spare large transformers; new ones take 90 days",
        "Heating systems drained after 6 h without circulation in frost; refill and restart 2 crew-hours per "
        "building after the heat source returns",
        "Systems that freeze take about 14 days to restore",
    ]
    assert m["denominator"] == ("3.14 million people present (3.7 million residents, of whom 16 % assumed to "
                                "have left)" + KYIV_D1)
    assert m["heating_points"] == "1,250 heating points x 85 places"  # the configured counts, not rounded
    assert (m["seed"], m["household_size"], m["interval"]) == ("11", "3", "80")
    assert "distribution-free 90 % confidence interval" in m["mc_rule"] and "within ±5 % of" in m["mc_rule"]
    assert m["scenarios"] == [
        ("Strikes continue", "strike waves on the city's energy continue at the January–February 2026 rate"),
        ("Strikes pause for 2 days from 29 Jan",
         "no strike waves on the city for 2 days from 29 Jan (day 0) to 31 Jan, then waves resume"),
    ]


def test_methods_box_without_the_optional_settings():
    ds = _run()
    ds.attrs["config"] = ("city:\n  name: kyiv\nrepair:\n  power_crews: 120\n  heat_crews: 60\n"
                          "people:\n  places_per_point: 100\n")
    del ds.attrs["household_size"], ds.attrs["seed"], ds.attrs["weather_source"]
    ds.attrs["city"] = "small_town"
    m = content.methods(ds, [("baseline", ds)])
    assert m["repair"] == [CREWS + REPAIRS]
    assert m["denominator"] == "3.1 million people present"  # no residents total, not Kyiv
    assert (m["heating_points"], m["seed"], m["household_size"], m["weather"]) == ("", "", "2.42", "not recorded")
    assert m["scenarios"][0][0] == "strikes continue"  # a label without "=": the short name
    ds.attrs["config"] = "city:\n  population_total: 1000000\nrepair:\n  crew_multiplier: 0\npeople:\n  heating_points: 10\n"
    ds.attrs["city"] = "kyiv"
    m = content.methods(ds, [("", ds)])
    assert m["repair"] == ["? power and ? heat-network crews" + REPAIRS]  # a multiplier of 0 reads as 1
    assert m["denominator"] == ("3.1 million people present (1 million residents, of whom 0 % assumed to have "
                                "left)" + KYIV_D1)
    assert m["heating_points"] == "10 heating points x 0 places"
    for cfg in ("", "repair: 3\ncity: 2\npeople: 1\n"):
        ds.attrs["config"] = cfg
        m = content.methods(ds, [("", ds)])
        assert m["repair"] == ["See the run configuration (config attribute of result.nc)"]
        assert m["heating_points"] == "" and m["denominator"] == "3.1 million people present" + KYIV_D1
    ds.attrs["weather_source"] = "ECMWF ENS 51 members, 2 m temperature in degC"
    assert content.methods(ds, [("", ds)])["weather"] == "ECMWF ENS 51 members, 2 m temperature in °C"
    del ds.attrs["city"]
    ds.attrs["config"] = "city:\n  name: kyiv\n"
    assert content.methods(ds, [("", ds)])["denominator"].endswith(KYIV_D1)  # the city from the config


# --------------------------------------------------------------------------- scenarios in words
CONTINUED = "strike waves on the city's energy continue at the January–February 2026 rate"


def test_scenario_sentences_of_every_policy():
    """The fixture starts on 29 Jan 2026; a pause from day 3 for 7 days runs 1 Feb - 8 Feb."""
    words = {
        "continued": CONTINUED,
        "single_wave": "one strike wave on the city, then none",
        "total_heat_loss": "stress test: all district-heat sources fail at the start and stay down",
        "none": "no strike waves on the city (reference)",
        "escalation": "strike policy escalation",
        "": "strike policy not recorded",
    }
    for policy, text in words.items():
        assert content.describe_scenario(_run(policy)) == text, policy
    assert content.describe_scenario(_pause(3.0, 7.0)) == ("no strike waves on the city for 7 days from 1 Feb (day 3) "
                                                          "to 8 Feb, then waves resume")
    assert content.describe_scenario(_pause(0.5, 1.5)) == ("no strike waves on the city for 1.5 days from 29 Jan "
                                                          "(day 0.5) to 31 Jan, then waves resume")
    assert content.describe_scenario(_pause(0.0, 1.0)) == ("no strike waves on the city for 1 day from 29 Jan (day 0) "
                                                          "to 30 Jan, then waves resume")
    assert content.describe_scenario(_pause(1.0, 2.0, "pause_then_surge")) == (
        "no strike waves on the city for 2 days from 30 Jan (day 1) to 1 Feb, then a larger wave (withheld weapons "
        "added)")
    assert content.describe_scenario(_pause(1.0, 1.0, "pause_then_surge")) == (
        "no strike waves on the city for 1 day from 30 Jan (day 1) to 31 Jan, then a larger wave (withheld weapons "
        "added)")
    assert content.describe_scenario(_pause(1.0, 2.0, "pause_broken")) == ("a pause announced from 30 Jan (day 1) "
                                                                          "ends early, then waves resume")


def test_a_pause_of_no_days_is_the_continued_campaign():
    for days in (0.0, None, ""):
        ds = _pause(length=days)
        assert content.describe_scenario(ds) == CONTINUED and content.short_name(ds) == "strikes continue", days
    ds = _run("pause_week")
    del ds.attrs["pause_days"]  # no pause length recorded: the policy's own words
    assert content.describe_scenario(ds) == "no strike waves on the city for a week, then waves resume"
    assert content.short_name(ds) == "strikes pause for a week"
    other = _pause(length=0.0, policy="escalation")  # not a pause policy: stays itself
    assert content.describe_scenario(other) == "strike policy escalation" and content.short_name(other) == "escalation"


def test_short_names_of_every_policy():
    words = {"continued": "strikes continue", "single_wave": "a single strike wave",
             "total_heat_loss": "all district heat is lost (stress test)", "none": "no strikes",
             "escalation": "escalation", "": "the scenario"}
    for policy, text in words.items():
        assert content.short_name(_run(policy)) == text, policy
    assert content.short_name(_pause(3.0, 7.0)) == "strikes pause for 7 days from 1 Feb"
    assert content.short_name(_pause(0.0, 1.0)) == "strikes pause for 1 day from 29 Jan"
    assert content.short_name(_pause(1.0, 2.0, "pause_then_surge")) == ("strikes pause for 2 days from 30 Jan, then a "
                                                                       "larger wave")
    assert content.short_name(_pause(1.0, 1.0, "pause_then_surge")) == ("strikes pause for 1 day from 30 Jan, then a "
                                                                       "larger wave")
    assert content.short_name(_pause(1.0, 2.0, "pause_broken")) == "the pause from 30 Jan breaks early"


def test_policy_from_the_attributes_then_the_config():
    ds = _run("single_wave")
    assert content.policy_of(ds) == "single_wave"
    ds.attrs["attacks_policy"] = ""
    assert content.policy_of(ds) == "single_wave"  # from the config's attacks.policy
    ds.attrs["config"] = "attacks:\n  policy: none\n"
    assert content.policy_of(ds) == "none"
    ds.attrs["config"] = "seed: 1\n"
    assert content.policy_of(ds) == ""
    ds.attrs["config"] = "attacks:\n  pause_days: 2\n"
    assert content.policy_of(ds) == ""


def test_swept_keys_in_words():
    ds = _run()
    words = {
        "weather.min_temperature_c=-30.0": "Strikes continue; coldest night -30 °C"[18:],
        "repair.crew_multiplier=2.0": "repair crews x2",
        "people.heating_points=1250": "1,250 heating points",  # a sweep value in full: 1,200 and 1,250 differ
        "people.places_per_point=85": "85 places per heating point",
        "people.uptake_frac=0.5": "50 % of those eligible go to heating points",
        "seed=3": "seed 3",
        "realizations=200": "200 runs",
        "horizon_days=21": "21 days",
        "weather.min_temperature_c=cold": "weather.min_temperature_c = cold",  # not a number: as given
        "city.name=lviv": "city.name = lviv",
    }
    for label, text in words.items():
        assert content.scenario_title(label, ds) == text[:1].upper() + text[1:], label
    assert content.scenario_title("seed=3 realizations=200", ds) == "Seed 3; 200 runs"
    assert content.scenario_title("people.heating_points=1250 people.places_per_point=85", ds) == (
        "1,250 heating points; 85 places per heating point")


def test_scenario_titles_with_the_policy():
    ds = _pause(3.0, 7.0)
    assert content.scenario_title("attacks=pause_week attacks.pause_start_day=3 weather.min_temperature_c=-30",
                                  ds) == "Strikes pause for 7 days from 1 Feb; coldest night -30 °C"
    assert content.scenario_title("attacks.pause_start_day=3", ds) == "Strikes pause for 7 days from 1 Feb"
    for label in ("", "baseline"):  # no KEY=VALUE: the policy
        assert content.scenario_title(label, _run("none")) == "No strikes"
    assert content.scenario_title("attacks=continued", _run()) == "Strikes continue"


def test_weather_city_and_model_in_words():
    ds = _run()
    assert content.weather_text(ds) == "synthetic cold snap ensemble, minimum -25 °C"
    ds.attrs["config"] = ds.attrs["config"].replace("min_temperature_c: -25", "min_temperature_c: -27.5")
    assert content.weather_text(ds) == "synthetic cold snap ensemble, minimum -27.5 °C"
    for weather in ("weather:\n  kind: cold_snap\n", "weather:\n  kind: ensemble\n  min_temperature_c: -25\n",
                    "weather: era5\n", ""):
        ds.attrs["config"] = weather
        assert content.weather_text(ds) == "synthetic cold snap, min -25 °C", weather  # as recorded, in °C
    del ds.attrs["weather_source"]
    assert content.weather_text(ds) == "forecast ensemble"
    assert content.pretty("min -25degC, 2 m degC.") == "min -25 °C, 2 m °C."
    assert content.pretty("degCs") == "degCs"
    assert content.city_name(_run()) == "Kyiv (synthetic Kyiv-like city)"
    ds = _run()
    ds.attrs["city"] = "small_town"
    assert content.city_name(ds) == "Small town (synthetic test city)"
    ds.attrs["city"] = ""
    assert content.city_name(ds) == "Kyiv (synthetic Kyiv-like city)"  # from the config's city.name
    ds.attrs["config"] = "city:\n  name: lviv\n"
    assert content.city_name(ds) == "lviv"
    ds.attrs["config"] = "seed: 1\n"
    assert content.city_name(ds) == "city"
    assert content.model_version(ds) == "coldgrid 0.1.0"
    del ds.attrs["source"]
    assert content.model_version(ds) == "coldgrid"


def test_pause_statement_names_the_window_and_the_horizon():
    assert content.pause_statement(_run()) == "Horizon: 3 days, 29 Jan 2026 – 31 Jan 2026."
    assert content.pause_statement(_pause(1.0, 1.5)) == (
        "The pause runs from 30 Jan 2026 to 31 Jan 2026 (days 1–2.5 of the run); the figures cover the whole "
        "horizon of 3 days, 29 Jan 2026 – 31 Jan 2026. A pause that starts later or a longer horizon gives other "
        "numbers (experiment=pause_timing).")
    four = _pause(0.0, 2.0, days=4)
    assert content.pause_statement(four).startswith("The pause runs from 29 Jan 2026 to 31 Jan 2026 (days 0–2 of "
                                                    "the run); the figures cover the whole horizon of 4 days, 29 Jan "
                                                    "2026 – 1 Feb 2026.")


def test_cold_bands_and_their_sources():
    """Calibration G1 (WHO 2018 housing and health guidelines), G2 (Cold Weather Plan for England 2011)."""
    cwp = "Cold Weather Plan for England 2011"
    assert content.cold_bands(Settings()) == [
        ("0", "≥ 18 °C", "adequate", "WHO minimum met", "WHO 2018"),
        ("1", "16–18 °C", "cool", "risk for 65+, chronically ill, infants", "WHO 2018"),
        ("2", "12–16 °C", "cold", "resistance to respiratory infection falls; vulnerable people to a warm room or "
         "heating point", cwp),
        ("3", "9–12 °C", "very cold", "cardiovascular strain; vulnerable people should relocate", cwp),
        ("4", "< 9 °C for ≥ 2 h", "severe", "core body temperature falls", cwp),
        ("5", "< 6 °C for ≥ 2 h", "dangerous", "high risk of hypothermia; active outreach", "Collins 1986; " + cwp),
    ]
    other = content.cold_bands(Settings(long_c=15.0, severe_c=10.5, danger_c=5.0, danger_h=3.0))
    assert [b[1] for b in other] == ["≥ 18 °C", "15–18 °C", "10.5–15 °C", "9–10.5 °C", "< 9 °C for ≥ 2 h",
                                     "< 5 °C for ≥ 3 h"]


def test_caveats_say_what_the_brief_is_not():
    c = content.caveats()
    assert len(c) == 3
    assert "not a forecast" in c[0] and "Infrastructure is synthetic." in c[0]
    assert "5th–95th percentile" in c[1] and "real ranges are wider" in c[1]
    assert "not health outcomes" in c[2] and "assumed, not observed" in c[2]


def test_contract_line_in_words():
    one, two = _run(), _pause(0.0, 1.0)
    c = content.contract([("", one)])
    assert c["scenario"] == CONTINUED
    assert c["trigger"] == ("cold spell in the weather ensemble (synthetic cold snap ensemble, minimum -25 °C) while "
                            "the energy system is under attack")
    c = content.contract([("attacks=continued", one), ("attacks=pause_week", two)], trigger="forecast minimum below -15")
    assert c["scenario"] == "strikes continue; strikes pause for 1 day from 29 Jan"
    assert c["trigger"] == "forecast minimum below -15"
    assert content.contract([("", one.drop_vars("population"))])["population"] == "not recorded"


# --------------------------------------------------------------------------- the run brief's boxes and notes
class _Hiding(content.Figures):
    """Figures without the keys in ``HIDE`` (a run whose outputs lack those figures)."""

    HIDE: frozenset[str] = frozenset()

    def __contains__(self, key: str) -> bool:
        return key not in self.HIDE and super().__contains__(key)


def _boxes(ds, monkeypatch=None, hide=()) -> dict:
    if monkeypatch is not None:
        monkeypatch.setattr(content, "Figures", type("Hide", (_Hiding,), {"HIDE": frozenset(hide)}))
    return {k.key: k.sub for k in content.run_content(ds)["key_figures"]}


def test_key_figure_boxes_without_their_small_print(monkeypatch):
    ds = _run(n_districts=2)
    full = _boxes(ds)
    assert len(full) == 7 and all(v for k, v in full.items() if k != "person_days_below_12")  # all small print
    subs = _boxes(ds.drop_vars(["heating_point_capacity", "generator_kw", "diesel_consumption", "people_severe_cold"]))
    gone = ("diesel_l_per_day_mean", "people_cold_72h")  # no diesel, no spells: no box
    assert subs == {k: v for k, v in full.items() if k not in gone} | {"heating_point_demand_peak": "",
                                                                         "generators_peak": ""}
    assert _boxes(ds.drop_vars("generator_load_kw"))["generators_peak"] == ""  # rated and load kW both needed
    hidden = _boxes(ds, monkeypatch, ("people_below_12_worst_day", "people_below_16_worst_day",
                                      "people_cold_72h_65plus", "diesel_l_per_day_peak"))
    assert hidden == {**full, "people_below_12_mean": "", "people_below_16_mean": "", "people_cold_72h": "",
                      "diesel_l_per_day_mean": ""}
    only = ("people_below_12_mean", "people_below_16_mean", "person_days_below_12", "people_cold_72h",
            "heating_point_demand_peak", "generators_peak", "diesel_l_per_day_mean")
    for hide in (only[::2], only[1::2]):  # each box appears only with its figure
        assert list(_boxes(ds, monkeypatch, hide)) == [k for k in only if k not in hide], hide


def test_ranking_note_names_the_chance_level():
    """By chance alone a district is among the k hardest hit in k of n runs (3 of 10: 30 %)."""
    out = content.run_content(_run())
    assert [r["date"] for r in out["timeline"]["rows"]] == ["Thu 29 Jan", "Fri 30 Jan", "Sat 31 Jan"]  # when
    note = out["ranking_note"]
    assert note == ("Share of runs in which the district is among the 3 hardest hit, ranked by person-days below "
                    "12 °C per 1,000 people present; a district named in most runs is a safe priority, one near 30 % "
                    "(chance) is not.")
    ds = _run(n_districts=4)
    ds.attrs["config"] += "output:\n  top_districts: 1\n"
    note = content.run_content(ds)["ranking_note"]
    assert "among the 1 hardest hit" in note and note.endswith("near 25 % (chance) is not.")
    assert content._chance(3, 2) == 1.0 and content._chance(3, 0) == 1.0


def test_needs_timeline_by_day():
    ds = _run()
    t = content.needs_timeline(ds, content.Figures(ds))
    assert t["columns"] == ["Places needed (daily peak)", "Places available", "Generators (daily peak)", "Diesel L",
                            "People < 12 °C (daily average)", "Buildings without heat (daily peak)"]
    assert t["keys"] == ["heating_point_demand_p50", "heating_point_capacity", "generators_p50", "diesel_l_p50",
                         "people_below_12c_mean_p50", "buildings_without_heat_p50"]
    assert [r["date"] for r in t["rows"]] == ["Thu 29 Jan", "Fri 30 Jan", "Sat 31 Jan"]
    R = ds.sizes["realization"]
    daily = {
        0: ds["heating_point_demand"].values.reshape(R, 3, 24).max(axis=2),
        2: ds["generators_running"].values.reshape(R, 3, 24).max(axis=2),
        3: ds["diesel_consumption"].values,
        4: ds["people_below_threshold"].values[:, :, 2].reshape(R, 3, 24).mean(axis=2),
    }
    for col, x in daily.items():
        assert [r["cells"][col] for r in t["rows"]] == [EN.count(v) for v in np.median(x, axis=0)], col
    assert all(r["cells"][1] == "130,000" for r in t["rows"])
    assert t["note"] == "Medians over runs of each day's figure (summary.csv, rows “All districts”)."


def test_needs_and_headline_rows():
    ds = _run()
    f = content.Figures(ds)
    needs = content.needs_rows(f)
    keys = [r["key"] for r in needs]
    assert "heating_point_demand_peak" in keys and "diesel_l_per_day_mean" in keys
    assert "people_below_12_mean" not in keys and "person_days_below_12" not in keys  # exposure, not needs
    row = needs[keys.index("heating_point_capacity")]
    assert row == {"key": "heating_point_capacity", "label": "Heating-point places available", "median": "130,000",
                   "range": "130,000", "unit": "places", "mc": "Monte Carlo error ±0 %", "lead": False}
    rows = content.all_rows(f)
    assert len(rows) == len(f.city) and {r["key"] for r in rows} >= set(keys)
    lead = {r["key"] for r in rows if r["lead"]}
    assert "people_below_16_mean" in lead and "heating_point_capacity" not in lead
    assert [r for r in rows if r["key"] == "heating_point_capacity"] == [row]


# --------------------------------------------------------------------------- comparisons in words
def _two_district_pair() -> content.Pair:
    return content.Pair("attacks=continued", "attacks=pause_week", _run(n_districts=2), _pause(n_districts=2))


class _HidingPair(content.PairFigures):
    """Paired figures without the keys in ``HIDE``."""

    HIDE: frozenset[str] = frozenset()

    def __contains__(self, key: str) -> bool:
        return key not in self.HIDE and super().__contains__(key)


def _signed(x: float) -> str:
    text = EN.count(abs(x))
    return text if text == "0" else ("+" if x > 0 else "−") + text


def test_pair_highlights_name_both_medians_and_the_paired_difference():
    pair = _two_district_pair()
    a_ds, b_ds = pair.base_ds, pair.alt_ds

    def per_run(ds):
        return {
            "people_cold_72h": ds["people_severe_cold"].values[:, :, 0].sum(axis=1),
            "heating_point_demand_peak": ds["heating_point_demand"].values.max(axis=1),
            "people_cold_24h": ds["people_cold_24h"].values.sum(axis=1),
        }

    a, b = per_run(a_ds), per_run(b_ds)
    m = {k: (EN.count(np.median(a[k])), EN.count(np.median(b[k])), _signed(np.median(b[k] - a[k]))) for k in a}
    h = content.pair_highlights(pair, content.PairFigures(pair))
    assert len(h) == 5 and h[0].startswith("If strikes pause for 1 day from 29 Jan rather than strikes continue")
    a72, b72, d72 = m["people_cold_72h"]
    assert h[2] == f"Below 12 °C for 72 hours or more: {b72} instead of {a72} people (median of paired differences {d72})."
    ap, bp, dp = m["heating_point_demand_peak"]
    assert h[3] == (f"Heating-point places needed at the peak: {bp} instead of {ap} (median of paired differences "
                    f"{dp}).")
    a24, b24, d24 = m["people_cold_24h"]
    assert h[4] == (f"People below 16 °C for 24 hours or more, a count that saturates: {b24} instead of {a24} (median "
                    f"of paired differences {d24}).")
    hide = type("Hide", (_HidingPair,), {"HIDE": frozenset({"person_days_below_12", "people_cold_72h"})})
    h = content.pair_highlights(pair, hide(pair))  # no robust measure: no donor sentence, the others stay
    assert [t.split(":")[0] for t in h] == ["On the worst day", "Heating-point places needed at the peak",
                                            "People below 16 °C for 24 hours or more, a count that saturates"]


class _FakePair:
    """Paired figures with given medians of paired differences of the robust measure (and frozen systems)."""

    def __init__(self, d: float | None, frozen: float | None = None) -> None:
        self.d, self.frozen = d, frozen

    def __contains__(self, key: str) -> bool:
        return {"person_days_below_12": self.d, "buildings_frozen_peak": self.frozen}.get(key) is not None

    def stats(self, key: str) -> dict:
        x = {"person_days_below_12": self.d, "buildings_frozen_peak": self.frozen}[key]
        return {"diff": f"d{x:g}", "rel": f"r{x:g}", "range": f"R{x:g}", "prob": f"p{x:g}", "diff_value": x}


def _block(title: str, pf: _FakePair) -> dict:
    return {"pf": pf, "alt_title": title, "base_title": "Strikes continue"}


def test_pairs_summary_names_the_alternative_that_cuts_most():
    one = content.pairs_summary([_block("A", _FakePair(-5.0, -2.0))])
    assert one == {"rows": [{"title": "A", "against": "Strikes continue", "diff": "d-5", "rel": "r-5",
                             "range": "R-5", "prob": "p-5", "frozen": "d-2", "value": -5.0}], "sentence": ""}
    blocks = [_block("A", _FakePair(-5.0)), _block("B", _FakePair(-9.0, 1.0)), _block("D", _FakePair(None)),
              _block("C", _FakePair(3.0))]
    s = content.pairs_summary(blocks)
    assert [(r["title"], r["frozen"]) for r in s["rows"]] == [("A", ""), ("B", "d1"), ("C", "")]  # D: no measure
    assert s["sentence"] == ("Of the 3 alternatives, B cuts person-days below the severe threshold most (median of "
                             "paired differences d-9).")
    assert "Of the 2 alternatives, A cuts" in content.pairs_summary([blocks[0], blocks[3]])["sentence"]
    uk = content.pairs_summary(blocks, UK)["sentence"]
    assert "B" in uk and "d-9" in uk and not _english_runs(uk)


def test_district_pair_rows_columns_and_codes():
    pair = _two_district_pair()
    pf = content.PairFigures(pair)
    d = content.district_pair_rows(pf)
    assert d["columns"] == ["Person-days below 12 °C indoors", "Heating-point places needed at the peak"]
    assert sorted((r["name"], r["code"]) for r in d["rows"]) == [("Darnytskyi", "UA80000000000210193"),
                                                                 ("Holosiivskyi", "UA80000000000126643")]
    demand = [pair.alt_ds["heating_point_demand_by_district"].values[:, :, i].max(axis=1)
              - pair.base_ds["heating_point_demand_by_district"].values[:, :, i].max(axis=1) for i in range(2)]
    names = ["Holosiivskyi", "Darnytskyi"]
    for r in d["rows"]:
        assert r["cells"][1]["diff"] == _signed(np.median(demand[names.index(r["name"])]))
    uk = copy.copy(pf)
    object.__setattr__(uk, "lang", UK)
    assert sorted(r["name"] for r in content.district_pair_rows(uk)["rows"]) == ["Голосіївський", "Дарницький"]
    table = pf.table
    pf.table = table[table["adm5_name"] == ""]  # a run without districts
    assert content.district_pair_rows(pf) == {"rows": [], "columns": []}
    pf.table = table[(table["adm5_name"] == "") | (table["figure"] == "heating_point_demand_peak")]
    only = content.district_pair_rows(pf)
    assert only["columns"] == ["Heating-point places needed at the peak"] and len(only["rows"]) == 2
    same = content.Pair("a", "b", pair.base_ds, pair.base_ds)
    tied = content.district_pair_rows(content.PairFigures(same))  # all differences 0: the dataset's order
    assert [r["name"] for r in tied["rows"]] == ["Holosiivskyi", "Darnytskyi"]


class _Scenario(str):
    """A scenario stand-in for the pairing rules: its name, with the attributes pairs_for reads (no city:
    any two may pair)."""

    attrs: typing.ClassVar[dict] = {}


def test_pairs_for_every_baseline():
    s = [("attacks=continued", _Scenario("c")), ("attacks=pause_week", _Scenario("p")),
         ("attacks=none", _Scenario("n"))]
    pairs = content.pairs_for(s)
    assert [(p.base, p.alt, p.base_ds, p.alt_ds) for p in pairs] == [
        ("attacks=continued", "attacks=pause_week", "c", "p"), ("attacks=continued", "attacks=none", "c", "n")]
    assert content.pairs_for(s[:1]) == [] and content.pairs_for([]) == []
    later = [("attacks=pause_week", _Scenario("p")), ("attacks=continued", _Scenario("c"))]  # the continued campaign wherever it is
    assert [(p.base, p.alt) for p in content.pairs_for(later)] == [("attacks=continued", "attacks=pause_week")]
    first = [("attacks=none", _Scenario("n")), ("attacks=single_wave", _Scenario("w"))]  # no continued campaign: the first
    assert [(p.base, p.alt) for p in content.pairs_for(first)] == [("attacks=none", "attacks=single_wave")]
    assert [(p.base, p.alt) for p in content.pairs_for(s, "attacks=none")] == [
        ("attacks=none", "attacks=continued"), ("attacks=none", "attacks=pause_week")]
    grid = [("attacks=continued seed=1", _Scenario("c1")), ("attacks=pause_week seed=1", _Scenario("p1")),
            ("attacks=continued seed=2", _Scenario("c2")), ("attacks=pause_week seed=2", _Scenario("p2")), ("seed=3", _Scenario("x")),
            ("attacks=none seed=4", _Scenario("n4"))]
    pairs = content.pairs_for(grid, "attacks=continued")
    assert [(p.base, p.alt, p.base_ds, p.alt_ds) for p in pairs] == [
        ("attacks=continued seed=1", "attacks=pause_week seed=1", "c1", "p1"),
        ("attacks=continued seed=2", "attacks=pause_week seed=2", "c2", "p2")]  # n4 has no continued twin
    with pytest.raises(ValueError, match=r"baseline 'x' is neither a scenario label nor one override KEY=VALUE; "
                                         r"scenarios: attacks=continued, attacks=pause_week, attacks=none"):
        content.pairs_for(s, "x")
    with pytest.raises(ValueError, match="neither"):
        content.pairs_for(s, "attacks=none seed=1")
    with pytest.raises(ValueError, match=r"baseline 'seed=9': no scenario pairs found among attacks=continued seed=1, "
                                         r"attacks=pause_week seed=1"):
        content.pairs_for(grid[:2], "seed=9")  # the key varies, no scenario has the value: no pair
    with pytest.raises(ValueError, match=r"baseline 'seed=9': no scenario pairs found among attacks=continued, "):
        content.pairs_for(s, "seed=9")  # an explicit baseline that matches nothing stays an error
    # a sweep that does not vary the configured baseline's key (horizon_days=3,4 with the callback's default
    # attacks=continued): the callback takes the default, each scenario against the first, as sim.sweep's
    # comparison.csv pairs them (the brief was not rendered)
    horizons = [("horizon_days=3", _Scenario("h3")), ("horizon_days=4", _Scenario("h4")), ("horizon_days=5", _Scenario("h5"))]
    labels = [h for h, _ in horizons]
    assert not content.baseline_applies("attacks=continued", labels)
    assert content.baseline_applies("horizon_days=4", labels) and content.baseline_applies(None, labels)
    assert content.baseline_applies("attacks=continued", [lb for lb, _ in s])
    assert content.baseline_applies("horizon_days=3 seed=1", labels)  # not one override: pairs_for says why
    assert [(p.base, p.alt, p.base_ds, p.alt_ds) for p in content.pairs_for(horizons, None)] == [
        ("horizon_days=3", "horizon_days=4", "h3", "h4"), ("horizon_days=3", "horizon_days=5", "h3", "h5")]


def test_methods_box_defaults_and_sources():
    ds = _run()
    _with_config(ds, "  restart_h_per_building: 1.2\n", "")
    m = content.methods(ds, [("attacks=pause_week weather.min_temperature_c=-30", _pause(3.0, 7.0))])
    assert m["repair"][2] == ("Heating systems drained after 4 h without circulation in frost; refill and restart 1.2 "
                              "crew-hours per building after the heat source returns")  # the default restart time
    assert m["scenarios"][0][0] == "Strikes pause for 7 days from 1 Feb; coldest night -30 °C"  # the whole label
    del ds.attrs["weather_source"]  # the weather from the config alone
    assert content.methods(ds, [("", ds)])["weather"] == "synthetic cold snap ensemble, minimum -25 °C"
    # no population variable reads as an unknown one (was "– people present": a dash for a number)
    assert content.methods(ds.drop_vars("population"), [("", ds)])["denominator"].startswith(
        "people present: not available (")
    uk = content.methods(ds, [("baseline", ds)], UK)  # the short name in the brief's language
    assert uk["scenarios"][0][0] == "удари тривають"


def test_needs_timeline_with_a_threshold_below_zero_with_decimals():
    """The summary.csv column of a severe threshold of -2.5 degC is ``people_below_m2_5c_mean_p50``."""
    ds = _run(n_districts=2)
    ds = ds.assign_coords(threshold=("threshold", [18.0, 16.0, -2.5, 9.0], {"units": "degC"}))
    ds["people_severe_cold"].attrs["threshold_c"] = -2.5
    t = content.needs_timeline(ds, content.Figures(ds))
    assert "people_below_m2_5c_mean_p50" in t["keys"] and "People < -2.5 °C (daily average)" in t["columns"]
    col = t["keys"].index("people_below_m2_5c_mean_p50")
    daily = ds["people_below_threshold"].values[:, :, 2].reshape(10, 3, 24).mean(axis=2)
    assert [r["cells"][col] for r in t["rows"]] == [EN.count(v) for v in np.median(daily, axis=0)]


def test_needs_timeline_in_february_with_a_day_without_diesel_figures():
    ds = _run(n_districts=2)
    week = np.timedelta64(7, "D")
    ds = ds.assign_coords(time=ds["time"].values + week, day=ds["day"].values + week)
    diesel = ds["diesel_consumption"].values.copy()
    diesel[:, 2] = np.nan  # no diesel figure on the last day: an empty cell, not a dash or a zero
    ds["diesel_consumption"].values[:] = diesel
    with warnings.catch_warnings():  # numpy: "All-NaN slice encountered"
        warnings.simplefilter("ignore", RuntimeWarning)
        t = content.needs_timeline(ds, content.Figures(ds))
    assert [r["date"] for r in t["rows"]] == ["Thu 5 Feb", "Fri 6 Feb", "Sat 7 Feb"]
    col = t["keys"].index("diesel_l_p50")
    assert [r["cells"][col] for r in t["rows"]] == [EN.count(v) for v in np.median(diesel[:, :2], axis=0)] + [""]


def test_run_content_has_every_part_the_template_reads():
    """The names templates/run.html.j2 reads (StrictUndefined: a missing one fails the brief)."""
    ds = _run(n_districts=2)
    out = content.run_content(ds)
    assert {"highlights", "key_figures", "definitions", "districts", "ranking_note", "needs", "vulnerable",
            "timeline", "triggers", "headline", "mc"} <= set(out)
    assert out["mc"].startswith("10 runs were ")
    assert {r["key"] for r in out["needs"]} >= {"heating_point_demand_peak", "heating_point_capacity"}
    assert "people_below_12_mean" in {r["key"] for r in out["headline"]}
    assert {"candidates", "sentence", "protocol", "usable"} <= set(out["triggers"])
    assert [r["date"] for r in out["timeline"]["rows"]] == ["Thu 29 Jan", "Fri 30 Jan", "Sat 31 Jan"]


def test_a_pair_of_the_same_policy_is_told_apart_by_its_swept_keys():
    """A sweep of ``repair.crew_multiplier=1,2`` (the same policy twice) read "If strikes continue rather than
    strikes continue" in the highlights, the heading and the contract line: each name now carries the words of
    the overrides in which the two scenarios differ."""
    base, alt = make_run(), make_run(severity=0.6)
    pair = content.Pair("repair.crew_multiplier=1", "repair.crew_multiplier=2", base, alt)
    donor = content.donor_sentence(pair, content.PairFigures(pair))
    assert donor.startswith("If strikes continue (repair crews x2) rather than strikes continue (repair crews x1), ")
    assert content.told_apart("a=1 seed=3", "a=2 seed=3", "x", "y") == ("x", "y")  # told apart by the policy
    assert content.told_apart("attacks=continued weather.min_temperature_c=-20",
                              "attacks=continued weather.min_temperature_c=-30", "x", "x") == (
        "x (coldest night -20 °C)", "x (coldest night -30 °C)")
    assert content.told_apart("city.k=1", "city.k=2", "x", "x") == ("x (city.k = 1)", "x (city.k = 2)")
    uk = Lang("uk")
    b, a = content.told_apart(pair.base, pair.alt, "x", "x", uk)
    assert a == "x (" + uk._("repair crews x{x}", x="2") + ")" and b != a
    line = content.contract([(pair.base, base), (pair.alt, alt)])["scenario"]
    assert line == "repair crews x1; repair crews x2", line
    policies = content.contract([("attacks=continued", base), ("attacks=pause_week", make_run(policy="pause_week"))])
    assert policies["scenario"].startswith("strikes continue; strikes pause for ")  # distinct: as before
