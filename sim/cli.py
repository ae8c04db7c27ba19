"""The ``coldgrid`` command: a thin Hydra app around :func:`sim.chain.run_scenario`.

It composes the config, runs the chain with a progress bar (on a terminal only), writes ``result.nc``,
``events.csv`` and ``summary.csv`` (and the brief) into the Hydra run folder, and ends with the summary
table and the paths of the outputs. Every user error ends with one line on stderr and exit status 2.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sim import __version__, interrupts
from sim.errors import ColdgridError, ConfigError, RefusedError
from sim.resources import config_dir
from sim.stdout import echo
from sim.stdout import flush as _flush_stdout
from sim.stdout import tolerant_streams as _tolerant_streams

if TYPE_CHECKING:
    from omegaconf import DictConfig

# Hydra and OmegaConf are imported where they are used, so that this module loads fast and main() installs
# its signal handlers before the heavy imports (an early Ctrl-C then ends in one line, not a traceback).

log = logging.getLogger(__name__)

PROG = "coldgrid"

#: Where the Hydra configs live (``configs/`` in the source tree, ``sim/configs/`` in a wheel).
CONFIG_DIR = config_dir()
#: What ``--verbose`` adds to the command line: debug logs of every ``sim.*`` logger (one line per stage of
#: the chain) on the console and in the run folder's log, as ``hydra.verbose=[sim]`` would give in the log alone.
VERBOSE_OVERRIDES = ("hydra.verbose=[sim]", "hydra.job_logging.handlers.console.level=DEBUG")
GROUPS = ("city", "weather", "attacks", "repair", "buildings", "people", "nowcast", "experiment")
LAUNCHERS = {
    "basic": "run jobs one after another in this process (default)",
    "joblib": "run jobs in parallel local processes (hydra-joblib-launcher)",
    "ray": "run jobs on a local Ray cluster it starts (pip install -e '.[ray]'; see docs/sweeps.md)",
    "ray_cluster": "run jobs on a running Ray cluster at $RAY_ADDRESS (see docs/sweeps.md)",
}


def _describe(path: Path) -> str:
    """The ``description:`` of a config file, or its first comment line."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^description:\s*(.+)$", text, re.MULTILINE)
    if m:
        return m.group(1).strip().strip("'\"")
    for line in text.splitlines():
        if line.startswith("#") and "@package" not in line:
            return line.lstrip("# ").strip()
    return ""


def help_text() -> str:
    """The text of ``coldgrid --help``: usage, config groups with one-line descriptions, top-level keys."""
    lines = [
        f"coldgrid {__version__}: energy-outage and cold-risk scenarios (model-based, not a forecast)",
        "",
        "Usage:  coldgrid [GROUP=OPTION ...] [KEY=VALUE ...]          one scenario",
        "        coldgrid -m GROUP=A,B KEY=X,Y [hydra/launcher=joblib]   a sweep",
        "",
        "Examples:",
        "  coldgrid attacks=pause_week seed=7 realizations=200 horizon_days=21",
        "  coldgrid city=small_town realizations=8 horizon_days=7",
        "  coldgrid attacks=single_wave attacks.day=1 attacks.drones=339 attacks.missiles=34",
        "  coldgrid -m experiment=pause_vs_continued",
        "  coldgrid weather=file weather.path=forecast.csv",
        "  coldgrid --nodes city=kyiv                          names, kinds, districts for attacks.hits",
        "",
        "Config groups (GROUP=OPTION):",
    ]
    for group in GROUPS:
        folder = CONFIG_DIR / group
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not files:
            continue
        lines.append(f"  {group}")
        for f in files:
            lines.append(f"    {f.stem:<20} {_describe(f)}")
    lines.append("  hydra/launcher")
    for name, text in LAUNCHERS.items():
        lines.append(f"    {name:<20} {text}")
    lines += ["", "Top-level keys (KEY=VALUE):"]
    for line in (CONFIG_DIR / "config.yaml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([a-z_]+):\s*(\S.*?)\s*(?:#\s*(.*))?$", line)
        if m and m.group(1) not in ("defaults", "hydra"):
            lines.append(f"  {m.group(1) + '=' + m.group(2):<34} {m.group(3) or ''}")
    lines += [
        "",
        "Every key of a group can be set too, e.g. weather.min_temperature_c=-30 repair.crew_multiplier=2.",
        "Show the composed config: coldgrid --cfg job [overrides]. Outputs land in outputs/runs/<time>/.",
        "Debug logs of each stage on the console: coldgrid --verbose [overrides] (or hydra.verbose=[sim] for the log file).",
        "Hydra's own options: coldgrid --hydra-help.",
    ]
    return "\n".join(lines)


def one_line(exc: BaseException) -> str:
    """Turn a Hydra/OmegaConf composition error into one line naming the key or option."""
    from hydra.errors import MissingConfigException
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(exc, MissingConfigException) and exc.options is not None:
        missing = exc.missing_cfg_file or ""
        group, _, option = missing.rpartition("/")
        if group:
            return f"{group}={option}: unknown option; valid: {', '.join(sorted(exc.options))}"
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, OmegaConfBaseException) and getattr(exc, "full_key", None):
        cause = exc  # an error of OmegaConf itself (e.g. while resolving) names its key
    text = str(exc)
    if isinstance(cause, OmegaConfBaseException):
        key = getattr(cause, "full_key", None)
        ctext = str(cause).splitlines()[0]
        m = re.search(r"Error merging override ([^=\s]+)=(\S?)|Could not override '([^']+)'", text)
        okey = (m.group(1) or m.group(3)) if m else None
        if key and okey and not str(key).startswith(okey):  # a key inside a list entry or a mapping set whole
            given = m.group(2) if m and m.group(1) else text.rpartition(f"{okey}=")[2][:1]
            key = f"{okey}[].{key}" if given == "[" else f"{okey}.{key}"
        if "not in struct" in str(cause) or ("Key '" in ctext and "not" in ctext):
            return f"{key}: unknown key (see coldgrid --help or coldgrid --cfg job)"
        if key:
            return f"{key}: {ctext}"
        return ctext
    m = re.search(r"Could not override '([^']+)'", text)
    if m:
        return f"{m.group(1)}: unknown key or bad value ({text.splitlines()[-1].strip()})"
    m = re.search(r"Could not find '([^']+)'", text)
    if m:
        return f"{m.group(1)}: no such config"
    first = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return first[0] if first else type(exc).__name__


def _run(cfg: DictConfig) -> None:
    """The Hydra task: validate, run one job; in a sweep, a failed job is recorded, not fatal."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode
    from omegaconf.errors import OmegaConfBaseException

    hc = HydraConfig.get()
    out_dir = Path(hc.runtime.output_dir)
    overrides = list(hc.overrides.task)
    if hc.mode != RunMode.MULTIRUN:  # main() has claimed the folder and checked the config
        try:
            _validate_and_run(cfg, out_dir, overrides)
        except ColdgridError as e:
            _fail(e)  # exits here, so Hydra adds nothing to the one-line message
        except OmegaConfBaseException as e:
            _fail(ConfigError(one_line(e)))
        except OSError as e:
            from sim.folders import output_error

            _fail(output_error(e, str(out_dir)))
        return
    from sim.sweep import record_job

    sweep_dir = Path(hc.sweep.dir)
    status, msg = "ok", ""
    claim = None
    try:
        from sim.folders import claim as claim_folder

        claim = claim_folder(out_dir, key="hydra.sweep.dir job folder")
        status = _validate_and_run(cfg, out_dir, overrides)
    except Exception as e:  # a sweep goes on; the failure is listed at its end
        from sim.provenance import one_line_message

        msg = one_line_message(ConfigError(one_line(e)) if isinstance(e, OmegaConfBaseException) else e)
        status = _failure_status(e)
        if status == "error":
            log.exception("job %s failed", " ".join(overrides))
        print(f"coldgrid: job {hc.job.num} ({' '.join(overrides)}) failed: {msg}", file=sys.stderr)
    finally:
        if claim is not None:
            claim.release()
    record_job(sweep_dir, int(hc.job.num), out_dir, overrides, status, msg)


def _failure_status(e: BaseException) -> str:
    """``refused`` (the folder holds another result), ``failed`` (a user error) or ``error`` (a fault)."""
    from omegaconf.errors import OmegaConfBaseException
    if isinstance(e, RefusedError):
        return "refused"
    if isinstance(e, ColdgridError | OmegaConfBaseException):
        return "failed"
    return "error"


def _validate_and_run(cfg: DictConfig, out_dir: Path, overrides: list[str]) -> str:
    from hydra.core.hydra_config import HydraConfig

    from sim.config.validate import validate
    from sim.run import run_job

    validate(cfg)
    # HydraConfig.get() is typed as the HydraConf schema; at run time it is the DictConfig of that schema
    run_job(cfg, out_dir, overrides=overrides, echo=echo, hydra_cfg=cast("DictConfig", HydraConfig.get()))
    return "ok"


def _hydra_entry() -> None:
    import hydra

    from sim.config import register

    register()
    hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")(_run)()


def list_nodes(overrides: list[str]) -> str:
    """The text of ``coldgrid --nodes [city=...]``: name, kind and district of every node of the city's
    network, the names ``attacks.hits`` accepts (no coordinates: the infrastructure is synthetic)."""
    from sim.city import build_city
    from sim.config.load import compose_config
    from sim.network import build_network, node_listing

    cfg = compose_config(overrides, CONFIG_DIR)
    city = build_city(cfg.city)
    table = node_listing(build_network(city, cfg.city.grid))
    width = max(len("name"), *(len(n) for n in table["name"]))
    lines = [f"{'name':<{width}}  {'kind':<12}  district"]
    lines += [f"{n:<{width}}  {k:<12}  {d}" for n, k, d in table.itertuples(index=False)]
    return "\n".join(lines)


def _print_nodes(overrides: list[str]) -> None:
    """``coldgrid --nodes [overrides]``: the listing, or one line and exit 2 for a bad override."""
    from omegaconf.errors import OmegaConfBaseException

    for a in overrides:
        if a.startswith("-") or "_target_" in a or "${" in a:
            _fail(ConfigError(f"{a}: coldgrid --nodes takes plain overrides only (e.g. city=kyiv)"))
    try:
        echo(list_nodes(overrides))
    except ColdgridError as e:
        _fail(e)
    except OmegaConfBaseException as e:
        _fail(ConfigError(one_line(e)))
    except Exception as e:
        from hydra.errors import HydraException

        if isinstance(e, HydraException):
            _fail(ConfigError(one_line(e)))
        raise


def _format_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                    line: str | None = None) -> str:
    """A warning of coldgrid's own on one line (``coldgrid: warning: ...``), without the source line
    Python prints under it; other warnings as Python formats them."""
    from sim.errors import ColdgridWarning

    if issubclass(category, ColdgridWarning):
        return f"{PROG}: warning: {' '.join(str(message).split())}\n"
    return _python_format_warning(message, category, filename, lineno, line)


_python_format_warning = warnings.formatwarning


def main(argv: list[str] | None = None) -> None:
    """Console entry point of ``coldgrid``."""
    warnings.formatwarning = _format_warning
    args = sys.argv[1:] if argv is None else argv
    if "--verbose" in args:
        args = [a for a in args if a != "--verbose"] + list(VERBOSE_OVERRIDES)
    _tolerant_streams()
    if any(a in ("-h", "--help") for a in args):
        echo(help_text())
        return
    if "--nodes" in args:  # before prepare(): a listing runs nothing and claims no output folder
        _print_nodes([a for a in args if a != "--nodes"])
        return
    interrupts.install()  # SIGTERM unwinds like Ctrl-C: temp files are removed
    with interrupts.signal_wins(PROG):
        from omegaconf.errors import OmegaConfBaseException

        from sim.preflight import prepare
    try:
        with interrupts.signal_wins(PROG):
            plan = prepare(args, CONFIG_DIR)
    except ColdgridError as e:
        _fail(e)
    except OmegaConfBaseException as e:
        _fail(ConfigError(one_line(e)))
    except OSError as e:
        _fail(_os_error(e, "the output folder"))
    except Exception as e:
        from hydra.errors import HydraException

        if isinstance(e, HydraException):
            _fail(ConfigError(one_line(e)))
        raise
    sys.argv = [sys.argv[0], *plan.argv]
    os.environ["HYDRA_FULL_ERROR"] = "1"  # we format errors ourselves, on one line
    try:
        with interrupts.signal_wins(PROG):
            _hydra_entry()
    except ColdgridError as e:
        _fail(e)
    except OmegaConfBaseException as e:
        _fail(ConfigError(one_line(e)))
    except OSError as e:
        _fail(_os_error(e, str(plan.folder or "the output folder")))
    except Exception as e:
        from hydra.errors import HydraException

        if isinstance(e, HydraException):
            _fail(ConfigError(one_line(e)))
        raise
    if plan.sweep_id is not None and plan.folder is not None:
        _sweep_exit(plan.folder, plan.sweep_id)
    _flush_stdout()


def _sweep_exit(sweep_dir: Path, sweep_id: str) -> None:
    """Exit 2 (user errors) or 1 (a fault) when jobs of this sweep failed; ``failed.txt`` lists them."""
    from sim.sweep import FAILED_LIST, sweep_jobs

    jobs = sweep_jobs(sweep_dir, sweep_id)
    bad = [j for j in jobs if j.status != "ok"]
    if not bad:
        return
    _flush_stdout()
    code = 1 if any(j.status == "error" for j in bad) else 2
    print(f"coldgrid: error: {len(bad)} of {len(jobs)} sweep jobs failed; see {sweep_dir / FAILED_LIST}",
          file=sys.stderr)
    sys.exit(code)


def _os_error(e: OSError, where: str) -> ColdgridError:
    """An OSError as a one-line error: Hydra's missing-config errors are OSErrors too."""
    from hydra.errors import HydraException

    from sim.folders import output_error

    return ConfigError(one_line(e)) if isinstance(e, HydraException) else output_error(e, where)




def _fail(err: ColdgridError) -> None:
    msg = " ".join(str(err).split())
    _flush_stdout()
    print(f"coldgrid: error: {msg}", file=sys.stderr)
    sys.exit(err.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
