"""Figures of the brief: each renders to valid PNG and SVG, and is skipped when its data are absent."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from sim.report import figures
from tests.unit.report_fixtures import make_run, make_sweep

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def pair():
    return [
        ("continued", make_run(n_districts=4)),
        ("pause_week", make_run(n_districts=4, policy="pause_week", severity=0.6)),
    ]


def _check(rendered: figures.RenderedFigure) -> None:
    assert rendered.png.startswith(PNG_MAGIC)
    width, height = int.from_bytes(rendered.png[16:20], "big"), int.from_bytes(rendered.png[20:24], "big")
    assert width > 300 and height > 200
    root = ET.fromstring(rendered.svg.encode("utf-8"))
    assert root.tag.endswith("svg")
    assert float(root.attrib["width"].rstrip("pt")) > 0
    assert "<script" not in rendered.svg


@pytest.mark.parametrize("name", ["fan_chart", "district_chart", "duration_curves", "heating_point_chart"])
@pytest.mark.parametrize("n_scen", [1, 2])
def test_figures_render_png_and_svg(pair, name, n_scen):
    fig = getattr(figures, name)(pair[:n_scen])
    assert fig is not None
    _check(figures.render(fig, name, "t", "c", "a"))


def test_paired_histogram(pair):
    a, b = pair[0][1], pair[1][1]
    diff = (b["people_cold_24h"] - a["people_cold_24h"]).sum("district").values
    fig = figures.paired_histogram(
        [("change in people", diff, "people"), ("other", np.arange(5.0), "x")], "t"
    )
    _check(figures.render(fig, "paired", "t", "c", "a"))
    assert figures.paired_histogram([("empty", np.array([]), "x")], "t") is None


def test_figures_absent_data_give_none():
    ds = make_run(n_districts=2).drop_vars(
        [
            "people_below_threshold",
            "cold_hours_histogram",
            "severe_spell_histogram",
            "heating_point_demand",
            "person_hours_below_threshold",
        ]
    )
    sc = [("x", ds)]
    assert figures.fan_chart(sc) is None
    assert figures.duration_curves(sc) is None
    assert figures.heating_point_chart(sc) is None
    assert figures.district_chart(sc) is None


def test_save_writes_png_and_svg(tmp_path, pair):
    r = figures.render(figures.fan_chart(pair[:1]), "fan_chart", "t", "c", "a")
    paths = figures.save([r], tmp_path / "figures")
    assert sorted(p.name for p in paths) == ["fan_chart.png", "fan_chart.svg"]
    assert (tmp_path / "figures" / "fan_chart.png").read_bytes().startswith(PNG_MAGIC)


def test_pause_window_and_dollar_labels(pair):
    ds = make_sweep(n_districts=2)
    from sim.report.content import split_scenarios

    scen = split_scenarios(ds)
    assert figures._pause_window(scen[0][1]) is None
    start, end = figures._pause_window(scen[1][1])
    assert (end - start) == np.timedelta64(86400, "s")
    fig = figures.fan_chart([("cost $5 $x$", scen[1][1])])  # no mathtext error on user text
    _check(figures.render(fig, "f", "t", "c", "a"))


@pytest.mark.parametrize("hours", [24, 48, 60, 72, 24 * 7, 24 * 21])
@pytest.mark.parametrize("name", ["fan_chart", "heating_point_chart"])
def test_date_axes_pick_their_ticks_without_a_warning(name, hours):
    """A 2-day run's heating-point chart (a half-width chart: at most 5 date ticks) made matplotlib warn
    "AutoDateLocator was unable to pick an appropriate interval" on the user's stderr at every brief: 48 h
    and the axis margins need more than 12 h per tick, which its hourly intervals (up to 12) cannot give."""
    import warnings

    ds = make_run(n_districts=2, days=max(hours // 24, 3)).isel(time=slice(0, hours), day=slice(0, -(-hours // 24)))
    fig = getattr(figures, name)([("x", ds)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check(figures.render(fig, name, "t", "c", "a"))
