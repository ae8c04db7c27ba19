"""The scenarios of a result: a run is one, a sweep (``scenario`` dimension) one per job, each with the
attributes the brief needs (policy, pause window, start, city, label), filled from its resolved config."""

from __future__ import annotations

import re

import numpy as np
import xarray as xr

from sim.keyfigures import config_of

#: ``(label, single-run Dataset)``.
Scenario = tuple[str, xr.Dataset]

#: Variables that may hold NaN in a complete run (a district whose population is unknown): all-NaN, they are
#: kept as they are, not read as missing from the job's result.
MAY_HOLD_NAN = ("population", "population_resident")


def has_result(ds: xr.Dataset) -> bool:
    """False for a sweep scenario without any result (every value NaN in ``sweep.nc``), see
    :func:`split_scenarios`."""
    return not ds.attrs.get("no_result")


def missing_variables(ds: xr.Dataset) -> list[str]:
    """The variables of the sweep that this scenario has no values of (dropped by :func:`split_scenarios`)."""
    return str(ds.attrs.get("missing_variables", "") or "").split()


#: Dimensions along which the outer join of :func:`sim.sweep.collect` pads a job with NaN labels: fewer
#: realizations (``-m realizations=100,200``), a shorter or later period (``-m horizon_days=7,21``: hours
#: and days), other districts (jobs of different cities); attribute ``padded_<dim>`` counts them.
PADDED_DIMS = {"realization": "padded_realizations", "time": "padded_time", "day": "padded_day",
               "district": "padded_district"}


def _nan_scan(sub: xr.Dataset) -> tuple[list[str], dict[str, np.ndarray]]:
    """One pass over the floating-point variables of a sweep scenario: those that hold nothing but NaN (absent
    from that job's result, aligned by the outer join of :func:`sim.sweep.collect`, or a job without values),
    and, per dimension of :data:`PADDED_DIMS`, its labels at which every variable along it that has values is NaN
    throughout (dimensions no variable with a value runs along are left out)."""
    all_nan: list[str] = []
    empty: dict[str, np.ndarray] = {}
    for name, v in sub.data_vars.items():
        if not np.issubdtype(v.dtype, np.floating) or not v.size:
            continue
        nan = np.isnan(v.values)
        if nan.all():
            all_nan.append(str(name))  # a variable without any value: see _without_missing
            continue
        if name in MAY_HOLD_NAN:
            continue
        for axis, dim in enumerate(v.dims):
            if dim in PADDED_DIMS:
                by_label = nan.all(axis=tuple(i for i in range(nan.ndim) if i != axis))
                empty[dim] = empty[dim] & by_label if dim in empty else by_label
    return all_nan, empty


def _without_missing(sub: xr.Dataset) -> xr.Dataset:
    """A sweep scenario as its job's result had it: without the labels it holds no values at along
    :data:`PADDED_DIMS` (its own realizations, period and districts; a run never writes NaN), and without
    the variables it holds no values of, which read as absent from a run (the brief's figures and tables
    then say "no result" for them, not 0 or a traceback). A scenario in which no variable along
    ``realization`` has a value is marked ``no_result``."""
    missing, empty = _nan_scan(sub)
    for dim, attr in PADDED_DIMS.items():
        pad = empty.get(dim)
        if pad is not None and pad.any() and not pad.all():
            sub = sub.isel({dim: ~pad})
            sub.attrs[attr] = int(pad.sum())
    if not missing:
        return sub
    kept = [k for k, v in sub.data_vars.items() if k not in missing and "realization" in v.dims]
    if kept:
        missing = [k for k in missing if k not in MAY_HOLD_NAN]
    sub = sub.drop_vars(missing)
    sub.attrs["missing_variables"] = " ".join(missing)
    if not kept:
        sub.attrs["no_result"] = 1
    return sub


def _config(ds: xr.Dataset) -> dict:
    """The scenario's resolved config as a dict (parsed once per text: :func:`sim.keyfigures.config_of`)."""
    return config_of(ds)


_TOKEN = re.compile(r"([A-Za-z_][\w./-]*)=([^\s,]+)")


#: Hydra's escapes in an override's value (``start=2026-01-29T00\:00`` in a job's recorded overrides).
_ESCAPED = re.compile(r"\\(.)")


def _tokens(label: str) -> dict[str, str]:
    """A label's overrides as ``{key: value}``, the values without Hydra's escapes."""
    return {k: _ESCAPED.sub(r"\1", v) for k, v in _TOKEN.findall(str(label))}


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
    ``attacks.pause_days=5``), then from the sweep's global attributes. Variables a scenario holds no
    values of are dropped from its Dataset (attribute ``missing_variables``); a scenario with no values at
    all gets the attribute ``no_result`` (:func:`has_result`).
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
        if attrs.get("_seed") is not None:
            attrs["seed"] = attrs["_seed"]  # the job's own (a sweep over seeds drops the global one)
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
        out.append((label, _without_missing(sub)))
    return out
