"""Scenario sweeps: config hash and resume checks, collection of a sweep folder, paired comparisons.

A Hydra multirun writes one job folder per scenario, ``<sweep_dir>/<job num>/result.nc``. At the end of the
sweep the callback :class:`sim.callbacks.CollectSweep` (or ``coldgrid-report SWEEP_FOLDER`` afterwards)
calls :func:`collect`, which writes into the sweep folder:

``sweep.nc``
    every job's result along a ``scenario`` dimension, labelled by the overrides that differ between
    jobs (e.g. ``attacks=pause_week``), with per-scenario coordinates ``job``, ``overrides``,
    ``scenario_name``, ``seed``, ``config_hash`` and ``config``; failed jobs are listed in the global
    attribute ``failed_jobs``.
``comparison.csv``
    paired differences (same seed: realization by realization) of the headline figures of each scenario
    against its baseline: median, p5, p95 and the probability of a reduction of at least 25 %.
``failed.txt``
    one line per failed job (job number, overrides, message); only when a job failed.
``tornado.csv``
    only for the ``sensitivity`` experiment: one-at-a-time swings of each headline figure and of the pause's
    effect.

Resume: every ``result.nc`` carries :func:`config_hash` of the config that produced it (global attribute
``config_hash``); :func:`result_state` tells whether a result is complete for a given config. Files are
written to a temporary name and renamed (:mod:`sim.io`), so a half-written result never has the final name;
a damaged or truncated file fails to open or lacks the hash and is never taken for a complete one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml
from omegaconf import DictConfig, ListConfig, OmegaConf

from sim import __version__
from sim.errors import ColdgridError, InputError, ResultError

log = logging.getLogger("coldgrid")

__all__ = [
    "COMPARISON",
    "FAILED",
    "FAILED_LIST",
    "HASH_EXCLUDED_KEYS",
    "SWEEP",
    "TORNADO",
    "Job",
    "collect",
    "comparison_table",
    "config_hash",
    "find_jobs",
    "one_line_message",
    "record_failure",
    "result_state",
    "scenario_labels",
    "tornado_table",
]

RESULT = "result.nc"
SWEEP = "sweep.nc"
COMPARISON = "comparison.csv"
TORNADO = "tornado.csv"
FAILED = "FAILED"  # marker file in a job folder: the job's one-line error message
FAILED_LIST = "failed.txt"  # list of failed jobs in the sweep folder
DEFAULT_BASELINE = "attacks=continued"
SENSITIVITY_KEY = "experiment/sensitivity"
SENSITIVITY_BASE_CASE = "baseline"

#: Top-level keys left out of :func:`config_hash`: they do not change the numbers of ``result.nc``.
#: ``hydra`` (Hydra's own settings, present only with ``return_hydra_config``), ``resume`` (the switch
#: itself), ``label`` (free text shown in outputs; a resumed job keeps the label it was run with),
#: ``experiment`` (the preset's name; its values are hashed) and ``output`` (which files and progress bars
#: a run writes, not what is in them).
HASH_EXCLUDED_KEYS = ("hydra", "resume", "label", "experiment", "output")


# --------------------------------------------------------------------------------------------- config hash
def config_hash(cfg: DictConfig | dict) -> str:
    """SHA-256 of the resolved config, without :data:`HASH_EXCLUDED_KEYS`.

    The config is resolved (interpolations replaced), keys are sorted and serialised as JSON, so the hash
    is the same whatever the order of overrides or the launcher. Values typed by the schemas are already
    normalised (``-25`` and ``-25.0`` give the same float).

    Parameters
    ----------
    cfg : omegaconf.DictConfig or dict
        A composed coldgrid config.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    data: dict[str, Any] = {}
    for key in cfg:
        if key in HASH_EXCLUDED_KEYS:
            continue
        value = cfg[key]  # resolved against the whole config; excluded keys are never resolved
        if isinstance(value, DictConfig | ListConfig):
            value = OmegaConf.to_container(value, resolve=True, throw_on_missing=False)
        data[str(key)] = value
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def result_state(path: str | os.PathLike, expected_hash: str | None = None) -> str:
    """State of a saved result: ``"missing"``, ``"incomplete"``, ``"mismatch"`` or ``"complete"``.

    ``incomplete``: the file does not open as NetCDF, has no data variables or no ``config_hash``
    attribute (a truncated copy, or a file written by something else). ``mismatch``: complete, but made
    from another config than ``expected_hash``. ``complete``: opens, has data and the expected hash (any
    hash if ``expected_hash`` is None).
    """
    path = Path(path)
    if not path.is_file():
        return "missing"
    try:
        with xr.open_dataset(path, engine="netcdf4", decode_times=False) as ds:
            found = ds.attrs.get("config_hash")
            has_data = len(ds.data_vars) > 0
    except Exception:  # a truncated or foreign file: never complete
        return "incomplete"
    if not found or not has_data:
        return "incomplete"
    if expected_hash is not None and str(found) != expected_hash:
        return "mismatch"
    return "complete"


# ------------------------------------------------------------------------------------------------ failures
def one_line_message(exc: BaseException | str) -> str:
    """A job's error on one line: a :class:`ColdgridError`'s message, else ``Type: message``."""
    if isinstance(exc, str):
        text = exc
    elif isinstance(exc, ColdgridError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split()) or "unknown error"


def record_failure(job_dir: str | os.PathLike, exc: BaseException | str) -> Path:
    """Write ``<job_dir>/FAILED`` with the one-line message of ``exc``; a sweep then goes on."""
    from sim.io import atomic_write_text

    return atomic_write_text(Path(job_dir) / FAILED, one_line_message(exc) + "\n")


def clear_failure(job_dir: str | os.PathLike) -> None:
    """Remove a stale ``FAILED`` marker (a resumed job that now succeeds)."""
    (Path(job_dir) / FAILED).unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------- jobs
@dataclass
class Job:
    """One job folder of a sweep."""

    num: int
    path: Path
    overrides: list[str] = field(default_factory=list)
    status: str = "ok"  # ok | failed
    message: str = ""

    @property
    def result(self) -> Path:
        return self.path / RESULT


def _read_overrides(job_dir: Path) -> list[str] | None:
    f = job_dir / ".hydra" / "overrides.yaml"
    if not f.is_file():
        return None
    data = yaml.safe_load(f.read_text(encoding="utf-8")) or []
    return [str(x) for x in data]


def find_jobs(sweep_dir: str | os.PathLike) -> list[Job]:
    """The job folders of a sweep (numbered sub-folders with a result, a FAILED marker or a ``.hydra``).

    A job without a complete result is ``failed``: its message comes from ``FAILED`` or says what is
    missing. Overrides come from ``.hydra/overrides.yaml`` or, failing that, the result's ``overrides``
    attribute.
    """
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise InputError(f"{sweep_dir}: no such sweep folder")
    jobs = []
    for sub in sorted((p for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)):
        if not ((sub / RESULT).exists() or (sub / FAILED).exists() or (sub / ".hydra").is_dir()):
            continue
        job = Job(num=int(sub.name), path=sub)
        overrides = _read_overrides(sub)
        state = result_state(sub / RESULT)
        if state == "complete":
            if overrides is None:
                with xr.open_dataset(sub / RESULT, engine="netcdf4", decode_times=False) as ds:
                    overrides = str(ds.attrs.get("overrides", "")).split()
        else:
            job.status = "failed"
            if (sub / FAILED).is_file():
                job.message = one_line_message((sub / FAILED).read_text(encoding="utf-8"))
            elif state == "incomplete":
                job.message = f"{RESULT} is incomplete or unreadable"
            else:
                job.message = f"no {RESULT} (job did not finish)"
        job.overrides = overrides or []
        jobs.append(job)
    return jobs


# -------------------------------------------------------------------------------------------------- labels
def _split(override: str) -> tuple[str, str]:
    key, _, value = override.partition("=")
    return key.lstrip("+~"), value


def _parse(overrides: Sequence[str]) -> dict[str, str]:
    return dict(_split(o) for o in overrides)


def _same_value(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    if a.strip("'\"") == b.strip("'\""):
        return True
    try:
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-12)
    except ValueError:
        return False


def _varying_keys(parsed: Sequence[dict[str, str]]) -> list[str]:
    keys: list[str] = []
    for p in parsed:
        keys += [k for k in p if k not in keys]
    return [k for k in keys if len({p.get(k) for p in parsed}) > 1]


def scenario_labels(overrides: Sequence[Sequence[str]]) -> list[str]:
    """Labels of the jobs of a sweep: the overrides that differ between jobs, joined by spaces.

    Overrides common to every job (``city=small_town realizations=4``) are left out; a single job is
    labelled by all its overrides (or ``default``). Duplicate labels get ``#<index>`` appended.

    Examples
    --------
    >>> scenario_labels([["city=small_town", "attacks=continued"], ["city=small_town", "attacks=pause_week"]])
    ['attacks=continued', 'attacks=pause_week']
    """
    parsed = [_parse(o) for o in overrides]
    keys = _varying_keys(parsed)
    labels = []
    for o, p in zip(overrides, parsed, strict=True):
        label = " ".join(f"{k}={p[k]}" for k in keys if k in p) if keys else " ".join(o)
        labels.append(label or "default")
    for i, lab in enumerate(labels):
        if labels.count(lab) > 1:
            labels[i] = f"{lab} #{i}"
    return labels


def _find_baseline(i: int, parsed: Sequence[dict[str, str]], keys: Sequence[str], baseline: str) -> int | None:
    """Index of job ``i``'s baseline: same varying overrides except ``baseline``'s key set to its value."""
    bkey, bval = _split(baseline)
    if _same_value(parsed[i].get(bkey), bval):
        return None  # a baseline itself
    for j, p in enumerate(parsed):
        if j != i and _same_value(p.get(bkey), bval) and all(
            _same_value(p.get(k), parsed[i].get(k)) for k in keys if k != bkey
        ):
            return j
    return None


# ---------------------------------------------------------------------------------------------- comparison
def comparison_table(
    results: Sequence[xr.Dataset],
    labels: Sequence[str],
    overrides: Sequence[Sequence[str]],
    baseline: str | None = DEFAULT_BASELINE,
    frac: float = 0.25,
) -> pd.DataFrame:
    """Paired differences of every scenario's headline figures against its baseline.

    The baseline of a scenario is the job whose overrides are the same except ``baseline``'s key, which
    takes ``baseline``'s value (``attacks=continued``: each ``pause_week`` job is compared with the
    ``continued`` job at the same temperature, crews, ...). When no job matches ``baseline``, every
    scenario is compared with the first job. Jobs that are baselines themselves get no rows.

    Parameters
    ----------
    results : sequence of xarray.Dataset
        One result per job (complete jobs only).
    labels : sequence of str
        Scenario labels, see :func:`scenario_labels`.
    overrides : sequence of sequence of str
        Each job's overrides.
    baseline : str or None
        ``key=value`` override that defines the baseline scenarios; None: the first job.
    frac : float
        Relative reduction for the probability column. [1]

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``baseline``, ``figure``, ``label``, ``unit``, ``baseline_p50``,
        ``scenario_p50`` (medians over realizations), ``diff_p50``, ``diff_p5``, ``diff_p95`` (percentiles
        of scenario - baseline, realization
        by realization; negative: the scenario has less) and ``prob_reduction_<pct>`` (probability over
        realizations that the scenario is at least ``frac`` below its baseline), ``paired`` (same seed and
        realizations) and ``note``.
    """
    from sim import stats

    parsed = [_parse(o) for o in overrides]
    keys = _varying_keys(parsed)
    pairs: list[tuple[int, int]] = []
    matched = baseline is not None and any(_same_value(p.get(_split(baseline)[0]), _split(baseline)[1]) for p in parsed)
    for i in range(len(results)):
        j = _find_baseline(i, parsed, keys, baseline) if matched and baseline else (0 if i else None)
        if j is not None:
            pairs.append((i, j))
    prob_col = f"prob_reduction_{round(100 * frac)}"
    columns = ["scenario", "baseline", "figure", "label", "unit", "baseline_p50", "scenario_p50",
               "diff_p50", "diff_p5", "diff_p95", prob_col, "paired", "note"]
    rows = []
    tables = []  # city and district rows of every pair (sim.stats.comparison_table: one definition per figure)
    for i, j in pairs:
        a, b = results[j], results[i]
        paired = str(a.attrs.get("seed")) == str(b.attrs.get("seed")) and (
            "realization" in a.coords and "realization" in b.coords
            and np.array_equal(a["realization"].values, b["realization"].values)
        )
        if not paired:
            rows.append([labels[i], labels[j]] + [""] * 3 + [np.nan] * 6 + [False,
                        "not paired: different seeds or realizations; no paired differences"])
            continue
        t = stats.comparison_table(a, b, frac=frac).rename(
            columns={"a_p50": "baseline_p50", "b_p50": "scenario_p50", "prob_reduction": prob_col})
        tables.append(t.assign(scenario=labels[i], baseline=labels[j], paired=True, note=""))
    out = pd.DataFrame(rows, columns=columns)
    if tables:
        full = pd.concat(tables, ignore_index=True)
        lead = ["scenario", "baseline", "figure", "label", "unit", "adm5_code", "adm5_name"]
        full = full[lead + [c for c in full.columns if c not in lead]]
        out = pd.concat([full, out], ignore_index=True) if len(out) else full
    return out


# ------------------------------------------------------------------------------------------------- tornado
def _flat(cfg: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(cfg, dict):
        for k, v in cfg.items():
            out.update(_flat(v, f"{prefix}{k}."))
    else:
        out[prefix[:-1]] = cfg
    return out


def _config_diff(a_yaml: str, b_yaml: str) -> str:
    """``key=value`` of ``b`` where it differs from ``a`` (both resolved YAML), for tornado tables."""
    try:
        a, b = _flat(yaml.safe_load(a_yaml) or {}), _flat(yaml.safe_load(b_yaml) or {})
    except yaml.YAMLError:
        return ""
    skip = {"experiment", "label", "resume"}
    return ", ".join(
        f"{k}={b[k]}" for k in sorted(b) if k.split(".")[0] not in skip and not k.endswith("description")
        and a.get(k) != b[k]
    )


def tornado_table(
    results: Sequence[xr.Dataset],
    overrides: Sequence[Sequence[str]],
    policies: tuple[str, str] = ("continued", "pause_week"),
) -> pd.DataFrame:
    """One-at-a-time sensitivity (tornado) of the headline figures and of the pause's effect.

    Jobs are the cases of the ``sensitivity`` experiment: override ``+experiment/sensitivity=<input>_low``,
    ``<input>_high`` or ``baseline`` (defaults), each under the attack policies ``policies``
    (baseline first). For each input and figure the table gives the median over realizations at the low,
    baseline and high setting under the baseline policy (``quantity="level"``), and the median of the
    paired difference ``policies[1] - policies[0]`` (``quantity="pause_effect"``), with ``swing = |high -
    low|``; rows are sorted by swing within each figure and quantity, the largest first.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure``, ``quantity``, ``input``, ``low``, ``baseline``, ``high``, ``swing``,
        ``low_setting``, ``high_setting``, ``unit``.
    """
    from sim import stats

    parsed = [_parse(o) for o in overrides]
    cases: dict[tuple[str, str], int] = {}
    for i, p in enumerate(parsed):
        case = p.get(SENSITIVITY_KEY)
        policy = p.get("attacks", policies[0])
        if case is not None:
            cases[(case, policy)] = i
    if (SENSITIVITY_BASE_CASE, policies[0]) not in cases:
        raise InputError(f"tornado: no job with {SENSITIVITY_KEY}={SENSITIVITY_BASE_CASE} and attacks={policies[0]}")
    values = {i: stats.headline_values(results[i]) for i in set(cases.values())}

    def level(case: str) -> dict[str, float] | None:
        i = cases.get((case, policies[0]))
        return None if i is None else {k: float(v.median()) for k, v in values[i].data_vars.items()}

    def effect(case: str) -> dict[str, float] | None:
        i, j = cases.get((case, policies[0])), cases.get((case, policies[1]))
        if i is None or j is None:
            return None
        out = {}
        for k in values[i].data_vars:
            if k in values[j].data_vars:
                out[k] = float(stats.paired_difference(values[i][k], values[j][k], percentiles=(50,)).values[0])
        return out

    inputs = sorted({c[: -len("_low")] for c, _ in cases if c.endswith("_low")}
                    | {c[: -len("_high")] for c, _ in cases if c.endswith("_high")})
    base_i = cases[(SENSITIVITY_BASE_CASE, policies[0])]
    base_cfg = str(results[base_i].attrs.get("config", ""))
    units = {k: v.attrs.get("units", "") for k, v in values[base_i].data_vars.items()}
    rows = []
    for quantity, fn in (("level", level), ("pause_effect", effect)):
        base = fn(SENSITIVITY_BASE_CASE)
        if base is None:
            continue
        for name in inputs:
            lo, hi = fn(f"{name}_low"), fn(f"{name}_high")
            settings = []
            for case in (f"{name}_low", f"{name}_high"):
                i = cases.get((case, policies[0]))
                settings.append("" if i is None else _config_diff(base_cfg, str(results[i].attrs.get("config", ""))))
            for fig, b in base.items():
                vlo = lo.get(fig, np.nan) if lo else np.nan
                vhi = hi.get(fig, np.nan) if hi else np.nan
                rows.append([fig, quantity, name, vlo, b, vhi, abs(vhi - vlo), settings[0], settings[1], units.get(fig, "")])
    df = pd.DataFrame(rows, columns=["figure", "quantity", "input", "low", "baseline", "high", "swing",
                                     "low_setting", "high_setting", "unit"])
    return df.sort_values(["figure", "quantity", "swing"], ascending=[True, True, False], kind="stable",
                          na_position="last").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------- collect
def _sweep_settings(sweep_dir: Path) -> dict[str, Any]:
    """The collect callback's settings saved in ``multirun.yaml`` (baseline, reduction_frac), if any."""
    f = sweep_dir / "multirun.yaml"
    if not f.is_file():
        return {}
    try:
        cfg = OmegaConf.load(f)
        node = OmegaConf.select(cfg, "hydra.callbacks.collect", default=None)
        return {} if node is None else dict(OmegaConf.to_container(node, resolve=False))  # type: ignore[arg-type]
    except Exception:  # multirun.yaml is informative only
        return {}


def _stack(results: Sequence[xr.Dataset], labels: Sequence[str], jobs: Sequence[Job]) -> xr.Dataset:
    stripped = []
    for ds in results:
        ds = ds.copy()
        ds.attrs = {}
        stripped.append(ds)
    sweep = xr.concat(stripped, dim=pd.Index(list(labels), name="scenario"), data_vars="all", coords="different", compat="equals",
                      join="outer", combine_attrs="drop_conflicts")
    per = {
        "job": ([j.num for j in jobs], "job number (sub-folder of the sweep folder)"),
        "overrides": ([" ".join(j.overrides) for j in jobs], "the job's command-line overrides"),
        "scenario_name": ([str(r.attrs.get("scenario", "")) for r in results], "the run's scenario name"),
        "seed": ([int(r.attrs.get("seed", -1)) for r in results], "the run's seed"),
        "config_hash": ([str(r.attrs.get("config_hash", "")) for r in results], "hash of the resolved config"),
        "config": ([str(r.attrs.get("config", "")) for r in results], "the run's resolved config (YAML)"),
    }
    for name, (vals, long_name) in per.items():
        sweep = sweep.assign_coords({name: ("scenario", np.asarray(vals, dtype=object if isinstance(vals[0], str) else None))})
        sweep[name].attrs = {"long_name": long_name}
    sweep["scenario"].attrs = {"long_name": "scenario: the overrides that differ between the sweep's jobs"}
    return sweep


def collect(
    sweep_dir: str | os.PathLike,
    baseline: str | None = None,
    reduction_frac: float | None = None,
) -> Path:
    """Gather a sweep folder's results into ``sweep.nc``, ``comparison.csv`` (and ``failed.txt``).

    Failed jobs (a ``FAILED`` marker, no result, or an incomplete result) are listed, not fatal; at least
    one complete result is needed.

    Parameters
    ----------
    sweep_dir : path
        The sweep folder (``hydra.sweep.dir``).
    baseline : str, optional
        ``key=value`` that defines each scenario's baseline (see :func:`comparison_table`); default the
        ``hydra.callbacks.collect.baseline`` saved in ``multirun.yaml``, else ``attacks=continued``.
    reduction_frac : float, optional
        Relative reduction for the probability column (default from ``multirun.yaml``, else 0.25). [1]

    Returns
    -------
    pathlib.Path
        The path of ``sweep.nc``.
    """
    from sim.io import atomic_write, write_csv

    sweep_dir = Path(sweep_dir)
    settings = _sweep_settings(sweep_dir)
    if baseline is None:
        baseline = settings.get("baseline", DEFAULT_BASELINE)
    frac = float(reduction_frac if reduction_frac is not None else settings.get("reduction_frac", 0.25))
    jobs = find_jobs(sweep_dir)
    if not jobs:
        raise InputError(f"{sweep_dir}: no job folders (<num>/result.nc) in this sweep folder")
    labels_all = scenario_labels([j.overrides for j in jobs])
    ok = [(j, lab) for j, lab in zip(jobs, labels_all, strict=True) if j.status == "ok"]
    failed = [(j, lab) for j, lab in zip(jobs, labels_all, strict=True) if j.status != "ok"]
    if not ok:
        raise ResultError(f"{sweep_dir}: every job failed; first: job {jobs[0].num}: {jobs[0].message}")
    results = []
    for j, _ in ok:
        with xr.open_dataset(j.result, engine="netcdf4") as ds:
            results.append(ds.load())
    labels = [lab for _, lab in ok]
    ok_jobs = [j for j, _ in ok]

    failed_lines = [f"{j.num}\t{' '.join(j.overrides)}\t{j.message}" for j, _ in failed]
    failed_path = sweep_dir / FAILED_LIST
    if failed:
        atomic_write(failed_path, lambda p: p.write_text("\n".join(failed_lines) + "\n", encoding="utf-8"))
        log.warning("%d of %d jobs failed; see %s", len(failed), len(jobs), failed_path)
    else:
        failed_path.unlink(missing_ok=True)

    table = comparison_table(results, labels, [j.overrides for j in ok_jobs], baseline=baseline, frac=frac)
    if failed:
        extra = pd.DataFrame([{"scenario": lab, "note": f"failed: {j.message}", "paired": False} for j, lab in failed],
                             columns=table.columns)
        table = pd.concat([table, extra], ignore_index=True) if len(table) else extra
    from sim.report.hxl import write_comparison_csv

    write_comparison_csv(table, sweep_dir / COMPARISON)
    if any(SENSITIVITY_KEY in _parse(j.overrides) for j in ok_jobs):
        try:
            write_csv(tornado_table(results, [j.overrides for j in ok_jobs]), sweep_dir / TORNADO)
        except InputError as e:
            log.warning("no tornado table: %s", e)

    sweep = _stack(results, labels, ok_jobs)
    first = results[0].attrs
    sweep.attrs = {
        "Conventions": first.get("Conventions", "CF-1.10"),
        "title": "coldgrid sweep: scenarios along the scenario dimension",
        "institution": first.get("institution", ""),
        "source": f"coldgrid {__version__}",
        "history": f"collected from {len(ok)} job results by sim.sweep.collect",
        "comment": "Model-based scenario analysis, not a forecast. District-level aggregates only.",
        "sweep_dir": str(sweep_dir.resolve()),
        "baseline": str(baseline or ""),
        "n_jobs": len(jobs),
        "failed_jobs": "; ".join(f"{j.num} ({lab}): {j.message}" for j, lab in failed),
    }
    encoding = {
        name: {"zlib": True, "complevel": 4}
        for name, v in sweep.data_vars.items()
        if np.issubdtype(v.dtype, np.number) and v.size > 1000
    }
    out = sweep_dir / SWEEP
    atomic_write(out, lambda p: sweep.to_netcdf(p, engine="netcdf4", encoding=encoding))
    return out

