""":func:`sim.stats.figure_summaries` (every district's figure at once) equals :func:`sim.stats.figure_summary`
column by column, to the bit: percentiles, median interval, Monte Carlo verdict, for small and tied samples,
weights, NaN and all-NaN columns."""

from __future__ import annotations

import numpy as np
import pytest

from sim.keyfigures import Settings
from sim.stats import figure_summaries, figure_summary


def _same(a, b) -> bool:
    return all(np.array_equal(np.float64(x), np.float64(y), equal_nan=True) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6, 10, 40])
@pytest.mark.parametrize("case", ["plain", "ties", "zeros", "weighted", "nan", "all_nan"])
def test_figure_summaries_are_figure_summary_per_column(n, case):
    rng = np.random.default_rng(n)
    x = rng.gamma(1.5, 3e4, size=(n, 7))
    w = None
    if case == "ties":
        x = np.round(x / 2e4) * 2e4
    if case == "zeros":
        x[:, :3] = 0.0  # a zero median: rel_error inf (or 0 for a zero-width interval)
    if case == "weighted":
        w = np.linspace(1.0, 3.0, n)
        if n > 2:
            w[1] = 0.0
    if case == "nan":
        x[0, 2] = np.nan
    if case == "all_nan":
        x[:, 4] = np.nan
    s = Settings()
    got = figure_summaries(x, s, w)
    assert len(got) == x.shape[1]
    for j, (p_lo, p50, p_hi, err) in enumerate(got):
        w_lo, w50, w_hi, w_err = figure_summary(x[:, j], s, w)
        assert _same((p_lo, p50, p_hi), (w_lo, w50, w_hi)), (j, (p_lo, p50, p_hi), (w_lo, w50, w_hi))
        assert err.keys() == w_err.keys()
        assert _same([err[k] for k in ("ci_low", "ci_high", "rel_error")],
                     [w_err[k] for k in ("ci_low", "ci_high", "rel_error")])
        assert err["enough"] is w_err["enough"]


def test_figure_summaries_on_a_hand_computed_sample():
    x = np.arange(1.0, 11.0)[:, None]  # 10 runs: the 95 % interval of the median is [x_(2), x_(9)]
    (p_lo, p50, p_hi, err), = figure_summaries(x, Settings())
    assert (p_lo, p50) == (1.45, 5.5) and p_hi == pytest.approx(9.55, rel=0, abs=1e-12)  # type 7: 1 + 0.05 x 9
    assert (err["ci_low"], err["ci_high"]) == (2.0, 9.0)
    assert err["rel_error"] == pytest.approx(3.5 / 5.5, rel=0, abs=1e-15)
    with pytest.raises(ValueError):
        figure_summaries(np.arange(3.0), Settings())
