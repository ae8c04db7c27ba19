"""What a brief says: scenarios in words, the contract line, highlights, key figures, where, how many, when.

Everything here turns Datasets into plain Python structures (strings, numbers, lists of dicts) that the
Jinja2 templates lay out; no HTML is built here, and all user text (labels, scenario and district names)
stays plain text for the templates to escape. Every number comes from the tables the CSVs are written from:
:func:`sim.report.exports.headline_frame` (``headline.csv``), :func:`sim.stats.comparison_table`
(``comparison.csv``), :func:`sim.report.hxl.summary_frame` (``summary.csv``) and
:func:`sim.report.triggers.trigger_table` (``triggers.csv``); figures are defined in :mod:`sim.keyfigures`.
Text goes through a :class:`sim.report.i18n.Lang` (gettext, numbers and dates per locale).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from sim import keyfigures, stats
from sim.errors import NotComparableError
from sim.keyfigures import N_, Settings
from sim.report import numbers
from sim.report.exports import COUNT_UNITS, headline_frame
from sim.report.frames import series_at
from sim.report.hxl import ALL_DISTRICTS, summary_frame
from sim.report.i18n import Lang
from sim.report.scenarios import Scenario, _config, _tokens, has_result, missing_variables, split_scenarios
from sim.report.triggers import trigger_table
from sim.weighted_stats import realization_weights

__all__ = [
    "KeyFigure",
    "Pair",
    "cold_bands",
    "comparison_content",
    "contract",
    "pairs_for",
    "run_content",
    "scenario_title",
    "split_scenarios",
]

EN = Lang("en")


@dataclass
class KeyFigure:
    """One key-figure box: a big rounded number, a one-line label, its interval and a footnote."""

    value: str
    label: str
    range: str = ""
    sub: str = ""
    footnote: int = 0
    diff: str = ""
    prob: str = ""
    mc: str = ""
    key: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pair:
    """A comparison: ``alt`` against ``base`` (realization-wise, same seed)."""

    base: str
    alt: str
    base_ds: xr.Dataset
    alt_ds: xr.Dataset


def pairs_for(scenarios: Sequence[Scenario], baseline: str | None = None) -> list[Pair]:
    """Which scenario is compared with which.

    ``baseline`` is a scenario label, or one override (``attacks=continued``): every scenario whose value
    of that key differs is paired with the scenario that has the same other overrides and the baseline
    value. Default: ``attacks=continued`` if present, else each scenario against the first scenario of its
    city. Scenarios of different cities are never paired (a run-by-run difference between two cities means
    nothing); when that leaves no pair, :class:`~sim.errors.NotComparableError`.
    """
    labels = [s for s, _ in scenarios]
    by = dict(scenarios)
    if len(labels) < 2:
        return []
    if baseline is None and not any(_tokens(s).get("attacks") == "continued" for s in labels):
        first: dict[str, str] = {}
        pairs = []
        for s in labels:
            city = city_of(by[s])
            base = next((b for c, b in first.items() if same_city(c, city)), None)
            if base is None:
                first[city] = s
            else:
                pairs.append(Pair(base, s, by[base], by[s]))
        return _comparable(pairs, labels, by)
    if baseline is None:
        baseline = "attacks=continued"
    if baseline in labels:
        return _comparable([Pair(baseline, s, by[baseline], by[s]) for s in labels if s != baseline], labels, by)
    btok = _tokens(baseline)
    if len(btok) != 1:
        raise ValueError(
            f"baseline {baseline!r} is neither a scenario label nor one override KEY=VALUE; "
            f"scenarios: {', '.join(labels)}"
        )
    ((key, value),) = btok.items()
    pairs = []
    for s in labels:
        tok = _tokens(s)
        if key not in tok or tok[key] == value:
            continue
        want = {**tok, key: value}
        match = [b for b in labels if _tokens(b) == want]
        if match:
            pairs.append(Pair(match[0], s, by[match[0]], by[s]))
    if not pairs:
        raise ValueError(f"baseline {baseline!r}: no scenario pairs found among {', '.join(labels)}")
    return _comparable(pairs, labels, by)


def city_of(ds: xr.Dataset) -> str:
    """The city a scenario is of (``city``, from its result or config; "" when it does not say)."""
    return str(ds.attrs.get("city") or _config(ds).get("city", {}).get("name", "") or "")


def same_city(a: str, b: str) -> bool:
    """Whether two scenarios' cities (:func:`city_of`) are the same one (True when either does not say)."""
    return not a or not b or a == b


def _comparable(pairs: list[Pair], labels: Sequence[str], by: dict[str, xr.Dataset]) -> list[Pair]:
    """The pairs of scenarios of the same city; none of them: :class:`~sim.errors.NotComparableError`."""
    kept = [p for p in pairs if same_city(city_of(p.base_ds), city_of(p.alt_ds))]
    if not kept:
        cities = ", ".join(dict.fromkeys(city_of(by[s]) for s in labels))
        raise NotComparableError(f"the scenarios are of different cities ({cities}): scenarios of different cities "
                                 "are not compared run by run; each job's brief has its figures")
    return kept


def baseline_applies(baseline: str | None, labels: Sequence[str]) -> bool:
    """Whether a sweep's configured baseline (``hydra.callbacks.collect.baseline``, by default
    ``attacks=continued``) says anything about these scenarios: a label, or one override whose key some label
    sets. When it does not (a sweep of ``horizon_days=3,4``), the sweep's brief takes the default baseline
    (the first scenario), as :func:`sim.sweep.comparison_table` pairs every job with the first; an explicit
    ``coldgrid-report --baseline`` that matches nothing stays an error."""
    if baseline is None or baseline in labels:
        return True
    btok = _tokens(baseline)
    return len(btok) != 1 or any(next(iter(btok)) in _tokens(s) for s in labels)


def pretty(text: str) -> str:
    """Model text for readers: "degC" -> "°C"."""
    return re.sub(r"\s?degC\b", " °C", str(text))


def _in_full(x: float, lang: Lang) -> str:
    """A configured count in full digits (1,250 heating points, not the brief's rounded 1,200)."""
    return lang.num(x, max(2, len(f"{abs(x):.0f}")))


def lower_first(text: str) -> str:
    """A title inside a sentence: its first letter in lower case, the rest as it is ("Strikes pause for 7 days
    from 29 Jan" -> "strikes pause for 7 days from 29 Jan"; ``str.lower`` would give "29 jan")."""
    return text[:1].lower() + text[1:]


def plural_n(shown: float) -> float:
    """The number that picks a plural form for a value as the brief shows it: a whole value as it is, a
    fraction as 2 (English "0.8 days", "1.5 days"; Ukrainian "1,5 дня", the form of 2-4), so that "1 days"
    or "1.5 day" never appear."""
    x = float(shown)
    if not np.isfinite(x):
        return 2.0
    return x if x.is_integer() else 2.0


def policy_of(ds: xr.Dataset) -> str:
    return str(ds.attrs.get("attacks_policy") or _config(ds).get("attacks", {}).get("policy", "") or "")


def city_name(ds: xr.Dataset, lang: Lang = EN) -> str:
    city = str(ds.attrs.get("city") or _config(ds).get("city", {}).get("name", "") or "city")
    names = {"kyiv": lang._("Kyiv (synthetic Kyiv-like city)"), "small_town": lang._("Small town (synthetic test city)")}
    return names.get(city, city)


def model_version(ds: xr.Dataset) -> str:
    return str(ds.attrs.get("source", "coldgrid"))


def n_runs(ds: xr.Dataset) -> int:
    return int(ds.sizes.get("realization", ds.attrs.get("realizations", 0)))


def counted_runs(ds: xr.Dataset) -> int | None:
    """The number of runs when each counts the same (None for a conditioned nowcast's weighted runs)."""
    return None if realization_weights(ds) is not None else n_runs(ds)


def every_or_none(p: float, n: int | None) -> str:
    """``"all"`` or ``"none"`` when a share ``p`` of ``n`` equally counted runs (n >= 2) is exactly 1 or 0,
    else ``""``: the brief then says "in all 40 runs" rather than "100 %", which reads as certainty.

    >>> every_or_none(1.0, 40), every_or_none(0.0, 40), every_or_none(0.5, 40), every_or_none(1.0, None)
    ('all', 'none', '', '')
    """
    if n is None or n < 2 or not np.isfinite(p):
        return ""
    return "all" if p >= 1 else "none" if p <= 0 else ""


def in_runs(lang: Lang, p: float, n: int | None) -> str:
    """A share of runs as a phrase: "in 83 % of runs", "in all 40 runs", "in none of the 40 runs"."""
    k = every_or_none(p, n)
    if k == "all":
        return lang.n_("in all {runs} runs", "in all {runs} runs", int(n or 0), runs=n)
    if k == "none":
        return lang.n_("in none of the {runs} runs", "in none of the {runs} runs", int(n or 0), runs=n)
    return lang._("in {p} of runs", p=lang.pct(p))


# --------------------------------------------------------------------------- scenarios in words
def _start(ds: xr.Dataset) -> pd.Timestamp:
    return pd.Timestamp(ds["time"].values[0])


def _horizon_days(ds: xr.Dataset) -> float:
    """The days a scenario covers: its ``horizon_days`` unless its time axis says otherwise (by a step or more:
    a result cut short), then the axis. [d]"""
    return keyfigures.covered_days(ds)


def pause_window(ds: xr.Dataset) -> tuple[pd.Timestamp, pd.Timestamp, float, float] | None:
    """(start, end, start day, length in days) of a scenario's pause, or None without a pause."""
    days = float(ds.attrs.get("pause_days", 0) or 0)
    if days <= 0 or "pause" not in policy_of(ds):
        return None
    start_day = float(ds.attrs.get("pause_start_day", 0) or 0)
    start = _start(ds) + pd.Timedelta(days=start_day)
    return start, start + pd.Timedelta(days=days), start_day, days


def _policy(ds: xr.Dataset) -> str:
    """The policy, with a pause of 0 days read as the continued campaign (the same random numbers)."""
    policy = policy_of(ds)
    if policy.startswith("pause") and "pause_days" in ds.attrs and not float(ds.attrs["pause_days"] or 0):
        return "continued"
    return policy


def _listed_waves(ds: xr.Dataset, lang: Lang) -> str:
    """The waves of ``attacks=waves`` (a hindcast) in words: how many, first and last date."""
    attacks = _config(ds).get("attacks", {})
    waves = attacks.get("waves") if isinstance(attacks, dict) else None
    days = sorted(float(w["day"]) for w in waves or [] if isinstance(w, dict) and w.get("day") is not None)
    if not days:
        return lang._("the strike waves listed in the run's configuration")
    start = _start(ds)
    kw = {"count": len(days), "first": lang.date(start + pd.Timedelta(days=days[0]), "d MMM"),
          "last": lang.date(start + pd.Timedelta(days=days[-1]), "d MMM")}
    if len(days) == 1:  # one date, not a span; a plural form of its own (Ukrainian 21, 31 ... take form 0 too)
        return lang._("1 listed strike wave on the city's energy, on {first} (targeting and damage drawn as under "
                      "continued strikes)", first=kw["first"])
    return lang.n_("{count} listed strike wave on the city's energy, from {first} to {last} (targeting and damage "
                   "drawn as under continued strikes)",
                   "{count} listed strike waves on the city's energy, from {first} to {last} (targeting and damage "
                   "drawn as under continued strikes)", len(days), **kw)


def _damage_words(lang: Lang) -> dict[str, str]:
    return {"light": lang._("lightly damaged"), "moderate": lang._("damaged"),
            "severe": lang._("severely damaged"), "destroyed": lang._("destroyed")}


def _listed_hits(ds: xr.Dataset, lang: Lang) -> str:
    """The explicit hits of ``attacks.hits`` (any policy) as a clause: ", with the listed hit: Darnytsia CHP
    destroyed on 3 Feb"; "" without any. Nodes by their configured names (synthetic, or a public plant's)."""
    attacks = _config(ds).get("attacks", {})
    hits = attacks.get("hits") if isinstance(attacks, dict) else None
    items = [h for h in hits or [] if isinstance(h, dict) and h.get("node") and h.get("day") is not None]
    if not items:
        return ""
    start, words = _start(ds), _damage_words(lang)
    texts = [lang._("{node} {damage} on {date}", node=str(h["node"]),
                    damage=words.get(str(h.get("damage", "destroyed")), str(h.get("damage"))),
                    date=lang.date(start + pd.Timedelta(days=float(h["day"])), "d MMM"))
             for h in sorted(items, key=lambda h: float(h["day"]))]
    return lang.n_(", with the listed hit: {hits}", ", with the listed hits: {hits}", len(texts),
                   hits="; ".join(texts))


def describe_scenario(ds: xr.Dataset, lang: Lang = EN) -> str:
    """One sentence on the strike policy of a scenario, with the pause window in dates and the explicit hits
    (``attacks.hits``) named."""
    return _describe_policy(ds, lang) + _listed_hits(ds, lang)


def _describe_policy(ds: xr.Dataset, lang: Lang) -> str:
    policy = _policy(ds)
    w = pause_window(ds)
    if w is not None:
        start, end, start_day, days = w
        kw = {"days": lang.exact(days), "start": lang.date(start, "d MMM"), "end": lang.date(end, "d MMM"),
              "day": lang.exact(start_day)}
        if policy == "pause_then_surge":
            return lang.n_("no strike waves on the city for {days} day from {start} (day {day}) to {end}, then a "
                           "larger wave (withheld weapons added)",
                           "no strike waves on the city for {days} days from {start} (day {day}) to {end}, then a "
                           "larger wave (withheld weapons added)", days, **kw)
        if policy == "pause_broken":
            return lang._("a pause announced from {start} (day {day}) ends early, then waves resume", **kw)
        return lang.n_("no strike waves on the city for {days} day from {start} (day {day}) to {end}, then waves "
                       "resume",
                       "no strike waves on the city for {days} days from {start} (day {day}) to {end}, then waves "
                       "resume", days, **kw)
    texts = {
        "continued": lang._("strike waves on the city's energy continue at the January–February 2026 rate"),
        "single_wave": lang._("one strike wave on the city, then none"),
        "total_heat_loss": lang._("stress test: all district-heat sources fail at the start and stay down"),
        "none": lang._("no strike waves on the city (reference)"),
        "pause_week": lang._("no strike waves on the city for a week, then waves resume"),
    }
    if policy == "waves":
        return _listed_waves(ds, lang)
    return texts.get(policy, lang._("strike policy {policy}", policy=policy) if policy
                     else lang._("strike policy not recorded"))


def short_name(ds: xr.Dataset, lang: Lang = EN) -> str:
    """A few words for a scenario: "strikes continue", "strikes pause for 7 days from 29 Jan"."""
    policy = _policy(ds)
    w = pause_window(ds)
    if w is not None:
        start, _end, _day, days = w
        kw = {"days": lang.exact(days), "start": lang.date(start, "d MMM")}
        if policy == "pause_then_surge":
            return lang.n_("strikes pause for {days} day from {start}, then a larger wave",
                           "strikes pause for {days} days from {start}, then a larger wave", days, **kw)
        if policy == "pause_broken":
            return lang._("the pause from {start} breaks early", **kw)
        return lang.n_("strikes pause for {days} day from {start}", "strikes pause for {days} days from {start}",
                       days, **kw)
    return {
        "continued": lang._("strikes continue"),
        "single_wave": lang._("a single strike wave"),
        "total_heat_loss": lang._("all district heat is lost (stress test)"),
        "none": lang._("no strikes"),
        "pause_week": lang._("strikes pause for a week"),
        "waves": lang._("the listed strike waves"),
    }.get(policy, policy or lang._("the scenario"))


def _word_override(key: str, value: str, lang: Lang) -> str | None:
    words = {
        "weather.min_temperature_c": lambda v: lang._("coldest night {t} °C", t=lang.exact(float(v))),
        "repair.crew_multiplier": lambda v: lang._("repair crews x{x}", x=lang.exact(float(v))),
        "people.heating_points": lambda v: lang._("{n} heating points", n=_in_full(float(v), lang)),
        "people.places_per_point": lambda v: lang._("{n} places per heating point", n=_in_full(float(v), lang)),
        "people.uptake_frac": lambda v: lang._("{p} of those eligible go to heating points", p=lang.pct(float(v))),
        "seed": lambda v: lang._("seed {s}", s=v),
        "realizations": lambda v: lang._("{n} runs", n=v),
        "horizon_days": lambda v: lang._("{n} days", n=v),
        "start": lambda v: lang._("from {date}", date=lang.date(pd.Timestamp(v))),
        "dt_minutes": lambda v: lang._("{n}-minute steps", n=lang.exact(float(v))),
    }
    if key in words:
        try:
            return words[key](value)
        except ValueError:  # not a number or a date: key = value
            return None
    return None


def scenario_title(label: str, ds: xr.Dataset, lang: Lang = EN) -> str:
    """A heading in words for a sweep scenario: the policy (with its pause window) and the other swept keys.

    ``attacks=pause_week attacks.pause_start_day=3 weather.min_temperature_c=-30`` ->
    "Strikes pause for 7 days from 1 Feb; coldest night −30 °C". Keys without words stay ``key = value``.
    """
    tok = _tokens(label)
    parts = []
    if any(k.startswith("attacks") for k in tok) or not tok:
        parts.append(short_name(ds, lang))
    for k, v in tok.items():
        if k.startswith("attacks"):
            continue
        parts.append(_word_override(k, v, lang) or f"{k} = {v}")
    text = "; ".join(p for p in parts if p) or label
    return text[:1].upper() + text[1:]


def told_apart(base_label: str, alt_label: str, base_text: str, alt_text: str, lang: Lang = EN) -> tuple[str, str]:
    """The names of a pair's two scenarios, told apart: when the policy's words are the same (a sweep of
    ``repair.crew_multiplier=1,2``: "strikes continue" twice), each gets, in brackets, the words of the
    overrides (other than the policy's) in which the two labels differ ("strikes continue (repair crews x2)").
    """
    if base_text != alt_text:
        return base_text, alt_text
    bt, at = _tokens(base_label), _tokens(alt_label)
    keys = [k for k in dict.fromkeys([*bt, *at]) if bt.get(k) != at.get(k) and not k.startswith("attacks")]

    def words(tok: dict[str, str]) -> str:
        return "; ".join(_word_override(k, tok[k], lang) or f"{k} = {tok[k]}" for k in keys if k in tok)

    b, a = words(bt), words(at)
    return (f"{base_text} ({b})" if b else base_text), (f"{alt_text} ({a})" if a else alt_text)


#: The fixed parts of a recorded weather source (``weather_source``: :mod:`sim.weather`, :mod:`sim.weather_file`,
#: :mod:`sim.bias_correction`, :func:`sim.report.scenarios.split_scenarios`), one per "; "-separated part, as
#: (pattern of the part in °C, message id). The named groups are filled in as recorded (file names, the EPW
#: site), those of :data:`_WEATHER_NUMBERS` in the brief's locale and ``rest`` (a forecast spliced after
#: observations) part by part again. A part that matches none (free text) stays as recorded.
_WEATHER_PARTS = [
    (r"weather file (?P<name>.+)", N_("weather file {name}")),
    (r"file: (?P<name>.+) \(1 series for all realizations\)", N_("file: {name} (1 series for all realizations)")),
    (r"file: (?P<name>.+) \((?P<n>\d+) realizations\)", N_("file: {name} ({n} realizations)")),
    (r"file: (?P<name>.+) \((?P<n>\d+) realizations, cycled\)", N_("file: {name} ({n} realizations, cycled)")),
    (r"file: (?P<name>.+) \((?P<n>\d+) realizations, first (?P<r>\d+) used\)",
     N_("file: {name} ({n} realizations, first {r} used)")),
    (r"file: (?P<name>.+) \(EPW (?P<site>.*), (?P<data>.*)\)", N_("file: {name} (EPW {site}, {data})")),
    (r"observed before (?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d): (?P<name>.+)",
     N_("observed before {time}: {name}")),
    (r"then (?P<rest>.+)", N_("then {rest}")),
    (r"quantile mapping of daily means: (?P<model>.+) onto (?P<station>.+) TAVG (?P<first>\d+)-(?P<last>\d+), "
     r"window \+-(?P<window>\d+(\.\d+)?) d",
     N_("quantile mapping of daily means: {model} onto {station} TAVG {first}-{last}, window +-{window} d")),
    (r"cold_snap: spell to (?P<min>-?\d+(\.\d+)?) °C \(ensemble-median daily minimum\) from a baseline of "
     r"(?P<base>-?\d+(\.\d+)?) °C",
     N_("cold_snap: spell to {min} °C (ensemble-median daily minimum) from a baseline of {base} °C")),
]
_WEATHER_NUMBERS = ("min", "base", "window")


def _weather_part(part: str, lang: Lang) -> str:
    """One part of a recorded weather source in ``lang`` (:data:`_WEATHER_PARTS`); free text as recorded."""
    for pattern, message in _WEATHER_PARTS:
        m = re.fullmatch(pattern, part)
        if m is None:
            continue
        kw = {k: v for k, v in m.groupdict().items() if k in re.findall(r"\{(\w+)\}", message)}
        for k in _WEATHER_NUMBERS:
            if k in kw:
                kw[k] = numbers.exact_text(kw[k], lang.code)
        if "rest" in kw:
            kw["rest"] = _weather_part(kw["rest"], lang)
        return lang._(message, **kw)
    return part


def recorded_weather(text: str, lang: Lang = EN) -> str:
    """A recorded weather source ("file: ens.nc (51 realizations); ...") for readers: °C, and its fixed
    parts in the brief's language; file names and unknown text as recorded (English: the text itself)."""
    return "; ".join(_weather_part(part, lang) for part in pretty(text).split("; "))


def weather_text(ds: xr.Dataset, lang: Lang = EN) -> str:
    """The weather source in words (a cold-snap ensemble in the brief's language, else as recorded, its fixed
    parts translated: :func:`recorded_weather`)."""
    w = _config(ds).get("weather", {})
    if isinstance(w, dict) and w.get("kind") == "cold_snap" and "min_temperature_c" in w:
        return lang._("synthetic cold snap ensemble, minimum {t} °C", t=lang.exact(float(w["min_temperature_c"])))
    recorded = ds.attrs.get("weather_source")
    return recorded_weather(str(recorded), lang) if recorded else lang._("forecast ensemble")


def people_present(ds: xr.Dataset) -> float:
    """The people present in the city (the brief's denominator); NaN when not recorded or unknown in any
    district (a population of NaN is not 0 people, and a sum over the known districts would be too low)."""
    return float(ds["population"].sum(skipna=False)) if "population" in ds else float("nan")


def _period(ds: xr.Dataset, lang: Lang) -> tuple[str, str, float]:
    days = _horizon_days(ds)
    start = _start(ds)
    end = start + pd.Timedelta(days=days) - pd.Timedelta(seconds=1)
    return lang.date(start), lang.date(end), days


def period_text(ds: xr.Dataset, lang: Lang = EN) -> str:
    """A scenario's period in words: "29 Jan 2026 – 4 Feb 2026 (7 days)"."""
    start, end, days = _period(ds, lang)
    return lang.n_("{start} – {end} ({days} day)", "{start} – {end} ({days} days)", plural_n(days),
                   start=start, end=end, days=lang.exact(days))


def same_period(a: xr.Dataset, b: xr.Dataset) -> bool:
    """Whether two scenarios cover the same period (start and horizon; True when either has no result)."""
    if not (has_result(a) and has_result(b)):
        return True
    return bool(_start(a) == _start(b) and abs(_horizon_days(a) - _horizon_days(b)) < 1e-9)


def shown_scenarios(scenarios: Sequence[Scenario]) -> list[xr.Dataset]:
    """The scenarios whose settings the brief states: those with a result (all of a sweep's jobs that ran),
    else the first."""
    return [d for _n, d in scenarios if has_result(d)] or [scenarios[0][1]]


def each_value(shown: Sequence[xr.Dataset], fn: Any) -> str:
    """``fn`` of each scenario, the distinct values in scenario order joined by "; " (one value when they
    agree)."""
    return "; ".join(dict.fromkeys(fn(d) for d in shown))


def contract(scenarios: Sequence[Scenario], lang: Lang = EN, trigger: str = "") -> dict:
    """The one-line contract on top (IFRC EAP): period, population, scenario, trigger, lead time, basis. A
    field in which the scenarios with a result differ (a sweep of ``horizon_days=7,14``: two periods) lists
    each of their values, in scenario order."""
    shown = shown_scenarios(scenarios)
    ds = shown[0]

    def each(fn: Any) -> str:
        return each_value(shown, fn)

    def population(d: xr.Dataset) -> str:
        pop = people_present(d)
        return (lang._("{n} people present", n=lang.num(pop)) if np.isfinite(pop)
                else lang._("not available") if "population" in d else lang._("not recorded"))

    def lead(d: xr.Dataset) -> str:
        start, _end, days = _period(d, lang)
        return lang._("0–{days} days from {start}", days=lang.exact(days), start=start)

    weather = each(lambda d: weather_text(d, lang))
    names = [short_name(d, lang) for _, d in scenarios]
    if len(set(names)) < len(names):  # the same policy: the swept keys tell them apart
        names = [scenario_title(n, d, lang) if "=" in n else names[i] for i, (n, d) in enumerate(scenarios)]
        names = [lower_first(x) for x in names]
    # a grid's titles hold "; " themselves (strikes continue; repair crews x0.5): then " | " between scenarios
    scen = (" | " if any("; " in x for x in names) else "; ").join(names) if len(scenarios) > 1 else \
        describe_scenario(ds, lang)
    runs = list(dict.fromkeys(n_runs(d) for d in shown))
    return {
        "place": each(lambda d: city_name(d, lang)),
        "period": each(lambda d: period_text(d, lang)),
        "population": each(population),
        "scenario": scen,
        "trigger": trigger or lang._("cold spell in the weather ensemble ({weather}) while the energy system is "
                                     "under attack", weather=weather),
        "lead": each(lead),
        "runs": runs[0] if len(runs) == 1 else "; ".join(map(str, runs)),
        "version": model_version(ds),
    }


# --------------------------------------------------------------------------- figure rows
class Figures:
    """A run's figures as the brief shows them: :func:`headline_frame` rows, labels in the brief's language."""

    def __init__(self, ds: xr.Dataset, lang: Lang = EN) -> None:
        self.ds, self.lang = ds, lang
        self.s = Settings.from_dataset(ds)
        self.frame = headline_frame(ds, self.s, lang.code)
        self.lo, self.hi = self.s.pct_names
        self.city = self.frame[self.frame["adm5_name"] == ""].set_index("figure")
        self.defs = {f.key: f for f in keyfigures.definitions(ds, self.s)}
        self._notes: list[str] = []

    def __contains__(self, key: str) -> bool:
        return key in self.city.index

    def row(self, key: str) -> pd.Series:
        return series_at(self.city, key)

    def p50(self, key: str) -> float:
        return float(self.city["p50"].loc[key])

    def label(self, key: str) -> str:
        f = self.defs.get(key)
        if f is not None:
            return keyfigures.label_of(f, self.s, self.lang._, self.lang.exact)
        if key in keyfigures.EXTRA_LABELS:
            return self.lang._(keyfigures.EXTRA_LABELS[key], k=self.s.top_districts,
                               **self.s.placeholders(self.lang.exact))
        return str(self.city.loc[key, "label"])

    def definition(self, key: str) -> str:
        f = self.defs.get(key)
        if f is None:
            return str(self.city.loc[key, "definition"])
        return keyfigures.definition_of(f, self.s, self.lang._, self.lang.exact)

    def unit(self, key: str) -> str:
        return self.lang._(str(self.city.loc[key, "unit"]))

    def value(self, key: str, which: str = "p50", row: pd.Series | None = None) -> str:
        r = series_at(self.city, key) if row is None else row
        x = float(r[which])
        if not np.isfinite(x):
            return "–"
        return self.lang.count(x) if str(r["unit"]) in COUNT_UNITS else self.lang.num(x)

    def interval(self, key: str, row: pd.Series | None = None) -> str:
        r = series_at(self.city, key) if row is None else row
        lo, hi = self.value(key, self.lo, r), self.value(key, self.hi, r)
        text = lo if lo == hi else f"{lo}–{hi}"
        if bool(r["at_ceiling"]):
            text += " " + self.lang._("(the upper end is the ceiling: everyone or everything)")
        return text

    def mc(self, key: str, row: pd.Series | None = None) -> str:
        r = series_at(self.city, key) if row is None else row
        if pd.isna(r["mc_rel_error"]):
            return ""
        err = min(float(r["mc_rel_error"]), 9.99)
        text = (self.lang._("Monte Carlo error ±{p}", p=self.lang.pct(err)) if err < 1
                else self.lang._("Monte Carlo error over ±100 %"))
        return text if bool(r["mc_enough"]) else text + " · " + self.lang._("more runs needed")

    def note(self, text: str) -> int:
        if text not in self._notes:
            self._notes.append(text)
        return self._notes.index(text) + 1

    @property
    def notes(self) -> list[str]:
        return list(self._notes)

    def district_rows(self, key: str) -> pd.DataFrame:
        d = self.frame[(self.frame["figure"] == key) & (self.frame["adm5_name"] != "")]
        return d.set_index("adm5_name")

    def key_figure(self, key: str, sub: str = "") -> KeyFigure:
        return KeyFigure(self.value(key), self.label(key), self.interval(key), sub,
                         self.note(self.definition(key)), mc=self.mc(key), key=key)


# --------------------------------------------------------------------------- one run
#: Figures per 1,000 people present: not available (NaN) where the population is unknown, for the city
#: when any district's is (:func:`sim.report.exports.headline_frame`).
PER_PERSON = ("person_days_below_12_per_1000",)


def _unknown_population(ds: xr.Dataset, lang: Lang) -> str:
    """A sentence naming the districts whose population is unknown (not ranked), or ""."""
    if "population" not in ds or "district" not in ds.dims:
        return ""
    pop = ds["population"].values.astype(float)
    names = [lang.place(str(d)) for d, p in zip(ds["district"].values, pop, strict=True) if np.isnan(p)]
    if not names:
        return ""
    return " " + lang._("Districts whose population is not known are not ranked ({names}), and the city's "
                        "rate per 1,000 is not available.", names=", ".join(names))


def run_content(ds: xr.Dataset, lang: Lang = EN) -> dict:
    """Highlights, key figures, where (districts), how many (needs), when (timeline, triggers), for one run."""
    f = Figures(ds, lang)
    _ = lang._
    kf: list[KeyFigure] = []
    if "people_below_12_mean" in f:
        sub = (_("worst day: {n}", n=f.value("people_below_12_worst_day"))
               if "people_below_12_worst_day" in f else "")
        kf.append(f.key_figure("people_below_12_mean", sub))
    if "people_below_16_mean" in f:
        sub = (_("worst day: {n}", n=f.value("people_below_16_worst_day"))
               if "people_below_16_worst_day" in f else "")
        kf.append(f.key_figure("people_below_16_mean", sub))
    if "person_days_below_12" in f:
        kf.append(f.key_figure("person_days_below_12"))
    if "people_cold_72h" in f:
        sub = ""
        if "people_cold_72h_65plus" in f:
            sub = _("of whom {a} aged 65+ and {b} under 5", a=f.value("people_cold_72h_65plus"),
                    b=f.value("people_cold_72h_under5"))
        kf.append(f.key_figure("people_cold_72h", sub))
    if "heating_point_demand_peak" in f:
        sub = _("against {n} places available", n=f.value("heating_point_capacity")) if "heating_point_capacity" in f else ""
        kf.append(f.key_figure("heating_point_demand_peak", sub))
    if "generators_peak" in f:
        sub = ""
        if "generator_kw_peak" in f and "generator_load_kw_peak" in f:
            sub = _("rated {r} kW, load {l} kW", r=f.value("generator_kw_peak"), l=f.value("generator_load_kw_peak"))
        kf.append(f.key_figure("generators_peak", sub))
    if "diesel_l_per_day_mean" in f:
        sub = _("peak day: {n} L", n=f.value("diesel_l_per_day_peak")) if "diesel_l_per_day_peak" in f else ""
        kf.append(f.key_figure("diesel_l_per_day_mean", sub))

    districts = district_needs(f)
    timeline = needs_timeline(ds, f)
    triggers = trigger_content(ds, f)
    return {
        "highlights": run_highlights(ds, f, districts, triggers),
        "key_figures": kf,
        "definitions": f.notes,
        "districts": districts,
        "ranking_note": _("Share of runs in which the district is among the {k} hardest hit, ranked by person-days "
                          "below {c} °C per 1,000 people present; a district named in most runs is a safe "
                          "priority, one near {chance} (chance) is not.", k=f.s.top_districts, c=lang.exact(f.s.severe_c),
                          chance=lang.pct(_chance(f.s.top_districts, ds.sizes.get("district", 0))))
        + _unknown_population(ds, lang),
        "needs": needs_rows(f),
        "needs_note": needs_note(f),
        "vulnerable": vulnerable_table(f),
        "timeline": timeline,
        "triggers": triggers,
        "headline": all_rows(f),
        "mc": mc_statement(f),
        "figures_obj": f,
    }


def _chance(k: int, n_districts: int) -> float:
    """The share of runs in which a district is among the ``k`` hardest hit by chance alone (k of n)."""
    return min(k / n_districts, 1.0) if n_districts else 1.0


def _mc_count(f: Figures) -> tuple[int, int]:
    lead = f.city[f.city["lead"].astype(bool)]
    return int(lead["mc_enough"].astype(bool).sum()), len(lead)


def mc_statement(f: Figures) -> str:
    """Whether the realizations were enough, by the rule of ``output.mc_rel_tolerance``."""
    ok, n = _mc_count(f)
    kw = {"runs": n_runs(f.ds), "tol": f.lang.pct(f.s.mc_rel_tolerance), "conf": f.lang.pct(f.s.mc_confidence),
          "ok": ok, "n": n}
    if ok == n:
        return f.lang._("{runs} runs were enough: for every lead figure the {conf} confidence interval of the "
                        "median is within ±{tol} of it.", **kw)
    if ok == 0:
        return f.lang._("{runs} runs were not enough for any of the {n} lead figures (the {conf} confidence "
                        "interval of the median is not within ±{tol} of it); they need more runs "
                        "(realizations=...).", **kw)
    return f.lang._("{runs} runs were enough for {ok} of {n} lead figures (the {conf} confidence interval of the "
                    "median within ±{tol} of it); the others need more runs (realizations=...).", **kw)


def run_highlights(ds: xr.Dataset, f: Figures, districts: dict, triggers: dict) -> list[str]:
    """4-5 plain-language, hedged bullets: how many, who, where, what is needed, when."""
    _ = f.lang._
    name = describe_scenario(ds, f.lang)
    days = f.lang.exact(_horizon_days(ds))
    out: list[str] = []
    if "people_below_12_mean" in f:
        text = _("If {scenario}, on average around {n} people would be below {c} °C at home over the {days} days",
                 scenario=name, n=f.value("people_below_12_mean"), c=f.lang.exact(f.s.severe_c), days=days)
        if "people_below_12_worst_day" in f:
            text += _(", and around {n} on the worst day", n=f.value("people_below_12_worst_day"))
        out.append(text + ".")
    if "people_cold_72h" in f:
        text = _("Around {n} people would stay below {c} °C for {h} hours or more in a row",
                 n=f.value("people_cold_72h"), c=f.lang.exact(f.s.severe_c), h=f.lang.exact(f.s.severe_h))
        if "people_cold_72h_65plus" in f:
            text += _(", among them {a} aged 65 or over and {b} children under 5, who need a warm room or a "
                      "heating point first", a=f.value("people_cold_72h_65plus"), b=f.value("people_cold_72h_under5"))
        out.append(text + ".")
    if districts.get("rows"):
        top = [r for r in districts["rows"] if r["p_top_value"] > 0][:3]
        if top:
            names = "; ".join(f"{r['name']} ({r['p_top']})" for r in top)
            out.append(_("Where: hardest hit are {names}, by the share of runs in which each is among the {k} "
                         "hardest hit districts.", names=names, k=f.s.top_districts))
    if "heating_point_demand_peak" in f:
        text = _("How many: heating points would need around {n} places at the peak", n=f.value("heating_point_demand_peak"))
        if "heating_point_capacity" in f:
            text += _(" against {c} available", c=f.value("heating_point_capacity"))
        if "generators_peak" in f:
            text += _("; {g} generators would run at the same time", g=f.value("generators_peak"))
        if "diesel_l_per_day_mean" in f:
            text += _(" and burn around {d} litres of diesel a day", d=f.value("diesel_l_per_day_mean"))
        out.append(text + ".")
    if triggers.get("sentence") and triggers.get("usable"):
        out.append(_("When: ") + triggers["sentence"])
    elif "days_to_restore_heat" in f:
        out.append(_("Heat would be back in {p} of the buildings that lost it about {d} days after the peak.",
                     p=f.lang.pct(1 - f.s.restored_frac), d=f.value("days_to_restore_heat")))
    return out[:5]


def district_needs(f: Figures) -> dict:
    """Where: one row per district with the ranking, cold exposure and every need; sorted by the ranking."""
    ds = f.ds
    if "district" not in ds.dims:
        return {"rows": [], "columns": []}
    codes = [str(c) for c in ds["katotth"].values] if "katotth" in ds.coords else [""] * ds.sizes["district"]
    share = f.district_rows("hardest_hit_share")
    severe, hours = f.lang.exact(f.s.severe_c), f.lang.exact(f.s.severe_h)
    spec = [
        ("person_days_below_12_per_1000", f.lang._("Person-days < {c} °C per 1,000", c=severe), True),
        ("people_cold_72h_65plus", f.lang._("65+ < {c} °C for ≥ {h} h", c=severe, h=hours), False),
        ("people_cold_72h_under5", f.lang._("Under 5 < {c} °C for ≥ {h} h", c=severe, h=hours), False),
        ("heating_point_demand_peak", f.lang._("Places needed (peak)"), True),
        ("heating_point_capacity", f.lang._("Places available"), False),
        ("heating_point_unmet_peak", f.lang._("Places short (peak)"), False),
        ("generators_peak", f.lang._("Generators (peak)"), False),
        ("diesel_l_per_day_mean", f.lang._("Diesel L/day"), False),
    ]
    spec = [(k, lab, rng) for k, lab, rng in spec if not f.district_rows(k).empty]
    classes = [k for k in f.city.index if k.startswith("generators_peak_")]
    rows = []
    for i, name in enumerate(str(d) for d in ds["district"].values):
        people = float(ds["population"][i]) if "population" in ds else None
        r: dict[str, Any] = {"name": f.lang.place(name), "key": name, "code": codes[i], "cells": [],
             "population": "" if people is None else f.lang.count(people) if np.isfinite(people)
             else f.lang._("not available")}
        p_top = float(share["p50"].loc[name]) / 100.0 if name in share.index else float("nan")
        r["p_top"], r["p_top_value"] = f.lang.pct(p_top), p_top if np.isfinite(p_top) else 0.0
        if name in share.index and not np.isfinite(p_top):  # not ranked: the district's population unknown
            r["p_top"] = f.lang._("not available")
        for key, _lab, with_range in spec:
            d = f.district_rows(key)
            row = series_at(d, name)
            cell = {"median": f.value(key, "p50", row), "range": f.interval(key, row) if with_range else ""}
            if key in PER_PERSON and not np.isfinite(float(row["p50"])):  # the district's population unknown
                cell = {"median": f.lang._("not available"), "range": ""}
            if key == "generators_peak" and classes:
                parts = []
                for c in classes:
                    dc = f.district_rows(c)
                    if name in dc.index:
                        parts.append(f.value(c, "p50", series_at(dc, name)))
                kws = "/".join(f.lang.exact(float(f.defs[c].extra["kw"])) for c in classes if c in f.defs)
                cell["range"] = f.lang._("{n} ({kw} kW)", n="/".join(parts), kw=kws) if parts else ""
            r["cells"].append(cell)
        rate = f.district_rows("person_days_below_12_per_1000")
        value = float(rate["p50"].loc[name]) if name in rate.index else 0.0
        r["sort"] = (r["p_top_value"], value if np.isfinite(value) else float("-inf"))  # unknown ones last
        rows.append(r)
    rows.sort(key=lambda r: (-r["sort"][0], -r["sort"][1]))
    return {"rows": rows, "columns": [lab for _k, lab, _r in spec]}


def needs_rows(f: Figures) -> list[dict]:
    """How many, city-wide: every need with its median, interval and Monte Carlo error."""
    return [_row(f, k) for k in f.city.index if f.city.loc[k, "section"] == "needs"]


def needs_note(f: Figures) -> str:
    """Why the places short can be more than the places needed minus those available (a reader's sum)."""
    if "heating_point_unmet_peak" not in f:
        return ""
    return f.lang._("{label}: {definition}; spare places in one district do not cover a shortfall in another, so "
                    "this can be more than the places needed minus the places available.",
                    label=f.label("heating_point_unmet_peak"), definition=f.definition("heating_point_unmet_peak"))


def _row(f: Figures, key: str) -> dict:
    if not np.isfinite(f.p50(key)):  # not available: a rate or share over a population unknown in a district
        median, interval = f.lang._("not available"), ""
    else:
        median, interval = f.value(key), f.interval(key)
    return {"key": key, "label": f.label(key), "median": median, "range": interval,
            "unit": f.unit(key), "mc": f.mc(key), "lead": bool(f.city.loc[key, "lead"])}


def all_rows(f: Figures) -> list[dict]:
    return [_row(f, k) for k in f.city.index]


def vulnerable_table(f: Figures) -> dict:
    """People aged 65+ and under 5 by the duration of their longest spell below the severe and the long
    threshold (the ``spell_*`` and ``people_cold_*`` figures)."""
    s = f.s
    cols = []
    for c, hist_h, base in ((s.severe_c, s.severe_h, "people_cold_72h"), (s.long_c, s.long_h, "people_cold_24h")):
        for age, word in (("65plus", f.lang._("aged 65+")), ("under5", f.lang._("under 5"))):
            cols.append((c, age, word, hist_h, base))
    hours = sorted({*keyfigures.SPELL_HOURS, s.severe_h, s.long_h})
    rows = []
    for h in hours:
        cells, any_value = [], False
        for c, age, _word, base_h, base in cols:
            key = f"{base}_{age}" if np.isclose(h, base_h) else f"spell_{c:g}c_{age}_{h:g}h"
            if key in f:
                cells.append(f.value(key))
                any_value = True
            else:
                cells.append("")
        if any_value:
            rows.append({"hours": f.lang._("≥ {h} h", h=f.lang.exact(h)), "cells": cells})
    header = [f.lang._("{who} below {c} °C", who=word, c=f.lang.exact(c)) for c, _a, word, _h, _b in cols]
    return {"header": header, "rows": rows}


def needs_timeline(ds: xr.Dataset, f: Figures) -> dict:
    """When: needs by day (city rows of ``summary.csv``, same values)."""
    df, _tags = summary_frame(ds)
    city = df[df["adm5_name"] == ALL_DISTRICTS]
    sc = f"{f.s.severe_c:g}".replace("-", "m").replace(".", "_")
    spec = [
        ("heating_point_demand_p50", f.lang._("Places needed (daily peak)")),
        ("heating_point_capacity", f.lang._("Places available")),
        ("generators_p50", f.lang._("Generators (daily peak)")),
        ("diesel_l_p50", f.lang._("Diesel L")),
        (f"people_below_{sc}c_mean_p50", f.lang._("People < {c} °C (daily average)", c=f.lang.exact(f.s.severe_c))),
        ("buildings_without_heat_p50", f.lang._("Buildings without heat (daily peak)")),
    ]
    spec = [(c, lab) for c, lab in spec if c in city.columns]
    rows = []
    for _, r in city.iterrows():
        rows.append({"date": f.lang.date(pd.Timestamp(r["date"]), "EEE d MMM"),
                     "cells": ["" if pd.isna(r[c]) else f.lang.count(float(r[c])) for c, _ in spec]})
    return {"columns": [lab for _, lab in spec], "keys": [c for c, _ in spec], "rows": rows,
            "note": f.lang._("Medians over runs of each day's figure (summary.csv, rows \u201c{all}\u201d).",
                             all=ALL_DISTRICTS)}


def trigger_content(ds: xr.Dataset, f: Figures) -> dict:
    """The anticipatory-action trigger (IFRC EAP style) and the candidates it was chosen from."""
    table = trigger_table(ds, f.s)
    if table.empty:
        return {}
    city = table[table["adm5_name"] == ""]
    _ = f.lang._
    cands = []
    for _i, r in city.iterrows():
        cands.append({
            "id": r["trigger"], "chosen": bool(r["chosen"]),
            "x": f.lang.exact(r["forecast_min_below_c"]), "y": f.lang.count(r["blocks_without_heat_over"]),
            "fires": f.lang.pct(r["runs_triggered"]), "p": f.lang.pct(r["probability"]),
            "hit": f.lang.pct(r["hit_rate"]),
            "lead": "–" if pd.isna(r["lead_time_days_p50"]) else f.lang.num(r["lead_time_days_p50"]),
            "z": "–" if pd.isna(r["places_to_open_p50"]) else f.lang.count(r["places_to_open_p50"]),
        })
    chosen = city[city["chosen"]]
    # every key the templates read, also when no candidate fired (StrictUndefined)
    out: dict[str, Any] = {"candidates": cands, "sentence": "", "protocol": "", "skill": "", "usable": False, "contract": "",
           "lead": ""}
    if chosen.empty:
        out["protocol"] = _("No candidate trigger fired in any run.")
        return out
    c = chosen.iloc[0]
    dist = table[(table["trigger"] == c["trigger"]) & (table["adm5_name"] != "")]
    dist = dist[dist["places_to_open_p50"] > 0].sort_values("places_to_open_p50", ascending=False)
    where = ", ".join(f"{f.lang.place(r['adm5_name'])} ({f.lang.count(r['places_to_open_p50'])})"
                      for _i, r in dist.head(5).iterrows())
    kw = {
        "x": f.lang.exact(c["forecast_min_below_c"]), "y": f.lang.count(c["blocks_without_heat_over"]),
        "h": f.lang.exact(c["sustained_h"]), "z": f.lang.count(c["places_to_open_p50"]),
        "z95": f.lang.count(c["places_to_open_p95"]),
        "where": where or _("no district short of places"), "lead": f.lang.num(c["lead_time_days_p50"]),
        "p": f.lang.pct(c["probability"]), "fires": f.lang.pct(c["runs_triggered"]), "hit": f.lang.pct(c["hit_rate"]),
        "date": f.lang.date(pd.Timestamp(c["trigger_date_p50"]), "d MMM") if c["trigger_date_p50"] else "–",
        "days": f.lang.exact(c["forecast_days"]),
    }
    lead_n = plural_n(numbers.sig(float(c["lead_time_days_p50"])))
    n_all = counted_runs(ds)
    n_fired = None if n_all is None else round(float(c["runs_triggered"]) * n_all)
    kw["fires"] = in_runs(f.lang, float(c["runs_triggered"]), n_all)
    prob, k = float(c["probability"]), every_or_none(float(c["probability"]), n_fired)
    if k == "all":
        kw["p_of"] = f.lang.n_("in all {runs} runs in which the trigger is met",
                               "in all {runs} runs in which the trigger is met", int(n_fired or 0), runs=n_fired)
        kw["p_short"] = f.lang.n_("in all {runs} of those runs", "in all {runs} of those runs", int(n_fired or 0), runs=n_fired)
    elif k == "none":
        kw["p_of"] = f.lang.n_("in none of the {runs} runs in which the trigger is met",
                               "in none of the {runs} runs in which the trigger is met", int(n_fired or 0), runs=n_fired)
        kw["p_short"] = f.lang.n_("in none of those {runs} runs", "in none of those {runs} runs", int(n_fired or 0),
                                  runs=n_fired)
    else:
        kw["p_of"] = _("in {p} of the runs in which the trigger is met", p=f.lang.pct(prob))
        kw["p_short"] = _("probability {p}", p=f.lang.pct(prob))
    out["protocol"] = " ".join([
        f.lang.n_("If the forecast minimum for the next {days} day falls below {x} °C and more than {y} apartment "
                  "buildings have been without heat for {h} h, open about {z} more heating-point places (up to {z95} "
                  "in 19 of 20 runs), first in {where}.",
                  "If the forecast minimum for the next {days} days falls below {x} °C and more than {y} apartment "
                  "buildings have been without heat for {h} h, open about {z} more heating-point places (up to {z95} "
                  "in 19 of 20 runs), first in {where}.", plural_n(float(c["forecast_days"])), **kw),
        f.lang.n_("Lead time: the demand peaks about {lead} day after the trigger.",
                  "Lead time: the demand peaks about {lead} days after the trigger.", lead_n, **kw),
        _("Probability: a shortfall of places follows {p_of}.", **kw)])
    out["sentence"] = _("the trigger (forecast minimum below {x} °C and more than {y} apartment buildings without "
                        "heat for {h} h) is met {fires}, typically around {date}; then about {z} more "
                        "places are needed ({p_short}).", **kw)
    out["skill"] = _("The trigger is met {fires}; it catches {hit} of the runs with a shortfall.", **kw)
    usable = float(c["probability"]) >= f.s.trigger_min_probability
    out["usable"] = usable
    if not usable:
        out["protocol"] += " " + _("No candidate reaches the probability asked for ({p}); this one comes closest.",
                                   p=f.lang.pct(f.s.trigger_min_probability))
    out["contract"] = _("forecast minimum below {x} °C and more than {y} apartment buildings without heat for {h} h",
                        **kw)
    out["lead"] = f.lang.n_("about {lead} day from the trigger to the peak of demand",
                            "about {lead} days from the trigger to the peak of demand", lead_n, **kw)
    return out


# --------------------------------------------------------------------------- comparisons
#: Figures shown as key figures of a comparison (those present), the robust measure first.
PAIR_FIGURES = ["person_days_below_12", "people_below_12_worst_day", "people_cold_72h", "buildings_frozen_peak",
                "people_below_16_mean", "heating_point_demand_peak"]
PAIR_BOXES = 4  # key-figure boxes of a comparison (the first of PAIR_FIGURES); the rest are in its tables


class PairFigures:
    """A pair's paired statistics as the brief shows them: :func:`sim.stats.comparison_table` rows."""

    def __init__(self, pair: Pair, lang: Lang = EN) -> None:
        self.pair, self.lang = pair, lang
        self.s = Settings.from_dataset(pair.base_ds)
        have = [has_result(pair.base_ds), has_result(pair.alt_ds)]
        #: both have results, over the same runs (a sweep of ``realizations=100,200`` is not paired)
        self.paired = all(have) and same_runs(pair.base_ds, pair.alt_ds)
        if self.paired:
            self.table = stats.comparison_table(pair.base_ds, pair.alt_ds)
        else:  # a sweep scenario without any result, or other runs: nothing is paired
            lo, _mid, hi = self.s.percentiles
            self.table = pd.DataFrame(columns=[{"diff_p5": f"diff_p{lo:g}", "diff_p95": f"diff_p{hi:g}"}.get(c, c)
                                               for c in stats.COMPARISON_COLUMNS])
        self.lo, self.hi = [c for c in self.table.columns if c.startswith("diff_p") and c != "diff_p50"]
        sides = [Figures(d, lang) if h else None for d, h in zip((pair.base_ds, pair.alt_ds), have, strict=True)]
        #: the figures' labels, definitions and ceilings: the baseline's, else (no result) the alternative's
        self.base: Figures = sides[0] or sides[1]  # type: ignore[assignment]  # one has a result (build_html)
        self._sides = [f for f in sides if f is not None]
        self.table = self._one_sided(self.table, *sides)
        self.city = self.table[self.table["adm5_name"] == ""].set_index("figure")

    def _one_sided(self, table: pd.DataFrame, a: Figures | None, b: Figures | None) -> pd.DataFrame:
        """City rows "no result" for the figures that only one of the two scenarios has (the other has no
        values for them in the sweep): the median of the one that has it, and no paired difference."""
        known = set(table.loc[table["adm5_name"] == "", "figure"]) if len(table) else set()
        keys = list(dict.fromkeys([*(a.city.index if a else []), *(b.city.index if b else [])]))

        def lacks(f: Figures | None, ds: xr.Dataset, key: str) -> bool:  # for want of values in the sweep
            return f is None or (key not in f and bool(missing_variables(ds)))

        rows = []
        for key in [k for k in keys if k not in known]:
            ref = a if a is not None and key in a else b
            assert ref is not None
            if key not in ref.defs:  # not a figure of the comparison table (a run's per-1,000 rate)
                continue
            gone = [lacks(a, self.pair.base_ds, key), lacks(b, self.pair.alt_ds, key)]
            both = a is not None and b is not None and key in a and key in b
            if not any(gone) and (self.paired or not both):
                continue  # absent from a run that does not record it, as without a gap
            rows.append({"figure": key, "label": str(ref.city.loc[key, "label"]), "unit": str(ref.city.loc[key, "unit"]),
                         "adm5_code": "", "adm5_name": "",
                         "a_p50": a.p50(key) if a is not None and key in a else np.nan,
                         "b_p50": b.p50(key) if b is not None and key in b else np.nan,
                         "no_result": "base" if gone[0] else "alt" if gone[1] else "unpaired", "mc_enough": True})
        if not rows:
            return table.assign(no_result="")
        extra = pd.DataFrame(rows)
        if not len(table):
            return extra.reindex(columns=[*table.columns, "no_result"])
        out = pd.concat([table.assign(no_result=""), extra], ignore_index=True)
        order = {k: i for i, k in enumerate(keys)}  # the city rows in the order of the figures, districts after
        rank = np.where(out["adm5_name"] == "", out["figure"].map(order).fillna(len(keys)), len(keys) + 1)
        return out.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)

    def _ref(self, key: str) -> Figures:
        """The figures of the baseline, or of the alternative for a figure the baseline has no result for."""
        return next((f for f in self._sides if key in f), self.base)

    def label(self, key: str) -> str:
        """The figure's label in the brief's language."""
        ref = self._ref(key)
        return ref.label(key) if key in ref.defs else str(self.city.loc[key, "label"])

    def definition(self, key: str) -> str:
        """The figure's definition (a footnote of the brief)."""
        return self._ref(key).definition(key)

    def __contains__(self, key: str) -> bool:
        return key in self.city.index

    def _v(self, key: str, x: float) -> str:
        unit = str(self.city.loc[key, "unit"])
        if not np.isfinite(x):
            return "–"
        return self.lang.count(x) if unit in COUNT_UNITS else self.lang.num(x)

    def _signed(self, key: str, x: float) -> str:
        text = self._v(key, abs(x))
        return text if text == "0" else ("+" if x > 0 else "−") + text

    def _range(self, key: str, lo: float, hi: float) -> str:
        """The 90 % range of a paired difference; one value when both ends read alike ("0", not "0 … 0")."""
        a, b = self._signed(key, lo), self._signed(key, hi)
        return a if a == b else f"{a} … {b}"

    def stats(self, key: str, row: pd.Series | None = None) -> dict:
        r = series_at(self.city, key) if row is None else row
        if r.get("no_result") == "unpaired":  # both have it, over other runs: no run-by-run difference
            return {"label": self.label(key), "unit": self.lang._(str(r["unit"])),
                    "base": self._v(key, float(r["a_p50"])), "alt": self._v(key, float(r["b_p50"])),
                    "diff": self.lang._("not paired"), "range": "", "rel": "", "prob": "", "prob_value": float("nan"),
                    "diff_value": float("nan"), "mc": "", "no_result": True}
        if r.get("no_result") in ("base", "alt"):  # one of the two has no values for it in the sweep
            nr = self.lang._("no result")
            return {"label": self.label(key), "unit": self.lang._(str(r["unit"])),
                    "base": nr if r["no_result"] == "base" else self._v(key, float(r["a_p50"])),
                    "alt": nr if r["no_result"] == "alt" else self._v(key, float(r["b_p50"])),
                    "diff": nr, "range": "", "rel": "", "prob": "", "prob_value": float("nan"),
                    "diff_value": float("nan"), "mc": "", "no_result": True}
        ceiling = float(self.base.city["ceiling"].loc[key]) if key in self.base.city.index else float("nan")
        mark = ""
        at_ceiling = max(float(r["a_p50"]), float(r["b_p50"])) >= ceiling * (1 - 1e-9)
        if np.isfinite(ceiling) and ceiling > 0 and row is None and at_ceiling:
            mark = self.lang._(" (at the ceiling)")
        prob = float(r["prob_reduction"])
        if pd.isna(r["diff_p50"]):  # not available in a scenario (a population unknown in a district)
            na = self.lang._("not available")
            return {"label": self.label(key),
                    "unit": self.lang._(str(r["unit"])),
                    "base": self._v(key, float(r["a_p50"])) if np.isfinite(float(r["a_p50"])) else na,
                    "alt": self._v(key, float(r["b_p50"])) if np.isfinite(float(r["b_p50"])) else na,
                    "diff": na, "range": "", "rel": "", "prob": "", "prob_value": prob,
                    "diff_value": float(r["diff_p50"]), "mc": ""}
        return {
            "label": self.label(key),
            "unit": self.lang._(str(r["unit"])),
            "base": self._v(key, float(r["a_p50"])) + mark,
            "alt": self._v(key, float(r["b_p50"])),
            "diff": self._signed(key, float(r["diff_p50"])),
            "range": self._range(key, float(r[self.lo]), float(r[self.hi])),
            "rel": "" if pd.isna(r["rel_diff_p50"]) else self.lang.signed(100 * float(r["rel_diff_p50"])) + " %",
            "prob": "" if np.isnan(prob) else self.lang.pct(prob),
            "prob_value": prob,
            "diff_value": float(r["diff_p50"]),
            "mc": "" if bool(r["mc_enough"]) else self.lang._("more runs needed"),
        }


def comparison_content(scenarios: Sequence[Scenario], pairs: Sequence[Pair], lang: Lang = EN) -> dict:
    """Highlights, key figures (medians of paired differences, probability of a cut), tables per pair."""
    _ = lang._
    blocks: list[dict[str, Any]] = []
    notes: list[str] = []

    def fn(text: str) -> int:
        if text not in notes:
            notes.append(text)
        return notes.index(text) + 1

    s0 = Settings.from_dataset(pairs[0].base_ds) if pairs else Settings()
    prob_note = fn(_("probability over paired runs (same seed) that the alternative is at least {p} below the "
                     "baseline; runs where the baseline has nothing to cut count as no success",
                     p=lang.pct(s0.reduction_frac)))
    paired_note = fn(_("the median of the run-by-run differences (same seed), not the difference of the two "
                       "medians: the two can differ because the runs that are worst under one scenario are not "
                       "always the worst under the other"))
    for pair in pairs:
        pf = PairFigures(pair, lang)
        kfs = []
        for key in [k for k in PAIR_FIGURES if k in pf][:PAIR_BOXES]:
            st = pf.stats(key)
            kfs.append(KeyFigure(
                value=st["diff"], label=_("{label}: change", label=st["label"]), range=st["range"],
                sub=_("medians {a} → {b} {unit}", a=st["base"], b=st["alt"], unit=st["unit"]),
                footnote=fn(pf.definition(key)), prob=st["prob"], mc=st["mc"], key=key,
                extra={"paired_note": paired_note},
            ))
        rows = [pf.stats(k) | {"key": k} for k in pf.city.index]
        gaps = no_result_sentences(pair, pf, rows)
        blocks.append({
            "base": pair.base, "alt": pair.alt,
            "base_title": scenario_title(pair.base, pair.base_ds, lang),
            "alt_title": scenario_title(pair.alt, pair.alt_ds, lang),
            **dict(zip(("base_text", "alt_text"), told_apart(
                pair.base, pair.alt, describe_scenario(pair.base_ds, lang), describe_scenario(pair.alt_ds, lang),
                lang), strict=True)),
            "key_figures": kfs, "rows": rows, "pf": pf,
            "highlights": [*gaps, *period_sentences(pair, lang), *pair_highlights(pair, pf)][:5], "no_result": gaps,
            "districts": district_pair_rows(pf),
            "window": pause_statement(pair.alt_ds, lang),
            "donor": donor_sentence(pair, pf),
        })
    main = blocks[0] if blocks else None
    highlights = list(main["highlights"]) if main else []
    summary = pairs_summary(blocks, lang)
    if len(blocks) > 1 and summary["rows"]:
        highlights = [*highlights[:4], summary["sentence"]]
    return {"blocks": blocks, "highlights": highlights[:5], "definitions": notes, "prob_note": prob_note,
            "paired_note": paired_note, "summary": summary,
            "cut_text": _("chance of a cut of at least {p}", p=lang.pct(s0.reduction_frac))}


def same_seed(a: xr.Dataset, b: xr.Dataset) -> bool:
    """Whether two scenarios were run with the same seed (True when either does not say)."""
    sa, sb = a.attrs.get("seed"), b.attrs.get("seed")
    return sa is None or sb is None or str(sa) == str(sb)


def same_runs(a: xr.Dataset, b: xr.Dataset) -> bool:
    """Whether two scenarios hold the same realizations of the same seed (a paired comparison is run by run:
    realization r of seed 1 and realization r of seed 2 share only their number)."""
    if not same_seed(a, b):
        return False
    if "realization" not in a.coords or "realization" not in b.coords:
        return a.sizes.get("realization") == b.sizes.get("realization")
    return bool(np.array_equal(a["realization"].values, b["realization"].values))


def no_result_sentences(pair: Pair, pf: PairFigures, rows: Sequence[dict]) -> list[str]:
    """What a pair cannot compare, in words: a scenario without any result in the sweep, or the figures one
    of the two has no values for (a job that failed, or a result without those variables)."""
    _ = pf.lang._
    out = []
    for name, ds in ((pair.base, pair.base_ds), (pair.alt, pair.alt_ds)):
        if not has_result(ds):
            out.append(_("{name}: no result (its values are missing from the sweep: the job failed or its result "
                         "holds no values); nothing to compare with it.", name=scenario_title(name, ds, pf.lang)))
    if out:
        return out
    if not pf.paired and not same_seed(pair.base_ds, pair.alt_ds):
        out.append(_("{alt} and {base} were run with different seeds ({a} and {b}), so their runs are not paired "
                     "and they are not compared run by run; the tables show the median of each.",
                     alt=scenario_title(pair.alt, pair.alt_ds, pf.lang),
                     base=lower_first(scenario_title(pair.base, pair.base_ds, pf.lang)),
                     a=pair.alt_ds.attrs.get("seed"), b=pair.base_ds.attrs.get("seed")))  # in the order named
    elif not pf.paired:
        out.append(_("{alt} and {base} do not have the same runs ({a} and {b}), so they are not compared run by "
                     "run; the tables show the median of each.", alt=scenario_title(pair.alt, pair.alt_ds, pf.lang),
                     base=lower_first(scenario_title(pair.base, pair.base_ds, pf.lang)),
                     a=n_runs(pair.alt_ds), b=n_runs(pair.base_ds)))
    for side, name, ds in (("base", pair.base, pair.base_ds), ("alt", pair.alt, pair.alt_ds)):
        gone = [r for r in rows if r.get("no_result") and r["base" if side == "base" else "alt"] == _("no result")]
        if gone:
            out.append(pf.lang.n_("{name}: no result for {count} figure (missing from its job's result); it "
                                  "reads \u201cno result\u201d in the tables.",
                                  "{name}: no result for {count} figures (missing from its job's result); they "
                                  "read \u201cno result\u201d in the tables.", len(gone),
                                  name=scenario_title(name, ds, pf.lang), count=len(gone)))
    return out


def period_sentences(pair: Pair, lang: Lang = EN) -> list[str]:
    """A pair whose scenarios cover different periods (a sweep of ``horizon_days=7,14`` or of ``start``): which
    periods, and that its totals add up over each scenario's own one (part of the difference is the period)."""
    if same_period(pair.base_ds, pair.alt_ds):
        return []
    return [lang._("The two scenarios cover different periods, {bp} against {ap}: totals such as person-days and "
                   "diesel add up over each scenario's own period, so part of each difference comes from the "
                   "period, not from the scenario.", bp=period_text(pair.base_ds, lang),
                   ap=period_text(pair.alt_ds, lang))]


def pause_statement(ds: xr.Dataset, lang: Lang = EN) -> str:
    """The pause window and the horizon, in dates."""
    w = pause_window(ds)
    start, end, days = _period(ds, lang)
    if w is None:
        return lang.n_("Horizon: {days} day, {start} – {end}.", "Horizon: {days} days, {start} – {end}.",
                       plural_n(days), days=lang.exact(days), start=start, end=end)
    p0, p1, d0, n = w
    return lang._("The pause runs from {p0} to {p1} (days {d0}–{d1} of the run); the figures cover the whole "
                  "horizon of {days} days, {start} – {end}. A pause that starts later or a longer horizon gives "
                  "other numbers (experiment=pause_timing).", p0=lang.date(p0), p1=lang.date(p1), d0=lang.exact(d0),
                  d1=lang.exact(d0 + n), days=lang.exact(days), start=start, end=end)


def donor_sentence(pair: Pair, pf: PairFigures) -> str:
    """One plain sentence a donor can repeat: the robust measure, the probability, frozen systems avoided."""
    _ = pf.lang._
    key = "person_days_below_12"
    if key not in pf:
        return ""
    st = pf.stats(key)
    if st.get("no_result"):  # the sentences on what is missing say so
        return ""
    d = st["diff_value"]
    base, alt = told_apart(pair.base, pair.alt, short_name(pair.base_ds, pf.lang), short_name(pair.alt_ds, pf.lang),
                           pf.lang)
    days = pf.lang.exact(_horizon_days(pair.base_ds))
    c = pf.lang.exact(pf.s.severe_c)
    one_period = same_period(pair.base_ds, pair.alt_ds)  # else the two periods' sentence says which they are
    if d < 0 and st["rel"] and one_period:
        text = _("If {alt} rather than {base}, around {n} fewer person-days would be spent below {c} °C at home "
                 "over {days} days (median of paired runs, {rel})", alt=alt, base=base,
                 n=pf._v(key, abs(d)), c=c, days=days, rel=st["rel"])
    elif d < 0 and st["rel"]:
        text = _("If {alt} rather than {base}, around {n} fewer person-days would be spent below {c} °C at home "
                 "(median of paired runs, {rel})", alt=alt, base=base, n=pf._v(key, abs(d)), c=c, rel=st["rel"])
    elif d < 0 and one_period:  # no relative change (a baseline of 0 in the median run): nothing in its place
        text = _("If {alt} rather than {base}, around {n} fewer person-days would be spent below {c} °C at home "
                 "over {days} days (median of paired runs)", alt=alt, base=base,
                 n=pf._v(key, abs(d)), c=c, days=days)
    elif d < 0:
        text = _("If {alt} rather than {base}, around {n} fewer person-days would be spent below {c} °C at home "
                 "(median of paired runs)", alt=alt, base=base, n=pf._v(key, abs(d)), c=c)
    elif d > 0 and one_period:
        text = _("If {alt} rather than {base}, around {n} more person-days would be spent below {c} °C at home "
                 "over {days} days (median of paired runs)", alt=alt, base=base, n=pf._v(key, d),
                 c=c, days=days)
    elif d > 0:
        text = _("If {alt} rather than {base}, around {n} more person-days would be spent below {c} °C at home "
                 "(median of paired runs)", alt=alt, base=base, n=pf._v(key, d), c=c)
    else:
        text = _("If {alt} rather than {base}, the person-days below {c} °C at home would not change (median of "
                 "paired runs)", alt=alt, base=base, c=pf.lang.exact(pf.s.severe_c))
    if "buildings_frozen_peak" in pf:
        fz = pf.stats("buildings_frozen_peak")
        if fz["diff_value"] < 0:
            text += _(", and about {n} fewer buildings' heating systems would freeze (weeks to repair each)",
                      n=pf._v("buildings_frozen_peak", abs(fz["diff_value"])))
    n = counted_runs(pair.base_ds)
    k = every_or_none(float(st.get("prob_value", np.nan)), n) if st["prob"] else ""
    if k == "all":
        text += pf.lang.n_("; in all {runs} paired model runs the cut is at least {f}.",
                           "; in all {runs} paired model runs the cut is at least {f}.", int(n or 0), runs=n,
                           f=pf.lang.pct(pf.s.reduction_frac))
    elif k == "none":
        text += pf.lang.n_("; in none of the {runs} paired model runs is the cut {f} or more.",
                           "; in none of the {runs} paired model runs is the cut {f} or more.", int(n or 0), runs=n,
                           f=pf.lang.pct(pf.s.reduction_frac))
    elif st["prob"]:
        text += _("; in {p} of the paired model runs the cut is at least {f}.", p=st["prob"],
                  f=pf.lang.pct(pf.s.reduction_frac))
    else:
        text += "."
    return text


def pair_highlights(pair: Pair, pf: PairFigures) -> list[str]:
    """Plain-language bullets for one pair: the donor sentence first, then the other lead figures."""
    _ = pf.lang._
    out = [t for t in [donor_sentence(pair, pf)] if t]
    for key, text in (
        ("people_below_12_worst_day", _("On the worst day: {b} instead of {a} people below {c} °C at home "
                                         "(median of paired differences {d}).")),
        ("people_cold_72h", _("Below {c} °C for {h} hours or more: {b} instead of {a} people (median of paired "
                              "differences {d}).")),
        ("heating_point_demand_peak", _("Heating-point places needed at the peak: {b} instead of {a} (median of "
                                        "paired differences {d}).")),
        ("people_cold_24h", _("People below {c16} °C for {h24} hours or more, a count that saturates: {b} instead "
                              "of {a} (median of paired differences {d}).")),
    ):
        if key in pf and len(out) < 5:
            st = pf.stats(key)
            if st.get("no_result"):
                continue
            g = pf.lang.exact
            out.append(text.format(a=st["base"], b=st["alt"], d=st["diff"], c=g(pf.s.severe_c),
                                   h=g(pf.s.severe_h), c16=g(pf.s.long_c), h24=g(pf.s.long_h)))
    return out[:5]


def district_pair_rows(pf: PairFigures) -> dict:
    """Per district: the robust measure and the places needed in both scenarios, with paired differences."""
    t = pf.table[pf.table["adm5_name"] != ""]
    keys = [k for k in ("person_days_below_12", "heating_point_demand_peak") if k in set(t["figure"])]
    if not keys:
        return {"rows": [], "columns": []}
    rows = []
    for name, grp in t.groupby("adm5_name", sort=False):
        grp = grp.set_index("figure")
        cells = [pf.stats(k, series_at(grp, k)) for k in keys]
        rows.append({"name": pf.lang.place(str(name)), "code": str(grp["adm5_code"].iloc[0]), "cells": cells,
                     "sort": cells[0]["diff_value"]})
    rows.sort(key=lambda r: r["sort"])
    return {"rows": rows, "columns": [pf.label(k) for k in keys]}


def pairs_summary(blocks: list[dict], lang: Lang = EN) -> dict:
    """One row per pair: the robust measure's median of paired differences, its probability, frozen systems
    avoided. With ``experiment=pause_timing`` this is the value of a pause by its start day."""
    rows = []
    for b in blocks:
        pf = b["pf"]
        if "person_days_below_12" not in pf:
            continue
        st = pf.stats("person_days_below_12")
        fz = pf.stats("buildings_frozen_peak") if "buildings_frozen_peak" in pf else None
        rows.append({"title": b["alt_title"], "against": b["base_title"], "diff": st["diff"], "rel": st["rel"],
                     "range": st["range"], "prob": st["prob"], "frozen": fz["diff"] if fz else "",
                     "value": st["diff_value"]})
    sentence = ""
    ranked = [r for r in rows if np.isfinite(r["value"])]  # "no result" rows are not ranked
    if len(ranked) > 1:
        best = min(ranked, key=lambda r: r["value"])
        sentence = lang._("Of the {n} alternatives, {best} cuts person-days below the severe threshold most "
                          "(median of paired differences {d}).", n=len(ranked), best=best["title"], d=best["diff"])
    return {"rows": rows, "sentence": sentence}


# --------------------------------------------------------------------------- caveats, bands and methods
def caveats(lang: Lang = EN) -> list[str]:
    return [
        lang._("This is a model-based scenario analysis, not a forecast: it shows what could happen under stated "
               "assumptions about strikes, weather, repairs and behaviour. Infrastructure is synthetic."),
        lang._("The ranges (5th–95th percentile of Monte Carlo runs) cover weather, strike, damage and repair "
               "randomness only; they leave out uncertainty in the model itself and its parameters, so real ranges "
               "are wider."),
        lang._("Indoor cold bands are risk-communication bands, not health outcomes. Behaviour (people leaving, "
               "using heaters, going to heating points) is assumed, not observed."),
    ]


def cold_bands(s: Settings, lang: Lang = EN) -> list[tuple[str, str, str, str, str]]:
    """The indoor cold bands (risk communication, not dose-response) with their sources (calibration G1, G2)."""
    who = lang._("WHO 2018")
    cwp = lang._("Cold Weather Plan for England 2011")
    return [
        ("0", "≥ 18 °C", lang._("adequate"), lang._("WHO minimum met"), who),
        ("1", f"{lang.exact(s.long_c)}–18 °C", lang._("cool"), lang._("risk for 65+, chronically ill, infants"), who),
        ("2", f"{lang.exact(s.severe_c)}–{lang.exact(s.long_c)} °C", lang._("cold"),
         lang._("resistance to respiratory infection falls; vulnerable people to a warm room or heating point"), cwp),
        ("3", f"9–{lang.exact(s.severe_c)} °C", lang._("very cold"),
         lang._("cardiovascular strain; vulnerable people should relocate"), cwp),
        ("4", lang._("< {c} °C for ≥ {h} h", c=lang.exact(9.0), h=lang.exact(2.0)), lang._("severe"), lang._("core body temperature falls"), cwp),
        ("5", lang._("< {c} °C for ≥ {h} h", c=lang.exact(s.danger_c), h=lang.exact(s.danger_h)), lang._("dangerous"),
         lang._("high risk of hypothermia; active outreach"), "Collins 1986; " + cwp),
    ]


def methods(ds: xr.Dataset, scenarios: Sequence[Scenario], lang: Lang = EN) -> dict:
    """The methods box: model and version, scenario definitions, repair assumptions, denominator, runs. A
    setting in which the scenarios with a result differ (a sweep of ``repair.crew_multiplier=0.5,1``, of
    ``weather.min_temperature_c`` or of ``seed``) lists each of their values, in scenario order, as
    :func:`contract` does; ``paired`` tells whether they share their runs (same seed and realizations)."""
    _ = lang._
    shown = [ds, *(d for d in shown_scenarios(scenarios) if d is not ds)] if scenarios else [ds]  # ds first

    def each(fn: Any) -> str:
        return each_value(shown, fn)

    def crews(d: xr.Dataset) -> str:
        rep = _config(d).get("repair", {})
        rep = rep if isinstance(rep, dict) else {}
        text = _("{p} power and {h} heat-network crews", p=rep.get("power_crews", "?"), h=rep.get("heat_crews", "?"))
        if float(rep.get("crew_multiplier", 1) or 1) != 1:
            text += f" (x{lang.exact(float(rep['crew_multiplier']))})"
        return text

    def denominator(d: xr.Dataset) -> str:
        city = _config(d).get("city", {})
        city = city if isinstance(city, dict) else {}
        pop = people_present(d)
        # not recorded at all reads as unknown does (not "– people present")
        denom = (_("{n} people present", n=lang.num(pop, 3)) if np.isfinite(pop)
                 else _("people present: not available"))
        if city.get("population_total"):
            denom += _(" ({n} residents, of whom {p} assumed to have left)",
                       n=lang.num(float(city["population_total"]), 2),
                       p=lang.pct(float(city.get("share_left_frac", 0) or 0)))
        if str(d.attrs.get("city", city.get("name", ""))) == "kyiv":
            denom += _("; population estimate 2024 (mobile data, incl. internally displaced people), calibration D1")
        return denom

    def heating_points(d: xr.Dataset) -> str:
        people = _config(d).get("people", {})
        people = people if isinstance(people, dict) else {}
        if not people.get("heating_points"):
            return ""
        return _("{n} heating points x {p} places", n=_in_full(float(people["heating_points"]), lang),
                 p=_in_full(float(people.get("places_per_point", 0)), lang))

    def period(d: xr.Dataset) -> str:
        start, end, days = _period(d, lang)
        return _("{start} – {end} ({days} days, hourly steps)", start=start, end=end, days=lang.exact(days))

    def weather(d: xr.Dataset) -> str:
        return (weather_text(d, lang) if (_config(d).get("weather") or d.attrs.get("weather_source"))
                else _("not recorded"))

    rep = _config(ds).get("repair", {}) if isinstance(_config(ds).get("repair"), dict) else {}
    repair = []
    if rep:
        repair.append(each(crews) + _("; repairs stop during air-raid alerts; repaired assets can be hit again"))
        if "transformer_spares" in rep:
            repair.append(_("{n} spare large transformers; new ones take {d} days", n=rep["transformer_spares"],
                            d=lang.exact(float(rep.get("transformer_lead_days", 180)))))
        if "drain_delay_h" in rep:
            repair.append(_("heating systems drained after {h} h without circulation in frost; refill and restart "
                            "{r} crew-hours per building after the heat source returns",
                            h=lang.exact(float(rep["drain_delay_h"])),
                            r=lang.exact(float(rep.get("restart_h_per_building", 1.2)))))
        if "frozen_repair_days" in rep:
            repair.append(_("systems that freeze take about {d} days to restore",
                            d=lang.exact(float(rep["frozen_repair_days"]))))
    else:
        repair.append(_("see the run configuration (config attribute of result.nc)"))
    repair = [r[:1].upper() + r[1:] for r in repair]
    s = Settings.from_dataset(ds)
    runs = list(dict.fromkeys(n_runs(d) for d in shown))
    return {
        "model": model_version(ds),
        "scenarios": [(scenario_title(n, d, lang) if "=" in n else short_name(d, lang), describe_scenario(d, lang))
                      for n, d in scenarios],
        "weather": each(weather),
        "period": each(period),
        "repair": repair,
        "denominator": each(denominator),
        "heating_points": each(heating_points),
        "runs": runs[0] if len(runs) == 1 else "; ".join(map(str, runs)),
        "seed": each(lambda d: str(d.attrs.get("seed", ""))),
        "paired": all(same_runs(shown[0], d) for d in shown[1:]),
        "bands": cold_bands(s, lang),
        "household_size": lang.exact(float(ds.attrs.get("household_size", 2.42))),
        "interval": lang.exact(s.interval_pct),
        "mc_rule": _("Monte Carlo error: a distribution-free {conf} confidence interval of each median from order "
                     "statistics; the runs are enough when its half-width is within ±{tol} of the median "
                     "(output.mc_rel_tolerance).", conf=lang.pct(s.mc_confidence), tol=lang.pct(s.mc_rel_tolerance)),
    }
