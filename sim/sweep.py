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

import json
import logging
import math
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml
from omegaconf import OmegaConf

from sim import __version__, keyfigures
from sim.errors import InputError, ResultError
from sim.provenance import (
    FAILED,
    HASH_EXCLUDED_KEYS,
    RESULT,
    clear_failure,
    config_hash,
    one_line_message,
    record_failure,
    result_provenance,
    result_state,
)

log = logging.getLogger("coldgrid")

__all__ = [
    "COMPARISON",
    "FAILED",
    "FAILED_LIST",
    "HASH_EXCLUDED_KEYS",
    "SWEEP",
    "TORNADO",
    "Job",
    "clear_failure",
    "collect",
    "comparison_table",
    "config_hash",
    "find_jobs",
    "one_line_message",
    "record_failure",
    "record_job",
    "result_state",
    "scenario_labels",
    "start_sweep",
    "sweep_jobs",
    "tornado_table",
]

SWEEP = "sweep.nc"
COMPARISON = "comparison.csv"
TORNADO = "tornado.csv"
RECORDS = ".coldgrid"  # in the sweep folder: sweep_id and jobs/<num>.json, one record per job of the sweep
FAILED_LIST = "failed.txt"  # list of failed jobs in the sweep folder
DEFAULT_BASELINE = "attacks=continued"
SENSITIVITY_KEY = "experiment/sensitivity"
SENSITIVITY_BASE_CASE = "baseline"

# ---------------------------------------------------------------------------------------------------- jobs
@dataclass
class Job:
    """One job folder of a sweep.

    ``status``: ``ok`` (a complete result of this job's config), ``refused`` (the folder holds another
    result, which is kept), ``failed`` (a user error, e.g. a bad value) or ``error`` (a fault).
    ``overrides`` are those stored in the result (``ok``) or those the job was run with.
    """

    num: int
    path: Path
    overrides: list[str] = field(default_factory=list)
    status: str = "ok"
    message: str = ""

    @property
    def result(self) -> Path:
        return self.path / RESULT


def start_sweep(sweep_dir: str | os.PathLike) -> str:
    """Start a sweep in ``sweep_dir``: a new sweep id; the records of earlier attempts are removed."""
    from sim.io import atomic_write_text

    records = Path(sweep_dir) / RECORDS
    sweep_id = uuid.uuid4().hex
    for old in (records / "jobs").glob("*.json"):
        old.unlink(missing_ok=True)
    atomic_write_text(records / "sweep_id", sweep_id + "\n")
    return sweep_id


def _current_sweep_id(sweep_dir: Path) -> str | None:
    f = sweep_dir / RECORDS / "sweep_id"
    return f.read_text(encoding="utf-8").strip() if f.is_file() else None


def record_job(sweep_dir: str | os.PathLike, num: int, job_dir: str | os.PathLike, overrides: Sequence[str],
               status: str, message: str = "") -> None:
    """Record a job's outcome for its sweep (``<sweep>/.coldgrid/jobs/<num>.json``); FAILED if it failed.

    The ``FAILED`` marker goes only into a folder the job owned: a refused job never writes into the
    finished folder it refused.
    """
    from sim.io import atomic_write_text

    sweep_dir, job_dir = Path(sweep_dir), Path(job_dir)
    if status in ("failed", "error"):
        record_failure(job_dir, message)
    record = {"sweep_id": _current_sweep_id(sweep_dir), "num": int(num), "folder": job_dir.name,
              "overrides": [str(o) for o in overrides], "status": status,
              "message": one_line_message(message) if message else ""}
    atomic_write_text(sweep_dir / RECORDS / "jobs" / f"{int(num)}.json", json.dumps(record) + "\n")


def _job_from_folder(sub: Path, num: int, recorded: dict[str, Any] | None) -> Job:
    job = Job(num=num, path=sub)
    if recorded is not None and recorded.get("status") != "ok":
        job.status = str(recorded.get("status") or "failed")
        job.message = str(recorded.get("message") or "")
        job.overrides = [str(o) for o in recorded.get("overrides", [])]
        return job
    state = result_state(sub / RESULT)
    if state == "complete":
        job.overrides, _ = result_provenance(sub / RESULT)  # labels come from the result itself
        return job
    job.status = "failed"
    if recorded is not None:
        job.overrides = [str(o) for o in recorded.get("overrides", [])]
    else:  # no data to mislabel: the attempt's overrides, as Hydra saved them, name the failed job
        job.overrides = _hydra_overrides(sub)
    if (sub / FAILED).is_file():
        job.message = one_line_message((sub / FAILED).read_text(encoding="utf-8"))
    elif state == "incomplete":
        job.message = f"{RESULT} is incomplete or unreadable"
    else:
        job.message = f"no {RESULT} (job did not finish)"
    return job


def _hydra_overrides(job_dir: Path) -> list[str]:
    f = job_dir / ".hydra" / "overrides.yaml"
    try:
        data = yaml.safe_load(f.read_text(encoding="utf-8")) if f.is_file() else []
    except (OSError, yaml.YAMLError):
        return []
    return [str(x) for x in data] if isinstance(data, list) else []


def sweep_jobs(sweep_dir: str | os.PathLike, sweep_id: str | None = None) -> list[Job]:
    """The jobs of the last sweep run into ``sweep_dir`` (or of ``sweep_id``), from its job records."""
    sweep_dir = Path(sweep_dir)
    sweep_id = sweep_id or _current_sweep_id(sweep_dir)
    jobs = []
    for f in sorted((sweep_dir / RECORDS / "jobs").glob("*.json"), key=lambda p: int(p.stem)):
        rec = json.loads(f.read_text(encoding="utf-8"))
        if rec.get("sweep_id") != sweep_id:
            continue
        jobs.append(_job_from_folder(sweep_dir / str(rec.get("folder", f.stem)), int(rec["num"]), rec))
    return jobs


def find_jobs(sweep_dir: str | os.PathLike) -> list[Job]:
    """The jobs of a sweep folder.

    With the job records a coldgrid sweep writes (``.coldgrid/``), the jobs of the last sweep run into
    the folder; otherwise every numbered sub-folder with a result, a ``FAILED`` marker or a ``.hydra``.
    A job is ``ok`` only with a complete result; its overrides (hence its label) are read from the
    result's ``overrides`` attribute, never from ``.hydra/overrides.yaml``, which Hydra rewrites
    whenever a job is started in the folder (a failed job without a record, which has no data to
    mislabel, is named by it).
    """
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise InputError(f"{sweep_dir}: no such sweep folder")
    if _current_sweep_id(sweep_dir) is not None:
        return sweep_jobs(sweep_dir)
    jobs = []
    for sub in sorted((p for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)):
        if not ((sub / RESULT).exists() or (sub / FAILED).exists() or (sub / ".hydra").is_dir()):
            continue
        jobs.append(_job_from_folder(sub, int(sub.name), None))
    return jobs


def write_failed_list(sweep_dir: str | os.PathLike, jobs: Sequence[Job]) -> Path | None:
    """Write ``failed.txt`` (job number, overrides, message; tab-separated) or remove a stale one."""
    from sim.io import atomic_write_text

    failed_path = Path(sweep_dir) / FAILED_LIST
    failed = [j for j in jobs if j.status != "ok"]
    if not failed:
        failed_path.unlink(missing_ok=True)
        return None
    lines = [f"{j.num}\t{' '.join(j.overrides)}\t{j.message}" for j in failed]
    log.warning("%d of %d jobs failed; see %s", len(failed), len(jobs), failed_path)
    return atomic_write_text(failed_path, "\n".join(lines) + "\n")


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


def _city(ds: xr.Dataset) -> str:
    """The city a result is of (its ``city`` attribute; "" when it does not say)."""
    return str(ds.attrs.get("city") or "")


def _same_city(a: str, b: str) -> bool:
    return not a or not b or a == b


def _period_note(a: xr.Dataset, b: xr.Dataset) -> str:
    """The ``note`` of a pair whose results cover different periods (start or horizon): its totals add up over
    each scenario's own period; "" for the same period."""
    if any("time" not in d.coords or not d.sizes["time"] for d in (a, b)):
        return ""
    (sa, da), (sb, db) = ((str(d["time"].values[0])[:16], keyfigures.covered_days(d)) for d in (a, b))
    if sa == sb and abs(da - db) < 1e-9:
        return ""
    return (f"periods differ (baseline {da:g} days from {sa}, scenario {db:g} days from {sb}): totals add up "
            "over each scenario's own period")


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
    cities = [_city(r) for r in results]
    for i in range(len(results)):
        if matched and baseline:
            j = _find_baseline(i, parsed, keys, baseline)
        else:  # the first job of the same city (jobs of different cities are not compared run by run)
            j = next(k for k in range(len(results)) if _same_city(cities[k], cities[i]))
            j = None if j == i else j
        if j is not None:
            pairs.append((i, j))
    prob_col = f"prob_reduction_{round(100 * frac)}"
    columns = ["scenario", "baseline", "figure", "label", "unit", "baseline_p50", "scenario_p50",
               "diff_p50", "diff_p5", "diff_p95", prob_col, "paired", "note"]
    rows = []
    tables = []  # city and district rows of every pair (sim.stats.comparison_table: one definition per figure)
    for i, j in pairs:
        a, b = results[j], results[i]
        if not _same_city(cities[i], cities[j]):
            rows.append([labels[i], labels[j]] + [""] * 3 + [np.nan] * 6 + [False,
                        f"not compared: different cities ({cities[j]}, {cities[i]}); each job's brief has its figures"])
            continue
        period = _period_note(a, b)
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
        tables.append(t.assign(scenario=labels[i], baseline=labels[j], paired=True, note=period))
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
        if i is None:
            return None
        w = stats.realization_weights(results[i])  # a nowcast's weights (None: equal)
        return {str(k): float(stats.median(v.values, w)) for k, v in values[i].data_vars.items()}

    def effect(case: str) -> dict[str, float] | None:
        i, j = cases.get((case, policies[0])), cases.get((case, policies[1]))
        if i is None or j is None:
            return None
        out: dict[str, float] = {}
        for k in values[i].data_vars:
            if k in values[j].data_vars:
                out[str(k)] = float(stats.paired_difference(values[i][k], values[j][k], percentiles=(50,),
                                                       weights=stats.paired_weights(results[i], results[j])).values[0])
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
                k = cases.get((case, policies[0]))
                settings.append("" if k is None else _config_diff(base_cfg, str(results[k].attrs.get("config", ""))))
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
    per: dict[str, tuple[list[Any], str]] = {
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
    select: Callable[[Job], bool] | None = None,
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
    select : callable, optional
        Which jobs go into ``sweep.nc`` and ``comparison.csv`` (a Sobol sweep: its nominal point,
        :func:`sim.sensitivity.collect_sweep`); ``failed.txt`` lists every failed job of the sweep.

    Returns
    -------
    pathlib.Path
        The path of ``sweep.nc``.
    """
    from sim.io import write_csv, write_netcdf

    sweep_dir = Path(sweep_dir)
    settings = _sweep_settings(sweep_dir)
    if baseline is None:
        baseline = settings.get("baseline", DEFAULT_BASELINE)
    frac = float(reduction_frac if reduction_frac is not None else settings.get("reduction_frac", 0.25))
    jobs = find_jobs(sweep_dir)
    if not jobs:
        raise InputError(f"{sweep_dir}: no job folders (<num>/result.nc) in this sweep folder")
    write_failed_list(sweep_dir, jobs)
    refused = [j for j in jobs if j.status == "refused"]
    if refused:
        raise ResultError(f"{sweep_dir}: not collected: {len(refused)} job(s) refused to overwrite results "
                          f"already in their folders (first: job {refused[0].num}: {refused[0].message}); "
                          f"see {FAILED_LIST}")
    if select is not None:
        jobs = [j for j in jobs if select(j)]
        if not jobs:
            raise InputError(f"{sweep_dir}: no job of this sweep to collect into {SWEEP}")
    labels_all = scenario_labels([j.overrides for j in jobs])
    ok = [(j, lab) for j, lab in zip(jobs, labels_all, strict=True) if j.status == "ok"]
    failed = [(j, lab) for j, lab in zip(jobs, labels_all, strict=True) if j.status != "ok"]
    if not ok:
        raise ResultError(f"{sweep_dir}: every job failed; first: job {jobs[0].num}: {jobs[0].message}; "
                          f"see {FAILED_LIST}")
    from sim.io import open_result

    results = [open_result(j.result) for j, _ in ok]
    labels = [lab for _, lab in ok]
    ok_jobs = [j for j, _ in ok]

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
    out = sweep_dir / SWEEP
    write_netcdf(sweep, out, check=False)  # CF encoding of sim.io; NaN marks jobs aligned by the outer join
    return out

