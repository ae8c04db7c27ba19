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

from sim.report.brief import render_comparison, render_run
from sim.report.hxl import summary_frame, write_summary_csv

__all__ = ["render_comparison", "render_run", "summary_frame", "write_summary_csv"]
