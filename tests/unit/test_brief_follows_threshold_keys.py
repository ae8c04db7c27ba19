"""Threshold and interval keys move the brief and the CSVs end to end (issue 16: no hard-coded 12 degC,
90 %): a run made with ``people.severe_exposure_c=9`` and ``output.interval_pct=80`` is rendered, and its
labels, HXL tags, column names and values follow the keys. Values are recomputed with numpy on the 9 degC
slice of the saved arrays, so a 12 degC (or 90 %) written back into report, hxl or stats fails here.
"""

from __future__ import annotations

import html as htmllib
import re

import numpy as np
import pytest
import xarray as xr

from sim.report import render_run
from sim.report.hxl import read_hxl_csv
from sim.report.numbers import count
from tests.unit.report_fixtures import make_run

K9 = 3  # the fixture's threshold axis is [18, 16, 12, 9]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    ds = make_run(n_districts=3)
    ds.attrs["config"] = ds.attrs["config"].replace(
        "people:\n", "people:\n  severe_exposure_c: 9.0\n") + "output:\n  interval_pct: 80\n"
    ds["people_severe_cold"].attrs["threshold_c"] = 9.0  # what the model records for that key
    folder = tmp_path_factory.mktemp("run9")
    ds.to_netcdf(folder / "result.nc")
    ds = xr.open_dataset(folder / "result.nc").load()
    render_run(folder, ds, pdf=False, languages=["en"])
    html = htmllib.unescape((folder / "report.html").read_text(encoding="utf-8"))
    return folder, ds, html


def test_headline_follows_the_severe_threshold_and_the_interval(rendered):
    folder, ds, html = rendered
    table = read_hxl_csv(folder / "headline.csv")
    assert {"p10", "p90"} <= set(table.columns) and "p5" not in table.columns and "p95" not in table.columns
    city = table[table["adm5_name"] == ""].set_index("figure")
    pd9 = ds["person_hours_below_threshold"].values[:, K9, :].sum(axis=1) / 24.0
    pd12 = ds["person_hours_below_threshold"].values[:, K9 - 1, :].sum(axis=1) / 24.0
    assert not np.isclose(np.median(pd9), np.median(pd12))
    key = next(k for k in city.index if k.startswith("person_days_below_") and "per_1000" not in k
               and not k.endswith(("65plus", "under5")))
    np.testing.assert_allclose(city.loc[key, "p50"], np.median(pd9), rtol=1e-9)
    np.testing.assert_allclose([city.loc[key, "p10"], city.loc[key, "p90"]], np.percentile(pd9, [10, 90]),
                               rtol=1e-9)
    assert "9 °C" in city.loc[key, "label"] and "12 °C" not in city.loc[key, "label"]
    below = ds["people_below_threshold"].values[:, :, K9]
    mean_key = next(k for k in city.index if k.startswith("people_below_") and k.endswith("_mean")
                    and "9" in city.loc[k, "label"])
    np.testing.assert_allclose(city.loc[mean_key, "p50"], np.median(below.mean(axis=1)), rtol=1e-9)
    # the brief: the box shows the 9 degC median with an 80 % range
    assert "Person-days below 9 °C indoors" in html
    box = re.search(rf'data-figure="{key}">\s*<div class="kf-value">([^<]*)</div>.*?<div class="kf-range">'
                    rf'([^<]*)</div>', html, re.S)
    assert box.group(1) == count(np.median(pd9))
    assert box.group(2).startswith("80 % range")
    assert "below 12 °C" not in html.split('<section class="method')[0]


def test_summary_csv_columns_and_hxl_tags_follow_the_key(rendered):
    folder, ds, _ = rendered
    raw = (folder / "summary.csv").read_text(encoding="utf-8").splitlines()
    header, tags = raw[0].split(","), raw[1].split(",")
    assert "person_days_below_9c_so_far_p50" in header
    assert not any("below_12c" in h for h in header)
    assert any("cold9" in t for t in tags) and not any("cold12" in t for t in tags)
    assert "person_days_below_9c_so_far_p10" in header and "person_days_below_9c_so_far_p90" in header
    summary = read_hxl_csv(folder / "summary.csv")
    last = summary[summary["adm5_name"] == "All districts"].iloc[-1]
    pd9 = ds["person_hours_below_threshold"].values[:, K9, :].sum(axis=1) / 24.0
    assert last["person_days_below_9c_so_far_p50"] == round(np.median(pd9))
