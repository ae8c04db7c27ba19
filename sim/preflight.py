"""What ``coldgrid`` checks before Hydra starts: the command line, the configs, the output folder.

:func:`prepare` turns the user's arguments into the argument list Hydra runs, after

1. the trust checks of :mod:`sim.config.trust` (flags, shared config folders, the composed config with
   Hydra's part, before anything is instantiated);
2. resolving and validating the job's config (one-line errors before any folder exists);
3. claiming the output folder (:mod:`sim.folders`): it is created and locked, a finished run folder or
   a folder that already holds a sweep is refused (``resume=true`` finishes a sweep), and the folder is
   pinned as an explicit ``hydra.run.dir``/``hydra.sweep.dir`` override, so that the folder checked is
   the folder written (``${now:...}`` is resolved once).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from sim.config import register, trust
from sim.config.output import output_folder
from sim.errors import RefusedError
from sim.folders import Claim, claim, holds_sweep, is_finished_run


@dataclass
class Plan:
    """The checked arguments for Hydra and the claimed output folder (None for --cfg, --info, ...)."""

    argv: list[str]
    folder: Path | None = None
    sweep_id: str | None = None
    claim: Claim | None = None


def _quote(value: str) -> str:
    """A Hydra override value in single quotes (backslashes, quotes and ``${`` escaped)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("${", "\\${") + "'"


def _job_config(cfg: DictConfig) -> DictConfig:
    """The job's part of a composed config, as Hydra gives it to the task, with every value resolved."""
    import copy

    from omegaconf import open_dict, read_write

    job = copy.deepcopy(cfg)
    with read_write(job), open_dict(job):
        del job["hydra"]
    OmegaConf.to_container(job, resolve=True)  # interpolation errors now, naming the key
    OmegaConf.resolve(job)
    return job


def prepare(args: list[str], config_dir: Path) -> Plan:
    """Check ``args`` and claim the output folder; return what Hydra is to run (see module docstring)."""
    cl = trust.parse_command_line(args)
    trust.check_override_keys(cl.overrides)
    user_dirs = ([cl.config_dir] if cl.config_dir is not None else []) + trust.searchpath_dirs(cl.overrides)
    trust.refuse_removals(cl.overrides, [config_dir, *user_dirs])
    trust.check_dirs(user_dirs)
    register()
    cfg, options = trust.compose(cl, config_dir)
    trust.check_composed(cfg, options, user_dirs)
    if not cl.runs:
        return Plan(cl.argv)
    job = _job_config(cfg)
    from sim.config.validate import refuse_unknown_keys, validate

    refuse_unknown_keys(job)
    if not cl.multirun:
        validate(job)
    key = "hydra.sweep.dir" if cl.multirun else "hydra.run.dir"
    folder = output_folder(cfg, key)
    resume = bool(job.get("resume", False))
    held = claim(folder, key)
    if not cl.multirun and is_finished_run(folder) and not resume:
        held.release()
        raise RefusedError(f"{folder / 'result.nc'} exists; choose another hydra.run.dir or remove it "
                           "(outputs are never overwritten); resume=true skips jobs whose complete result exists")
    sweep_id = None
    if cl.multirun:
        from sim.sweep import start_sweep

        if holds_sweep(folder) and not resume:
            held.release()
            raise RefusedError(f"hydra.sweep.dir={folder} already holds a sweep; choose another folder "
                               "(outputs are never overwritten), or add resume=true to finish the same sweep")
        sweep_id = start_sweep(folder)
    overrides = [o for o in cl.overrides if o.lstrip("+~").split("=", 1)[0] != key]
    cl.overrides = [*overrides, f"{key}={_quote(str(folder))}"]
    return Plan(cl.argv, folder, sweep_id, held)
