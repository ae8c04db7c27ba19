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
from sim.warm_start import BOILER_RIDGE, ZoneTable, explain_heat, heat_misfit, pumping_loss, reported_warm_start
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


# --- which substations: the set that fits the power report and, through the pumps it stops, the heat reports ---
# District A now has a third substation, SS-A-3, on which no heat source's pumps hang. A third of A without
# power and no queue off puts round(1/3 x 3) = 1 substation down; the network's order would take SS-A-1 and
# leave BH-A-1's 400 buildings without heat whatever the heat report says.


def _zones3() -> ZoneTable:
    z = _zones()
    substations = pd.DataFrame({"node": [10, 11, 13, 12], "name": ["SS-A-1", "SS-A-2", "SS-A-3", "SS-B-1"],
                                "district": ["A", "A", "A", "B"]})
    return ZoneTable(z.districts, z.sources, z.buildings, z.houses, substations, z.pump_substations, z.pump_buildings)


def _warm3(tmp_path, heat_a: str, share_a: str):
    obs = reports(tmp_path, f"2026-01-29T06:00,A,{heat_a},{share_a},\n2026-01-29T06:00,city,,,0\n")
    return reported_warm_start(_zones3(), obs, RESTART, TIMES[0], NowcastConfig(), n_queues=6)


def test_few_buildings_without_heat_put_down_the_substation_no_pumps_hang_on(tmp_path):
    """10 reported in A: SS-A-3 explains the power report as well as SS-A-1 does, and leaves no pumps
    stopped (SS-A-1 would leave 400 without heat, 390 more than reported, about 80 report SDs)."""
    warm = _warm3(tmp_path, "10", "0.3333")
    assert [h["node"] for h in warm.hits] == ["SS-A-3"]
    assert warm.summary == "1 substation down"


def test_a_heat_report_that_the_pumps_explain_keeps_the_network_order(tmp_path):
    """400 reported in A: SS-A-1 and SS-A-2 each explain it exactly (BH-A-1's or BH-A-2's pumps); the
    first in the network's order is taken, and no boiler house is out (SS-A-3 would need four)."""
    warm = _warm3(tmp_path, "400", "0.3333")
    assert [h["node"] for h in warm.hits] == ["SS-A-1"]
    assert warm.heat_share == {}


def test_without_a_heat_report_the_substations_are_the_network_order(tmp_path):
    warm = _warm3(tmp_path, "", "0.3333")
    assert [h["node"] for h in warm.hits] == ["SS-A-1"]


def test_a_heat_report_can_overrule_part_of_the_power_report(tmp_path):
    """All of A reported without power but only 10 buildings without heat: three substations down would
    stop both clusters' pumps (800 buildings, a misfit of about 26,000 in squared report SDs); one
    substation down costs the beta likelihood of a share 1.0 reported at 1/3 (-2 log L about 160), so
    only SS-A-3 is put down and the rest of the power report is left to the queues and the grid above."""
    warm = _warm3(tmp_path, "10", "1.0")
    assert [h["node"] for h in warm.hits] == ["SS-A-3"]


def test_heat_misfit_counts_what_the_pumps_leave_beyond_the_report():
    z = _zones()
    rows = pd.DataFrame({"district_index": [0], "value": [10.0]})
    m = 15.0
    assert heat_misfit(z, rows, 25.0, 5.0, {10}) == pytest.approx((390.0 / math.sqrt(m + m * m / 25.0)) ** 2, rel=1e-6)
    assert heat_misfit(z, rows.iloc[:0], 25.0, 5.0, {10}) == 0.0
