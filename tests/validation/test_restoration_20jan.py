"""Validation: the 20 January 2026 wave on Kyiv and the restoration of heat that followed.

Reference: ``reference/calibration.md`` A3 (20 Jan: 339 drones, 34 missiles; 5,635 of ~12,000 apartment
blocks lost heat, 46 %) and B3 (blocks without heat: 5,635 on day 0 -> 4,000 end of day 0 -> 3,260 day 1
-> ~3,000 day 2 morning -> 2,600 day 2 evening -> 1,940 day 3 morning -> 1,200 day 3 evening).

Setup: ``attacks=single_wave`` (the 20 Jan wave at 06:00 of day 1, the config default), Kyiv, January
weather held at -12 degC (within the -10..-15 degC of those days), 100 realizations; the model's median
over realizations is compared with the reported counts. Reading of the report's times (hours after the
wave): end of day 0 = +18 h (midnight), day 1 = +30 h (noon), morning = 08:00, evening = 20:00.

Tolerance: the peak within +-20 %, each later point within +-35 % (the reported figures are rounded
city statements; the model's spread between realizations is wide, p10-p90 of the peak 1,660-8,420
blocks: the damage of one wave is a lottery over which CHP is hit). The fit at the time of writing
(docs/grid_model.md): peak 5,534 (-2 %); +18 h 4,394 (+10 %), +30 h 3,859 (+18 %), +50 h 3,040 (+1 %),
+62 h 2,368 (-9 %), +74 h 1,588 (-18 %), +86 h 1,126 (-6 %). Over four other seeds the largest
deviation is 32 % (day 1, too slow: the first day's restoration is limited by the repair of sources).
"""

from __future__ import annotations

import itertools

import numpy as np

from sim.des.testing import run_city

B3 = [(18, 4000), (30, 3260), (50, 3000), (62, 2600), (74, 1940), (86, 1200)]  # (hours after wave, blocks)
PEAK = 5635  # calibration A3, B3


def _blocks_without_heat():
    city, net, camp, tl = run_city("kyiv", "single_wave", n_realizations=100, days=5, seed=20260120,
                                   outdoor_c=-12.0)
    nb = city.groups["n_buildings"].to_numpy() * (net.group_heat_source >= 0)
    t_wave = int(camp.waves["time_h"].iloc[0])
    return ((~tl.group_heat) * nb).sum(-1), t_wave, int(nb.sum())


def test_20jan_peak_and_restoration_curve():
    no_heat, t0, total = _blocks_without_heat()
    assert total == 12000  # calibration D2
    assert (no_heat[:, :t0] == 0).all()
    peak = float(np.median(no_heat[:, t0 + 1 : t0 + 7].max(axis=1)))
    assert abs(peak / PEAK - 1) < 0.20, peak  # A3: 46 % of blocks
    model = {dt: float(np.median(no_heat[:, t0 + dt])) for dt, _ in B3}
    for dt, ref in B3:
        assert abs(model[dt] / ref - 1) < 0.35, (dt, model[dt], ref)
    # the curve falls monotonically, as reported
    vals = [peak] + [model[dt] for dt, _ in B3]
    assert all(a >= b for a, b in itertools.pairwise(vals))
