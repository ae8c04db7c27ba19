"""HXL summary CSV: parsed with libhxl; tags, city totals and headline figures."""

from __future__ import annotations

import re

import hxl
import numpy as np
import pytest

from sim.report import summary_frame, write_summary_csv
from sim.report.hxl import ALL_DISTRICTS, COLUMNS, README
from sim.stats import headline_table
from tests.unit.report_fixtures import KYIV_DISTRICTS, make_run, make_sweep


@pytest.fixture(scope="module")
def run():
    return make_run(n_districts=3)


def test_frame_rows_and_tags(run):
    df, tags = summary_frame(run)
    assert len(tags) == len(df.columns)
    assert df.shape[0] == 3 * (3 + 1)  # 3 days x (3 districts + city total)
    assert tags[:5] == ["#date", "#meta+scenario", "#adm1+code", "#adm5+code", "#adm5+name"]
    for t in [
        "#population+total",
        "#affected+cold16+p50",
        "#affected+cold16+elderly+age65plus+p50",
        "#affected+cold12+p05",
        "#inneed+heating_point+p50",
        "#capacity+heating_point",
        "#meta+model_version",
    ]:
        assert t in tags
    city = df[df["adm5_name"] == ALL_DISTRICTS]
    assert (city["adm5_code"] == "").all()
    assert set(df["adm1_code"]) == {"UA80"}
    assert set(df.loc[df["adm5_name"] != ALL_DISTRICTS, "adm5_code"]) == {
        KYIV_DISTRICTS[n] for n in list(KYIV_DISTRICTS)[:3]
    }


def test_last_city_row_carries_headline_figures(run):
    df, _ = summary_frame(run)
    last = df[(df["adm5_name"] == ALL_DISTRICTS)].iloc[-1]
    table = headline_table(run).set_index("figure")
    med = "p50" if "p50" in table.columns else "median"
    assert last["people_cold_16c_24h_so_far_p50"] == round(table.loc["people_cold_24h", med])
    assert last["people_cold_12c_72h_so_far_p50"] == round(table.loc["people_cold_72h", med])
    assert last["heating_point_demand_peak_so_far_p50"] == round(table.loc["heating_point_demand_peak", med])
    assert last["generators_peak_so_far_p50"] == round(table.loc["generators_peak", med])
    assert last["person_days_below_12c_so_far_p50"] == round(table.loc["person_days_below_12", med])
    assert last["population"] == round(float(run["population"].sum()))
    # cumulative person-days never decrease
    cum = df.loc[df["adm5_name"] == ALL_DISTRICTS, "person_days_below_12c_so_far_p50"].to_numpy(float)
    assert np.all(np.diff(cum) >= 0)


def test_libhxl_parses_csv(tmp_path, run):
    paths = write_summary_csv(run, tmp_path / "summary.csv")
    assert [p.name for p in paths] == ["summary.csv", "summary_readme.txt"]
    data = hxl.data(str(tmp_path / "summary.csv"), hxl.InputOptions(allow_local=True))
    tags = [c.display_tag for c in data.columns]
    assert "#affected+cold16+p50" in tags
    rows = list(data)
    assert len(rows) == 12
    total = [r for r in rows if r.get("#adm5+name") == ALL_DISTRICTS][-1]
    assert total.get("#adm1+code") == "UA80"
    assert float(total.get("#affected+cold16+h24+cumulative+p50")) > 0
    assert float(total.get("#capacity+heating_point")) == 130000
    assert total.get("#meta+model_version").startswith("coldgrid")
    district = [r for r in rows if r.get("#adm5+name") == "Holosiivskyi"][-1]
    assert district.get("#adm5+code") == KYIV_DISTRICTS["Holosiivskyi"]


def test_sweep_rows_per_scenario_and_selection():
    ds = make_sweep(n_districts=2)
    df, _ = summary_frame(ds)
    assert list(df["scenario"].unique()) == ["attacks=continued", "attacks=pause_week"]
    assert df.shape[0] == 2 * 3 * 3
    one, _ = summary_frame(ds, scenario="attacks=pause_week")
    assert set(one["scenario"]) == {"attacks=pause_week"}
    with pytest.raises(ValueError, match="not in"):
        summary_frame(ds, scenario="attacks=nothing")


def test_readme_defines_every_custom_attribute():
    standard = {"code", "name", "total", "num"}
    attrs = {a for _, tag, _ in COLUMNS for a in re.findall(r"\+(\w+)", tag)} - standard
    text = README.lower()
    missing = sorted(a for a in attrs if f"+{a}" not in text)
    assert not missing, f"undocumented HXL attributes: {missing}"


def test_synthetic_city_has_empty_adm1():
    ds = make_run(n_districts=2)
    ds = ds.assign_coords(katotth=("district", ["", ""]))
    ds.attrs["city"] = "small_town"
    df, _ = summary_frame(ds)
    assert set(df["adm1_code"]) == {""}


def test_docs_reproduce_the_readme():
    from pathlib import Path

    from sim.report.hxl import _readme

    docs = (Path(__file__).resolve().parents[2] / "docs" / "brief.md").read_text(encoding="utf-8")
    assert _readme().strip() in docs, "docs/brief.md is out of date: paste sim.report.hxl._readme() into it"
