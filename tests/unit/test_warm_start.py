"""The reported-state warm start counts heat lost through power once (sim.warm_start, issue 18).

Reference: a hand-built network of two districts. District A has two boiler clusters of 400 buildings
(four houses of 100 each, no backup pumps), BH-A-1 pumped from substation SS-A-1 alone, BH-A-2 from
SS-A-2; district B is a CHP's zone (500 buildings, its own house load). A report of half of A without
power and no queue off puts ``round(0.5 x 2) = 1`` substation of A down, SS-A-1 (the network's order),
which stops BH-A-1's pumps: its 400 buildings are without heat in the DES (cause ``no_pumping_power``,
``sim.des.state``) with no boiler house out. The expected values follow from that by hand; the fit's
shrinkage by the normal equation of the one free share (``x = a / (a + BOILER_RIDGE)``, ``a = (400 /
sd)^2``, ``sd`` the report's negative-binomial standard deviation).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.config.nowcast import NowcastConfig
from sim.warm_start import BOILER_RIDGE, ZoneTable, explain_heat, pumping_loss, reported_warm_start
from tests.unit.test_nowcast import TIMES, reports

RESTART = np.datetime64("2026-01-29T06:00")


def _zones() -> ZoneTable:
    sources = pd.DataFrame({"node": [0, 1, 2], "name": ["C1", "BH-A-1", "BH-A-2"],
                            "kind": ["chp", "boiler", "boiler"], "district": ["B", "A", "A"]})
    buildings = np.array([[0.0, 400.0, 400.0],   # A
                          [500.0, 0.0, 0.0]])    # B
    houses = pd.DataFrame({"unit": range(8), "source": [1] * 4 + [2] * 4,
                           "name": [f"BH-A-{1 + u // 4}/house-{1 + u % 4}" for u in range(8)],
                           "buildings": [100.0] * 8, "backup": [False] * 8})
    substations = pd.DataFrame({"node": [10, 11, 12], "name": ["SS-A-1", "SS-A-2", "SS-B-1"],
                                "district": ["A", "A", "B"]})
    pump_subs = np.array([[12, -1], [10, -1], [11, -1]])
    pump_buildings = np.array([[0.0, 400.0, 400.0], [0.0, 0.0, 0.0]])  # the CHP powers its own pumps
    return ZoneTable(["A", "B"], sources, buildings, houses, substations, pump_subs, pump_buildings)


def _warm(tmp_path, heat_a: int):
    obs = reports(tmp_path, f"2026-01-29T06:00,A,{heat_a},0.5,\n2026-01-29T06:00,B,0,,\n2026-01-29T06:00,city,,,0\n")
    return reported_warm_start(_zones(), obs, RESTART, TIMES[0], NowcastConfig(), n_queues=6)


def test_the_substations_pumps_are_the_loss():
    assert pumping_loss(_zones(), {10}).tolist() == [[0.0, 400.0, 0.0], [0.0, 0.0, 0.0]]
    assert pumping_loss(_zones(), {12}).tolist() == [[0.0] * 3, [0.0] * 3]  # the CHP's house load


def test_a_substation_outage_that_explains_the_heat_report_puts_no_boiler_house_out(tmp_path):
    """400 buildings without heat in A, all of them BH-A-1's stopped pumps: the old fit spread them over
    both clusters (about 180 each) and put a house of each out on top of SS-A-1."""
    warm = _warm(tmp_path, 400)
    assert [h["node"] for h in warm.hits] == ["SS-A-1"]
    assert warm.units == [-1]
    assert warm.summary == "1 substation down"
    assert warm.heat_share == {}


def test_a_substation_outage_that_explains_half_leaves_the_other_half_to_the_sources(tmp_path):
    """800 in A: 400 are BH-A-1's pumps, the other 400 can only be BH-A-2's (BH-A-1 is dark already), at
    the share the ridge leaves: 0.667 of 400, three houses of 100 by the rounding of ``houses_out``."""
    m = 800.0 + 5.0  # report + offset
    a = (400.0 / math.sqrt(m + m * m / 25.0)) ** 2
    x2 = a / (a + BOILER_RIDGE)
    assert x2 == pytest.approx(0.667, abs=1e-3)
    warm = _warm(tmp_path, 800)
    assert warm.heat_share == pytest.approx({"BH-A-2": x2}, abs=1e-6)
    assert [h["node"] for h in warm.hits] == ["BH-A-2"] * 3 + ["SS-A-1"]
    assert warm.units == [4, 5, 6, -1]
    assert warm.summary == "3 boiler houses out, 1 substation down"


def test_without_power_reports_the_fit_is_as_before():
    """No substation down: ``explained`` of zeros gives the fit of the reports alone."""
    rows = pd.DataFrame({"district_index": [0, 1], "value": [400.0, 0.0]})
    z = _zones()
    np.testing.assert_allclose(explain_heat(z, rows, 25.0, 5.0, explained=np.zeros((2, 3))),
                               explain_heat(z, rows, 25.0, 5.0), atol=1e-9)
