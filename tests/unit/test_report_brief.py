"""The brief's HTML: self-contained, escaped, with the content reference/report.md asks for; the CLI."""

from __future__ import annotations

import doctest
import re

import numpy as np
import pytest

import sim.report.numbers
from sim.report import render_comparison, render_run
from sim.report.brief import build_html
from sim.report.cli import main
from sim.report.content import pairs_for, split_scenarios
from tests.unit.report_fixtures import make_run, make_sweep

EVIL = "<script>alert(1)</script> & <b>bold</b>"


def test_numbers_doctests():
    result = doctest.testmod(sim.report.numbers)
    assert result.failed == 0 and result.attempted > 5


@pytest.fixture(scope="module")
def run_html():
    ds = make_run(n_districts=4, label=EVIL)
    ds = ds.assign_coords(
        district=["Holosiivskyi", "<img src=x onerror=alert(2)>", "Desnianskyi", "Dniprovskyi"]
    )
    html, figs = build_html(ds)
    return html, figs, ds


def _self_contained(html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "url(http" not in html and "@import" not in html and "<link" not in html.lower()
    assert "<script" not in html.lower()
    for m in re.finditer(r"""<img[^>]*src="([^"]+)\"""", html):
        assert m.group(1).startswith("data:image/")


def test_run_html_self_contained_and_escaped(run_html):
    html, figs, _ = run_html
    _self_contained(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "<img src=x" not in html
    assert {f.name for f in figs} == {"fan_chart", "districts", "duration", "heating_points"}
    assert html.count("<img ") == 4


def test_run_html_content(run_html):
    html, _, _ = run_html
    text = re.sub(r"<[^>]+>", " ", html)
    for phrase in [
        "model-based scenario analysis, not a forecast",
        "Highlights",
        "Key figures",
        "90 % range",
        "How many: response needs",
        "Where: needs by district",
        "When: needs by day and the trigger",
        "Vulnerable people by duration",
        "Early action protocol",
        "Methods",
        "Disclaimer",
        "does not attribute blame",
        "UA80000000000126643",
        "Indoor cold bands",
        "10 Monte Carlo runs",
        "coldgrid 0.1.0",
        "households",
        "Read this first",
    ]:
        assert phrase in text, phrase
    highlights = re.search(r'<section class="highlights.*?<ul>(.*?)</ul>', html, re.S).group(1)
    n = highlights.count("<li>")
    assert 4 <= n <= 5
    assert "around" in highlights
    assert not re.findall(r"\b(lat|lon|latitude|longitude|coordinates?)\b", text.lower())


def test_run_without_optional_variables():
    ds = make_run(n_districts=2).drop_vars(
        [
            "cold_hours_histogram",
            "severe_spell_histogram",
            "diesel_consumption",
            "generator_kw",
            "people_cold_24h_by_age",
            "heating_point_capacity",
        ]
    )
    html, figs = build_html(ds)
    assert "duration" not in {f.name for f in figs}
    assert "Key figures" in html


def test_run_where_no_trigger_fires_renders():
    """A mild run in which no candidate trigger fires still renders (it once failed on a missing key)."""
    ds = make_run(n_districts=2, severity=0.0)
    html, _figs = build_html(ds)
    assert "Key figures" in html


def test_comparison_html(tmp_path):
    ds = make_sweep(n_districts=3, label=EVIL)
    paths = render_comparison(tmp_path, ds, pdf=False)
    names = {p.name for p in paths}
    assert {"comparison.html", "summary.csv", "paired_differences.png", "paired_differences.svg"} <= names
    html = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    _self_contained(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert "chance of a cut of at least 25 %" in text
    assert "Paired differences: Strikes pause for 1 day from 29 Jan against strikes continue" in text
    # headings in words, not config syntax
    assert not re.search(r"<h[1-3][^>]*>[^<]*attacks=", html)
    assert "fewer person-days would be spent below 12 °C" in text
    assert "median of paired runs" in text and "not the difference of the two medians" in text


def test_pairs_and_split():
    scen = split_scenarios(make_sweep(n_districts=2))
    assert [s for s, _ in scen] == ["attacks=continued", "attacks=pause_week"]
    assert scen[1][1].attrs["pause_days"] == 1.0 and scen[0][1].attrs["pause_days"] == 0.0
    p = pairs_for(scen)
    assert (p[0].base, p[0].alt) == ("attacks=continued", "attacks=pause_week")
    p = pairs_for(scen, baseline="attacks=pause_week")
    assert p[0].alt == "attacks=continued"
    with pytest.raises(ValueError, match="baseline"):
        pairs_for(scen, baseline="nothing")


def test_render_run_files(tmp_path):
    paths = render_run(tmp_path, make_run(n_districts=2), pdf=False)
    names = sorted(p.name for p in paths)
    assert "report.html" in names and "summary.csv" in names and "summary_readme.txt" in names
    assert {"fan_chart.png", "fan_chart.svg", "districts.png", "heating_points.svg"} <= set(names)
    assert all(p.exists() for p in paths)
    assert not (tmp_path / "report.pdf").exists()


# ------------------------------------------------------------------------------------------------ CLI
def _fail(capsys, argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    err = capsys.readouterr().err.strip()
    assert e.value.code == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def test_cli_errors(tmp_path, capsys):
    assert "no such folder" in _fail(capsys, [str(tmp_path / "missing")])
    assert "neither a run folder" in _fail(capsys, [str(tmp_path)])
    (tmp_path / "file.txt").write_text("x")
    assert "not a folder" in _fail(capsys, [str(tmp_path / "file.txt")])
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "result.nc").write_bytes(b"not netcdf")
    assert "not a readable NetCDF" in _fail(capsys, [str(bad)])


def test_cli_run_and_sweep(tmp_path, capsys):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    make_run(n_districts=2).to_netcdf(run_dir / "result.nc")
    main([str(run_dir), "--no-pdf"])
    out = capsys.readouterr().out
    assert "report.html" in out and (run_dir / "report.html").exists()
    sweep_dir = tmp_path / "sweep"
    sweep_dir.mkdir()
    make_sweep(n_districts=2).to_netcdf(sweep_dir / "sweep.nc")
    main([str(sweep_dir), "--no-pdf"])
    assert (sweep_dir / "comparison.html").exists()
    assert "baseline" in _fail(capsys, [str(sweep_dir), "--no-pdf", "--baseline", "x=y"])


def test_pdf_rendering_logs_nothing_at_info(tmp_path):
    """A sweep's console (Hydra's root logger at INFO) showed weasyprint's "Step 2 - Fetching and parsing
    CSS" lines: weasyprint logs them while it is imported, before a level set after the import applies."""
    import subprocess
    import sys

    code = (
        "import logging, sys, pathlib\n"
        "logging.basicConfig(level=logging.INFO, stream=sys.stderr, format='%(name)s: %(message)s')\n"
        "from sim.report.brief import _write_pdf\n"
        f"_write_pdf('<p>brief</p>', pathlib.Path({str(tmp_path / 'b.pdf')!r}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b.pdf").stat().st_size > 0
    assert "weasyprint" not in r.stderr and "fontTools" not in r.stderr, r.stderr


def _saved_run(tmp_path, edit) -> str:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    ds = make_run(n_districts=2)
    edit(ds)
    ds.to_netcdf(run_dir / "result.nc")
    return str(run_dir)


@pytest.mark.parametrize(
    ("config", "why"),
    [
        (None, "it is missing or empty"),
        ("", "it is missing or empty"),
        ("city: [kyiv\npeople: {}", "not valid YAML"),
        ("- a\n- b\n", "not a mapping of config keys (a list)"),
        ("seed: 7\n", "no city, attacks, people sections"),
        ("city: kyiv\nattacks: {}\npeople: {}\n", "city is not a mapping of keys"),
    ],
)
def test_report_refuses_a_result_whose_config_is_missing_or_unreadable(tmp_path, capsys, config, why):
    """coldgrid-report used the default thresholds, languages and policy when the result's config
    attribute was corrupt or missing; it is a one-line error, exit 2, and nothing is written."""

    def edit(ds):
        if config is None:
            del ds.attrs["config"]
        else:
            ds.attrs["config"] = config

    run_dir = _saved_run(tmp_path, edit)
    err = _fail(capsys, [run_dir, "--no-pdf"])
    assert err.startswith(f"coldgrid-report: error: {run_dir}/result.nc: its config attribute is not a readable "
                          f"coldgrid config: {why}"), err
    assert not (tmp_path / "run" / "report.html").exists()


def test_report_refuses_a_sweep_whose_config_of_a_scenario_is_unreadable(tmp_path, capsys):
    sweep = make_sweep(n_districts=2)
    configs = [str(x) for x in sweep["config"].values]
    sweep = sweep.assign_coords(config=("scenario", np.array(["{not yaml", *configs[1:]], dtype=object)))
    (tmp_path / "sweep").mkdir()
    sweep.to_netcdf(tmp_path / "sweep" / "sweep.nc")
    err = _fail(capsys, [str(tmp_path / "sweep"), "--no-pdf"])
    assert "sweep.nc: the config of scenario " in err and "is not a readable coldgrid config: not valid YAML" in err


@pytest.mark.parametrize("variable", ["people_below_threshold", "heating_point_demand_by_district"])
def test_report_on_a_result_holding_nan_is_one_line_without_warnings(tmp_path, capsys, variable):
    """A result.nc with NaN (coldgrid never writes them: an edited or damaged copy) printed numpy's
    "All-NaN slice encountered" RuntimeWarnings on stderr (people_below_threshold) or ended in a
    ValueError traceback (heating_point_demand_by_district, the trigger table)."""
    import warnings

    def edit(ds):
        v = ds[variable].values.astype(float)
        v.flat[::3] = np.nan
        ds[variable] = (ds[variable].dims, v, ds[variable].attrs)

    run_dir = _saved_run(tmp_path, edit)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        err = _fail(capsys, [run_dir, "--no-pdf"])
    assert err == (f"coldgrid-report: error: {run_dir}/result.nc: not a complete coldgrid result: NaN or inf in "
                   f"{variable} (coldgrid never writes them: a damaged or edited copy); run the scenario again")
