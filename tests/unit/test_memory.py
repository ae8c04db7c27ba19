import pytest

from sim.errors import ColdgridError
from sim.memory import check_fits, estimate


def test_estimate_is_linear_in_realizations():
    a = estimate(100, 504, 700, 250, 10, 7, 4).total_b
    b = estimate(200, 504, 700, 250, 10, 7, 4).total_b
    assert b == pytest.approx(2 * a, rel=1e-9)


def test_refuses_with_a_suggestion():
    est = estimate(1000, 504, 700, 250, 10, 7, 4)
    with pytest.raises(ColdgridError, match=r"realizations=\d+ or fewer"):
        check_fits(est, 1000, available_b=est.total_b // 4)
    check_fits(est, 1000, available_b=est.total_b * 2)  # fits: no error


def test_trajectories_add_one_float32_per_group_and_step():
    base = estimate(10, 100, 50, 20, 2, 3, 4)
    full = estimate(10, 100, 50, 20, 2, 3, 4, trajectories=True)
    assert full.outputs_b - base.outputs_b == 10 * 100 * 50 * 4
