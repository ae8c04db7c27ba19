"""Every option of every config group composes with hydra.compose and runs briefly on small_town."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from sim.chain import run_scenario
from tests.conftest import ROOT, compose_config

TINY = ["city=small_town", "realizations=2", "horizon_days=2"]


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (ROOT / "configs" / group).glob("*.yaml"))


CASES = [f"{g}={o}" for g in ("city", "attacks", "repair", "buildings", "people") for o in options(g)]
CASES += ["weather=cold_snap"]
#: Options that need keys of their own to run: attacks=waves runs the waves it is given (none is an error)
NEEDS = {"attacks=waves": ["attacks.waves=[{day:0.5,drones:100,missiles:10}]"]}


@pytest.mark.parametrize("override", CASES)
def test_every_option_runs(override):
    ds = run_scenario(compose_config([*TINY, override, *NEEDS.get(override, [])]))
    assert ds.sizes["realization"] == 2
    for name in ("outdoor_temperature", "indoor_temperature", "people_below_threshold", "heating_point_demand"):
        assert np.isfinite(ds[name].values).all(), name


def test_weather_file_option(tmp_path):
    import pandas as pd

    times = pd.date_range("2026-01-28", periods=24 * 5, freq="h")
    pd.DataFrame({"time": times.strftime("%Y-%m-%dT%H:%M"), "outdoor_temperature_c": -15.0}).to_csv(
        tmp_path / "w.csv", index=False
    )
    ds = run_scenario(compose_config([*TINY, "weather=file", f"weather.path={tmp_path / 'w.csv'}"]))
    np.testing.assert_allclose(ds["outdoor_temperature"].values, -15.0)


def test_every_experiment_composes():
    for name in options("experiment"):
        cfg = compose_config([f"experiment={name}"])
        assert cfg.realizations >= 1


def test_contract_variables_and_units():
    ds = run_scenario(compose_config(TINY))
    contract = {
        "outdoor_temperature": ({"realization", "time"}, "degC"),
        "indoor_temperature": ({"realization", "time", "district", "archetype"}, "degC"),
        "share_without_power": ({"realization", "time", "district"}, "1"),
        "buildings_without_heat": ({"realization", "time", "district"}, "1"),
        "people_below_threshold": ({"realization", "time", "threshold"}, "1"),
        "person_hours_below_threshold": ({"realization", "threshold", "district"}, "h"),
        "people_cold_24h": ({"realization", "district"}, "1"),
        "heating_point_demand": ({"realization", "time"}, "1"),
        "waves": ({"realization", "time"}, "1"),
        "hits": ({"realization", "time"}, "1"),
    }
    for name, (dims, units) in contract.items():
        assert set(ds[name].dims) == dims, name
        assert ds[name].attrs["units"] == units, name
        assert ds[name].attrs["long_name"], name
    for attr in ("Conventions", "title", "source", "history", "scenario", "seed", "config"):
        assert attr in ds.attrs
    assert np.issubdtype(ds.time.dtype, np.datetime64)
    assert {16.0, 12.0} <= set(ds.threshold.values.astype(float))
    assert isinstance(ds, xr.Dataset)


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = run_scenario(compose_config([*TINY, "seed=11"]))
    b = run_scenario(compose_config([*TINY, "seed=11"]))
    c = run_scenario(compose_config([*TINY, "seed=12"]))
    for d in (a, b, c):
        d.attrs.pop("history")
    xr.testing.assert_identical(a, b)
    assert not np.array_equal(a["outdoor_temperature"].values, c["outdoor_temperature"].values)
