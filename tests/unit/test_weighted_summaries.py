"""Every summary users read uses a nowcast's realization weights (sim.stats, sim.keyfigures, sim.report).

References, none computed by the weighted code under test:

* equal weights must take the unweighted path: ``headline.csv``, ``summary.csv``, the trigger table, the
  district ranking and the comparison of a run with ``realization_weight`` 1/R (or any equal value) are
  the same numbers bit for bit as the run without the variable;
* a zero weight removes a realization (Akinshin's weighted type-7 estimator, arXiv:2304.07265, reduces to
  type 7 on the others; Kish's effective sample size is the number of the others): the weighted summaries
  of a run whose weights are 0 on some realizations and equal on the rest agree with the unweighted
  summaries of the run restricted to the rest. The tolerance, 1e-9 relative, is floating-point rounding of
  the weighted formula (the normalized weights 1/4 are exact, the cumulative sums are not always);
* a run whose weight sits on one realization reports that realization's values (a point mass).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim import keyfigures, stats
from sim.chain import run_scenario
from sim.report import triggers
from sim.report.exports import headline_frame
from sim.report.hxl import summary_frame
from tests.conftest import compose_config

KEEP = [0, 2, 3, 5]


@pytest.fixture(scope="module")
def plain() -> xr.Dataset:
    return run_scenario(compose_config(["city=small_town", "realizations=6", "horizon_days=3"]))


@pytest.fixture(scope="module")
def policy(plain) -> xr.Dataset:
    return run_scenario(compose_config(["city=small_town", "realizations=6", "horizon_days=3", "people.heating_points=2600"]))


def _weighted(ds: xr.Dataset, w) -> xr.Dataset:
    return ds.assign(realization_weight=("realization", np.asarray(w, dtype=float)))


def _tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    ranking = keyfigures.district_ranking(ds)
    return {
        "headline_table": stats.headline_table(ds),
        "headline_frame": headline_frame(ds),
        "summary_frame": summary_frame(ds)[0],
        "triggers": triggers.trigger_table(ds),
        "ranking": pd.DataFrame({"p_top": ranking["p_top"].values}, index=ranking["district"].values),
    }


def _numeric(df: pd.DataFrame) -> pd.DataFrame:
    return df.select_dtypes("number").reset_index(drop=True)


def test_equal_weights_are_the_unweighted_numbers_bit_for_bit(plain):
    without = _tables(plain.drop_vars("realization_weight"))
    for w in (1.0 / 6, 0.5):  # the plain run's weights, and equal but not normalized
        got = _tables(_weighted(plain, np.full(6, w)))
        for name, table in without.items():
            pd.testing.assert_frame_equal(got[name], table, check_exact=True, obj=name)
    da = plain["buildings_without_heat"]
    xr.testing.assert_identical(stats.summarize(da.assign_coords(realization_weight=("realization", np.full(6, 0.2)))),
                                stats.summarize(da))


def test_zero_weights_remove_realizations_everywhere(plain, policy):
    w = np.zeros(6)
    w[KEEP] = 0.25
    got, ref = _tables(_weighted(plain, w)), _tables(plain.isel(realization=KEEP))
    for name in got:
        a, b = _numeric(got[name]), _numeric(ref[name])
        assert list(a.columns) == list(b.columns), name
        np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-9, atol=1e-12, err_msg=name)
    # the summary of a DataArray carrying the weights as a coordinate (the brief's figures)
    da = plain["people_below_threshold"]
    np.testing.assert_allclose(stats.summarize(da.assign_coords(realization_weight=("realization", w))).values,
                               stats.summarize(da.isel(realization=KEEP)).values, rtol=1e-9, atol=1e-12)
    # paired comparisons of two nowcasts on the same reports
    cmp_w = stats.comparison_table(_weighted(plain, w), _weighted(policy, w))
    cmp_r = stats.comparison_table(plain.isel(realization=KEEP), policy.isel(realization=KEEP))
    np.testing.assert_allclose(_numeric(cmp_w).to_numpy(float), _numeric(cmp_r).to_numpy(float),
                               rtol=1e-9, atol=1e-12)


def test_a_point_mass_reports_its_realization(plain):
    r = 3
    w = np.full(6, 1e-300)
    w[r] = 1.0
    table = stats.headline_table(_weighted(plain, w)).set_index("figure")
    values = keyfigures.values(plain)
    for key in ("people_below_12_mean", "buildings_without_heat_peak"):
        assert table.loc[key, "p50"] == pytest.approx(float(values[key].values[r]))
    ranking = keyfigures.district_ranking(_weighted(plain, w))
    top = np.argsort(-keyfigures.district_rate(plain, keyfigures.Settings.from_dataset(plain)).values[r],
                     kind="stable")[: int(keyfigures.Settings.from_dataset(plain).top_districts)]
    names = plain["district"].values
    p_top = dict(zip(ranking["district"].values, ranking["p_top"].values, strict=True))
    for i, name in enumerate(names):
        assert p_top[name] == pytest.approx(1.0 if i in top else 0.0, abs=1e-12)
