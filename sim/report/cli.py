"""``coldgrid-report PATH [--no-pdf] [--baseline KEY=VALUE]``: re-render briefs from saved results.

PATH is a run folder (with ``result.nc``) or a sweep folder (with ``sweep.nc``, or job sub-folders with
``result.nc``, which :func:`sim.sweep.collect` gathers into ``sweep.nc`` first). Nothing is simulated. Every
user error ends with one line on stderr and exit status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim import __version__, interrupts
from sim.errors import ColdgridError, InputError

RESULT, SWEEP = "result.nc", "sweep.nc"


class _Parser(argparse.ArgumentParser):
    """argparse without abbreviations whose errors are one line (``coldgrid-report: error: ...``)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(f"{message} (see coldgrid-report --help)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="coldgrid-report",
        allow_abbrev=False,
        description="Re-render the scenario brief (HTML, PDF, figures, HXL summary.csv) of a saved coldgrid run "
        "or sweep folder, without simulating. Model-based scenario analysis, not a forecast.",
    )
    p.add_argument(
        "path", type=Path, help="a run folder (result.nc) or a sweep folder (sweep.nc or job folders)"
    )
    p.add_argument("--no-pdf", action="store_true", help="write the HTML only (skip WeasyPrint)")
    p.add_argument(
        "--baseline",
        default=None,
        help="sweeps: the scenario to compare against, a label or KEY=VALUE (default attacks=continued)",
    )
    p.add_argument("--version", action="version", version=f"coldgrid-report {__version__}")
    return p


def _has_jobs(folder: Path) -> bool:
    return any(p.is_dir() and p.name.isdigit() and (p / RESULT).exists() for p in folder.iterdir())


def render_path(path: Path, pdf: bool = True, baseline: str | None = None) -> list[Path]:
    """Render whatever ``path`` holds: a run's brief, or a sweep's comparison (collecting it first)."""
    from sim.report import render_comparison, render_run

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such folder")
    if not path.is_dir():
        raise InputError(f"{path}: not a folder (give the run or sweep folder, not a file)")
    if (path / SWEEP).is_file():
        return render_comparison(path, baseline=baseline, pdf=pdf)
    if (path / RESULT).is_file():
        return render_run(path, pdf=pdf)
    if _has_jobs(path):
        try:
            from sim.sweep import collect
        except ImportError:
            raise InputError(
                f"{path}: has job folders but no {SWEEP}, and sim.sweep.collect is not available "
                "to gather them"
            ) from None
        if (path / "sobol_design.json").is_file():  # a Sobol sweep: its indices and its nominal point
            from sim.sensitivity import collect_sweep

            done = collect_sweep(path, baseline=baseline)
            if done.sweep is None:
                raise InputError(f"{path}: Sobol sweep not collected: {'; '.join(done.messages)}")
        else:
            collect(path, baseline=baseline)
        return render_comparison(path, baseline=baseline, pdf=pdf)
    raise InputError(f"{path}: neither a run folder ({RESULT}) nor a sweep folder ({SWEEP} or <n>/{RESULT})")


def main(argv: list[str] | None = None) -> None:
    """Console entry point of ``coldgrid-report``."""
    from sim.stdout import echo, flush, tolerant_streams

    tolerant_streams()
    os.environ.setdefault("MPLBACKEND", "Agg")
    interrupts.install()  # SIGTERM like Ctrl-C: temporary files are removed on the way out
    try:
        with interrupts.signal_wins("coldgrid-report", "file"):
            args = _parser().parse_args(argv)
            paths = render_path(args.path, pdf=not args.no_pdf, baseline=args.baseline)
    except ColdgridError as e:
        print(f"coldgrid-report: error: {' '.join(str(e).split())}", file=sys.stderr)
        sys.exit(e.exit_code)
    for p in paths:
        if p.suffix in (".html", ".pdf", ".csv"):
            echo(str(p.resolve()))
    flush()


if __name__ == "__main__":  # pragma: no cover
    main()
