"""Nowcast plumbing (sim.nowcast): reports predicted from a run, weights and ESS in the Dataset, the chain hooks."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim import smc
from sim.chain import run_scenario
from sim.config.nowcast import NowcastConfig
from sim.nowcast import condition, predict_reports, twin_reports
from sim.observations import read_observations
from tests.conftest import compose_config

TIMES = pd.date_range("2026-01-29T00:00", periods=6, freq="6h").to_numpy()


def toy_dataset() -> xr.Dataset:
    """3 realizations, 6 steps of 6 h, districts A (population 100) and B (300)."""
    R, T = 3, len(TIMES)
    heat = np.zeros((R, T, 2))
    heat[:, :, 0] = [[10], [200], [40]]  # district A: 10, 200, 40 buildings without heat in r = 0, 1, 2
    heat[:, :, 1] = [[5], [100], [60]]
    power = np.zeros((R, T, 2))
    power[:, :, 0], power[:, :, 1] = 0.2, 0.6
    queues = np.tile(np.array([[1.0], [4.0], [2.5]]), (1, T))
    return xr.Dataset(
        {"buildings_without_heat": (("realization", "time", "district"), heat),
         "share_without_power": (("realization", "time", "district"), power),
         "queues_off": (("realization", "time"), queues),
         "population": (("district",), np.array([100.0, 300.0]))},
        coords={"realization": np.arange(R), "time": TIMES, "district": ["A", "B"]},
    )


def reports(tmp_path, text: str, **kw):
    path = tmp_path / "reports.csv"
    path.write_text("time,district,buildings_without_heat,share_without_power,queues_off\n" + text)
    return read_observations(path, ["A", "B"], start=TIMES[0], end=TIMES[-1] + np.timedelta64(6, "h"), **kw)


def test_reports_are_predicted_from_the_step_holding_them(tmp_path):
    obs = reports(tmp_path, "2026-01-29T07:30,A,50,,\n2026-01-29T07:30,city,,0.3,\n"
                            "2026-01-29T13:00,city,120,,3\n")
    pred = predict_reports(toy_dataset(), obs)
    q = dict(zip(zip(obs.table["district"], obs.table["quantity"], strict=True), pred.T, strict=True))
    np.testing.assert_array_equal(q[("A", "buildings_without_heat")], [10, 200, 40])
    np.testing.assert_array_equal(q[("city", "buildings_without_heat")], [15, 300, 100])  # sum of districts
    np.testing.assert_allclose(q[("city", "share_without_power")], 0.25 * 0.2 + 0.75 * 0.6)  # population-weighted
    np.testing.assert_array_equal(q[("city", "queues_off")], [1.0, 4.0, 2.5])


def test_condition_weights_the_realization_that_made_the_reports(tmp_path):
    """Reports taken from realization 2 (40 and 60 buildings, 2.5 queues) give it the largest weight; the
    weights are the normalized product of the likelihoods; ESS is R before the first report."""
    obs = reports(tmp_path, "2026-01-29T06:00,A,40,,\n2026-01-29T06:00,B,60,,\n2026-01-29T18:00,city,,,2.5\n")
    cfg = NowcastConfig()
    out = condition(toy_dataset(), obs, cfg, 6)
    w = out["realization_weight"].values
    assert w.sum() == pytest.approx(1.0) and np.argmax(w) == 2
    y = obs.table["value"].to_numpy()
    x = predict_reports(toy_dataset(), obs)
    ll_06 = smc.log_lik_buildings(y[:2], x[:, :2], cfg.heat_dispersion, cfg.heat_offset_buildings).sum(axis=1)
    ll = ll_06 + smc.log_lik_queues(y[2], x[:, 2], cfg.queue_sd, 6)

    def normalized(v):
        return np.exp(v - v.max()) / np.exp(v - v.max()).sum()

    np.testing.assert_allclose(w, normalized(ll), rtol=1e-10)
    ess = out["effective_sample_size"].values
    assert ess[0] == 3.0  # 00:00, before the first report
    assert ess[1] == pytest.approx(smc.effective_sample_size(normalized(ll_06)), rel=1e-10)  # 06:00
    assert ess[3] == pytest.approx(smc.effective_sample_size(w))  # after the last report, constant
    assert np.all(ess[3:] == ess[3]) and ess[1] == ess[2]
    assert list(out["report_quantity"].values) == list(obs.table["quantity"])
    assert out.attrs["nowcast_as_of"] == "2026-01-29T18:00" and out.attrs["nowcast_reports"] == 3


def test_a_report_no_realization_can_explain_collapses_the_ensemble(tmp_path, caplog):
    obs = reports(tmp_path, "2026-01-29T06:00,A,200,,\n2026-01-29T06:00,B,100,,\n")  # realization 1 only
    with caplog.at_level(logging.WARNING, logger="coldgrid"):
        out = condition(toy_dataset(), obs, NowcastConfig(collapse_ess_frac=0.5), 6)
    status = out.attrs["nowcast_status"]
    assert status.startswith("nowcast collapsed: effective sample size 1.0 of 3 realizations after the reports "
                             "of 2026-01-29 06:00")
    assert "buildings_without_heat in " in status and "\n" not in status
    assert any("nowcast collapsed" in r.getMessage() for r in caplog.records)


def test_no_reports_leave_the_dataset_alone(tmp_path):
    ds = toy_dataset()
    assert condition(ds, None, NowcastConfig(), 6) is ds
    obs = reports(tmp_path, "2026-01-29T12:00,A,40,,\n", as_of="2026-01-29T06:00")
    out = condition(ds, obs, NowcastConfig(), 6)
    assert "unconditioned" in out.attrs["nowcast_status"] and out.sizes["report"] == 0


def test_twin_reports_round_trip_through_the_reader(tmp_path):
    """Error-free synthetic reports of realization 1 read back as its values, and condition on them puts the
    largest weight on realization 1; noisy ones come from the error model's samplers (seeded)."""
    ds = toy_dataset()
    times = TIMES[[1, 3]]
    exact = twin_reports(ds, 1, times, NowcastConfig(), 6)
    path = tmp_path / "twin.csv"
    exact.to_csv(path, index=False)
    obs = read_observations(path, ["A", "B"], start=TIMES[0])
    np.testing.assert_allclose(predict_reports(ds, obs)[1], obs.table["value"].to_numpy())
    assert np.argmax(condition(ds, obs, NowcastConfig(), 6)["realization_weight"].values) == 1
    noisy_a = twin_reports(ds, 1, times, NowcastConfig(), 6, np.random.default_rng(3))
    noisy_b = twin_reports(ds, 1, times, NowcastConfig(), 6, np.random.default_rng(3))
    pd.testing.assert_frame_equal(noisy_a, noisy_b)
    assert not noisy_a.equals(exact)


# --------------------------------------------------------------------------------------------------
# through the chain (small_town)
# --------------------------------------------------------------------------------------------------

BASE = ["city=small_town", "realizations=6", "horizon_days=2"]


@pytest.fixture(scope="module")
def plain():
    return run_scenario(compose_config(BASE))


def test_a_plain_run_has_uniform_weights_and_full_ess(plain):
    np.testing.assert_array_equal(plain["realization_weight"].values, np.full(6, 1 / 6))
    np.testing.assert_array_equal(plain["effective_sample_size"].values, np.full(plain.sizes["time"], 6.0))
    assert plain["realization_weight"].dims == ("realization",)
    assert plain["effective_sample_size"].dims == ("time",)


def test_without_reports_up_to_as_of_the_nowcast_is_the_plain_run(plain, tmp_path):
    """The check of the issue: with no observations the result equals the unconditioned run."""
    path = tmp_path / "reports.csv"
    path.write_text("time,district,buildings_without_heat\n2026-01-30T08:00,North,2\n")
    nowcast = run_scenario(compose_config([*BASE, f"nowcast.observations={path}", "nowcast.as_of=2026-01-29T12:00"]))
    for name in plain.data_vars:
        xr.testing.assert_identical(nowcast[name], plain[name])
    assert nowcast.sizes["report"] == 0


def test_reports_reweight_the_run(plain, tmp_path):
    path = tmp_path / "reports.csv"
    truth = plain["buildings_without_heat"].isel(realization=0).sel(time="2026-01-29T18:00")
    rows = "".join(f"2026-01-29T18:00,{d},{int(v)}\n" for d, v in zip(plain["district"].values, truth.values,
                                                                       strict=True))
    path.write_text("time,district,buildings_without_heat\n" + rows)
    ds = run_scenario(compose_config([*BASE, f"nowcast.observations={path}"]))
    w = ds["realization_weight"].values
    assert w.sum() == pytest.approx(1.0) and w[0] == w.max()
    ess = ds["effective_sample_size"].sel(time=slice(None, "2026-01-29T17:00")).values
    np.testing.assert_array_equal(ess, 6.0)  # before the report
    # every simulated variable is that of the plain run: a nowcast only weights the realizations
    for name in plain.data_vars:
        if name not in ("realization_weight", "effective_sample_size"):
            xr.testing.assert_identical(ds[name], plain[name])


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["nowcast.heat_dispersion=0"], "nowcast.heat_dispersion=0.0: must be > 0"),
        (["nowcast.heat_offset_buildings=0"], "nowcast.heat_offset_buildings=0.0: must be > 0"),
        (["nowcast.queue_sd=-1"], "nowcast.queue_sd=-1.0: must be > 0"),
        (["nowcast.as_of=2026-01-30"], "nowcast.as_of=2026-01-30: needs nowcast.observations"),
        (["nowcast.observations=r.csv", "nowcast.as_of=tomorrow"], "nowcast.as_of=tomorrow: not an ISO 8601 time"),
        (["nowcast.resample_ess_frac=0"], "nowcast.resample_ess_frac=0.0: must be a share in (0, 1]"),
        (["nowcast.collapse_ess_frac=0.8"], "nowcast.collapse_ess_frac=0.8: must not exceed nowcast.resample_ess_frac"),
    ],
)
def test_bad_nowcast_keys_name_the_key(overrides, expected):
    from sim.config.validate import validate
    from sim.errors import ConfigError

    with pytest.raises(ConfigError) as e:
        validate(compose_config(["city=small_town", *overrides]))
    assert expected in str(e.value)
