"""Scenario briefs: self-contained HTML and a PDF (WeasyPrint) for a run or a sweep.

:func:`render_run` reads a run folder's ``result.nc`` (or takes the Dataset) and writes ``report.html``,
``report.pdf``, the figures as PNG and SVG in ``figures/``, the HXL-tagged ``summary.csv`` with its
readme, ``headline.csv`` and ``triggers.csv``; with ``output.languages=[en,uk]`` also ``report.uk.html`` and
``report.uk.pdf`` (figures in ``figures/uk/``). :func:`render_comparison` does the same for a sweep (``sweep.nc``): ``comparison.html`` and
``comparison.pdf`` with paired differences against a baseline, and a sensitivity section when the sweep
folder holds ``sobol.nc`` (a Sobol sweep, :mod:`sim.report.sensitivity`).

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

import numpy as np
import pandas as pd
import xarray as xr
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sim import __version__, keyfigures
from sim.errors import InputError, NotComparableError
from sim.io import atomic_write, atomic_write_text
from sim.keyfigures import Settings
from sim.report import content, figures, nowcast_section, sensitivity
from sim.report.exports import write_run_tables
from sim.report.hxl import write_summary_csv
from sim.report.i18n import Lang, get_lang
from sim.report.scenarios import has_result

__all__ = ["build_html", "load_result", "render_comparison", "render_run", "split_scenarios"]

log = logging.getLogger(__name__)

split_scenarios = content.split_scenarios

RESULT, SWEEP = "result.nc", "sweep.nc"
FIGURES = "figures"


def _env(lang: Lang) -> Environment:
    env = Environment(
        loader=PackageLoader("sim.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "html.j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def _css() -> Markup:
    text = resources.files("sim.report").joinpath("static/brief.css").read_text(encoding="utf-8")
    return Markup(text.replace("</", "<\\/"))  # our own file; never closes the <style> element


#: Variables of ``result.nc`` a run's brief cannot be written without (every run writes them; a brief
#: leaves out the parts of the others, e.g. of a result.nc written by an older version).
REQUIRED_VARIABLES = ("outdoor_temperature", "buildings_without_heat", "heating_point_demand_by_district",
                      "heating_point_capacity_by_district", "generator_class_kw")


#: Sections of a run's resolved config the brief reads (the cold thresholds, the city and its households, the
#: strike policy and its pause); ``output``, ``weather`` and the rest are read where present.
CONFIG_SECTIONS = ("city", "attacks", "people")


def config_problem(text: object) -> str | None:
    r"""Why a saved ``config`` (the resolved YAML of a run) cannot be read for a brief, or None.

    Without it a brief would silently use the default thresholds, languages and policy instead of the run's.

    >>> config_problem("city: {name: kyiv}\nattacks: {}\npeople: {}\n") is None
    True
    >>> config_problem("city: [kyiv")
    'not valid YAML (while parsing a flow sequence)'
    >>> config_problem("seed: 7\n")
    'no city, attacks, people sections'
    """
    if text is None or not str(text).strip():
        return "it is missing or empty"
    try:
        cfg = yaml.safe_load(str(text))
    except yaml.YAMLError as e:
        return f"not valid YAML ({str(getattr(e, 'context', None) or getattr(e, 'problem', None) or e).strip()})"
    if not isinstance(cfg, dict):
        return f"not a mapping of config keys (a {type(cfg).__name__})"
    missing = [k for k in CONFIG_SECTIONS if k not in cfg]
    if missing:
        return f"no {', '.join(missing)} section{'s' if len(missing) > 1 else ''}"
    bad = [k for k in CONFIG_SECTIONS if not isinstance(cfg[k], dict)]
    if bad:
        return f"{bad[0]} is not a mapping of keys"
    return None


def check_config(path: Path, ds: xr.Dataset) -> None:
    """Raise a one-line InputError when the run's (or, for a sweep, any job's) saved config is unreadable."""
    if "scenario" in ds.dims:
        if "config" not in ds.coords:
            raise InputError(f"{path}: its config coordinate is missing: not a readable coldgrid sweep; collect "
                             "the sweep again")
        texts = [str(x) for x in ds["config"].values.ravel()]
        labels = [str(x) for x in ds["scenario"].values.ravel()]
        for label, text in zip(labels, texts, strict=False):
            if why := config_problem(text):
                raise InputError(f"{path}: the config of scenario {label!r} is not a readable coldgrid config: {why}")
        return
    if why := config_problem(ds.attrs.get("config")):
        raise InputError(f"{path}: its config attribute is not a readable coldgrid config: {why}")


def check_finite_values(path: Path, ds: xr.Dataset) -> None:
    """Raise a one-line InputError when a run's numeric variable holds NaN or inf.

    A run never writes them (:func:`sim.io.check_finite` refuses such a result), so they mark a damaged or
    edited copy; the brief would show figures of part of the data (with numpy's RuntimeWarnings) or stop in
    a traceback. A sweep's ``sweep.nc`` may hold NaN where the outer join aligns jobs; it is not checked.
    """
    bad = [str(name) for name, v in ds.data_vars.items()
           if np.issubdtype(v.dtype, np.number) and v.size and not np.isfinite(v.values).all()]
    if bad:
        raise InputError(f"{path}: not a complete coldgrid result: NaN or inf in {', '.join(bad)} (coldgrid never "
                         "writes them: a damaged or edited copy); run the scenario again")


def load_result(path: Path) -> xr.Dataset:
    """Open a saved ``result.nc`` / ``sweep.nc`` fully into memory (the file is closed afterwards)."""
    from sim.io import open_result

    return open_result(path)  # times back on the model clock; one-line InputError for foreign files


def _data_uri(fig: figures.RenderedFigure) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(fig.svg.encode("utf-8")).decode("ascii")


def _figures(
    scenarios: Sequence[content.Scenario], lang: Lang, pair: content.Pair | None = None,
    missing: list[dict] | None = None, pair_figures: content.PairFigures | None = None,
) -> list[figures.RenderedFigure]:
    """Render the brief's figures for these scenarios (the pair's differences when given). A figure that a
    sweep scenario has no result for says so in its legend and caption; one that none of them has a result
    for is appended to ``missing`` (``name``, ``title``, ``missing``: the sentence the brief shows in its
    place)."""
    _ = lang._
    names = [content.scenario_title(n, d, lang) if len(scenarios) > 1 else content.short_name(d, lang)
             for n, d in scenarios]
    named = list(zip(names, [d for _n, d in scenarios], strict=True))
    s = Settings.from_dataset(scenarios[0][1])
    lc, sc = lang.exact(s.long_c), lang.exact(s.severe_c)
    specs = [
        ("fan_chart", figures.fan_chart(named, lang=lang), _("People below {a} and {b} °C indoors over time", a=lc, b=sc),
         _("Median at each hour (line; not the median of each run's peak), 50 % and 90 % of runs (bands). Shaded: "
           "pause window. Ticks at the top: strike waves (darker where more runs have one). Strip: outdoor "
           "temperature, median and 90 % band."),
         _("Fan charts of the number of people below {a} and {b} °C indoors over time, with outdoor temperature "
           "below.", a=lc, b=sc)),
        ("districts", figures.district_chart(named, lang=lang), _("Where: districts ranked"),
         _("Person-days below {c} °C per 1,000 people present; bars: median, whiskers: 5th–95th percentile of runs; "
           "the percentage is the share of runs in which the district is among the {k} hardest hit.", c=sc,
           k=s.top_districts),
         _("Bar chart of districts ranked by person-days below {c} °C per 1,000 people present.", c=sc)),
        ("duration", figures.duration_curves(named, lang=lang), _("How long the cold lasts: 65+ and under-5"),
         _("Share of the people of each age ever below {c} °C whose longest spell below it lasted at least the "
           "given hours; median and 90 % band of runs.", c=sc),
         _("Duration curves for people aged 65+ and under 5.")),
        ("heating_points", figures.heating_point_chart(named, lang=lang), _("Heating-point demand against capacity"),
         _("People who would sit in a heating point at the same time (median at each hour, 90 % band) against the "
           "places available (dashed red); dotted: the key figure at the peak (median of each run's peak); diesel "
           "for the points' generators per day (dashed, right axis)."),
         _("Heating-point demand over time against capacity, with diesel litres per day.")),
    ]
    gaps = {name: figures.no_result(named, name) for name in figures.NEEDS}
    unpaired = ""
    if pair is not None:
        pf = pair_figures if pair_figures is not None else content.PairFigures(pair, lang)
        both = has_result(pair.base_ds) and has_result(pair.alt_ds)
        va = keyfigures.values(pair.base_ds, pf.s) if pf.paired else xr.Dataset()
        vb = keyfigures.values(pair.alt_ds, pf.s) if pf.paired else xr.Dataset()
        wanted = [k for k in content.PAIR_FIGURES[:2] if k in pf]
        panels = [
            (_("change in {label} ({unit})", label=content.lower_first(pf.label(k)), unit=pf.stats(k)["unit"]),
             (vb[k] - va[k]).values, str(va[k].attrs["units"]))
            for k in wanted if k in va and k in vb and np.isfinite((vb[k] - va[k]).values).any()
        ]
        if not both:
            gaps["paired_differences"] = [n for n, d in zip(names, (pair.base_ds, pair.alt_ds), strict=False)
                                          if not has_result(d)]
        elif wanted and not panels and pf.paired:
            gaps["paired_differences"] = [content.scenario_title(pair.alt, pair.alt_ds, lang)]
        elif not pf.paired:
            unpaired = _("Not drawn: the two scenarios do not have the same runs, so there are no run-by-run "
                         "differences.")
        title = _("What {alt} changes against {base}",
                  alt=content.lower_first(content.scenario_title(pair.alt, pair.alt_ds, lang)),
                  base=content.lower_first(content.scenario_title(pair.base, pair.base_ds, lang)))
        specs.append((
            "paired_differences", figures.paired_histogram(panels, title, lang=lang),
            _("What the alternative changes, run by run"),
            _("Histogram of paired differences (alternative minus baseline, same seed, run by run); solid line: "
              "median of the paired differences; dashed: 5th and 95th percentiles. Left of zero: the alternative "
              "has less cold exposure."),
            _("Histograms of paired differences between the two scenarios."),
        ))
    out = []
    for name, fig, title, caption, alt in specs:
        gone = gaps.get(name) or []
        text = _("No result for {names}: its values are missing from the sweep (a failed job, or a result "
                 "without them).", names="; ".join(gone)) if gone else ""
        if name == "paired_differences" and unpaired:
            text = unpaired
        if fig is not None:
            out.append(figures.render(fig, name, title, caption + (" " + text if text else ""), alt))
        elif text and missing is not None:
            missing.append({"name": name, "title": title, "missing": text})
    return out


def _nowcast_figure(ds: xr.Dataset, lang: Lang) -> list[figures.RenderedFigure]:
    """The nowcast's figure (:mod:`sim.report.nowcast_section`), for a run conditioned on reports."""
    fig = nowcast_section.nowcast_chart(ds, lang)
    if fig is None:
        return []
    _ = lang._
    return [figures.render(
        fig, "nowcast", _("The reports against the ensemble"),
        _("Buildings without heat in the city: median and 90 % band of the runs before the reports (prior, grey) "
          "and weighted by them (conditioned); points: the city's reports. Below: effective number of runs "
          "(dotted: rejuvenations). Dashed: the time of the last report used."),
        _("Buildings without heat over time, prior and conditioned on the city's reports, with the effective "
          "sample size below."))]


def _common(ds: xr.Dataset, scenarios: Sequence[content.Scenario], kind: str, lang: Lang,
            trigger: str = "") -> dict:
    _ = lang._
    return {
        "css": _css(),
        "kind": kind,
        "lang": lang.code,
        "title": _("Cold-risk scenario brief") if kind == "run" else _("Cold-risk scenario comparison"),
        "city": content.city_name(ds, lang),
        "label": str(ds.attrs.get("label", "") or ""),
        "contract": content.contract(scenarios, lang, trigger),
        "caveats": content.caveats(lang),
        "methods": content.methods(ds, scenarios, lang),
        "generated": lang.date(_dt.datetime.now(_dt.UTC), "d MMM y") + _dt.datetime.now(_dt.UTC).strftime(" %H:%M UTC"),
        "renderer": f"coldgrid {__version__}",
    }


def build_html(
    ds: xr.Dataset, kind: str = "run", baseline: str | None = None, lang: str | Lang = "en",
    sobol: xr.Dataset | None = None,
) -> tuple[str, list[figures.RenderedFigure]]:
    """The brief's HTML (self-contained) and its figures, for a run (``kind="run"``) or a sweep, in ``lang``;
    a comparison gets a sensitivity section from ``sobol`` (``sobol.nc``, :mod:`sim.report.sensitivity`)."""
    lang = lang if isinstance(lang, Lang) else get_lang(lang)
    scenarios = content.split_scenarios(ds)
    placeholders: list[dict] = []  # figures that no scenario shown has a result for
    if kind == "run":
        if len(scenarios) != 1:
            raise InputError("a run brief needs one scenario; use render_comparison for a sweep")
        figs = _figures(scenarios, lang) + _nowcast_figure(scenarios[0][1], lang)
        body = content.run_content(scenarios[0][1], lang)
        ctx = _common(ds, scenarios, kind, lang, body["triggers"].get("contract", "")) | body
        if body["triggers"].get("lead"):
            ctx["contract"]["lead"] = body["triggers"]["lead"]
        ctx["scenario_text"] = content.describe_scenario(scenarios[0][1], lang)
        ctx["pause_text"] = content.pause_statement(scenarios[0][1], lang)
        ctx["scenario_name"] = scenarios[0][0]
        ctx["nowcast"] = nowcast_section.nowcast_content(scenarios[0][1], lang)
        if ctx["nowcast"] and ctx["nowcast"]["status"]:
            ctx["caveats"] = [*ctx["caveats"], ctx["nowcast"]["status"]]
        template = "run.html.j2"
    else:
        if not any(has_result(d) for _n, d in scenarios):
            raise InputError("no scenario of this sweep has a result (every value is missing); run the sweep again")
        pairs = content.pairs_for(scenarios, baseline)
        if not pairs:
            raise InputError("a comparison needs at least two scenarios along the 'scenario' dimension")
        # the brief leads with a pair that has both results (a scenario without one says "no result")
        main = next((p for p in pairs if has_result(p.base_ds) and has_result(p.alt_ds)), pairs[0])
        pairs = [main, *[p for p in pairs if p is not main]]
        shown = [(main.base, main.base_ds), (main.alt, main.alt_ds)]
        body = content.comparison_content(scenarios, pairs, lang)
        # the main pair's figures as comparison_content computed them (each side's headline_frame: seconds)
        figs = _figures(shown, lang, main, placeholders, body["blocks"][0]["pf"])
        ref = main.base_ds if has_result(main.base_ds) else main.alt_ds  # population, period: one with a result
        ctx = _common(ref, scenarios, kind, lang) | body
        ctx["scenario_list"] = [(content.scenario_title(n, d, lang), content.describe_scenario(d, lang))
                                for n, d in scenarios]
        ctx["main"] = main
        ctx["sensitivity"] = None
        if sobol is not None:
            _ = lang._
            ctx["sensitivity"] = sensitivity.content(sobol, lang, Settings.from_dataset(main.base_ds))
            chart = sensitivity.chart(sobol, lang)
            if chart is not None:
                figs.append(figures.render(
                    chart, "sensitivity", _("Which assumptions matter"),
                    _("Total Sobol index of each parameter (bar; whisker: its interval) and first-order index "
                      "(lighter bar) for {f}: under the baseline policy and for the pause's paired effect.",
                      f=ctx["sensitivity"]["figure_label"]),
                    _("Bar chart of the total and first-order Sobol indices of the uncertain parameters.")))
        template = "comparison.html.j2"
    ctx["figures"] = [
        {"name": f.name, "title": f.title, "caption": f.caption, "alt": f.alt, "src": _data_uri(f), "missing": ""}
        for f in figs
    ]
    ctx["fig"] = defaultdict(lambda: None, {f["name"]: f for f in [*placeholders, *ctx["figures"]]})  # absent: None
    ctx.pop("figures_obj", None)
    return _env(lang).get_template(template).render(**ctx), figs


def _write_pdf(html: str, path: Path) -> Path:
    # before the import: weasyprint parses its user-agent stylesheets at import time and logs each at INFO
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    import weasyprint

    doc = weasyprint.HTML(string=html, base_url=None)
    return atomic_write(path, lambda p: doc.write_pdf(p))


def _languages(ds: xr.Dataset, languages: Sequence[str] | None) -> list[str]:
    """The languages to write: given, else the run's ``output.languages``, else English."""
    if languages is None:
        cfg = content._config(ds) if "scenario" not in ds.dims else {}
        if not cfg and "config" in ds.coords:
            cfg = content._config(xr.Dataset(attrs={"config": str(ds["config"].values.ravel()[0])}))
        out = cfg.get("output", {}) if isinstance(cfg.get("output"), dict) else {}
        languages = out.get("languages") or ["en"]
    langs = [str(x) for x in languages]
    for code in langs:
        get_lang(code)
    return langs


def _stem(stem: str, lang: str) -> str:
    return stem if lang == "en" else f"{stem}.{lang}"


def _render(
    folder: Path, ds: xr.Dataset, stem: str, kind: str, pdf: bool, baseline: str | None,
    languages: Sequence[str] | None = None, frame: pd.DataFrame | None = None,
) -> list[Path]:
    paths: list[Path] = []
    sobol = sensitivity.load(folder) if kind == "comparison" else None  # a Sobol sweep's indices
    for code in _languages(ds, languages):
        html, figs = build_html(ds, kind=kind, baseline=baseline, lang=code, sobol=sobol)
        paths.append(atomic_write_text(folder / f"{_stem(stem, code)}.html", html))
        if pdf:
            paths.append(_write_pdf(html, folder / f"{_stem(stem, code)}.pdf"))
        paths += figures.save(figs, folder / FIGURES if code == "en" else folder / FIGURES / code)
    paths += write_summary_csv(ds, folder / "summary.csv")
    if kind == "run":
        paths += write_run_tables(ds, folder, frame)
    return paths


def render_run(
    run_dir: Path, ds: xr.Dataset | None = None, pdf: bool = True, languages: Sequence[str] | None = None,
    frame: pd.DataFrame | None = None,
) -> list[Path]:
    """Write a run's brief: ``report.html``, ``report.pdf``, ``figures/*.png|svg``, ``summary.csv``,
    ``headline.csv``, ``triggers.csv``; in every language of ``languages`` (default the run's
    ``output.languages``): English as ``report.html``, others as ``report.<lang>.html`` (and ``.pdf``).

    Parameters
    ----------
    run_dir : Path
        The run folder; ``result.nc`` is read from it unless ``ds`` is given.
    ds : xarray.Dataset, optional
        The run's result (as returned by :func:`sim.chain.run_scenario`).
    pdf : bool
        Also write the PDF (WeasyPrint; about a second).
    frame : pandas.DataFrame, optional
        ``sim.report.exports.headline_frame(ds)`` when the caller has it already (``headline.csv``).

    Returns
    -------
    list of Path
        The files written.
    """
    run_dir = Path(run_dir)
    if ds is None:
        ds = load_result(run_dir / RESULT)
        missing = [v for v in REQUIRED_VARIABLES if v not in ds.variables]
        if missing:  # on main a traceback from the template or the tables
            raise InputError(f"{run_dir / RESULT}: not a complete coldgrid result: no variable "
                             f"{', '.join(missing)}; run the scenario again")
        check_config(run_dir / RESULT, ds)
        check_finite_values(run_dir / RESULT, ds)
    if "scenario" in ds.dims:
        raise InputError(
            f"{run_dir}: this result has a 'scenario' dimension (a sweep); use render_comparison"
        )
    written = _render(run_dir, ds, "report", "run", pdf, None, languages, frame)
    log.debug("report: %d files of the brief in %s", len(written), run_dir)
    return written


def render_comparison(
    sweep_dir: Path, ds: xr.Dataset | None = None, baseline: str | None = None, pdf: bool = True,
    languages: Sequence[str] | None = None,
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
        check_config(sweep_dir / SWEEP, ds)
    if "scenario" in ds.dims and ds.sizes["scenario"] == 1 and ds.attrs.get("failed_jobs"):
        # the other jobs failed: re-rendering cannot help (a sweep over cities says the same: NotComparableError)
        raise NotComparableError(f"{sweep_dir}: only one job of this sweep has a result, the others failed "
                                 "(see failed.txt); a comparison needs two")
    if "scenario" not in ds.dims or ds.sizes["scenario"] < 2:
        raise InputError(
            f"{sweep_dir}: a comparison needs at least two scenarios along a 'scenario' dimension"
        )
    if not any(has_result(d) for _n, d in split_scenarios(ds)):
        raise InputError(f"{sweep_dir / SWEEP}: no scenario has a result (every value is NaN: its jobs failed or "
                         "their results hold no values); run the sweep again")
    try:
        return _render(sweep_dir, ds, "comparison", "comparison", pdf, baseline, languages)
    except ValueError as e:
        if "baseline" in str(e):
            raise InputError(str(e)) from None
        raise
