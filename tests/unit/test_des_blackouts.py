"""Unit tests of rolling blackouts: deficit -> queues (calibration C1), rotation, emergency outages (C3)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.des.blackouts import queues_off, rotation
from sim.des.testing import hit_campaign, load_city, run_city


def _run(city_name="small_town", policy="continued", n=4, days=7, seed=3, outdoor=-12.0):
    return run_city(city_name, policy, n, days, seed, outdoor)


@pytest.mark.parametrize("k", range(7))
def test_rotation_gives_each_queue_4k_hours_a_day(k):
    """Calibration C1: 1 queue ~ 4 h/day, 2 ~ 8 h, 3 ~ 12 h, 4 ~ 16 h (six 4-hour blocks a day)."""
    hours_off = np.zeros(6)
    for b in range(6):
        off = rotation(b, k, 6)
        assert len(off) == k
        hours_off[list(off)] += 4.0
    assert (hours_off == 4.0 * k).all()


def test_queues_off_share_matches_deficit():
    assert queues_off(-10.0, 1500.0, 6) == 0
    assert queues_off(250.0, 1500.0, 6) == 1
    assert queues_off(760.0, 1500.0, 6) == 4
    assert queues_off(5000.0, 1500.0, 6) == 6


def test_attacks_none_only_deficit_blackouts():
    """Validation (2): no attacks -> no hits, no emergencies, and queues only from the deficit (C1, C4)."""
    _city, net, _camp, tl = _run("kyiv", policy="none", n=3, outdoor=-15.0)
    assert tl.hits.sum() == 0 and tl.waves.sum() == 0
    kinds = set(tl.events["kind"])
    assert not kinds & {"hit", "emergency", "repair_start", "drain", "freeze"}
    # Kyiv at -15 degC: demand 1,410 MW (C4 peak 1.5 GW at -20) vs 400 MW import + 0.7 x 1,300 MW CHP
    assert (tl.queues_off == 1).all()
    # the share of ordinary feeders off equals k/6 at every step
    ordinary = net.feeder_queue >= 0
    off_share = 1 - tl.feeder_power[:, :, ordinary].mean(axis=-1)
    assert np.allclose(off_share, 1 / 6, atol=0.02)
    assert tl.group_heat[..., net.group_heat_source >= 0].all()
    # in mild weather there is no deficit at all
    *_, mild = _run("kyiv", policy="none", n=1, outdoor=0.0)
    assert (mild.queues_off == 0).all() and mild.feeder_power.all()


def test_major_strike_starts_emergency_outages():
    _, _, camp, tl = _run("kyiv", policy="single_wave", n=6, days=4)
    ev = tl.events
    major = camp.waves[camp.waves["n_hits"] >= 3]
    assert len(major) > 0
    em = ev[ev["kind"] == "emergency"]
    assert set(em["realization"]) == set(major["realization"])
    for r in major["realization"]:
        i = int(1.25 * 24) + 1
        assert tl.queues_off[r, i] >= 2  # calibration C3: schedules replaced by emergency outages


def test_damaged_substation_cuts_its_feeders():
    _, net = load_city("small_town")
    sub = int(net.substations[0])
    camp = hit_campaign(net, [(5.0, sub, 10.0)])
    *_, tl = run_city("small_town", n_realizations=1, days=2, outdoor_c=5.0, campaign=camp)
    on_sub = net.feeder_substation == sub
    assert tl.feeder_power[0, 4, on_sub].all()
    assert not tl.feeder_power[0, 5:15, on_sub].any()  # hit at 5 h, 10 h of work, no alerts
    assert tl.feeder_power[0, 15:, on_sub].all()
    assert tl.feeder_power[0, :, ~on_sub].all()
