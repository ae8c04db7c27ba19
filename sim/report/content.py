"""What a brief says: scenarios, the contract line, highlights, key figures, tables, caveats and methods.

Everything here turns Datasets into plain Python structures (strings, numbers, lists of dicts) that the
Jinja2 templates lay out; no HTML is built here, and all user text (labels, scenario and district names)
stays plain text for the templates to escape. Statistics come from :mod:`sim.stats`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from sim.report.numbers import around, at_least, count, num, pct, rng
from sim.stats import headline_values, paired_difference, prob_reduction_at_least, summarize

__all__ = [
    "COLD_BANDS",
    "KeyFigure",
    "Pair",
    "comparison_content",
    "contract",
    "pairs_for",
    "run_content",
    "split_scenarios",
]

Scenario = tuple[str, xr.Dataset]
REDUCTION_FRAC = 0.25

#: reference/report.md, indoor cold bands (risk-communication bands, not dose-response).
COLD_BANDS = [
    ("0", "≥ 18 °C", "adequate", "WHO minimum met"),
    ("1", "16–18 °C", "cool", "risk for 65+, chronically ill, infants"),
    ("2", "12–16 °C", "cold", "respiratory risk; vulnerable people to a warm room or heating point"),
    ("3", "9–12 °C", "very cold", "cardiovascular strain; vulnerable people should relocate"),
    ("4", "< 9 °C for ≥ 2 h", "dangerous", "hypothermia risk; active outreach"),
]

POLICY_TEXT = {
    "continued": "strike waves on the city's energy continue at the January–February 2026 rate",
    "pause_week": "no strike waves on the city for {pause} from day {start}, then waves resume",
    "pause_then_surge": "no strike waves for {pause} from day {start}, then a larger wave (withheld weapons "
    "added)",
    "pause_broken": "a pause announced from day {start} ends early, then waves resume",
    "single_wave": "one strike wave on the city, then none",
    "total_heat_loss": "stress test: all district-heat sources fail at the start and stay down",
    "none": "no strike waves on the city (reference)",
}

POLICY_SHORT = {
    "continued": "strikes continue",
    "pause_week": "strikes pause for a week",
    "pause_then_surge": "strikes pause, then a larger wave",
    "pause_broken": "the pause breaks early",
    "single_wave": "a single strike wave",
    "total_heat_loss": "all district heat is lost (stress test)",
    "none": "no strikes",
}


@dataclass
class KeyFigure:
    """One key-figure box: a big rounded number, a one-line label, its 90 % range and a footnote."""

    value: str
    label: str
    range: str = ""
    sub: str = ""
    footnote: int = 0
    diff: str = ""
    prob: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pair:
    """A comparison: ``alt`` against ``base`` (realization-wise, same seed)."""

    base: str
    alt: str
    base_ds: xr.Dataset
    alt_ds: xr.Dataset


# --------------------------------------------------------------------------- scenarios and attributes
def _config(ds: xr.Dataset) -> dict:
    try:
        cfg = yaml.safe_load(str(ds.attrs.get("config", "")) or "{}")
    except yaml.YAMLError:
        return {}
    return cfg if isinstance(cfg, dict) else {}


_TOKEN = re.compile(r"([A-Za-z_][\w./-]*)=([^\s,]+)")


def _tokens(label: str) -> dict[str, str]:
    return dict(_TOKEN.findall(str(label)))


def _fill_from_config(attrs: dict, cfg: dict) -> dict:
    """Fill run attributes missing in ``attrs`` from the run's resolved config."""
    att = cfg.get("attacks", {}) if isinstance(cfg.get("attacks"), dict) else {}
    city = cfg.get("city", {}) if isinstance(cfg.get("city"), dict) else {}
    weather = cfg.get("weather", {}) if isinstance(cfg.get("weather"), dict) else {}
    policy = str(attrs.get("attacks_policy") or att.get("policy", "") or "")
    fill = {
        "attacks_policy": policy,
        "pause_start_day": float(att.get("pause_start_day", 0) or 0),
        "pause_days": float(att.get("pause_days", 0) or 0) if "pause" in policy else 0.0,
        "start": cfg.get("start"),
        "horizon_days": cfg.get("horizon_days"),
        "city": city.get("name"),
        "label": cfg.get("label"),
        "seed": cfg.get("seed"),
        "household_size": city.get("household_size"),
    }
    if weather.get("kind") == "cold_snap" and "min_temperature_c" in weather:
        fill["weather_source"] = (
            f"synthetic cold snap ensemble, minimum {float(weather['min_temperature_c']):g} °C"
        )
    elif weather.get("path"):
        fill["weather_source"] = f"weather file {weather['path']}"
    for k, v in fill.items():
        if v is not None and v != "" and (k not in attrs or attrs[k] in (None, "")):
            attrs[k] = v
    return attrs


def _scalar(da: xr.DataArray) -> object:
    v = da.values.item() if da.ndim == 0 else da.values
    return v.decode() if isinstance(v, bytes) else v


def split_scenarios(ds: xr.Dataset) -> list[Scenario]:
    """A run -> ``[(name, ds)]``; a sweep (``scenario`` dim) -> one single-run Dataset per scenario.

    Per-scenario attributes of a sweep (``sim.sweep.collect`` keeps only a few global ones) come from the
    per-scenario coordinates ``config`` (the resolved YAML: policy, pause window, start, city, label ...)
    and ``scenario_name``, then from the scenario's label (``attacks=pause_week``,
    ``attacks.pause_days=5``), then from the sweep's global attributes.
    """
    if "scenario" not in ds.dims:
        return [
            (
                str(ds.attrs.get("scenario", "scenario")),
                ds.assign_attrs(_fill_from_config(dict(ds.attrs), _config(ds))),
            )
        ]
    out = []
    per_scenario = [c for c in ds.coords if c != "scenario" and ds[c].dims == ("scenario",)]
    for label in [str(s) for s in ds["scenario"].values]:
        sub = ds.sel(scenario=label)
        attrs = dict(ds.attrs)
        for c in per_scenario:
            attrs[f"_{c}"] = _scalar(sub[c])
        sub = sub.drop_vars(["scenario", *per_scenario], errors="ignore")
        if attrs.get("_config"):
            attrs["config"] = str(attrs["_config"])
        tok = _tokens(label)
        if "attacks" in tok:  # the label wins over the sweep's global attributes
            attrs["attacks_policy"] = tok["attacks"]
            attrs.pop("pause_days", None)
            attrs.pop("pause_start_day", None)
        attrs = _fill_from_config(attrs, _config(xr.Dataset(attrs={"config": attrs.get("config", "")})))
        for key in ("attacks.pause_days", "attacks.pause_start_day"):
            if key in tok:
                attrs[key.split(".")[1]] = float(tok[key])
        if (
            "attacks" in tok
            and not float(attrs.get("pause_days", 0) or 0)
            and tok["attacks"].startswith("pause")
        ):
            attrs["pause_days"] = 7.0  # the policy's default (configs/attacks/pause_week.yaml)
        attrs["scenario"] = str(attrs.get("_scenario_name") or label)
        attrs["scenario_label"] = label
        sub.attrs = {k: v for k, v in attrs.items() if not k.startswith("_")}
        out.append((label, sub))
    return out


def pairs_for(scenarios: Sequence[Scenario], baseline: str | None = None) -> list[Pair]:
    """Which scenario is compared with which.

    ``baseline`` is a scenario label, or one override (``attacks=continued``): every scenario whose value
    of that key differs is paired with the scenario that has the same other overrides and the baseline
    value. Default: ``attacks=continued`` if present, else the first scenario.
    """
    labels = [s for s, _ in scenarios]
    by = dict(scenarios)
    if len(labels) < 2:
        return []
    if baseline is None:
        baseline = (
            "attacks=continued"
            if any(_tokens(s).get("attacks") == "continued" for s in labels)
            else labels[0]
        )
    if baseline in labels:
        return [Pair(baseline, s, by[baseline], by[s]) for s in labels if s != baseline]
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
    return pairs


def pretty(text: str) -> str:
    """Model text for readers: "degC" -> "°C"."""
    return re.sub(r"\s?degC\b", " °C", str(text))


def policy_of(ds: xr.Dataset) -> str:
    return str(ds.attrs.get("attacks_policy") or _config(ds).get("attacks", {}).get("policy", "") or "")


def describe_scenario(ds: xr.Dataset) -> str:
    """One sentence on the strike policy of a scenario, e.g. "no strike waves on the city for 7 days ..."."""
    policy = policy_of(ds)
    text = POLICY_TEXT.get(policy, f"strike policy {policy}" if policy else "strike policy not recorded")
    pause = float(ds.attrs.get("pause_days", 0) or 0)
    start = float(ds.attrs.get("pause_start_day", 0) or 0)
    return text.format(pause=f"{pause:g} day{'' if pause == 1 else 's'}", start=f"{start:g}")


def short_name(ds: xr.Dataset, fallback: str) -> str:
    return POLICY_SHORT.get(policy_of(ds), fallback)


def _period(ds: xr.Dataset) -> tuple[str, str, float]:
    t = pd.DatetimeIndex(ds["time"].values)
    days = float(ds.attrs.get("horizon_days") or ((t[-1] - t[0]) / pd.Timedelta("1D") + 1 / 24))
    end = t[0] + pd.Timedelta(days=days) - pd.Timedelta(seconds=1)
    return f"{t[0]:%-d %b %Y}", f"{end:%-d %b %Y}", days


def city_name(ds: xr.Dataset) -> str:
    city = str(ds.attrs.get("city") or _config(ds).get("city", {}).get("name", "") or "city")
    return {"kyiv": "Kyiv (synthetic Kyiv-like city)", "small_town": "Small town (synthetic test city)"}.get(
        city, city
    )


def model_version(ds: xr.Dataset) -> str:
    return str(ds.attrs.get("source", "coldgrid"))


def n_runs(ds: xr.Dataset) -> int:
    return int(ds.sizes.get("realization", ds.attrs.get("realizations", 0)))


def contract(scenarios: Sequence[Scenario]) -> dict:
    """The one-line contract on top (IFRC EAP style): period, population, scenario, trigger, version."""
    ds = scenarios[0][1]
    start, end, days = _period(ds)
    pop = float(ds["population"].sum()) if "population" in ds else float("nan")
    weather = pretty(str(ds.attrs.get("weather_source") or "forecast ensemble"))
    return {
        "place": city_name(ds),
        "period": f"{start} – {end} ({days:g} days)",
        "population": f"{num(pop)} people present" if np.isfinite(pop) else "not recorded",
        "scenario": "; ".join(f"{short_name(d, n)}" for n, d in scenarios)
        if len(scenarios) > 1
        else describe_scenario(ds),
        "trigger": f"cold spell in the weather ensemble ({weather}) while the energy system is under attack",
        "lead": f"0–{days:g} days from {start}",
        "runs": n_runs(ds),
        "version": model_version(ds),
    }


# --------------------------------------------------------------------------- figures per realization
def extra_values(ds: xr.Dataset) -> xr.Dataset:
    """Per-realization figures the headline table lacks: drained and frozen buildings, total diesel."""
    out = {}
    if "buildings_drained" in ds:
        out["buildings_drained_peak"] = ds["buildings_drained"].sum("district").max("time").astype(float)
    if "buildings_frozen" in ds:
        out["buildings_frozen_peak"] = ds["buildings_frozen"].sum("district").max("time").astype(float)
    if "diesel_consumption" in ds:
        out["diesel_total_l"] = ds["diesel_consumption"].sum("day").astype(float)
    meta = {
        "buildings_drained_peak": (
            "buildings",
            "Peak buildings with drained (or frozen) heating systems",
            "buildings whose heating system was drained or frozen at the same time",
        ),
        "buildings_frozen_peak": (
            "buildings",
            "Peak buildings with frozen heating systems (weeks to restore)",
            "buildings whose undrained heating system froze",
        ),
        "diesel_total_l": (
            "L",
            "Diesel for heating-point generators over the whole period",
            "sum of the daily diesel figures",
        ),
    }
    for k in out:
        out[k] = out[k].drop_vars([c for c in out[k].coords if c != "realization"])
        unit, label, definition = meta[k]
        out[k].attrs = {"units": unit, "long_name": label, "definition": definition}
    return xr.Dataset(out)


def _q(da: xr.DataArray) -> tuple[float, float, float]:
    p5, p50, p95 = (float(v) for v in summarize(da).values)
    return p5, p50, p95


def _values(ds: xr.Dataset) -> xr.Dataset:
    return xr.merge([headline_values(ds), extra_values(ds)], compat="override")


# --------------------------------------------------------------------------- one run
def run_content(ds: xr.Dataset) -> dict:
    """Highlights, key figures with footnotes, district and needs tables for one run."""
    v = _values(ds)
    q = {k: _q(v[k]) for k in v.data_vars}
    defs: list[str] = []

    def fn(text: str) -> int:
        if text not in defs:
            defs.append(text)
        return defs.index(text) + 1

    def d(key: str) -> str:
        return str(v[key].attrs.get("definition", ""))

    kf: list[KeyFigure] = []
    if "people_cold_24h" in q:
        p5, p50, p95 = q["people_cold_24h"]
        sub = ""
        if "households_cold_24h" in q:
            sub = f"about {count(q['households_cold_24h'][1])} households"
        kf.append(
            KeyFigure(
                count(p50),
                "people below 16 °C indoors for 24 h or more",
                rng(p5, p95, whole=True),
                sub,
                fn(d("people_cold_24h")),
            )
        )
    if "people_cold_24h_65plus" in q:
        a, b = q["people_cold_24h_65plus"], q.get("people_cold_24h_under5", (0, 0, 0))
        kf.append(
            KeyFigure(
                count(a[1]),
                "of them aged 65+",
                rng(a[0], a[2], whole=True),
                f"and {count(b[1])} under 5 ({rng(b[0], b[2], whole=True)})",
                fn(d("people_cold_24h")),
            )
        )
    if "person_days_below_12" in q:
        p5, p50, p95 = q["person_days_below_12"]
        kf.append(
            KeyFigure(
                count(p50),
                "person-days below 12 °C indoors",
                rng(p5, p95, whole=True),
                "",
                fn(d("person_days_below_12")),
            )
        )
    if "buildings_without_heat_peak" in q:
        p5, p50, p95 = q["buildings_without_heat_peak"]
        sub = ""
        if "days_to_restore_heat" in q:
            sub = f"heat back in 90 % of them after about {num(q['days_to_restore_heat'][1])} days"
        kf.append(
            KeyFigure(
                count(p50),
                "apartment buildings without heat at the peak",
                rng(p5, p95, whole=True),
                sub,
                fn(
                    d("buildings_without_heat_peak") + "; restoration: " + d("days_to_restore_heat")
                    if "days_to_restore_heat" in q
                    else d("buildings_without_heat_peak")
                ),
            )
        )
    if "heating_point_demand_peak" in q:
        p5, p50, p95 = q["heating_point_demand_peak"]
        sub = ""
        if "heating_point_capacity" in q:
            sub = f"against {count(q['heating_point_capacity'][1])} places available"
        kf.append(
            KeyFigure(
                count(p50),
                "heating-point places needed at the same time (peak)",
                rng(p5, p95, whole=True),
                sub,
                fn(d("heating_point_demand_peak")),
            )
        )
    if "diesel_l_per_day_mean" in q:
        p5, p50, p95 = q["diesel_l_per_day_mean"]
        sub = f"peak generator load {num(q['generator_kw_peak'][1])} kW" if "generator_kw_peak" in q else ""
        kf.append(
            KeyFigure(
                count(p50),
                "litres of diesel per day for heating-point generators",
                rng(p5, p95, whole=True),
                sub,
                fn(d("diesel_l_per_day_mean")),
            )
        )

    return {
        "highlights": run_highlights(ds, q),
        "key_figures": kf,
        "definitions": defs,
        "districts": district_rows(ds),
        "needs": needs_rows(q),
        "headline": headline_rows(v, q),
    }


def run_highlights(ds: xr.Dataset, q: dict) -> list[str]:
    """4-5 plain-language, hedged bullet points generated from the numbers."""
    name = describe_scenario(ds)
    out: list[str] = []
    if "people_cold_24h" in q:
        p5, p50, p95 = q["people_cold_24h"]
        hh = f" (about {count(q['households_cold_24h'][1])} households)" if "households_cold_24h" in q else ""
        if p95 < 0.5:
            out.append(f"If {name}, no one would stay below 16 °C at home for 24 hours or more in any run.")
        else:
            out.append(
                f"If {name}, {around(p50, 'people')}{hh} would spend 24 hours or more below 16 °C at home; "
                f"{at_least(p5, 'people')} in 19 of 20 runs."
            )
    if "people_cold_24h_65plus" in q and q["people_cold_24h"][1] >= 0.5:
        a = q["people_cold_24h_65plus"][1]
        b = q.get("people_cold_24h_under5", (0, 0, 0))[1]
        out.append(
            f"Among them are {around(a, 'people aged 65 or over')} and {around(b, 'children under 5')}, "
            "who need a warm room or a heating point first."
        )
    if "person_hours_below_threshold" in ds and "population" in ds and ds.sizes.get("district", 0) > 1:
        rate = (
            summarize(
                1000
                * ds["person_hours_below_threshold"].sel(threshold=12.0)
                / 24.0
                / ds["population"].where(ds["population"] > 0)
            )
            .sel(percentile=50)
            .fillna(0)
        )
        city = (
            float(
                summarize(ds["person_hours_below_threshold"].sel(threshold=12.0).sum("district")).sel(
                    percentile=50
                )
            )
            / 24.0
            / max(float(ds["population"].sum()), 1.0)
            * 1000
        )
        worst = int(np.argmax(rate.values))
        if float(rate[worst]) > 0 and city > 0:
            ratio = float(rate[worst]) / city
            compare = (
                f"about {ratio:.1f} times the city average" if ratio >= 1.15 else "close to the city average"
            )
            out.append(
                f"{ds['district'].values[worst]} would be hit hardest: {around(float(rate[worst]))} "
                f"person-days below 12 °C per 1,000 residents, {compare}."
            )
    if "buildings_without_heat_peak" in q:
        p50 = q["buildings_without_heat_peak"][1]
        text = f"Up to {around(p50, 'apartment buildings')} could be without heat at the same time"
        if "days_to_restore_heat" in q and p50 >= 0.5:
            text += (
                f"; restoring heat to 90 % of them would take about {num(q['days_to_restore_heat'][1])} days"
            )
        if "buildings_frozen_peak" in q and q["buildings_frozen_peak"][1] >= 0.5:
            text += (
                f", and in {around(q['buildings_frozen_peak'][1], 'buildings')} heating systems could "
                "freeze (weeks to restore)"
            )
        out.append(text + ".")
    if "heating_point_demand_peak" in q:
        p5, p50, p95 = q["heating_point_demand_peak"]
        text = f"Heating points would need {around(p50, 'places')} at the peak"
        if "heating_point_capacity" in q:
            cap = q["heating_point_capacity"][1]
            share = p50 / cap if cap > 0 else float("inf")
            if share > 1:
                text += f", about {share:.1f} times the {num(cap)} places available"
            else:
                text += f", about {pct(share)} of the {num(cap)} places available"
        if "diesel_l_per_day_mean" in q:
            text += f"; their generators would burn {around(q['diesel_l_per_day_mean'][1], 'litres')} of diesel a day"
        out.append(text + ".")
    return out[:5]


def headline_rows(v: xr.Dataset, q: dict) -> list[dict]:
    """All headline figures as table rows: label, median, 90 % range, unit."""
    return [
        {
            "label": str(v[k].attrs.get("long_name", k)),
            "median": num(q[k][1], 3),
            "range": rng(q[k][0], q[k][2]),
            "unit": str(v[k].attrs.get("units", "")),
        }
        for k in v.data_vars
    ]


def district_rows(ds: xr.Dataset) -> list[dict]:
    """One row per district: KATOTTH code, population, cold 24 h, person-days < 12 °C per 1,000, heat, power."""
    if "district" not in ds.dims:
        return []
    codes = ds["katotth"].values if "katotth" in ds.coords else [""] * ds.sizes["district"]
    cols: dict[str, tuple] = {}
    if "people_cold_24h" in ds:
        cols["cold24"] = summarize(ds["people_cold_24h"]).values
    if "person_hours_below_threshold" in ds and "population" in ds:
        rate = (
            1000
            * ds["person_hours_below_threshold"].sel(threshold=12.0)
            / 24.0
            / ds["population"].where(ds["population"] > 0)
        ).fillna(0.0)
        cols["rate12"] = summarize(rate).values
    if "buildings_without_heat" in ds:
        cols["noheat"] = summarize(ds["buildings_without_heat"].max("time")).values
    if "share_without_power" in ds:
        cols["nopower"] = summarize(100 * ds["share_without_power"].max("time")).values
    rows = []
    for i, name in enumerate(ds["district"].values):
        row = {
            "name": str(name),
            "code": str(codes[i]),
            "population": num(float(ds["population"][i]), 3) if "population" in ds else "",
        }
        for k, arr in cols.items():
            row[k] = {"median": num(arr[1, i]), "range": rng(arr[0, i], arr[2, i]), "sort": float(arr[1, i])}
        rows.append(row)
    if "rate12" in cols:
        rows.sort(key=lambda r: -r["rate12"]["sort"])
    return rows


def needs_rows(q: dict) -> list[dict]:
    """Response needs: heating-point places, generators, diesel (median and 90 % range)."""
    spec = [
        ("heating_point_demand_peak", "Heating-point places needed at the peak", "places"),
        ("heating_point_capacity", "Heating-point places available", "places"),
        ("heating_point_unmet_peak", "Places short at the peak", "places"),
        ("generator_kw_peak", "Generators running at heating points (peak)", "kW"),
        ("diesel_l_per_day_mean", "Diesel, average day", "L/day"),
        ("diesel_l_per_day_peak", "Diesel, peak day", "L/day"),
        ("diesel_total_l", "Diesel over the whole period", "L"),
        ("people_without_water_peak", "People without water at the peak (upper floors)", "people"),
    ]
    return [
        {"label": lab, "median": num(q[k][1]), "range": rng(q[k][0], q[k][2]), "unit": unit}
        for k, lab, unit in spec
        if k in q
    ]


# --------------------------------------------------------------------------- comparisons
PAIR_FIGURES = [
    ("people_cold_24h", "people below 16 °C for 24 h or more", "people"),
    ("person_days_below_12", "person-days below 12 °C", "person-days"),
    ("heating_point_demand_peak", "heating-point places needed at the peak", "places"),
    ("buildings_without_heat_peak", "apartment buildings without heat at the peak", "buildings"),
]


def pair_stats(pair: Pair) -> dict:
    """Paired differences (alt - base) and P(alt cuts by >= 25 %) for every shared figure."""
    va, vb = _values(pair.base_ds), _values(pair.alt_ds)
    out = {}
    for k in [k for k in va.data_vars if k in vb.data_vars]:
        a, b = va[k], vb[k]
        diff = paired_difference(a, b, percentiles=None)
        out[k] = {
            "label": str(a.attrs.get("long_name", k)),
            "unit": str(a.attrs.get("units", "")),
            "definition": str(a.attrs.get("definition", "")),
            "base": _q(a),
            "alt": _q(b),
            "diff": _q(diff),
            "diff_values": diff.values,
            "prob": float(prob_reduction_at_least(a, b, frac=REDUCTION_FRAC)),
        }
    return out


def _signed(x: float) -> str:
    text = num(abs(x))
    return ("+" if x > 0 else "−" if x < 0 else "") + text if text != "0" else "0"


def comparison_content(scenarios: Sequence[Scenario], pairs: Sequence[Pair]) -> dict:
    """Highlights, key figures (paired differences, probability of >= 25 % reduction), tables per pair."""
    defs: list[str] = []

    def fn(text: str) -> int:
        if text not in defs:
            defs.append(text)
        return defs.index(text) + 1

    prob_note = fn(
        f"probability over paired runs (same seed) that the alternative is at least {REDUCTION_FRAC * 100:g} % below "
        "the baseline; runs where the baseline has nothing to cut count as no success"
    )
    blocks = []
    for pair in pairs:
        st = pair_stats(pair)
        kfs = []
        for key, label, unit in PAIR_FIGURES:
            if key not in st:
                continue
            s = st[key]
            kfs.append(
                KeyFigure(
                    value=_signed(s["diff"][1]),
                    label=f"{label}: change",
                    range=f"{_signed(s['diff'][0])} to {_signed(s['diff'][2])}",
                    sub=f"{num(s['base'][1])} → {num(s['alt'][1])} {unit}",
                    footnote=fn(s["definition"]),
                    prob=pct(s["prob"]),
                )
            )
        rows = [
            {
                "label": s["label"],
                "unit": s["unit"],
                "base": num(s["base"][1]),
                "alt": num(s["alt"][1]),
                "diff": _signed(s["diff"][1]),
                "diff_range": f"{_signed(s['diff'][0])} to {_signed(s['diff'][2])}",
                "prob": pct(s["prob"]),
            }
            for s in st.values()
        ]
        blocks.append(
            {
                "base": pair.base,
                "alt": pair.alt,
                "base_text": describe_scenario(pair.base_ds),
                "alt_text": describe_scenario(pair.alt_ds),
                "key_figures": kfs,
                "rows": rows,
                "stats": st,
                "highlights": pair_highlights(pair, st),
                "districts": district_pair_rows(pair),
            }
        )
    main = blocks[0] if blocks else None
    highlights = list(main["highlights"]) if main else []
    for b in blocks[1:]:
        if "people_cold_24h" in b["stats"]:
            s = b["stats"]["people_cold_24h"]
            highlights.append(
                f"{b['alt']} against {b['base']}: {_signed(s['diff'][1])} people below 16 °C for "
                f"24 h or more (90 % range {_signed(s['diff'][0])} to {_signed(s['diff'][2])})."
            )
    return {"blocks": blocks, "highlights": highlights[:5], "definitions": defs, "prob_note": prob_note}


def pair_highlights(pair: Pair, st: dict) -> list[str]:
    """Plain-language bullets for one pair: what the alternative changes, with the probability."""
    base_n, alt_n = short_name(pair.base_ds, pair.base), short_name(pair.alt_ds, pair.alt)
    out = []
    if "people_cold_24h" in st:
        s = st["people_cold_24h"]
        d5, d50, d95 = s["diff"]
        if abs(d50) < 0.5 and abs(d5) < 0.5 and abs(d95) < 0.5:
            out.append(
                f"If {alt_n} rather than {base_n}, the number of people below 16 °C for 24 hours or more "
                "would not change in any run."
            )
        else:
            word = "fewer" if d50 < 0 else "more"
            change = f"{around(abs(d50), word + ' people')}" if round(abs(d50)) else "about as many people"
            out.append(
                f"If {alt_n} rather than {base_n}, {change} would spend 24 hours or more "
                f"below 16 °C at home ({count(s['alt'][1])} against {count(s['base'][1])}; 90 % range of the "
                f"difference {_signed(d5)} to {_signed(d95)})."
            )
        out.append(
            f"The chance that {alt_n} cuts this number by at least {REDUCTION_FRAC * 100:g} % is about "
            f"{pct(s['prob'])}."
        )
    if "person_days_below_12" in st:
        s = st["person_days_below_12"]
        word = "fewer" if s["diff"][1] < 0 else "more"
        out.append(
            f"Cold exposure below 12 °C: {around(abs(s['diff'][1]))} {word} person-days "
            f"(chance of a cut of at least {REDUCTION_FRAC * 100:g} %: {pct(s['prob'])})."
        )
    if "heating_point_demand_peak" in st:
        s = st["heating_point_demand_peak"]
        out.append(
            f"Peak heating-point demand: {around(s['alt'][1], 'places')} against "
            f"{around(s['base'][1], 'places')} if {base_n}."
        )
    if "buildings_without_heat_peak" in st:
        s = st["buildings_without_heat_peak"]
        out.append(
            f"Apartment buildings without heat at the peak: {around(s['alt'][1])} against "
            f"{around(s['base'][1])}; the paired difference is {_signed(s['diff'][1])} buildings."
        )
    return out[:5]


def district_pair_rows(pair: Pair) -> list[dict]:
    """Per district: people below 16 °C for 24 h+ in both scenarios and the paired difference."""
    a, b = pair.base_ds, pair.alt_ds
    if "people_cold_24h" not in a or "district" not in a.dims:
        return []
    diff = paired_difference(a["people_cold_24h"], b["people_cold_24h"]).values
    qa, qb = summarize(a["people_cold_24h"]).values, summarize(b["people_cold_24h"]).values
    codes = a["katotth"].values if "katotth" in a.coords else [""] * a.sizes["district"]
    rows = [
        {
            "name": str(n),
            "code": str(codes[i]),
            "base": num(qa[1, i]),
            "alt": num(qb[1, i]),
            "diff": _signed(diff[1, i]),
            "diff_range": f"{_signed(diff[0, i])} to {_signed(diff[2, i])}",
            "sort": float(diff[1, i]),
        }
        for i, n in enumerate(a["district"].values)
    ]
    rows.sort(key=lambda r: r["sort"])
    return rows


# --------------------------------------------------------------------------- caveats and methods
CAVEATS = [
    "This is a model-based scenario analysis, not a forecast: it shows what could happen under stated "
    "assumptions about strikes, weather, repairs and behaviour. Infrastructure is synthetic.",
    "The ranges (5th–95th percentile of Monte Carlo runs) cover weather, strike, damage and repair "
    "randomness only; they leave out uncertainty in the model itself and its parameters, so real ranges "
    "are wider.",
    "Indoor cold bands are risk-communication bands, not health outcomes. Behaviour (people leaving, "
    "using heaters, going to heating points) is assumed, not observed.",
]


def methods(ds: xr.Dataset, scenarios: Sequence[Scenario]) -> dict:
    """The methods box: model and version, scenario definitions, repair assumptions, denominator, runs."""
    cfg = _config(ds)
    rep = cfg.get("repair", {}) if isinstance(cfg.get("repair"), dict) else {}
    city = cfg.get("city", {}) if isinstance(cfg.get("city"), dict) else {}
    people = cfg.get("people", {}) if isinstance(cfg.get("people"), dict) else {}
    repair = []
    if rep:
        crews = f"{rep.get('power_crews', '?')} power and {rep.get('heat_crews', '?')} heat-network crews"
        if float(rep.get("crew_multiplier", 1) or 1) != 1:
            crews += f" (x{float(rep['crew_multiplier']):g})"
        repair.append(crews + "; repairs stop during air-raid alerts; repaired assets can be hit again")
        if "transformer_spares" in rep:
            repair.append(
                f"{rep['transformer_spares']} spare large transformers; new ones take "
                f"{float(rep.get('transformer_lead_days', 180)):g} days"
            )
        if "drain_delay_h" in rep:
            repair.append(
                f"heating systems drained after {float(rep['drain_delay_h']):g} h without circulation in "
                f"frost; refill and restart {float(rep.get('restart_h_per_building', 1.2)):g} crew-hours "
                "per building after the heat source returns"
            )
        if "frozen_repair_days" in rep:
            repair.append(
                f"systems that freeze take about {float(rep['frozen_repair_days']):g} days to restore"
            )
    else:
        repair.append("see the run configuration (config attribute of result.nc)")
    repair = [r[:1].upper() + r[1:] for r in repair]
    pop = float(ds["population"].sum()) if "population" in ds else float("nan")
    denom = f"{num(pop, 3)} people present"
    if city.get("population_total"):
        denom += (
            f" ({num(float(city['population_total']), 2)} residents, of whom "
            f"{pct(float(city.get('share_left_frac', 0) or 0))} assumed to have left)"
        )
    if str(ds.attrs.get("city", city.get("name", ""))) == "kyiv":
        denom += "; population estimate 2024 (mobile data, incl. internally displaced people), calibration D1"
    hp = ""
    if people.get("heating_points"):
        hp = (
            f"{num(float(people['heating_points']))} heating points x {num(float(people.get('places_per_point', 0)))}"
            " places"
        )
    start, end, days = _period(ds)
    return {
        "model": model_version(ds),
        "scenarios": [(pretty(n), describe_scenario(d)) for n, d in scenarios],
        "weather": pretty(str(ds.attrs.get("weather_source") or "not recorded")),
        "period": f"{start} – {end} ({days:g} days, hourly steps)",
        "repair": repair,
        "denominator": denom,
        "heating_points": hp,
        "runs": n_runs(ds),
        "seed": str(ds.attrs.get("seed", "")),
        "bands": COLD_BANDS,
        "household_size": float(ds.attrs.get("household_size", 2.42)),
    }
