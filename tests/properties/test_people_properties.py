"""Properties of the exposure metrics (hypothesis): monotone in cold, bounded by the population."""

from __future__ import annotations

import numpy as np
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.config.people import PeopleConfig
from sim.exposure import Exposure
from sim.people import ExposureAccumulator
from sim.stats import paired_difference, prob_reduction_at_least

R, T, G, D = 2, 30, 4, 2
DISTRICT = np.array([0, 1, 1, 0])
CFG = PeopleConfig(heating_points=1300, danger_h=2.0, long_exposure_h=6.0)  # shorter spell so that short runs exercise it

temps = hnp.arrays(np.float64, (R, T, G), elements=st.floats(0.0, 25.0, allow_nan=False))
people = hnp.arrays(np.float64, (G,), elements=st.floats(0.0, 1e4, allow_nan=False))
shares = hnp.arrays(np.float64, (G,), elements=st.floats(0.0, 0.5, allow_nan=False))
powers = hnp.arrays(np.bool_, (R, T, G))
dts = st.sampled_from([0.25, 1.0, 3.0])
fast = settings(max_examples=40, deadline=None)


def run(indoor, occ, s65, s5, powered, dt_h) -> Exposure:
    acc = ExposureAccumulator(occ, s65, s5, occ / 2, DISTRICT, D, CFG, dt_h, R, T)
    for t in range(T):
        acc.update(t, indoor[:, t], powered[:, t])
    return acc.finish()


MONOTONE = [
    "people_below",
    "person_hours_below_h",
    "people_ever_below",
    "people_cold_long",
    "people_danger",
    "heating_point_demand",
    "heating_point_unmet",
]


@fast
@given(
    temps,
    hnp.arrays(np.float64, (R, T, G), elements=st.floats(0.0, 10.0)),
    people,
    shares,
    shares,
    powers,
    dts,
)
def test_colder_never_lowers_exposure(indoor, cooling, occ, s65, s5, powered, dt_h):
    warm = run(indoor, occ, s65, s5, powered, dt_h)
    cold = run(indoor - cooling, occ, s65, s5, powered, dt_h)
    for name in MONOTONE:
        assert (
            getattr(cold, name) >= getattr(warm, name) - 1e-9 * (1 + np.abs(getattr(warm, name)))
        ).all(), name
    affected = lambda e: e.cold_hours_hist.sum(axis=1)  # noqa: E731
    assert (affected(cold) >= affected(warm) - 1e-6).all()


@fast
@given(temps, people, shares, shares, powers, dts)
def test_bounded_by_population(indoor, occ, s65, s5, powered, dt_h):
    e = run(indoor, occ, s65, s5, powered, dt_h)
    pop = e.occupants  # (D, A)
    tol = 1e-9 * (1 + pop.sum())
    assert (e.people_below <= pop.sum(axis=0) + tol).all()
    assert (e.people_ever_below <= pop + tol).all()
    assert (e.people_cold_long <= pop + tol).all()
    assert (e.people_danger <= e.people_ever_below[:, 3] + tol).all()  # threshold 9 degC
    assert (e.person_hours_below_h <= pop * T * dt_h * (1 + 1e-9) + tol).all()
    # thresholds are ordered 18 > 16 > 12 > 9: fewer people below a lower threshold
    assert (np.diff(e.people_below, axis=2) <= tol).all()
    # subsets: 65+ and under-5 never exceed everyone
    assert (e.people_below[..., 1] + e.people_below[..., 2] <= e.people_below[..., 0] + tol).all()
    assert (e.people_without_water <= occ.sum() / 2 + tol).all()
    assert (e.heating_point_demand <= CFG.uptake_frac * occ.sum() + tol).all()
    assert ((e.points_unpowered_frac >= 0) & (e.points_unpowered_frac <= 1)).all()
    # histogram mass = people ever below 16 degC (threshold index 1)
    np.testing.assert_allclose(e.cold_hours_hist.sum(axis=1), e.people_ever_below[:, 1].sum(axis=1), atol=tol)
    np.testing.assert_allclose(e.cold_spell_hist.sum(axis=1), e.cold_hours_hist.sum(axis=1), atol=tol)
    # longest spell <= total hours for every person, so also for their quantiles
    assert (e.cold_spell_median_h <= e.cold_hours_median_h + 1e-9).all()
    assert (e.cold_spell_p90_h <= e.cold_hours_p90_h + 1e-9).all()
    assert (e.cold_hours_p90_h <= T * dt_h + 1e-9).all()
    assert (e.cold_hours_median_h <= e.cold_hours_p90_h + 1e-9).all()


@fast
@given(temps, people, shares, powers)
def test_person_hours_integral(indoor, occ, s65, powered):
    e = run(indoor, occ, s65, s65 / 2, powered, 0.5)
    np.testing.assert_allclose(
        e.person_hours_below_h.sum(axis=2), e.people_below.sum(axis=1) * 0.5, rtol=1e-9, atol=1e-6
    )


@fast
@given(hnp.arrays(np.float64, (8, 3), elements=st.floats(0.0, 1e7, allow_nan=False)))
def test_paired_difference_of_identical_is_zero(values):
    a = xr.DataArray(values, dims=("realization", "district"))
    assert (paired_difference(a, a.copy(), percentiles=None).values == 0.0).all()
    assert (paired_difference(a, a.copy()).values == 0.0).all()
    prob = prob_reduction_at_least(a, a.copy())
    assert (prob.values == 0.0).all()
