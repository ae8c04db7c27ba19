"""Global sensitivity (Sobol indices): the Saltelli design, each sample's figures, the indices (SALib).

A Sobol sweep (``coldgrid -m experiment=sobol``) runs every scenario of the sweep (by default
``attacks=continued`` and ``attacks=pause_week``) at every row of a Saltelli design over the uncertain
parameters of ``configs/sobol/<list>.yaml`` (:mod:`sim.config.sobol`), all with the same ``seed``
(common random numbers: realization r sees the same weather, waves and damage draws at every point
wherever the parameters do not change them). The Hydra sweeper (:mod:`hydra_plugins.coldgrid_sobol_sweeper`)
builds the jobs with :func:`plan` and writes the design (:data:`DESIGN`); at the end of the sweep
:func:`collect` reads each job's ``result.nc`` (its labels and sample index from the result's own
``overrides``), computes per sample the lead figures of the brief (:mod:`sim.keyfigures`; their mean
over realizations by default) and the paired effect of each scenario against its baseline (the pause's
effect, realization by realization), and the first-order, total and (with ``sobol.second_order``)
second-order indices with bootstrap confidence intervals (:func:`indices`, SALib). It writes

``sobol.nc``
    ``S1``, ``ST`` (and ``S2``) with their interval half-widths ``*_conf`` by scenario, figure and
    parameter; each sample's output and its Monte Carlo standard error; the design; the share of the
    output variance that is Monte Carlo noise (``mc_noise_share``).
``sobol.csv``
    one row per scenario, figure and parameter (HXL-tagged like the other tables).

Saltelli designs need every point: a failed or missing sample job means no indices (:class:`ResultError`
naming the missing samples); ``resume=true`` runs them. References: Saltelli et al. (2010), Variance based
sensitivity analysis of model output, Comput. Phys. Commun. 181:259-270 (the estimators SALib uses);
Sobol' (2001), Math. Comput. Simul. 55:271-280; Herman & Usher (2017), SALib, JOSS 2(9):97.
"""

from __future__ import annotations

import json
import logging
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from sim import __version__
from sim.errors import ConfigError, InputError, ResultError

log = logging.getLogger(__name__)

DESIGN = "sobol_design.json"  # in the sweep folder: the parameters, the design and every job's overrides
SOBOL_NC = "sobol.nc"
SOBOL_CSV = "sobol.csv"
SAMPLE_KEY = "sobol.sample"
NOMINAL = -1
#: Order of the columns of sobol.csv.
CSV_COLUMNS = ["scenario", "quantity", "baseline", "figure", "label", "unit", "parameter", "parameter_label",
               "S1", "S1_conf", "ST", "ST_conf", "mc_noise_share", "source", "note"]


# ------------------------------------------------------------------------------------------ parameters
@dataclass(frozen=True)
class Parameter:
    """One uncertain parameter (see :class:`sim.config.sobol.SobolParameter`)."""

    key: str
    dist: str = "unif"
    bounds: tuple[float, ...] = (0.0, 1.0)
    relative: bool = False
    integer: bool = False
    label: str = ""
    source: str = ""

    @classmethod
    def from_config(cls, node: Any) -> Parameter:
        fields: dict[str, Any] = {k: (tuple(float(x) for x in v) if k == "bounds" else v)
                                  for k, v in _fields(node).items() if k != "key"}
        return cls(str(node.key) if not isinstance(node, dict) else str(node["key"]), **fields)


def _fields(node: Any) -> dict[str, Any]:
    from omegaconf import DictConfig, OmegaConf

    if isinstance(node, DictConfig):
        node = OmegaConf.to_container(node, resolve=True)
    return dict(node) if isinstance(node, dict) else asdict(node)


def parameters_of(sobol_cfg: Any) -> list[Parameter]:
    """The parameters of a ``sobol`` config node, checked (:func:`sim.config.sobol.validate_sobol_config`)."""
    from sim.config.sobol import validate_sobol_config

    validate_sobol_config(sobol_cfg)
    return [Parameter.from_config(p) for p in sobol_cfg.parameters]


def problem(params: Sequence[Parameter]) -> dict[str, Any]:
    """The SALib problem: names (the config keys), bounds and distributions (factors when ``relative``)."""
    return {"num_vars": len(params), "names": [p.key for p in params],
            "bounds": [list(p.bounds) for p in params], "dists": [p.dist for p in params]}


def n_points(samples: int, n_params: int, second_order: bool) -> int:
    """Rows of a Saltelli design: N (2D + 2) with second-order indices, N (D + 2) without.

    >>> n_points(64, 20, False), n_points(64, 20, True)
    (1408, 2688)
    """
    return samples * ((2 if second_order else 1) * n_params + 2)


def saltelli_design(params: Sequence[Parameter], samples: int, seed: int, second_order: bool) -> np.ndarray:
    """The Saltelli design (rows, D) in the parameters' own units (factors when ``relative``).

    Scrambled Sobol' sequence (SALib.sample.sobol, scipy.stats.qmc) seeded from the run's ``seed``: the
    same seed, list and size give the same design on every machine.
    """
    from SALib.sample import sobol as sobol_sample

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SALib's note about skip_values; N is a power of 2
        X = sobol_sample.sample(problem(params), int(samples), calc_second_order=bool(second_order),
                                scramble=True, seed=int(seed))
    return np.asarray(X, dtype=float)


def job_values(params: Sequence[Parameter], X: np.ndarray, base: dict[str, float]) -> np.ndarray:
    """Config values of the design's rows: factor x configured value where ``relative``, rounded where ``integer``."""
    out = np.array(X, dtype=float, copy=True)
    for j, p in enumerate(params):
        if p.relative:
            out[:, j] = out[:, j] * float(base[p.key])
        if p.integer:
            out[:, j] = np.round(out[:, j])
    return out


def format_value(value: float, integer: bool = False) -> str:
    """A value as a Hydra override: shortest round-trip text (``repr``), integers without a point.

    >>> format_value(0.1), format_value(47.0, integer=True), format_value(-25.0)
    ('0.1', '47', '-25.0')
    """
    return str(round(float(value))) if integer else repr(float(value))


def sample_overrides(params: Sequence[Parameter], row: np.ndarray, sample: int) -> list[str]:
    """The overrides of one job at design row ``row`` (``sobol.sample=<i>``, then ``key=value`` each)."""
    return [f"{SAMPLE_KEY}={int(sample)}"] + [f"{p.key}={format_value(v, p.integer)}"
                                              for p, v in zip(params, row, strict=True)]


# ---------------------------------------------------------------------------------------------- design
@dataclass
class Design:
    """What a Sobol sweep runs: the parameters, the Saltelli rows and the jobs (written to :data:`DESIGN`)."""

    parameters: list[Parameter]
    samples: int
    second_order: bool
    seed: int
    X: np.ndarray  # (rows, D) in the parameters' units
    statistic: str = "mean"
    confidence: float = 0.95
    resamples: int = 1000
    jobs: list[dict] = field(default_factory=list)  # {num, sample, scenario: [overrides], overrides: [...]}

    def to_json(self) -> str:
        return json.dumps({
            "parameters": [asdict(p) for p in self.parameters], "samples": self.samples,
            "second_order": self.second_order, "seed": self.seed, "statistic": self.statistic,
            "confidence": self.confidence, "resamples": self.resamples, "X": self.X.tolist(), "jobs": self.jobs,
        }, indent=None, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Design:
        d = json.loads(text)
        params = [Parameter(**{**p, "bounds": tuple(p["bounds"])}) for p in d["parameters"]]
        return cls(params, int(d["samples"]), bool(d["second_order"]), int(d["seed"]),
                   np.asarray(d["X"], dtype=float).reshape(-1, len(params)), str(d["statistic"]),
                   float(d["confidence"]), int(d["resamples"]), list(d["jobs"]))

    @property
    def names(self) -> list[str]:
        return [p.key for p in self.parameters]

    def same_plan(self, other: Design) -> bool:
        """Whether two designs run the same jobs (a resumed sweep must): the same parameters and rows, and
        the same scenarios up to overrides that do not change numbers (``resume=true``, ``output.*``)."""
        if self.names != other.names or self.X.shape != other.X.shape or not np.array_equal(self.X, other.X):
            return False
        if [int(j["sample"]) for j in self.jobs] != [int(j["sample"]) for j in other.jobs]:
            return False
        return all(_same_identity(_identity(a["scenario"], self.names), _identity(b["scenario"], self.names))
                   for a, b in zip(self.jobs, other.jobs, strict=True))


def plan(sobol_cfg: Any, seed: int, scenarios: Sequence[Sequence[str]],
         base_values: Sequence[dict[str, float]]) -> Design:
    """The jobs of a Sobol sweep: every scenario (a list of overrides from the basic sweep) at the nominal
    point (``sobol.nominal``) and at every design row; ``base_values[k]`` are the configured values of the
    parameters in scenario ``k`` (for relative parameters). Job order: the nominal jobs, then row by row
    (every scenario of a row together, so that an interrupted sweep leaves whole pairs)."""
    params = parameters_of(sobol_cfg)
    X = saltelli_design(params, int(sobol_cfg.samples), seed, bool(sobol_cfg.second_order))
    design = Design(params, int(sobol_cfg.samples), bool(sobol_cfg.second_order), int(seed), X,
                    str(sobol_cfg.statistic), float(sobol_cfg.confidence), int(sobol_cfg.resamples))
    values = [job_values(params, X, base) for base in base_values]
    jobs: list[dict] = []

    def add(sample: int, scenario: Sequence[str], extra: list[str]) -> None:
        jobs.append({"num": len(jobs), "sample": sample, "scenario": list(scenario),
                     "overrides": [*scenario, *extra]})

    if bool(sobol_cfg.nominal):
        for scenario in scenarios:
            add(NOMINAL, scenario, [f"{SAMPLE_KEY}={NOMINAL}"])
    for i in range(X.shape[0]):
        for k, scenario in enumerate(scenarios):
            add(i, scenario, sample_overrides(params, values[k][i], i))
    design.jobs = jobs
    return design


def write_design(sweep_dir: str | os.PathLike, design: Design, resume: bool) -> Path:
    """Write :data:`DESIGN` into the sweep folder; a resumed sweep must run the design already there."""
    from sim.io import atomic_write_text

    path = Path(sweep_dir) / DESIGN
    if resume and path.is_file():
        try:
            old = Design.from_json(path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError):
            old = None
        if old is not None and not old.same_plan(design):
            raise ConfigError(f"resume: {path} holds another Sobol design (parameters, sobol.samples, the seed or "
                              "the scenarios changed); use the same command as the first run, or a new hydra.sweep.dir")
    return atomic_write_text(path, design.to_json())


def read_design(sweep_dir: str | os.PathLike) -> Design | None:
    """The design of a Sobol sweep folder, or None when the folder holds another kind of sweep."""
    path = Path(sweep_dir) / DESIGN
    if not path.is_file():
        return None
    try:
        return Design.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"{path}: not a readable Sobol design ({e})") from None


def is_nominal(overrides: Sequence[str]) -> bool:
    """Whether a job's overrides mark the nominal point (``sobol.sample=-1``)."""
    return _sample_of(overrides) == NOMINAL


def _sample_of(overrides: Sequence[str]) -> int | None:
    for o in overrides:
        key, _, value = o.partition("=")
        if key.lstrip("+") == SAMPLE_KEY:
            try:
                return int(value)
            except ValueError:
                return None
    return None


# ------------------------------------------------------------------------------------------- the indices
def indices(design: Design, Y: np.ndarray) -> dict[str, np.ndarray]:
    """Sobol indices of one output over the design's rows (SALib.analyze.sobol, Saltelli 2010 estimators).

    Parameters
    ----------
    design : Design
        The parameters, ``samples``, ``second_order``, ``confidence``, ``resamples`` and ``seed``.
    Y : numpy.ndarray
        One value per design row, in the design's row order.

    Returns
    -------
    dict
        ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (D,) and, with second order, ``S2``, ``S2_conf`` (D, D; upper
        triangle, NaN elsewhere). ``*_conf`` is the half-width of the bootstrap interval at ``confidence``.
        An output without variance (the same at every row) has NaN indices.
    """
    from SALib.analyze import sobol as sobol_analyze

    Y = np.asarray(Y, dtype=float)
    d = len(design.parameters)
    if Y.shape != (design.X.shape[0],):
        raise ValueError(f"Y has shape {Y.shape}; the design has {design.X.shape[0]} rows")
    keys = ["S1", "S1_conf", "ST", "ST_conf"] + (["S2", "S2_conf"] if design.second_order else [])
    if not np.isfinite(Y).all() or float(np.var(Y)) <= 1e-24 * max(1.0, float(np.mean(Y)) ** 2):
        return {k: np.full((d, d) if k.startswith("S2") else d, np.nan) for k in keys}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = sobol_analyze.analyze(problem(design.parameters), Y, calc_second_order=design.second_order,
                                    num_resamples=int(design.resamples), conf_level=float(design.confidence),
                                    print_to_console=False, seed=int(design.seed))
    return {k: np.asarray(out[k], dtype=float) for k in keys}


def analyze(design: Design, outputs: xr.Dataset) -> xr.Dataset:
    """Indices of every output of a table of per-sample outputs.

    ``outputs`` has ``output`` (scenario, figure, sample) and optionally ``output_mc_se`` (same dims); the
    sample dimension follows the design's rows. Returns ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (scenario,
    figure, parameter) (and ``S2``, ``S2_conf`` with a ``parameter_2`` dimension), ``output_variance`` and
    ``mc_noise_share`` (scenario, figure): mean squared Monte Carlo error of a sample's output over the
    variance of the outputs between samples (NaN without ``output_mc_se``).
    """
    y = outputs["output"].transpose("scenario", "figure", "sample")
    shape = (y.sizes["scenario"], y.sizes["figure"])
    res: dict[str, np.ndarray] = {}
    for a in range(shape[0]):
        for b in range(shape[1]):
            for k, v in indices(design, y.values[a, b]).items():
                res.setdefault(k, np.full(shape + v.shape, np.nan))[a, b] = v
    coords = {"scenario": y["scenario"].values, "figure": y["figure"].values, "parameter": design.names}
    ds = xr.Dataset(coords=coords)
    for k, v in res.items():
        dims = ("scenario", "figure", "parameter") + (("parameter_2",) if k.startswith("S2") else ())
        ds[k] = (dims, v)
    if "S2" in ds:
        ds = ds.assign_coords(parameter_2=("parameter_2", design.names))
    var = y.var("sample")
    ds["output_variance"] = var.drop_vars([c for c in var.coords if c not in ("scenario", "figure")])
    if "output_mc_se" in outputs:
        se2 = (outputs["output_mc_se"].transpose("scenario", "figure", "sample") ** 2).mean("sample")
        ds["mc_noise_share"] = (("scenario", "figure"), np.where(var.values > 0, se2.values / np.where(
            var.values > 0, var.values, 1.0), np.nan))
    else:
        ds["mc_noise_share"] = (("scenario", "figure"), np.full(shape, np.nan))
    return ds


# ----------------------------------------------------------------------------------- per-sample figures
def lead_keys() -> list[str]:
    """The lead figures of the brief (:data:`sim.keyfigures.FIGURES` with ``lead``)."""
    from sim.keyfigures import FIGURES

    return [f.key for f in FIGURES if f.lead]


def _weights(ds: xr.Dataset) -> np.ndarray:
    n = ds.sizes["realization"]
    if "realization_weight" in ds:
        w = np.asarray(ds["realization_weight"].values, dtype=float)
        if w.shape == (n,) and w.sum() > 0:
            return w / w.sum()
    return np.full(n, 1.0 / n)


def summarize_sample(per_run: np.ndarray, weights: np.ndarray, statistic: str) -> tuple[float, float]:
    """A sample's output over its realizations and the output's Monte Carlo standard error.

    ``mean``: weighted mean, standard error sqrt(sum w^2 (x - mean)^2) (1/sqrt(R) of the standard
    deviation for equal weights). ``median``: the median and the half-width of its distribution-free 95 %
    interval (:func:`sim.stats.median_ci`) over 1.96.

    >>> summarize_sample(np.array([1.0, 2.0, 3.0, 6.0]), np.full(4, 0.25), "mean")
    (3.0, 1.0801234497346435)
    """
    x = np.asarray(per_run, dtype=float)
    if statistic == "median":
        from sim.stats import median_ci

        lo, hi, _coverage = median_ci(x, 0.95)
        return float(np.median(x)), float((hi - lo) / (2 * 1.959964))
    m = float(np.sum(weights * x))
    n = len(x)
    se = math.sqrt(float(np.sum(weights**2 * (x - m) ** 2)) * n / max(n - 1, 1))
    return m, se


#: Variables the lead figures read besides their own ``needs`` (ceilings, weights, age groups).
_CONTEXT = ("population", "occupants", "apartment_buildings", "realization_weight")


def _open_for_figures(path: Path, keys: Sequence[str]) -> xr.Dataset:
    """The variables of ``result.nc`` that the figures ``keys`` need, loaded (a Kyiv result is large)."""
    from sim.io import open_result
    from sim.keyfigures import FIGURES

    needs = {v for f in FIGURES if f.key in keys for v in f.needs} | set(_CONTEXT)
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            return ds[[v for v in ds.data_vars if v in needs]].load()
    except Exception:  # an unreadable file: open_result's one-line error
        return open_result(path)


def figure_values(ds: xr.Dataset, keys: Sequence[str]) -> dict[str, np.ndarray]:
    """The figures ``keys`` per realization (:func:`sim.keyfigures.values`, the brief's definitions)."""
    from sim import keyfigures

    vals = keyfigures.values(ds, keys=list(keys))
    return {k: np.asarray(vals[k].transpose("realization").values, dtype=float) for k in keys if k in vals}


# ------------------------------------------------------------------------------------------ collection
def _identity(overrides: Sequence[str], keys: Sequence[str]) -> dict[str, str]:
    """What makes a job's scenario: its overrides without the sample index, the parameters' values and
    the keys that never change the numbers (:data:`sim.provenance.HASH_EXCLUDED_KEYS`: ``resume``,
    ``output.*``, ...), as ``{key: value}``."""
    from sim.provenance import HASH_EXCLUDED_KEYS
    from sim.sweep import _parse

    skip = {SAMPLE_KEY, *keys}
    return {k: v for k, v in _parse(overrides).items()
            if k not in skip and k.split(".")[0].split("/")[0] not in HASH_EXCLUDED_KEYS}


def _same_identity(a: dict[str, str], b: dict[str, str]) -> bool:
    from sim.sweep import _same_value

    return set(a) == set(b) and all(_same_value(a[k], b[k]) for k in a)


def _same_values(found: Sequence[str], expected: Sequence[str], keys: Sequence[str]) -> bool:
    """The parameters' values of a result's overrides are those of its design row."""
    from sim.sweep import _parse, _same_value

    a, b = _parse(found), _parse(expected)
    return all(_same_value(a.get(k), b.get(k)) for k in keys)


@dataclass
class Gathered:
    """The complete sample jobs of a Sobol sweep, by scenario and design row, and what is missing."""

    scenarios: list[tuple[str, ...]]  # each scenario's overrides, in the design's order
    paths: dict[tuple[tuple[str, ...], int], Path]  # (scenario, row) -> result.nc
    missing: list[tuple[int, int, str]]  # (job number, row, scenario label)


def gather(sweep_dir: str | os.PathLike, design: Design) -> Gathered:
    """Match the sweep's complete results to the design's jobs by their own overrides (``sobol.sample``,
    scenario and parameter values, read from each ``result.nc``); list the jobs without one."""
    from sim.sweep import find_jobs, scenario_labels

    names = design.names
    scenarios = list(dict.fromkeys(tuple(j["scenario"]) for j in design.jobs))
    labels = dict(zip(scenarios, scenario_labels([list(s) for s in scenarios]), strict=True))
    expected: dict[int, list[dict]] = {}
    for j in design.jobs:
        if int(j["sample"]) != NOMINAL:
            expected.setdefault(int(j["sample"]), []).append(j)
    paths: dict[tuple[tuple[str, ...], int], Path] = {}
    for job in find_jobs(sweep_dir):
        sample = _sample_of(job.overrides)
        if job.status != "ok" or sample is None or sample == NOMINAL:
            continue
        ident = _identity(job.overrides, names)
        exp = next((e for e in expected.get(sample, []) if _same_identity(ident, _identity(e["scenario"], names))), None)
        if exp is None or not _same_values(job.overrides, exp["overrides"], names):
            log.warning("job %s: its result's overrides are not those of the design; left out", job.num)
            continue
        paths[(tuple(exp["scenario"]), sample)] = job.result
    missing = [(int(j["num"]), s, labels[tuple(j["scenario"])]) for s, js in expected.items() for j in js
               if (tuple(j["scenario"]), s) not in paths]
    return Gathered(scenarios, paths, sorted(missing))


def missing_message(missing: Sequence[tuple[int, int, str]], total: int) -> str:
    """One line: no indices, and which sample jobs are missing (a Saltelli design needs every point)."""
    rows = sorted({s for _, s, _ in missing})
    shown = ", ".join(str(s) for s in rows[:20]) + (", ..." if len(rows) > 20 else "")
    return (f"no Sobol indices: {len(missing)} of {total} sample jobs have no complete result (design rows "
            f"{shown}; jobs {', '.join(str(n) for n, _, _ in missing[:20])}{', ...' if len(missing) > 20 else ''}); "
            "a Saltelli design needs every point: run the same command with resume=true to fill them")


def sample_outputs(design: Design, gathered: Gathered, baseline: str | None,
                   keys: Sequence[str] | None = None) -> xr.Dataset:
    """Each sample's lead figures (and each scenario's paired effect against its baseline) as a table.

    Returns ``output`` and ``output_mc_se`` (scenario, figure, sample); scenarios are the sweep's own
    (``quantity="level"``) and, for every scenario with a baseline (``baseline``, e.g.
    ``attacks=continued``), the paired difference scenario - baseline (``quantity="paired_difference"``:
    the statistic of the realization-by-realization differences, same seed).
    """
    from sim.keyfigures import Settings, definitions, label_of
    from sim.sweep import _find_baseline, _parse, _varying_keys, scenario_labels

    keys = list(keys or lead_keys())
    n = design.X.shape[0]
    per_run: dict[tuple[int, int], np.ndarray] = {}  # (scenario index, row) -> (figure, realization)
    weights: dict[tuple[int, int], np.ndarray] = {}
    meta: dict[str, tuple[str, str]] = {}
    for a, sc in enumerate(gathered.scenarios):
        for i in range(n):
            ds = _open_for_figures(gathered.paths[(sc, i)], keys)
            vals = figure_values(ds, keys)
            if not meta:
                s = Settings.from_dataset(ds)
                meta = {f.key: (label_of(f, s), f.unit) for f in definitions(ds, s) if f.key in vals}
                keys = [k for k in keys if k in vals]
            per_run[(a, i)] = np.stack([vals[k] for k in keys])
            weights[(a, i)] = _weights(ds)
            ds.close()
    labels = scenario_labels([list(s) for s in gathered.scenarios])
    parsed = [_parse(list(s)) for s in gathered.scenarios]
    varying = _varying_keys(parsed)
    rows: list[tuple[str, str, str, np.ndarray, np.ndarray]] = []

    def table(get: Any) -> tuple[np.ndarray, np.ndarray]:
        out, se = np.full((len(keys), n), np.nan), np.full((len(keys), n), np.nan)
        for i in range(n):
            x, w = get(i)
            for f in range(len(keys)):
                out[f, i], se[f, i] = summarize_sample(x[f], w, design.statistic)
        return out, se

    for a, lab in enumerate(labels):
        out, se = table(lambda i, a=a: (per_run[(a, i)], weights[(a, i)]))
        rows.append((lab, "level", "", out, se))
    if baseline:
        for a, lab in enumerate(labels):
            b = _find_baseline(a, parsed, varying, baseline)
            if b is None:
                continue
            if any(per_run[(a, i)].shape != per_run[(b, i)].shape for i in range(n)):
                log.warning("%s: realizations differ from its baseline's; no paired effect", lab)
                continue
            out, se = table(lambda i, a=a, b=b: (per_run[(a, i)] - per_run[(b, i)], weights[(a, i)]))
            rows.append((f"{lab} - {labels[b]}", "paired_difference", labels[b], out, se))
    ds = xr.Dataset(
        {"output": (("scenario", "figure", "sample"), np.stack([r[3] for r in rows])),
         "output_mc_se": (("scenario", "figure", "sample"), np.stack([r[4] for r in rows]))},
        coords={"scenario": [r[0] for r in rows], "figure": keys, "sample": np.arange(n)},
    )
    ds = ds.assign_coords(quantity=("scenario", [r[1] for r in rows]), baseline=("scenario", [r[2] for r in rows]),
                          figure_label=("figure", [meta[k][0] for k in keys]),
                          figure_unit=("figure", [meta[k][1] for k in keys]))
    return ds


def sobol_dataset(design: Design, outputs: xr.Dataset, indices_ds: xr.Dataset, sweep_dir: str = "") -> xr.Dataset:
    """``sobol.nc``: the indices, each sample's output and the design, with CF attributes (:mod:`sim.io`)."""
    from sim.io import CONVENTIONS, INSTITUTION

    ds = xr.merge([indices_ds, outputs], compat="override", join="exact")
    p = design.parameters
    ds = ds.assign_coords(
        parameter_label=("parameter", [x.label or x.key for x in p]),
        distribution=("parameter", [x.dist for x in p]),
        bounds=("parameter", [json.dumps(list(x.bounds)) for x in p]),
        relative=("parameter", np.array([int(x.relative) for x in p], dtype="int8")),
        source=("parameter", [x.source for x in p]),
    )
    ds["parameter_value"] = (("sample", "parameter"), design.X)
    attrs = {
        "S1": ("1", "first-order Sobol index (share of the output variance due to the parameter alone)"),
        "ST": ("1", "total Sobol index (share of the variance due to the parameter with all its interactions)"),
        "S2": ("1", "second-order Sobol index (share of the variance due to the interaction of two parameters)"),
        "output_variance": ("1", "variance of the output between samples (in the figure's unit squared)"),
        "mc_noise_share": ("1", "mean squared Monte Carlo error of a sample's output / variance between samples"),
        "output": ("1", f"each sample's figure: {design.statistic} over its realizations (unit: figure_unit)"),
        "output_mc_se": ("1", "Monte Carlo standard error of each sample's output (unit: figure_unit)"),
        "parameter_value": ("1", "the design: each sample's parameter value (factor on the configured value where "
                                 "relative=1; otherwise in the key's unit)"),
    }
    for name in map(str, list(ds.data_vars)):
        base = name.removesuffix("_conf")
        units, long_name = attrs.get(base, ("1", name))
        if name.endswith("_conf"):
            long_name = f"half-width of the {100 * design.confidence:g} % bootstrap interval of {base}"
        ds[name].attrs = {"units": units, "long_name": long_name}
    for c, text in {"scenario": "the sweep's scenario, or a paired difference scenario - baseline",
                    "figure": "lead figure of the brief (sim.keyfigures)", "parameter": "config key of the parameter",
                    "sample": "row of the Saltelli design", "parameter_2": "second parameter of an interaction"}.items():
        if c in ds.coords:
            ds[c].attrs = {"long_name": text, **({"units": "1"} if c == "sample" else {})}
    ds.attrs = {
        "Conventions": CONVENTIONS,
        "title": "coldgrid global sensitivity: Sobol indices of the lead figures over the uncertain parameters",
        "institution": INSTITUTION,
        "source": f"coldgrid {__version__} with SALib",
        "history": f"computed by sim.sensitivity.collect from {len(outputs['sample'])} design rows",
        "comment": "Model-based scenario analysis, not a forecast. Indices describe this model with these ranges.",
        "references": "Saltelli et al. (2010) Comput. Phys. Commun. 181:259-270; Herman & Usher (2017) JOSS 2(9):97",
        "sweep_dir": str(sweep_dir),
        "samples": int(design.samples),
        "second_order": int(design.second_order),
        "seed": int(design.seed),
        "statistic": design.statistic,
        "confidence": float(design.confidence),
        "resamples": int(design.resamples),
    }
    return ds


def sobol_table(ds: xr.Dataset) -> pd.DataFrame:
    """``sobol.csv``: one row per scenario, figure and parameter (:data:`CSV_COLUMNS`)."""
    rows = []
    for a in range(ds.sizes["scenario"]):
        for f in range(ds.sizes["figure"]):
            share = float(ds["mc_noise_share"].values[a, f])
            note = "no variance between samples: no indices" if not np.isfinite(ds["ST"].values[a, f]).any() else ""
            for p in range(ds.sizes["parameter"]):
                rows.append([str(ds["scenario"].values[a]), str(ds["quantity"].values[a]), str(ds["baseline"].values[a]),
                             str(ds["figure"].values[f]), str(ds["figure_label"].values[f]),
                             str(ds["figure_unit"].values[f]), str(ds["parameter"].values[p]),
                             str(ds["parameter_label"].values[p]),
                             *(float(ds[k].values[a, f, p]) for k in ("S1", "S1_conf", "ST", "ST_conf")),
                             share, str(ds["source"].values[p]), note])
    df = pd.DataFrame(rows, columns=CSV_COLUMNS)
    for c in ("S1", "S1_conf", "ST", "ST_conf", "mc_noise_share"):
        df[c] = df[c].round(4)
    return df


def collect(sweep_dir: str | os.PathLike, baseline: str | None = None) -> Path:
    """Write ``sobol.nc`` and ``sobol.csv`` for a Sobol sweep folder; return the path of ``sobol.nc``.

    Raises :class:`ResultError` (one line, listing the missing samples) when a sample job has no complete
    result, and :class:`InputError` when the folder holds no Sobol design.
    """
    from sim.io import write_netcdf
    from sim.report.hxl import write_comparison_csv

    sweep_dir = Path(sweep_dir)
    design = read_design(sweep_dir)
    if design is None:
        raise InputError(f"{sweep_dir}: not a Sobol sweep (no {DESIGN}); run coldgrid -m experiment=sobol")
    gathered = gather(sweep_dir, design)
    total = sum(1 for j in design.jobs if int(j["sample"]) != NOMINAL)
    if gathered.missing:
        raise ResultError(missing_message(gathered.missing, total))
    outputs = sample_outputs(design, gathered, baseline)
    ds = sobol_dataset(design, outputs, analyze(design, outputs), str(sweep_dir.resolve()))
    out = write_netcdf(ds, sweep_dir / SOBOL_NC, check=False)  # NaN: indices of an output without variance
    write_comparison_csv(sobol_table(ds), sweep_dir / SOBOL_CSV)
    return out


def top_total(ds: xr.Dataset, scenario: int | str = 0, figure: int | str = 0, k: int = 5) -> list[tuple[str, float, float]]:
    """The ``k`` largest total indices (parameter, ST, ST_conf) of one scenario and figure, largest first."""
    sel = ds.isel(scenario=scenario) if isinstance(scenario, int) else ds.sel(scenario=scenario)
    sel = sel.isel(figure=figure) if isinstance(figure, int) else sel.sel(figure=figure)
    st, conf = sel["ST"].values, sel["ST_conf"].values
    order = [int(i) for i in np.argsort(-np.nan_to_num(st, nan=-np.inf))[:k] if np.isfinite(st[i])]
    return [(str(ds["parameter"].values[i]), float(st[i]), float(conf[i])) for i in order]


@dataclass
class Collected:
    """What :func:`collect_sweep` wrote, and why something was not (one line each)."""

    sobol: Path | None = None
    sweep: Path | None = None
    messages: list[str] = field(default_factory=list)
    nominal_jobs: int = 0  # scenarios at the nominal point (a comparison brief needs two)


def collect_sweep(sweep_dir: str | os.PathLike, baseline: str | None = None,
                  reduction_frac: float | None = None) -> Collected:
    """Collect a Sobol sweep: ``sobol.nc``/``sobol.csv`` (:func:`collect`), ``failed.txt``, and
    ``sweep.nc``/``comparison.csv`` of the nominal point (the jobs with ``sobol.sample=-1``) for the brief."""
    from sim.errors import ColdgridError
    from sim.sweep import DEFAULT_BASELINE, _sweep_settings, find_jobs, write_failed_list
    from sim.sweep import collect as collect_jobs

    sweep_dir = Path(sweep_dir)
    design = read_design(sweep_dir)
    if design is None:
        raise InputError(f"{sweep_dir}: not a Sobol sweep (no {DESIGN})")
    if baseline is None:
        baseline = _sweep_settings(sweep_dir).get("baseline", DEFAULT_BASELINE)
    done = Collected()
    write_failed_list(sweep_dir, find_jobs(sweep_dir))
    try:
        done.sobol = collect(sweep_dir, baseline=baseline)
    except ColdgridError as e:
        done.messages.append(" ".join(str(e).split()))
    done.nominal_jobs = sum(1 for j in design.jobs if int(j["sample"]) == NOMINAL)
    if done.nominal_jobs:
        try:
            done.sweep = collect_jobs(sweep_dir, baseline=baseline, reduction_frac=reduction_frac,
                                      select=lambda j: is_nominal(j.overrides))
        except ColdgridError as e:
            done.messages.append(f"nominal point not collected: {' '.join(str(e).split())}")
    return done


def console_summary(path: str | os.PathLike, k: int = 5) -> str:
    """The largest total indices of the first lead figure, for each scenario of ``sobol.nc`` (console)."""
    with xr.open_dataset(path, engine="netcdf4") as ds:
        ds = ds.load()
    lines = []
    fig = 0
    label = str(ds["figure_label"].values[fig])
    for a, scen in enumerate(ds["scenario"].values):
        top = top_total(ds, a, fig, k)
        noise = float(ds["mc_noise_share"].values[a, fig])
        lines.append(f"Largest total Sobol indices: {label} ({scen}; Monte Carlo noise {100 * noise:.1f} % "
                     "of the variance between samples)" if np.isfinite(noise) else
                     f"Largest total Sobol indices: {label} ({scen})")
        lines += [f"  {name:<40} ST {st:5.2f} ± {conf:4.2f}" for name, st, conf in top] or ["  (no variance)"]
    return "\n".join(lines)
