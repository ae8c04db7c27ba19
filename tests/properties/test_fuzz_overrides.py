"""Fuzz: any mix of valid and invalid overrides ends in a result or a clean one-line error, never a crash.

Mirrors what the CLI does (compose, validate, run) in-process for speed; the CLI turns the same
exceptions into one line and exit status 2 (tests/integration/test_cli_errors.py).
"""

from __future__ import annotations

import math

import numpy as np
from hydra.errors import HydraException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from omegaconf.errors import OmegaConfBaseException

from sim.chain import run_scenario
from sim.cli import one_line
from sim.errors import ColdgridError
from tests.conftest import compose_config

numbers = st.one_of(
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from(["abc", "", "1e400", "-0", "null", "[1,2]", "{a: 1}"]),
)
KEYS = {
    "realizations": st.one_of(st.integers(-3, 3), st.just(10**6), st.just("x")),
    "horizon_days": st.one_of(st.floats(-1, 2.5), st.just(400), st.just("nan"), st.just(0.01)),
    "dt_minutes": st.sampled_from([0, 7, 30, 60, 120, -60, "x"]),
    "seed": st.one_of(st.integers(-2, 2**40), st.just("seed")),
    "start": st.sampled_from(["2026-01-29", "2026-13-01", "yesterday", "2026-02-01T06:00"]),
    "label": st.text(max_size=30).filter(lambda s: all(c not in s for c in "=,'\"\\[]{}()$ \t\n\r")),
    "weather.min_temperature_c": numbers,
    "attacks.intercept_drone_prob": numbers,
    "attacks.pause_days": numbers,
    "attacks.drones_mean": numbers,
    "repair.heat_crews": numbers,
    "repair.crew_multiplier": numbers,
    "buildings.ua_multiplier": numbers,
    "buildings.heater_share_frac": numbers,
    "people.uptake_frac": numbers,
    "people.places_per_point": numbers,
    "city.share_left_frac": numbers,
    "attacks": st.sampled_from(["continued", "pause_week", "none", "single_wave", "nonsense"]),
    "no_such_key": numbers,
    "weather.no_such_key": numbers,
}


def _fmt(v) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return str(v)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(KEYS)), st.just(None), min_size=1, max_size=4).flatmap(
    lambda d: st.fixed_dictionaries({k: KEYS[k] for k in d})))
def test_any_overrides_end_in_result_or_clean_error(choice):
    overrides = ["city=small_town", "realizations=1", "horizon_days=1"]
    overrides += [f"{k}={_fmt(v)}" for k, v in choice.items()]
    try:
        cfg = compose_config(overrides)
    except (HydraException, OmegaConfBaseException) as e:
        msg = one_line(e)
        assert msg and "\n" not in msg
        return
    try:
        ds = run_scenario(cfg)
    except ColdgridError as e:
        assert str(e) and "\n" not in str(e)
        return
    for name, v in ds.data_vars.items():
        if np.issubdtype(v.dtype, np.number):
            assert np.isfinite(v.values).all(), name
