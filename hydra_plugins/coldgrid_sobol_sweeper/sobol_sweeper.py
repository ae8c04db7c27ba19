"""The Sobol sweeper: one job per Saltelli design row and scenario, launched by the configured launcher.

``sweep(arguments)`` expands the basic sweep (``hydra.sweeper.params`` and the command line's own sweep
overrides, e.g. ``attacks=continued,pause_week``) into scenarios, reads the job config's ``sobol`` keys
(the parameter list and ``sobol.samples``), draws the design seeded from ``seed`` (:func:`sim.sensitivity.plan`),
writes it into the sweep folder (:data:`sim.sensitivity.DESIGN`) and launches every job with explicit
overrides: ``sobol.sample=<row>`` and each parameter's value (so that ``result.nc`` labels itself and
``resume=true`` works as for any sweep). Before launching it composes the configs of the first jobs and
at the design's extremes and validates them (:func:`sim.config.validate.validate`), so that a bad key or
range stops the sweep on one line before any job runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.utils import JobReturn
from hydra.plugins.launcher import Launcher
from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger("coldgrid")


class SobolSweeper(Sweeper):
    """Hydra sweeper for ``experiment=sobol`` (see the module docstring)."""

    def __init__(self, max_batch_size: int | None = None, params: dict[str, str] | None = None) -> None:
        super().__init__()
        self.max_batch_size = max_batch_size
        self.params = dict(params or {})
        self.hydra_context: HydraContext | None = None
        self.config: DictConfig | None = None
        self.launcher: Launcher | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        from hydra.core.plugins import Plugins

        self.hydra_context = hydra_context
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)

    # ----------------------------------------------------------------------------------------- planning
    def scenarios(self, arguments: Sequence[str]) -> list[list[str]]:
        """The basic sweep of ``params`` and ``arguments``: one override list per scenario."""
        from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

        assert self.hydra_context is not None
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        overrides = parser.parse_overrides([f"{k}={v}" for k, v in self.params.items()] + list(arguments))
        return BasicSweeper.split_arguments(overrides, None)[0]

    def _job_config(self, overrides: Sequence[str]) -> DictConfig:
        from omegaconf import open_dict, read_write

        assert self.hydra_context is not None and self.config is not None
        cfg = self.hydra_context.config_loader.load_sweep_config(self.config, list(overrides))
        with read_write(cfg), open_dict(cfg):
            del cfg["hydra"]
        OmegaConf.resolve(cfg)
        return cfg

    def plan(self, arguments: Sequence[str]) -> Any:
        """Check the ``sobol`` keys and the parameters, and return the design (:class:`sim.sensitivity.Design`)."""
        from sim import sensitivity
        from sim.config.validate import validate
        from sim.errors import ConfigError

        assert self.config is not None
        sobol = self.config.get("sobol")
        if sobol is None:
            raise ConfigError("hydra/sweeper=sobol needs a parameter list: use experiment=sobol (or sobol=<list>)")
        params = sensitivity.parameters_of(sobol)
        scenarios = self.scenarios(arguments)
        keys = {p.key for p in params}
        for scenario in scenarios:
            for o in scenario:
                key = o.partition("=")[0].lstrip("+~")
                if key == sensitivity.SAMPLE_KEY:
                    raise ConfigError(f"{o}: the Sobol sweeper sets {sensitivity.SAMPLE_KEY} itself")
                if key in keys:
                    log.warning("%s: replaced by the design's values (it is a Sobol parameter)", o)
        bases = []
        for scenario in scenarios:
            cfg = self._job_config(scenario)
            base = {}
            for p in params:
                value = OmegaConf.select(cfg, p.key, default=None)
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ConfigError(f"sobol.parameters: {p.key}: no numeric config key of that name"
                                      f"{' in ' + ' '.join(scenario) if scenario else ''} (see coldgrid --cfg job)")
                base[p.key] = float(value)
            bases.append(base)
        design = sensitivity.plan(sobol, int(self.config.seed), scenarios, bases)
        # the configs at the design's extremes (and the first jobs) must pass the run's own checks
        rows = [j for j in design.jobs if int(j["sample"]) != sensitivity.NOMINAL][: len(scenarios)]
        values = sensitivity.job_values(params, design.X, bases[0])
        for extreme in (values.min(axis=0), values.max(axis=0)):
            over = [*scenarios[0], *sensitivity.sample_overrides(params, extreme, 0)]
            try:
                validate(self._job_config(over))
            except ConfigError as e:
                raise ConfigError(f"sobol.parameters: at the design's extremes: {e}") from None
        for job in rows:
            validate(self._job_config(job["overrides"]))
        return design

    # --------------------------------------------------------------------------------------------- sweep
    def sweep(self, arguments: list[str]) -> Any:
        from sim import sensitivity

        assert self.config is not None and self.launcher is not None
        design = self.plan(arguments)
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        sensitivity.write_design(sweep_dir, design, resume=bool(self.config.get("resume", False)))
        jobs = [j["overrides"] for j in design.jobs]
        n_rows = design.X.shape[0]
        log.info("Sobol sweep: %d parameters, N=%d, %d design rows, %d jobs", len(design.parameters),
                 design.samples, n_rows, len(jobs))
        batch = self.max_batch_size or len(jobs)
        returns: list[Sequence[JobReturn]] = []
        for start in range(0, len(jobs), batch):
            chunk = jobs[start:start + batch]
            tic = time.perf_counter()
            results = self.launcher.launch(chunk, initial_job_idx=start)
            log.info("launched jobs %d-%d in %.1f s", start, start + len(chunk) - 1, time.perf_counter() - tic)
            for r in results:
                _ = r.return_value  # a job's exception surfaces here (coldgrid's task records its own)
            returns.append(results)
        return returns
