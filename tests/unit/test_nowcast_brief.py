"""The brief's nowcast section (sim.report.nowcast_section): reports against the prior and the conditioned
ensemble, in English and Ukrainian, and key figures withheld when the ensemble collapsed.

References: the section's numbers are checked against numpy on the run's own arrays (the prior median of a
report is numpy's median of the realizations' predictions; the conditioned one with all weight on one
realization is that realization's value), not against the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.chain import run_scenario
from sim.report.brief import build_html
from sim.report.i18n import Lang
from sim.report.nowcast_section import nowcast_chart, nowcast_content
from tests.conftest import compose_config

BASE = ["city=small_town", "realizations=6", "horizon_days=2"]


@pytest.fixture(scope="module")
def plain():
    return run_scenario(compose_config(BASE))


def _reports(path, plain, r: int, value: int | None = None):
    truth = plain["buildings_without_heat"].isel(realization=r).sel(time="2026-01-29T18:00")
    rows = "".join(f"2026-01-29T18:00,{d},{int(v) if value is None else value}\n"
                   for d, v in zip(plain["district"].values, truth.values, strict=True))
    path.write_text("time,district,buildings_without_heat\n" + rows)
    return path


@pytest.fixture(scope="module")
def nowcast(plain, tmp_path_factory):
    path = _reports(tmp_path_factory.mktemp("nc") / "reports.csv", plain, 0)
    return run_scenario(compose_config([*BASE, f"nowcast.observations={path}", "nowcast.max_rejuvenations=0"]))


def test_the_section_shows_reports_against_prior_and_conditioned(nowcast, plain):
    en = nowcast_content(nowcast, Lang("en"))
    assert en["title"] == "Conditioned on reports up to 29 Jan 18:00"
    assert len(en["rows"]) == nowcast.sizes["report"] and not en["collapsed"]
    k = 0
    place = str(nowcast["report_district"].values[k])
    row = next(r for r in en["rows"] if r["place"] == place)
    x = plain["buildings_without_heat"].sel(time="2026-01-29T18:00", district=place).values
    assert row["prior"] == Lang("en").count(float(np.median(x)))
    assert row["reported"] == Lang("en").count(float(nowcast["report_value"].values[k]))
    assert nowcast_content(plain) is None and nowcast_chart(plain) is None
    html = build_html(nowcast, "run", lang="en")[0]
    assert 'id="nowcast"' in html and "Conditioned on reports up to" in html and 'id="fig-nowcast"' in html
    assert nowcast.attrs["nowcast_status"] in html  # the one-line status among the caveats
    uk = build_html(nowcast, "run", lang="uk")[0]
    assert "З урахуванням звітів до 29 січ. 18:00" in uk and "Conditioned on" not in uk


@pytest.fixture(scope="module")
def collapsed(plain, tmp_path_factory):
    """A nowcast on reports far beyond every run (its ensemble collapses)."""
    n = int(plain["buildings_without_heat"].max()) * 20 + 500
    path = _reports(tmp_path_factory.mktemp("collapsed") / "reports.csv", plain, 0, value=n)
    return run_scenario(compose_config([*BASE, f"nowcast.observations={path}", "nowcast.max_rejuvenations=0",
                                        "nowcast.collapse_ess_frac=0.5"]))


def test_a_collapsed_nowcast_withholds_the_key_figures(plain, collapsed):
    ds = collapsed
    content = nowcast_content(ds)
    assert content["collapsed"]
    html = build_html(ds, "run", lang="en")[0]
    assert 'id="nowcast-withheld"' in html and 'class="kf-grid"' not in html
    assert 'class="kf-grid"' in build_html(plain, "run", lang="en")[0]


def test_the_tables_say_whether_a_nowcast_collapsed(plain, nowcast, collapsed, tmp_path):
    """headline.csv and summary.csv carry the nowcast's state on every row (a spreadsheet reader has no
    brief to withhold the key figures); a plain run's tables have no such column."""
    from sim.report.exports import headline_frame
    from sim.report.hxl import read_hxl_csv, summary_frame, write_summary_csv

    assert "nowcast" not in headline_frame(plain).columns and "nowcast" not in summary_frame(plain)[0].columns
    assert set(headline_frame(nowcast)["nowcast"]) == {"conditioned"}
    assert set(headline_frame(collapsed)["nowcast"]) == {"collapsed"}
    df, tags = summary_frame(collapsed)
    assert set(df["nowcast"]) == {"collapsed"} and tags[list(df.columns).index("nowcast")] == "#meta+nowcast"
    written = read_hxl_csv(write_summary_csv(collapsed, tmp_path / "summary.csv")[0])
    assert set(written["nowcast"]) == {"collapsed"}
    late = _reports(tmp_path / "late.csv", plain, 0)  # reports after as_of: none assimilated
    unconditioned = run_scenario(compose_config([*BASE, f"nowcast.observations={late}",
                                                 "nowcast.as_of=2026-01-29T06:00"]))
    assert set(headline_frame(unconditioned)["nowcast"]) == {"unconditioned"}
