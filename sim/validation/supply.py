"""Supply checks: the 20 January 2026 restoration curve (B3, a calibration) and freezing (E7)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.validation._common import TOLERANCES, compose_config

# ---------------------------------------------------------------------------------------------------------
# The 20 January 2026 restoration curve (calibration A3, B3)
# ---------------------------------------------------------------------------------------------------------

#: Calibration B3: (hours after the wave, apartment blocks without heat). End of day 0 = +18 h (midnight),
#: day 1 = +30 h (noon), morning = 08:00, evening = 20:00 (the wave struck at 06:00).
B3_POINTS: tuple[tuple[int, int], ...] = ((18, 4000), (30, 3260), (50, 3000), (62, 2600), (74, 1940), (86, 1200))
#: Calibration A3/B3: blocks that lost heat on 20 Jan (46 % of ~12,000).
B3_PEAK = 5635
#: The peak is the largest count within this many hours after the wave.
PEAK_WINDOW_H = 6


def restoration_20jan(n_realizations: int = 100, seed: int = 20260120, days: float = 5.0,
                      outdoor_c: float = -12.0) -> pd.DataFrame:
    """District-heated apartment blocks without heat after the 20 January wave on Kyiv.

    Kyiv, ``attacks=single_wave`` (339 drones, 34 missiles at 06:00 of day 1, the config default), outdoor
    temperature held at ``outdoor_c``, the DES only (configs composed as the CLI does). Returns the curve,
    one row per hour, indexed by ``hours_after_wave``, with columns ``median``, ``p10``, ``p90`` and
    ``mean`` over realizations [blocks]. ``attrs``: ``blocks`` (realization x hour array), ``wave_hour``,
    ``total_blocks`` (on district heating), ``no_heat_before_wave`` (bool), ``peak`` (per realization: the
    largest count within 6 h after the wave), ``peak_median``, ``peak_p10``, ``peak_p90``, settings.
    """
    from sim.city import build_city
    from sim.des import simulate_supply
    from sim.des.network import build_network
    from sim.threat import make_campaign
    from sim.timegrid import TimeGrid

    cfg = compose_config(["city=kyiv", "attacks=single_wave"])
    city = build_city(cfg.city)
    net = build_network(city, cfg.city.grid)
    grid = TimeGrid.from_config("2026-01-29T00:00", days, 60)
    camp = make_campaign(cfg.attacks, net, grid, n_realizations, seed)
    out = np.full((n_realizations, grid.n_steps), float(outdoor_c))
    tl = simulate_supply(city, net, camp, out, cfg.repair, cfg.buildings, grid, seed)
    nb = city.groups["n_buildings"].to_numpy() * (net.group_heat_source >= 0)
    no_heat = ((~tl.group_heat) * nb).sum(-1)  # (R, T)
    t0 = int(camp.waves["time_h"].iloc[0])
    peak = no_heat[:, t0 + 1 : t0 + 1 + PEAK_WINDOW_H].max(axis=1)
    hours = np.arange(no_heat.shape[1]) - t0
    df = pd.DataFrame(
        {"median": np.median(no_heat, axis=0), "p10": np.percentile(no_heat, 10, axis=0),
         "p90": np.percentile(no_heat, 90, axis=0), "mean": no_heat.mean(axis=0)},
        index=pd.Index(hours, name="hours_after_wave"),
    )  # fmt: skip
    df.attrs.update(
        blocks=no_heat, wave_hour=t0, total_blocks=int(nb.sum()), no_heat_before_wave=bool((no_heat[:, :t0] == 0).all()),
        peak=peak, peak_median=float(np.median(peak)), peak_p10=float(np.percentile(peak, 10)),
        peak_p90=float(np.percentile(peak, 90)), n_realizations=n_realizations, seed=seed, outdoor_c=outdoor_c,
    )  # fmt: skip
    return df


def restoration_points(curve: pd.DataFrame) -> pd.DataFrame:
    """The model against calibration B3 at the peak and each reported point.

    Rows: ``peak`` and ``+18 h`` ... ``+86 h``; columns ``hours_after_wave``, ``reported``, ``model_median``,
    ``model_p10``, ``model_p90``, ``deviation`` (model median / reported - 1), ``tolerance`` (the test's)
    and ``within`` (bool).
    """
    rows = [{"point": "peak (first 6 h)", "hours_after_wave": 0, "reported": B3_PEAK,
             "model_median": curve.attrs["peak_median"], "model_p10": curve.attrs["peak_p10"],
             "model_p90": curve.attrs["peak_p90"], "tolerance": TOLERANCES["restoration_peak_rel"]}]  # fmt: skip
    for dt, ref in B3_POINTS:
        r = curve.loc[dt]
        rows.append({"point": f"+{dt} h", "hours_after_wave": dt, "reported": ref, "model_median": float(r["median"]),
                     "model_p10": float(r["p10"]), "model_p90": float(r["p90"]),
                     "tolerance": TOLERANCES["restoration_point_rel"]})  # fmt: skip
    df = pd.DataFrame(rows).set_index("point")
    df["deviation"] = df["model_median"] / df["reported"] - 1.0
    df["within"] = df["deviation"].abs() < df["tolerance"]
    return df


# ---------------------------------------------------------------------------------------------------------
# Freezing (calibration E7, B2)
# ---------------------------------------------------------------------------------------------------------


def _freezing_case(undrained_prob: float, outdoor_c: float, days: float) -> dict[str, Any]:
    from sim.des.testing import hit_campaign, load_city, run_city

    _, net = load_city("small_town")
    camp = hit_campaign(net, [(2.0, int(net.heat_sources[0]), 24.0)])  # the boiler house is down for a day
    _city, net, _, tl = run_city("small_town", n_realizations=1, days=days, outdoor_c=outdoor_c, campaign=camp,
                                repair={"undrained_prob": undrained_prob})  # fmt: skip
    zone = net.group_heat_source == 0
    state = tl.group_state[0][:, zone]  # (T, groups of the zone)
    heat = tl.group_heat[0][:, zone].all(axis=1)
    back = np.flatnonzero(heat & (np.arange(len(heat)) > 3))
    return {
        "state": state,
        "share_with_heat": tl.group_heat[0][:, zone].mean(axis=1),
        "restored_h": float(back[0]) if len(back) else math.inf,
        "events": sorted(set(tl.events["kind"])),
    }


def freezing_check(outdoor_c: float = -22.0, days: float = 40.0) -> dict[str, Any]:
    """The small town's boiler house is down for 24 h from hour 2 at ``outdoor_c``; its zone either is not
    drained (``undrained``: every system freezes) or is drained (``drained``).

    Each case holds ``state`` (hour x group of the zone: 0 heat, 1 no circulation, 2 drained, 3 frozen),
    ``share_with_heat`` per hour, ``restored_h`` (first hour after 3 at which every group of the zone has
    heat) and the event kinds of the DES log. Also ``outage_start_h`` (2) and ``outage_h`` (24).
    """
    return {
        "outdoor_c": outdoor_c, "outage_start_h": 2.0, "outage_h": 24.0,
        "undrained": _freezing_case(1.0, outdoor_c, days),
        "drained": _freezing_case(0.0, outdoor_c, days),
    }  # fmt: skip




def figures(quick: bool = False) -> dict[str, float]:
    """Scalar results under stable keys: ``b3_20jan.*`` (a calibration: the restart rate and the share aimed
    at energy were fitted to this curve) and ``freezing.*`` (E7)."""
    curve = restoration_20jan(n_realizations=30 if quick else 100)
    pts = restoration_points(curve)
    out: dict[str, float] = {"b3_20jan.peak_model": float(pts["model_median"].iloc[0]),
                             "b3_20jan.peak_reported": float(pts["reported"].iloc[0])}
    for point, row in pts.iloc[1:].iterrows():
        key = str(point).replace("+", "plus_").replace(" ", "")
        out[f"b3_20jan.{key}.model"] = float(row["model_median"])
        out[f"b3_20jan.{key}.reported"] = float(row["reported"])
    out["b3_20jan.rms_deviation"] = float(np.sqrt(np.mean(pts["deviation"].to_numpy() ** 2)))
    f = freezing_check()
    out["freezing.undrained_restored_h"] = float(f["undrained"]["restored_h"])
    out["freezing.drained_restored_h"] = float(f["drained"]["restored_h"])
    return out
