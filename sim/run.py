"""One job of the CLI: run the chain, write the outputs of a run folder, print the summary.

Kept apart from :mod:`sim.cli` so that sweeps (and their launchers) call the same code.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from omegaconf import DictConfig

from sim.errors import ColdgridError

log = logging.getLogger("coldgrid")

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
) -> Path:
    """Run one scenario and write ``result.nc``, ``events.csv``, ``summary.csv`` into ``out_dir``.

    Refuses to overwrite an existing ``result.nc`` (an existing output folder is not overwritten silently),
    except with ``resume=true``: a complete result made from the same config (same
    :func:`sim.sweep.config_hash`) is kept and the job is skipped; a damaged or incomplete one is moved
    aside to ``result.nc.incomplete`` and the job runs again; one made from another config stops the job.
    ``result.nc`` is written last and carries the config hash (global attribute ``config_hash``): its
    presence under its final name marks the job complete. Returns the path of ``result.nc``.
    """
    from sim.chain import run_scenario_full
    from sim.io import write_csv, write_netcdf
    from sim.report.console import run_summary
    from sim.report.exports import events_in_calendar_time, headline_frame, write_run_tables
    from sim.sweep import clear_failure, config_hash, result_state

    out_dir = Path(out_dir)
    result_path = out_dir / RESULT
    chash = config_hash(cfg)
    if result_path.exists():
        if not cfg.get("resume", False):
            raise ColdgridError(
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
            raise ColdgridError(
                f"resume: {result_path} was made from another config (config_hash differs); "
                "use a new hydra.sweep.dir or the same overrides as the first run"
            )
        aside = result_path.with_name(RESULT + ".incomplete")
        os.replace(result_path, aside)
        log.warning("resume: %s was incomplete; moved to %s, running the job again", result_path, aside)
    bar = ProgressBar(str(cfg.output.progress))
    try:
        output = run_scenario_full(cfg, progress=bar)
    finally:
        bar.close()
    ds = output.dataset
    if overrides:
        ds.attrs["overrides"] = " ".join(overrides)
    ds.attrs["config_hash"] = chash
    paths = []
    if cfg.output.events_csv:
        paths.append(write_csv(events_in_calendar_time(output.events, str(cfg.start)), out_dir / "events.csv"))
    frame = headline_frame(ds)  # every figure of the brief: headline.csv and the summary printed below
    brief: list[Path] = []
    if cfg.output.report:
        brief = _render_brief(out_dir, ds, bool(cfg.output.pdf), echo)
        paths += [p for p in brief if not p.name.startswith("report.") and p.parent == out_dir]
    if not (out_dir / "headline.csv").exists():
        paths += write_run_tables(ds, out_dir)
    if cfg.output.summary_csv and not (out_dir / "summary.csv").exists():
        from sim.report import write_summary_csv

        paths += write_summary_csv(ds, out_dir / "summary.csv")
    # result.nc last: under its final name (atomic rename) it marks the job complete for resume=true
    paths.insert(0, write_netcdf(ds, result_path))
    clear_failure(out_dir)
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


def _render_brief(out_dir: Path, ds, pdf: bool, echo: Callable[[str], None]) -> list[Path]:
    """Render the scenario brief; a failure is reported and does not cost the run its results."""
    from sim.report import render_run

    try:
        return [Path(p) for p in render_run(out_dir, ds=ds, pdf=pdf)]
    except Exception as e:  # the numbers matter more than their rendering
        log.exception("the brief could not be rendered")
        echo(f"coldgrid: warning: the brief could not be rendered ({type(e).__name__}: {e}); "
             f"results are complete; try coldgrid-report {out_dir}")
        return []
