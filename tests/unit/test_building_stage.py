"""The fused thermal step (:meth:`sim.building_stage.BuildingStage.step`) against its three-pass reference.

The reference (:meth:`BuildingStage.step_reference`) is the former implementation: sun and ventilation,
then :func:`sim.heating.heat_inputs_w`, then :meth:`sim.thermal.RCModel.step`. Both call the same scalar
formulas in the same order, so they must agree to the last bit (tolerance 0), state, operative temperature
and gas-stove households alike, over steps that cross heat-on, heat-off, power-on and power-off and that
let the ventilation level move.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sim.archetypes import ARCHETYPES, archetype
from sim.building_stage import TILE, BuildingStage
from sim.config.buildings import BuildingsConfig
from sim.weather import Forecast

N_REAL = 3
N_STEPS = 36


def _groups(n_per_archetype: int) -> pd.DataFrame:
    rows = []
    for name in ARCHETYPES:
        a = archetype(name)
        for i in range(n_per_archetype):
            occ = a.floor_area_m2 / 30.0
            rows.append({"archetype": name, "n_buildings": 1.0 + i, "floor_area_m2": a.floor_area_m2, "occupants": occ,
                         "households": occ / 2.4, "kind": a.kind,
                         "heating": "district" if a.kind == "apartment" else "gas_boiler"})  # fmt: skip
    return pd.DataFrame(rows)


def _stage(groups: pd.DataFrame, cfg: BuildingsConfig) -> tuple[BuildingStage, np.ndarray]:
    times = np.datetime64("2026-01-20T00:00", "h") + np.arange(N_STEPS + 1).astype("timedelta64[h]")
    gen = np.random.default_rng(7)
    t_out = -12.0 + 6.0 * np.sin(np.arange(N_STEPS + 1) / 4.0) + gen.normal(0, 1, (N_REAL, N_STEPS + 1))
    forecast = Forecast(times=times, outdoor_c=t_out, source="test")
    stage = BuildingStage.from_groups(groups, cfg, np.random.default_rng(1), N_REAL, times, 1.0, forecast)
    return stage, t_out


def _run(stage: BuildingStage, t_out: np.ndarray, method: str, bool_heat: bool) -> list[np.ndarray]:
    gen = np.random.default_rng(3)  # the same inputs for both methods
    wind = np.full((N_REAL, 1), 4.0)
    stage.start(t_out[:, :1], wind)
    out = []
    n_g = stage.model.n_groups
    for t in range(N_STEPS):
        powered = gen.random((N_REAL, n_g)) < (0.9 if t < 12 else 0.3)
        frac = gen.random((N_REAL, n_g))
        frac = frac < 0.5 if bool_heat else np.where(t < 6, 1.0, frac * (t > 24))
        col = np.ascontiguousarray(t_out[:, t : t + 1])
        air = getattr(stage, method)(t, col, wind * (1 + 0.1 * t), powered, frac)
        out += [air.copy(), stage.model.state.copy(), stage.operative_c.copy(), stage.stove_households.copy(),
                stage.model._level.copy()]  # fmt: skip
    return out


@pytest.mark.parametrize("bool_heat", [False, True])
@pytest.mark.parametrize("variable_ventilation", [True, False])
def test_fused_step_equals_three_pass_reference(bool_heat: bool, variable_ventilation: bool) -> None:
    groups = _groups(TILE // len(ARCHETYPES) + 2)  # more groups than one tile, the last tile partial
    assert len(groups) > TILE and len(groups) % TILE
    cfg = BuildingsConfig(variable_ventilation=variable_ventilation)
    fused = _run(*_stage(groups, cfg), "step", bool_heat)
    ref = _run(*_stage(groups, cfg), "step_reference", bool_heat)
    for a, b in zip(fused, ref, strict=True):
        np.testing.assert_array_equal(a, b)
    # the run did exercise stoves, ventilation levels and a cooling flat (so the comparison is not vacuous)
    assert max(float(a.max()) for a in fused[3::5]) > 0
    air = np.stack(fused[0::5])
    assert float(air.min()) < float(air[0].min()) - 1.0
    if variable_ventilation:
        assert len(np.unique(np.stack(fused[4::5]))) > 3


def test_replaced_inputs_are_tabulated_again() -> None:
    """A stage whose inputs are replaced after construction (as the validation's stove case does) steps
    with the new inputs: more gas stoves give more stove households than the original inputs."""
    groups = _groups(1)
    cfg = BuildingsConfig(gas_stove_share_frac=1.0)
    base, t_out = _stage(groups, cfg)
    more, _ = _stage(groups, cfg)
    more.inputs = dataclasses.replace(more.inputs, gas_stove_frac=np.ones(len(groups)))
    runs = [_run(s, t_out, "step", False) for s in (base, more)]
    stoves = [sum(float(a.sum()) for a in r[3::5]) for r in runs]
    assert stoves[1] > stoves[0]
    # and the fused pass still equals the reference with the replaced inputs
    ref, _ = _stage(groups, cfg)
    ref.inputs = dataclasses.replace(ref.inputs, gas_stove_frac=np.ones(len(groups)))
    for a, b in zip(runs[1], _run(ref, t_out, "step_reference", False), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("n_chunks", [1, 2])
def test_chunks_of_realizations_do_not_change_the_step(n_chunks: int) -> None:
    """The fused pass cuts the realizations into chunks for numba's threads (one per realization here,
    N_REAL = 3): one chunk, or two uneven ones (2 + 1), give the same bits, and so does the reference."""
    groups = _groups(2)
    cfg = BuildingsConfig()
    per_realization = _run(*_stage(groups, cfg), "step", False)
    stage, t_out = _stage(groups, cfg)
    assert stage._work.shape[0] == N_REAL
    stage._work, stage._kbuf = stage._work[:n_chunks].copy(), stage._kbuf[:n_chunks].copy()
    chunked = _run(stage, t_out, "step", False)
    ref = _run(*_stage(groups, cfg), "step_reference", False)
    for a, b, c in zip(chunked, per_realization, ref, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def _python_rc3(row: np.ndarray, x: tuple[float, ...]) -> tuple[float, float, float]:
    """The exact step written out in Python floats (IEEE doubles), in the order :func:`sim.thermal.rc3_kernel`
    documents: ``phi`` column-major at 0..8, ``gamma`` column-major at 9..20; state terms, then inputs."""
    a, s, m, t, qa, qs, qm = x
    c = [float(v) for v in row]
    return tuple((a * c[i] + s * c[3 + i] + m * c[6 + i])
                 + (t * c[9 + i] + qa * c[12 + i] + qs * c[15 + i] + qm * c[18 + i]) for i in range(3))  # type: ignore[return-value]  # fmt: skip


def test_vector_lanes_round_as_the_scalar_step() -> None:
    """:func:`sim.thermal.rc3_lanes` (the fused step's RC update, three nodes as vector lanes) gives the bits
    of :func:`sim.thermal.rc3_kernel` and of the same sums in Python floats, for random rows and states
    and for infinities, NaN, signed zeros and subnormals (tolerance 0; NaN compared as NaN)."""
    import numba

    from sim.thermal import rc3_kernel, rc3_lanes

    @numba.njit
    def both(coef, gs, ks, xs, out):  # pragma: no cover - compiled
        for i in range(gs.shape[0]):
            v = rc3_lanes(coef, gs[i], ks[i], xs[i, 0], xs[i, 1], xs[i, 2], xs[i, 3], xs[i, 4], xs[i, 5], xs[i, 6])
            w = rc3_kernel(coef, gs[i], ks[i], xs[i, 0], xs[i, 1], xs[i, 2], xs[i, 3], xs[i, 4], xs[i, 5], xs[i, 6])
            for j in range(3):
                out[i, j] = v[j]
                out[i, 3 + j] = w[j]

    rng = np.random.default_rng(11)
    coef = rng.normal(0.0, 1.0, (5, 4, 24)) * 10.0 ** rng.integers(-12, 3, (5, 4, 24))
    coef[1, 2, :21] = [0.0, -0.0, np.inf, 5e-324, -1e-310, 1.0, -np.inf, 1e300, 3.0, np.nan, 2.0, -0.0, 1e-300,
                       0.5, 7.0, -2.0, 1e308, 1.5, 0.25, -1.0, 4.0]  # fmt: skip
    n = 400
    gs, ks = rng.integers(0, 5, n), rng.integers(0, 4, n)
    gs[:50], ks[:50] = 1, 2
    xs = rng.normal(15.0, 10.0, (n, 7)) * np.array([1, 1, 1, 1, 1e3, 1e3, 1e3])
    xs[:20] = rng.choice(np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1e308, -3.5]), (20, 7))
    out = np.empty((n, 6))
    both(coef, gs, ks, xs, out)
    expected = np.array([_python_rc3(coef[g, k], tuple(float(v) for v in x)) for g, k, x in zip(gs, ks, xs, strict=True)])
    for got in (out[:, :3], out[:, 3:]):
        nan = np.isnan(expected)
        np.testing.assert_array_equal(np.isnan(got), nan)
        np.testing.assert_array_equal(got[~nan].view(np.int64), expected[~nan].view(np.int64))
