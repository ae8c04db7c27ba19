"""Hydra callbacks of coldgrid: collect a sweep's results at its end (a Sobol sweep's indices too).

Registered in ``configs/config.yaml`` under ``hydra.callbacks.collect``; experiment presets set its
``baseline``. A failed job does not stop a sweep: the task function (:mod:`sim.cli`) catches its error in
multirun mode, records the job's outcome (:func:`sim.sweep.record_job`) and writes ``<job dir>/FAILED``
(one line); at the end ``failed.txt`` lists the failed jobs, and ``coldgrid`` exits with a non-zero status.
A sweep in which a job refused to overwrite a result already in its folder is not collected.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sim.stdout import echo

log = logging.getLogger(__name__)


class CollectSweep(Callback):
    """At the end of a multirun, gather the jobs' results into ``sweep.nc`` and ``comparison.csv``.

    Parameters
    ----------
    baseline : str or None
        ``key=value`` override defining each scenario's baseline for paired differences (default
        ``attacks=continued``; None: the first job), see :func:`sim.sweep.comparison_table`.
    reduction_frac : float
        Relative reduction for the probability column of ``comparison.csv``. [1]
    enabled : bool
        Set ``hydra.callbacks.collect.enabled=false`` to skip collection (run ``coldgrid-report`` later).
    """

    def __init__(self, baseline: str | None = "attacks=continued", reduction_frac: float = 0.25,
                 enabled: bool = True) -> None:
        self.baseline = baseline
        self.reduction_frac = float(reduction_frac)
        self.enabled = bool(enabled)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Write ``sweep.nc``, ``comparison.csv`` (and ``failed.txt``) into ``hydra.sweep.dir``."""
        from sim.errors import ColdgridError
        from sim.sweep import collect, find_jobs, write_failed_list

        sweep_dir = Path(str(config.hydra.sweep.dir))
        if not self.enabled:  # no collection; failed jobs are still listed
            write_failed_list(sweep_dir, find_jobs(sweep_dir))
            return
        if (sweep_dir / "sobol_design.json").is_file():  # written by hydra/sweeper=sobol (sim.sensitivity)
            self._collect_sobol(config, sweep_dir)
            return
        try:
            path = collect(sweep_dir, baseline=self.baseline, reduction_frac=self.reduction_frac)
        except ColdgridError as e:
            log.error("sweep not collected: %s", " ".join(str(e).split()))
            echo(f"coldgrid: sweep not collected: {' '.join(str(e).split())}")
            return
        from sim.report.console import comparison_summary
        from sim.report.hxl import read_hxl_csv

        echo(comparison_summary(read_hxl_csv(path.parent / "comparison.csv")))
        echo(f"coldgrid: sweep collected: {path.resolve()}")
        echo(f"  {(path.parent / 'comparison.csv').resolve()}")
        _echo_failed(sweep_dir)
        if bool(config.output.report):
            self._render(config, sweep_dir)

    def _collect_sobol(self, config: DictConfig, sweep_dir: Path) -> None:
        """A Sobol sweep: ``sobol.nc``/``sobol.csv``, the nominal point's ``sweep.nc`` and the brief."""
        from sim.errors import ColdgridError
        from sim.sensitivity import SOBOL_CSV, collect_sweep, console_summary

        try:
            done = collect_sweep(sweep_dir, baseline=self.baseline, reduction_frac=self.reduction_frac)
        except ColdgridError as e:
            echo(f"coldgrid: sweep not collected: {' '.join(str(e).split())}")
            return
        for message in done.messages:
            log.error("%s", message)
            echo(f"coldgrid: {message}")
        if done.sobol is not None:
            echo(console_summary(done.sobol))
            echo(f"coldgrid: Sobol indices: {done.sobol.resolve()}")
            echo(f"  {(sweep_dir / SOBOL_CSV).resolve()}")
        if done.sweep is not None:
            echo(f"coldgrid: nominal point collected: {done.sweep.resolve()}")
        _echo_failed(sweep_dir)
        wanted = config.get("sobol") is None or bool(config.sobol.brief)
        if done.sweep is not None and wanted and done.nominal_jobs >= 2:
            self._render(config, sweep_dir)
        elif done.sweep is not None and wanted:
            echo("coldgrid: one scenario: no comparison brief (a comparison needs two; the indices are in sobol.csv)")

    def _render(self, config: DictConfig, sweep_dir: Path) -> None:
        """The comparison brief (with the sensitivity section when ``sobol.nc`` is there)."""
        import xarray as xr

        from sim.report import render_comparison
        from sim.report.content import baseline_applies

        try:
            with xr.open_dataset(sweep_dir / "sweep.nc") as ds:
                labels = [str(s) for s in ds["scenario"].values]
            baseline = self.baseline if baseline_applies(self.baseline, labels) else None
            for p in render_comparison(sweep_dir, baseline=baseline, pdf=bool(config.output.pdf),
                                       languages=list(config.output.languages)):
                if p.name.startswith("comparison.") and p.suffix in (".html", ".pdf"):
                    echo(f"Comparison brief: {p.resolve()}")
        except Exception as e:  # the collected numbers stand; the brief can be re-rendered
            from sim.errors import ColdgridError, NotComparableError

            if isinstance(e, NotComparableError):  # a sweep over cities: nothing to compare run by run
                echo(f"coldgrid: no comparison brief: {e}")
                return

            # a reason in words (bad input) is one line; anything else keeps its traceback in the log
            log.error("comparison brief not rendered: %s", e, exc_info=not isinstance(e, ColdgridError))
            echo(f"coldgrid: warning: comparison brief not rendered ({type(e).__name__}: {e}); "
                  f"try coldgrid-report {sweep_dir}")


def _echo_failed(sweep_dir: Path) -> None:
    failed = sweep_dir / "failed.txt"
    if failed.exists():
        n = len(failed.read_text(encoding="utf-8").splitlines())
        echo(f"  {n} job(s) failed: {failed.resolve()}")
