"""One job of the CLI: run the chain, write the outputs of a run folder, print the summary.

Kept apart from :mod:`sim.cli` so that sweeps (and their launchers) call the same code.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from omegaconf import DictConfig

from sim.errors import RefusedError

if TYPE_CHECKING:
    import pandas as pd

    from sim.chain import RunOutput

log = logging.getLogger(__name__)

RESULT = "result.nc"


class ProgressBar:
    """A tqdm progress bar on a terminal (stderr), silent in logs and CI; use as ``progress(stage, done, total)``."""

    def __init__(self, mode: str = "auto", total: int = 100) -> None:
        enabled = mode == "always" or (mode == "auto" and sys.stderr.isatty())
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="%", file=sys.stderr, leave=False,
                             bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")
        self._weights = {"des": (0, 40), "thermal": (40, 100)}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            return
        lo, hi = self._weights.get(stage, (0, 100))
        target = lo + (hi - lo) * done / max(total, 1)
        what = "realizations" if stage == "des" else "steps"
        self._bar.set_description_str(f"{stage} {done}/{total} {what}")
        self._bar.update(max(0.0, target - self._bar.n))

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def run_job(
    cfg: DictConfig,
    out_dir: Path,
    overrides: list[str] | None = None,
    echo: Callable[[str], None] = print,
    hydra_cfg: DictConfig | None = None,
) -> Path:
    """Run one scenario and write ``result.nc``, ``events.csv``, ``summary.csv`` into ``out_dir``.

    Refuses to write into a folder whose ``result.nc`` exists (:class:`~sim.errors.RefusedError`; none of
    its files is touched), except with ``resume=true``: a complete result made from the same config (same
    :func:`sim.provenance.config_hash`) is kept and the job is skipped; a damaged or incomplete one is moved
    aside to ``result.nc.incomplete`` and the job runs again; one made from another config stops the job.
    Before running it checks the free disk space against the estimate of :mod:`sim.folders`, removes
    temporary files an interrupted attempt left, and writes ``.hydra/`` (``config.yaml``: the resolved
    config, ``hydra.yaml``, ``overrides.yaml``) when ``hydra_cfg`` is given. ``result.nc`` is written
    last and carries the config hash and the overrides (global attributes ``config_hash``, ``overrides``):
    its presence under its final name marks the job complete. Returns the path of ``result.nc``.
    """
    from sim.folders import check_free_space, estimate_result_bytes, output_error
    from sim.provenance import clear_failure, config_hash, encode_overrides, result_state
    from sim.report.console import run_summary
    from sim.threads import limit_to_job
    from sim.timegrid import TimeGrid

    out_dir = Path(out_dir)
    result_path = out_dir / RESULT
    chash = config_hash(cfg)
    if result_path.exists():
        if not cfg.get("resume", False):
            raise RefusedError(
                f"{result_path} exists; choose another hydra.run.dir or remove it (outputs are never overwritten)"
                "; resume=true skips jobs whose complete result exists"
            )
        state = result_state(result_path, chash)
        if state == "complete":
            clear_failure(out_dir)
            log.info("resume: %s is complete (config hash %s); job skipped", result_path, chash[:12])
            echo(f"coldgrid: resume: complete result exists, job skipped: {result_path.resolve()}")
            return result_path
        if state == "mismatch":
            raise RefusedError(
                f"resume: {result_path} was made from another config (config_hash differs); "
                "use a new hydra.sweep.dir or the same overrides as the first run"
            )
        aside = result_path.with_name(RESULT + ".incomplete")
        os.replace(result_path, aside)
        log.warning("resume: %s was incomplete; moved to %s, running the job again", result_path, aside)
    grid = TimeGrid.from_config(str(cfg.start), float(cfg.horizon_days), float(cfg.dt_minutes))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _set_aside_earlier_outputs(out_dir)
        check_free_space(out_dir, estimate_result_bytes(int(cfg.realizations), grid.n_steps,
                                                        len(cfg.city.districts)), int(cfg.realizations))
        _remove_stale_temporaries(out_dir)
        if hydra_cfg is not None:
            _write_hydra_record(out_dir, cfg, hydra_cfg, overrides or [])
    except OSError as e:
        raise output_error(e, str(out_dir)) from None
    limit_to_job()  # a Ray job's kernels on the CPUs Ray gave it, not on every core of the node
    bar = ProgressBar(str(cfg.output.progress))
    log.debug("run: %s, %d realizations, %g days from %s into %s", cfg.attacks.policy, int(cfg.realizations),
              float(cfg.horizon_days), cfg.start, out_dir)
    try:
        output = run_scenario_full(cfg, progress=bar)
    finally:
        bar.close()
    ds = output.dataset
    ds.attrs["overrides"] = encode_overrides(list(overrides or []))
    ds.attrs["config_hash"] = chash
    try:
        paths, brief, frame = _write_outputs(cfg, out_dir, ds, output.events, echo)
    except OSError as e:
        raise output_error(e, str(out_dir)) from None
    clear_failure(out_dir)
    for stage, seconds in output.stage_seconds.items():  # the chain's stages (sim.chain), in order
        log.debug("stage %s done in %.2f s", stage, seconds)
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in output.stage_seconds.items())
    log.info("stage times: %s", timing)
    echo("")
    echo(f"coldgrid: {ds.attrs['scenario']} | {int(cfg.realizations)} realizations, "
         f"{float(cfg.horizon_days):g} days from {cfg.start}")
    if cfg.label:
        echo(f"label: {cfg.label}")
    echo(run_summary(frame))
    echo("")
    echo("Model-based scenario analysis, not a forecast. Ranges are p5-p95 over realizations.")
    echo(f"Output folder: {out_dir.resolve()}")
    for p in paths:
        echo(f"  {p.resolve()}")
    for p in brief:
        if p.name.startswith("report.") and p.suffix in (".html", ".pdf"):
            echo(f"Brief: {p.resolve()}")
    return result_path


def run_scenario_full(cfg: DictConfig, progress: Callable[[str, int, int], None] | None = None) -> RunOutput:
    """:func:`sim.chain.run_scenario_full`, imported when a job runs (the chain is heavy to import)."""
    from sim.chain import run_scenario_full as full

    return full(cfg, progress=progress)


def _write_outputs(cfg: DictConfig, out_dir: Path, ds, events: pd.DataFrame,
                   echo: Callable[[str], None]) -> tuple[list[Path], list[Path], pd.DataFrame]:
    """Write the CSVs, the brief and, last, ``result.nc``; return (paths, brief paths, headline frame)."""
    from sim.io import write_csv, write_netcdf
    from sim.report.exports import events_in_calendar_time, headline_frame, write_run_tables

    paths = []
    if cfg.output.events_csv:
        paths.append(write_csv(events_in_calendar_time(events, str(cfg.start)), out_dir / "events.csv"))
    frame = headline_frame(ds)  # every figure of the brief: headline.csv and the summary printed after the run
    brief: list[Path] = []
    if cfg.output.report:
        brief = _render_brief(out_dir, ds, bool(cfg.output.pdf), echo, frame)
        paths += [p for p in brief if not p.name.startswith("report.") and p.parent == out_dir]
    if not (out_dir / "headline.csv").exists():
        paths += write_run_tables(ds, out_dir, frame)
    if cfg.output.summary_csv and not (out_dir / "summary.csv").exists():
        from sim.report import write_summary_csv

        paths += write_summary_csv(ds, out_dir / "summary.csv")
    # result.nc last: under its final name (atomic rename) it marks the job complete for resume=true
    paths.insert(0, write_netcdf(ds, out_dir / RESULT))
    return paths, brief, frame


#: Files and folders a run writes besides ``result.nc`` (its brief: ``report*.html|pdf`` and ``figures/``).
DERIVED_OUTPUTS = ("events.csv", "headline.csv", "triggers.csv", "summary.csv", "summary_readme.txt", "figures",
                   "report*.html", "report*.pdf")


def _set_aside_earlier_outputs(out_dir: Path) -> None:
    """Move the outputs of an attempt that left no complete ``result.nc`` to ``<name>.incomplete``.

    Without a result they belong to no result: the run writes its own, and a table it would not write
    (``summary.csv`` was kept when it existed, ``report.html`` with ``output.report=false``) would
    otherwise stand beside the new ``result.nc`` and describe another config. Moved, not deleted.
    """
    for pattern in DERIVED_OUTPUTS:
        for old in sorted(out_dir.glob(pattern)):
            aside, n = old.with_name(old.name + ".incomplete"), 1
            while aside.exists():  # an earlier attempt's are kept too
                n += 1
                aside = old.with_name(f"{old.name}.incomplete.{n}")
            os.replace(old, aside)
            log.warning("%s is left from an attempt without a complete %s; moved to %s", old, RESULT, aside)


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Remove ``.<name>.tmp-<pid>`` files an interrupted attempt left (the folder is ours: it is claimed)."""
    for tmp in out_dir.glob(".*.tmp-*"):
        if tmp.is_file():
            log.info("removing %s, left by an interrupted run", tmp)
            tmp.unlink(missing_ok=True)


def _write_hydra_record(out_dir: Path, cfg: DictConfig, hydra_cfg: DictConfig, overrides: list[str]) -> None:
    """``.hydra/``: the resolved job config, Hydra's config and the overrides, as Hydra would write them."""
    from omegaconf import OmegaConf

    from sim.io import atomic_write_text

    folder = out_dir / ".hydra"
    atomic_write_text(folder / "config.yaml", OmegaConf.to_yaml(cfg, resolve=True))
    hydra_part = OmegaConf.create({"hydra": OmegaConf.to_container(hydra_cfg, resolve=False)})
    atomic_write_text(folder / "hydra.yaml", OmegaConf.to_yaml(hydra_part))
    atomic_write_text(folder / "overrides.yaml", OmegaConf.to_yaml(OmegaConf.create(list(overrides))))


def _render_brief(out_dir: Path, ds, pdf: bool, echo: Callable[[str], None],
                  frame: pd.DataFrame | None = None) -> list[Path]:
    """Render the scenario brief; a failure is reported and does not cost the run its results."""
    from sim.report import render_run

    try:
        return [Path(p) for p in render_run(out_dir, ds=ds, pdf=pdf, frame=frame)]
    except Exception as e:  # the numbers matter more than their rendering
        log.exception("the brief could not be rendered")
        echo(f"coldgrid: warning: the brief could not be rendered ({type(e).__name__}: {e}); "
             f"results are complete; try coldgrid-report {out_dir}")
        return []
