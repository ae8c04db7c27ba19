"""Scenario briefs for NGOs: HTML and PDF reports, figures and the HXL-tagged summary CSV.

Public face::

    render_run(run_dir, ds=None, pdf=True)                     report.html/.pdf, figures/, summary.csv
    render_comparison(sweep_dir, ds=None, baseline=None)       comparison.html/.pdf, figures/, summary.csv
    summary_frame(ds, scenario=None) -> (DataFrame, hashtags)  the HXL table
    write_summary_csv(ds, path)                                summary.csv + summary_readme.txt

Modules: :mod:`~sim.report.content` (what the brief says), :mod:`~sim.report.figures` (matplotlib),
:mod:`~sim.report.brief` (HTML via Jinja2, PDF via WeasyPrint), :mod:`~sim.report.hxl` (CSV),
:mod:`~sim.report.numbers` (rounding and hedging), :mod:`~sim.report.cli` (``coldgrid-report``).
"""

from typing import Any

__all__ = ["render_comparison", "render_run", "summary_frame", "write_summary_csv"]

#: Where each public name lives: imported on first use, so that a run with ``output.report=false`` (which
#: writes summary.csv and the console summary) does not import matplotlib, Jinja2 and the brief (~1 s).
_HOME = {"render_comparison": "sim.report.brief", "render_run": "sim.report.brief",
         "summary_frame": "sim.report.hxl", "write_summary_csv": "sim.report.hxl"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        import importlib

        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module 'sim.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
