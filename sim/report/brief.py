"""Scenario briefs: self-contained HTML and a PDF (WeasyPrint) for a run or a sweep.

:func:`render_run` reads a run folder's ``result.nc`` (or takes the Dataset) and writes ``report.html``,
``report.pdf``, the figures as PNG and SVG in ``figures/`` and the HXL-tagged ``summary.csv`` with its
readme. :func:`render_comparison` does the same for a sweep (``sweep.nc``): ``comparison.html`` and
``comparison.pdf`` with paired differences against a baseline.

The HTML carries its CSS and figures inline (SVG as data URIs): it opens offline and fetches nothing.
Jinja2 autoescaping is on for every template, so labels, scenario and district names are shown as text.
"""

from __future__ import annotations

import base64
import datetime as _dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import xarray as xr
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sim import __version__
from sim.errors import InputError
from sim.io import atomic_write, atomic_write_text
from sim.report import content, figures
from sim.report.hxl import write_summary_csv

__all__ = ["build_html", "load_result", "render_comparison", "render_run", "split_scenarios"]

log = logging.getLogger("coldgrid")

split_scenarios = content.split_scenarios

RESULT, SWEEP = "result.nc", "sweep.nc"
FIGURES = "figures"


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("sim.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "html.j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _css() -> Markup:
    text = resources.files("sim.report").joinpath("static/brief.css").read_text(encoding="utf-8")
    return Markup(text.replace("</", "<\\/"))  # our own file; never closes the <style> element


def load_result(path: Path) -> xr.Dataset:
    """Open a saved ``result.nc`` / ``sweep.nc`` fully into memory (the file is closed afterwards)."""
    from sim.io import open_result

    return open_result(path)  # times back on the model clock; one-line InputError for foreign files


def _data_uri(fig: figures.RenderedFigure) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(fig.svg.encode("utf-8")).decode("ascii")


def _figures(
    scenarios: Sequence[content.Scenario], pair: content.Pair | None = None
) -> list[figures.RenderedFigure]:
    """Render the brief's figures for these scenarios (the pair's differences when given)."""
    names = [n if len(scenarios) > 1 else content.short_name(d, n) for n, d in scenarios]
    named = list(zip(names, [d for _, d in scenarios], strict=True))
    out = []
    specs = [
        (
            "fan_chart",
            figures.fan_chart(named),
            "People below 16 °C indoors over time",
            "Median (line), 50 % and 90 % of runs (bands). Shaded: pause window. Ticks at the top: strike waves "
            "(darker where more runs have one). Strip: outdoor temperature, median and 90 % band.",
            "Fan chart of the number of people below 16 °C indoors over time, with outdoor temperature below.",
        ),
        (
            "districts",
            figures.district_chart(named),
            "Districts ranked by cold exposure",
            "Person-days below 12 °C per 1,000 residents; bars: median, whiskers: 5th–95th percentile of runs.",
            "Bar chart of districts ranked by person-days below 12 °C per 1,000 residents.",
        ),
        (
            "duration",
            figures.duration_curves(named),
            "How long the cold lasts: 65+ and under-5",
            "Share of affected people (ever below 16 °C) still cold after the given total hours below 16 °C; "
            "median and 90 % band of runs.",
            "Duration curves for people aged 65+ and under 5.",
        ),
        (
            "heating_points",
            figures.heating_point_chart(named),
            "Heating-point demand against capacity",
            "People who would sit in a heating point at the same time (median, 90 % band) against the places "
            "available (dashed red); diesel for the points' generators per day (dashed, right axis).",
            "Heating-point demand over time against capacity, with diesel litres per day.",
        ),
    ]
    if pair is not None:
        st = content.pair_stats(pair)
        panels = [
            (f"change in {label} ({unit})", st[k]["diff_values"], unit)
            for k, label, unit in content.PAIR_FIGURES[:2]
            if k in st
        ]
        specs.append(
            (
                "paired_differences",
                figures.paired_histogram(panels, f"What {pair.alt} changes against {pair.base}"),
                "What the alternative changes, run by run",
                "Histogram of paired differences (alternative minus baseline, same seed, run by run); "
                "solid line: median; dashed: 5th and 95th percentiles. Left of zero: the alternative "
                "has less cold exposure.",
                "Histograms of paired differences between the two scenarios.",
            )
        )
    for name, fig, title, caption, alt in specs:
        if fig is not None:
            out.append(figures.render(fig, name, title, caption, alt))
    return out


def _common(ds: xr.Dataset, scenarios: Sequence[content.Scenario], kind: str) -> dict:
    return {
        "css": _css(),
        "kind": kind,
        "title": "Cold-risk scenario brief" if kind == "run" else "Cold-risk scenario comparison",
        "city": content.city_name(ds),
        "label": str(ds.attrs.get("label", "") or ""),
        "contract": content.contract(scenarios),
        "caveats": content.CAVEATS,
        "methods": content.methods(ds, scenarios),
        "generated": _dt.datetime.now(_dt.UTC).strftime("%d %b %Y %H:%M UTC"),
        "renderer": f"coldgrid {__version__}",
    }


def build_html(
    ds: xr.Dataset, kind: str = "run", baseline: str | None = None
) -> tuple[str, list[figures.RenderedFigure]]:
    """The brief's HTML (self-contained) and its figures, for a run (``kind="run"``) or a sweep."""
    scenarios = content.split_scenarios(ds)
    if kind == "run":
        if len(scenarios) != 1:
            raise InputError("a run brief needs one scenario; use render_comparison for a sweep")
        figs = _figures(scenarios)
        ctx = _common(ds, scenarios, kind) | content.run_content(scenarios[0][1])
        ctx["scenario_text"] = content.describe_scenario(scenarios[0][1])
        ctx["scenario_name"] = scenarios[0][0]
        template = "run.html.j2"
    else:
        pairs = content.pairs_for(scenarios, baseline)
        if not pairs:
            raise InputError("a comparison needs at least two scenarios along the 'scenario' dimension")
        main = pairs[0]
        shown = [(main.base, main.base_ds), (main.alt, main.alt_ds)]
        figs = _figures(shown, main)
        ctx = _common(main.base_ds, scenarios, kind) | content.comparison_content(scenarios, pairs)
        ctx["scenario_list"] = [(n, content.describe_scenario(d)) for n, d in scenarios]
        ctx["main"] = main
        template = "comparison.html.j2"
    ctx["figures"] = [
        {"name": f.name, "title": f.title, "caption": f.caption, "alt": f.alt, "src": _data_uri(f)}
        for f in figs
    ]
    ctx["fig"] = defaultdict(lambda: None, {f["name"]: f for f in ctx["figures"]})  # absent figure: None
    return _env().get_template(template).render(**ctx), figs


def _write_pdf(html: str, path: Path) -> Path:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=html, base_url=None)
    return atomic_write(path, lambda p: doc.write_pdf(p))


def _render(
    folder: Path, ds: xr.Dataset, stem: str, kind: str, pdf: bool, baseline: str | None
) -> list[Path]:
    html, figs = build_html(ds, kind=kind, baseline=baseline)
    paths = [atomic_write_text(folder / f"{stem}.html", html)]
    if pdf:
        paths.append(_write_pdf(html, folder / f"{stem}.pdf"))
    paths += figures.save(figs, folder / FIGURES)
    paths += write_summary_csv(ds, folder / "summary.csv")
    return paths


def render_run(run_dir: Path, ds: xr.Dataset | None = None, pdf: bool = True) -> list[Path]:
    """Write a run's brief: ``report.html``, ``report.pdf``, ``figures/*.png|svg``, ``summary.csv``.

    Parameters
    ----------
    run_dir : Path
        The run folder; ``result.nc`` is read from it unless ``ds`` is given.
    ds : xarray.Dataset, optional
        The run's result (as returned by :func:`sim.chain.run_scenario`).
    pdf : bool
        Also write the PDF (WeasyPrint; about a second).

    Returns
    -------
    list of Path
        The files written.
    """
    run_dir = Path(run_dir)
    if ds is None:
        ds = load_result(run_dir / RESULT)
    if "scenario" in ds.dims:
        raise InputError(
            f"{run_dir}: this result has a 'scenario' dimension (a sweep); use render_comparison"
        )
    return _render(run_dir, ds, "report", "run", pdf, None)


def render_comparison(
    sweep_dir: Path, ds: xr.Dataset | None = None, baseline: str | None = None, pdf: bool = True
) -> list[Path]:
    """Write a sweep's comparison brief: ``comparison.html``/``.pdf``, figures and ``summary.csv``.

    Parameters
    ----------
    sweep_dir : Path
        The sweep folder; ``sweep.nc`` is read from it unless ``ds`` is given.
    ds : xarray.Dataset, optional
        All runs along a leading ``scenario`` dimension (labels: the jobs' overrides), same seed.
    baseline : str, optional
        The scenario compared against: a label (``attacks=continued``) or one override shared by several
        scenarios; default ``attacks=continued`` when present, else the first scenario.
    pdf : bool
        Also write the PDF.

    Returns
    -------
    list of Path
        The files written.
    """
    sweep_dir = Path(sweep_dir)
    if ds is None:
        ds = load_result(sweep_dir / SWEEP)
    if "scenario" not in ds.dims or ds.sizes["scenario"] < 2:
        raise InputError(
            f"{sweep_dir}: a comparison needs at least two scenarios along a 'scenario' dimension"
        )
    try:
        return _render(sweep_dir, ds, "comparison", "comparison", pdf, baseline)
    except ValueError as e:
        if "baseline" in str(e):
            raise InputError(str(e)) from None
        raise
