"""Transmittance of clear glazing (:func:`sim.solar.glazing_transmittance`, :func:`sim.solar.glazing_iam`).

References:

* the panes of ANSI/ASHRAE 140: the 2020 edition's (3.048 mm, index of refraction 1.493, extinction
  coefficient 0.0337 /mm, normal-incidence transmittance 0.834 per pane and 0.703 for the double glazing of
  case 600, with the standard's tables of angular properties, as summarised in
  VICUS-Software/vicus-validation ``docs/bestest_cases/Case600.md`` and ``Case670.md``) and the earlier
  editions' (3.175 mm, n 1.526, 0.0196 /mm: 0.86156 per pane, 0.747 for two, and 0.730, 0.680, 0.517, 0.263
  at 40, 55, 70, 80 deg as in ESP-r's BESTEST optics database ``DG_Bestest``);
* Duffie and Beckman 2013, Example 5.1.1: two covers of non-absorbing glass (n 1.526) at 60 deg, the
  refraction angle 34.6 deg and the face reflectances 0.185 (perpendicular) and 0.0015 (parallel) give
  tau_r = 0.76;
* an independent formulation of one pane: per polarization the exact sum of the inter-reflections,
  ``tau = (1 - r)^2 a / (1 - r^2 a^2)`` with ``a`` the single-pass absorption (Duffie and Beckman 2013,
  eq. 5.3.4 ff.), against which the product form ``tau_a tau_r`` the model uses is an approximation (Duffie
  and Beckman: "good" for the KL of window glass): within 1 % up to 70 deg and 2-3.3 % at 79 deg.

The product form overstates the double glazing's transmittance at oblique incidence against the 2020
standard's table (computed by LBNL WINDOW from the glass's spectral data): by 0.019 at 60 deg and 0.03 at
70-80 deg (measured when written), where the transmitted sun is small; the single pane agrees within 0.002 up
to 70 deg.
"""

import math

import numpy as np
import pytest

from sim.solar import (
    CHAIN_GLASS,
    GLASS_ASHRAE140_2020,
    GLASS_BESTEST_1995,
    Glass,
    glazing_iam,
    glazing_transmittance,
)

#: ASHRAE 140-2020 angular properties: transmittance of the single pane (case 670) and of the double glazing
#: (case 600) at 0, 10, ..., 80 deg, and hemispherical.
_ANGLES = np.arange(0.0, 81.0, 10.0)
_SPEC_SINGLE = np.array([0.834, 0.833, 0.831, 0.827, 0.818, 0.797, 0.749, 0.637, 0.389])
_SPEC_DOUBLE = np.array([0.703, 0.702, 0.699, 0.692, 0.678, 0.646, 0.577, 0.438, 0.208])
_SPEC_HEMI = {1: 0.753, 2: 0.601}


def _exact_single_pane(aoi_deg: np.ndarray, glass: Glass) -> np.ndarray:
    t1 = np.radians(np.maximum(aoi_deg, 1e-6))
    t2 = np.arcsin(np.sin(t1) / glass.n)
    a = np.exp(-glass.k_per_m * glass.thickness_m / np.cos(t2))
    out = 0.0
    for r in (np.sin(t2 - t1) ** 2 / np.sin(t2 + t1) ** 2, np.tan(t2 - t1) ** 2 / np.tan(t2 + t1) ** 2):
        out = out + 0.5 * (1 - r) ** 2 * a / (1 - (r * a) ** 2)
    return out


def _hemispherical(panes: int, glass: Glass) -> float:
    th = np.radians(np.linspace(0.0, 90.0, 20001))
    return float(np.trapezoid(2.0 * glazing_transmittance(np.degrees(th), panes, glass) * np.cos(th) * np.sin(th), th))


def test_normal_incidence_is_the_specified_pane():
    # the 2020 pane (0.834 per pane; 0.703 for two, which WINDOW's spectral calculation gives slightly above
    # the broadband product 0.834^2 / (1 - 0.075^2) = 0.6995)
    assert float(glazing_transmittance(0.0, 1, GLASS_ASHRAE140_2020)) == pytest.approx(0.834, abs=1e-3)
    assert float(glazing_transmittance(0.0, 2, GLASS_ASHRAE140_2020)) == pytest.approx(0.703, abs=4e-3)
    # the earlier editions' pane
    assert float(glazing_transmittance(0.0, 1, GLASS_BESTEST_1995)) == pytest.approx(0.86156, abs=2e-4)
    assert float(glazing_transmittance(0.0, 2, GLASS_BESTEST_1995)) == pytest.approx(0.747, abs=2e-3)


def test_two_panes_at_normal_incidence_in_closed_form():
    # at 0 deg both polarizations have r = ((n - 1) / (n + 1))^2: tau = (1 - r) / (1 + 3 r) exp(-2 K L)
    g = GLASS_ASHRAE140_2020
    r = ((g.n - 1.0) / (g.n + 1.0)) ** 2
    closed = (1.0 - r) / (1.0 + 3.0 * r) * math.exp(-2.0 * g.k_per_m * g.thickness_m)
    assert float(glazing_transmittance(0.0, 2, g)) == pytest.approx(closed, rel=1e-9)


def test_two_non_absorbing_covers_at_60_degrees_duffie_beckman_example():
    clear = Glass(n=1.526, k_per_m=0.0, thickness_m=0.003)
    t1 = math.radians(60.0)
    t2 = math.asin(math.sin(t1) / 1.526)
    assert math.degrees(t2) == pytest.approx(34.6, abs=0.05)
    r_perp = math.sin(t2 - t1) ** 2 / math.sin(t2 + t1) ** 2
    r_par = math.tan(t2 - t1) ** 2 / math.tan(t2 + t1) ** 2
    assert r_perp == pytest.approx(0.185, abs=1e-3) and r_par == pytest.approx(0.0015, abs=1e-4)
    tau_r = 0.5 * ((1 - r_par) / (1 + 3 * r_par) + (1 - r_perp) / (1 + 3 * r_perp))
    assert float(glazing_transmittance(60.0, 2, clear)) == pytest.approx(tau_r, rel=1e-9)
    assert float(glazing_transmittance(60.0, 2, clear)) == pytest.approx(0.76, abs=5e-3)  # the book's figure


def test_single_pane_follows_the_2020_table():
    got = glazing_transmittance(_ANGLES, 1, GLASS_ASHRAE140_2020)
    np.testing.assert_allclose(got[:8], _SPEC_SINGLE[:8], atol=4e-3)  # 0-70 deg
    assert got[8] == pytest.approx(_SPEC_SINGLE[8], abs=0.015)  # 80 deg
    assert _hemispherical(1, GLASS_ASHRAE140_2020) == pytest.approx(_SPEC_HEMI[1], abs=0.008)


def test_double_glazing_follows_the_2020_table():
    got = glazing_transmittance(_ANGLES, 2, GLASS_ASHRAE140_2020)
    np.testing.assert_allclose(got[:6], _SPEC_DOUBLE[:6], atol=7e-3)  # 0-50 deg
    # the product form's known overstatement at oblique incidence (module docstring), bounded
    assert np.all(got[6:] >= _SPEC_DOUBLE[6:]) and np.all(got[6:] - _SPEC_DOUBLE[6:] < 0.035)
    assert _hemispherical(2, GLASS_ASHRAE140_2020) == pytest.approx(_SPEC_HEMI[2], abs=0.015)


def test_earlier_pane_follows_its_table():
    got = glazing_transmittance(np.array([40.0, 55.0, 70.0, 80.0]), 2, GLASS_BESTEST_1995)
    np.testing.assert_allclose(got, [0.730, 0.680, 0.517, 0.263], atol=7e-3)  # 0.006 at 55 deg


@pytest.mark.parametrize("glass", [GLASS_ASHRAE140_2020, GLASS_BESTEST_1995])
def test_single_pane_against_the_exact_inter_reflection_sum(glass):
    aoi = np.array([0.0, 20.0, 40.0, 60.0, 70.0])
    np.testing.assert_allclose(glazing_transmittance(aoi, 1, glass), _exact_single_pane(aoi, glass), rtol=0.01)
    # at 79 deg the product form is 2.2 % (1995 pane) and 3.3 % (2020 pane, more absorbing) above (measured)
    np.testing.assert_allclose(glazing_transmittance(79.0, 1, glass), _exact_single_pane(np.array(79.0), glass),
                               rtol=0.04)  # fmt: skip


def test_the_2020_pane_transmits_less_than_the_earlier_one():
    # more absorbing (K L 0.103 against 0.062) and so below at every angle, relative to normal incidence too
    aoi = np.array([0.0, 30.0, 60.0, 75.0])
    assert np.all(glazing_transmittance(aoi, 2, GLASS_ASHRAE140_2020) < glazing_transmittance(aoi, 2, GLASS_BESTEST_1995))
    assert np.all(glazing_iam(aoi[1:], 2, GLASS_ASHRAE140_2020) < glazing_iam(aoi[1:], 2, GLASS_BESTEST_1995))


def test_default_glass_is_the_chains():
    aoi = np.array([0.0, 45.0, 70.0])
    np.testing.assert_array_equal(glazing_transmittance(aoi, 2), glazing_transmittance(aoi, 2, CHAIN_GLASS))
    np.testing.assert_array_equal(glazing_iam(aoi, 2), glazing_iam(aoi, 2, CHAIN_GLASS))


def test_glass_rejects_unphysical_values():
    for bad in ((1.0, 20.0, 0.003), (1.5, -1.0, 0.003), (1.5, 20.0, 0.0)):
        with pytest.raises(ValueError):
            Glass(*bad)


def test_modifier_falls_with_angle_and_panes():
    aoi = np.linspace(0.0, 89.0, 90)
    for glass in (GLASS_ASHRAE140_2020, GLASS_BESTEST_1995):
        for panes in (1, 2, 3):
            m = glazing_iam(aoi, panes, glass)
            assert m[0] == pytest.approx(1.0) and np.all(np.diff(m) <= 1e-12) and m[-1] < 0.1
        assert np.all(glazing_iam(aoi[1:], 2, glass) < glazing_iam(aoi[1:], 1, glass))  # each pane adds two faces
    # behind the surface or grazing: nothing; NaN (sun below the plane) counts as that
    assert glazing_transmittance(np.array([90.0, 120.0, np.nan]), 2).tolist() == [0.0, 0.0, 0.0]
