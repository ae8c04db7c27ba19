"""Supply checks: the DES against what Kyiv's heat and power did in winter 2025-26, and freezing.

Which reference was used to fit which parameter is listed in ``docs/grid_model.md`` ("Calibration and
validation"); each function says whether its check is a *calibration* (the reference was fitted) or a
*validation* (it was not).

* :func:`restoration_20jan` - the 20 January 2026 wave and the restoration curve B3 (calibration: the CHP
  target weight and the refill rate were fitted to it).
* :func:`freezing_check` - an undrained system at -27 degC for a day freezes and takes weeks; a drained
  one does not (E7; the frost tolerances are assumptions and Alchevsk 2006, see :func:`alchevsk_check`).
* :func:`winter_record` - ``continued`` over 21 days: the return between waves (validation against A3/B3's
  "back to ~1,200 within 3-4 days of each wave", not fitted: the share of waves followed by 96 quiet hours
  whose count falls to 1,500 or fewer 48-96 h after them), hours without power per day (C1/C2: the allotment was set
  so that the mean falls in that range, a calibration of the mean) and whole-city blackouts (validation).
* :func:`weekly_power` - eight weeks of ``continued``: the share without power settles (validation).
* :func:`darnytsia_b4` - Darnytsia CHP destroyed: its zone stays out, a pause does not bring it back (B4).
* :func:`hindcast_2026` - the hindcast of 8 Jan - 16 Feb 2026 (40 days) against the reports of 24 January, 3 and
  7 February, B1 and B7 (validation: none of these was fitted).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.validation._common import CONFIGS, TOLERANCES, compose_config

ROOT = CONFIGS.parent
HINDCAST_WEATHER = ROOT / "examples" / "hindcast_2026" / "weather.csv"

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


def _supply_run(overrides: list[str], days: float, n_realizations: int, seed: int,
                outdoor_c: float | None = None, start: str | None = None) -> dict[str, Any]:
    """The DES for Kyiv with the project's configs (composed as the CLI does) and the chain's weather."""
    from sim.city import build_city
    from sim.des import simulate_supply
    from sim.network import build_network
    from sim.threat import make_campaign
    from sim.timegrid import TimeGrid
    from sim.weather import make_forecast

    cfg = compose_config(["city=kyiv", *overrides])
    city = build_city(cfg.city)
    net = build_network(city, cfg.city.grid)
    grid = TimeGrid.from_config(start or str(cfg.start), days, 60)
    camp = make_campaign(cfg.attacks, net, grid, n_realizations, seed)
    if outdoor_c is None:
        out = make_forecast(cfg.weather, grid, n_realizations, seed).outdoor_c
    else:
        out = np.full((n_realizations, grid.n_steps), float(outdoor_c))
    tl = simulate_supply(city, net, camp, out, cfg.repair, cfg.buildings, grid, seed)
    on_dh = city.groups["n_buildings"].to_numpy() * (net.group_heat_source >= 0)
    blocks = ((tl.group_cause > 0) * on_dh).sum(-1)  # (R, T) district-heated blocks without heat
    occ = city.groups["occupants"].to_numpy(float)
    powered = tl.feeder_power[:, :, net.group_feeder]
    share_off = ((~powered) * occ).sum(-1) / occ.sum()  # (R, T) residents without power
    return {"cfg": cfg, "city": city, "net": net, "grid": grid, "campaign": camp, "timeline": tl,
            "blocks": blocks, "share_off": share_off, "outdoor_c": out}


def restoration_20jan(n_realizations: int = 100, seed: int = 20260120, days: float = 5.0,
                      outdoor_c: float = -12.0) -> pd.DataFrame:
    """District-heated apartment blocks without heat after the 20 January wave on Kyiv (a calibration).

    Kyiv, ``attacks=single_wave`` (339 drones, 34 missiles at 06:00 of day 1, the config default), outdoor
    temperature held at ``outdoor_c``, the DES only (configs composed as the CLI does). Returns the curve,
    one row per hour, indexed by ``hours_after_wave``, with columns ``median``, ``p10``, ``p90`` and
    ``mean`` over realizations [blocks]. ``attrs``: ``blocks`` (realization x hour array), ``wave_hour``,
    ``total_blocks`` (on district heating), ``no_heat_before_wave`` (bool), ``peak`` (per realization: the
    largest count within 6 h after the wave), ``peak_median``, ``peak_p10``, ``peak_p90``, settings.
    """
    run = _supply_run(["attacks=single_wave"], days, n_realizations, seed, outdoor_c, "2026-01-29T00:00")
    no_heat, camp, city, net = run["blocks"], run["campaign"], run["city"], run["net"]
    nb = city.groups["n_buildings"].to_numpy() * (net.group_heat_source >= 0)
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
        r = curve.loc[dt, ["median", "p10", "p90"]].to_numpy(float)
        rows.append({"point": f"+{dt} h", "hours_after_wave": dt, "reported": ref, "model_median": float(r[0]),
                     "model_p10": float(r[1]), "model_p90": float(r[2]),
                     "tolerance": TOLERANCES["restoration_point_rel"]})  # fmt: skip
    df = pd.DataFrame(rows).set_index("point")
    df["deviation"] = df["model_median"] / df["reported"] - 1.0
    df["within"] = df["deviation"].abs() < df["tolerance"]
    return df


# ---------------------------------------------------------------------------------------------------------
# Freezing (E7; Alchevsk, 22 January 2006)
# ---------------------------------------------------------------------------------------------------------


def _freezing_case(repair: dict, outdoor_c: float, outage_h: float, days: float) -> dict[str, Any]:
    from sim.des.testing import hit_campaign, load_city, run_city

    _, net = load_city("small_town")
    camp = hit_campaign(net, [(2.0, int(net.heat_sources[0]), outage_h)])  # the boiler house is down
    _city, net, _, tl = run_city("small_town", n_realizations=1, days=days, outdoor_c=outdoor_c, campaign=camp,
                                 repair={"mobile_boilers": 0, **repair}, attacks={"alerts_per_day": 0.0})
    zone = net.group_heat_source == 0
    heat = tl.group_heat[0][:, zone].all(axis=1)
    back = np.flatnonzero(heat & (np.arange(len(heat)) > 3))
    ev = tl.events
    freeze_t = ev.loc[ev["kind"] == "freeze", "time_h"]
    return {
        "state": tl.group_state[0][:, zone],
        "cause": tl.group_cause[0][:, zone],
        "share_with_heat": tl.group_heat[0][:, zone].mean(axis=1),
        "restored_h": float(back[0]) if len(back) else math.inf,
        "first_freeze_h": float(freeze_t.min()) if len(freeze_t) else math.inf,
        "events": sorted(set(ev["kind"])),
    }


def freezing_check(outdoor_c: float = -27.0, outage_h: float = 24.0, days: float = 40.0) -> dict[str, Any]:
    """The small town's boiler house is down for ``outage_h`` from hour 2 at ``outdoor_c``; its zone is
    either not drained (``undrained``: the operators never drain) or drained by the operators' rule
    (``drained``, the default: a day's outage at -27 degC is far more than half of what a stopped system
    stands).

    Each case holds ``state`` and ``cause`` (hour x group of the zone), ``share_with_heat`` per hour,
    ``restored_h`` (first hour after 3 at which every group of the zone has heat), ``first_freeze_h`` and
    the event kinds. Also ``outage_start_h`` (2), ``outage_h`` and ``outdoor_c``.
    """
    return {
        "outdoor_c": outdoor_c, "outage_start_h": 2.0, "outage_h": outage_h,
        "undrained": _freezing_case({"drain_threshold_c": -100.0}, outdoor_c, outage_h, days),
        "drained": _freezing_case({}, outdoor_c, outage_h, days),
    }  # fmt: skip


def alchevsk_check(outdoor_c: float = -28.0) -> dict[str, float]:
    """A network left filled with its pumps stopped at ``outdoor_c`` (Alchevsk, 22 January 2006: at about
    -28 degC the operators waited more than six hours to drain; the mains froze). The small town's boiler
    house loses its pumping power and nobody drains: returns the hour its mains freeze after the stop
    (``mains_freeze_after_h``) and the reference (``reference_h`` 6). A *calibration*: the mains'
    tolerance (180 K h) was set from this case."""
    from sim.des.testing import hit_campaign, load_city, run_city

    _, net = load_city("small_town")
    f = int(net.heat_source_feeder[0])
    sub = int(net.feeder_table["substation"].to_numpy()[f])
    camp = hit_campaign(net, [(2.0, sub, 48.0)])
    *_, tl = run_city("small_town", n_realizations=1, days=4, outdoor_c=outdoor_c, campaign=camp,
                      repair={"drain_threshold_c": -100.0, "mobile_boilers": 0}, attacks={"alerts_per_day": 0.0})
    ev = tl.events
    t = ev.loc[ev["kind"] == "mains_freeze", "time_h"]
    return {"mains_freeze_after_h": float(t.min() - 2.0) if len(t) else math.inf, "reference_h": 6.0,
            "outdoor_c": outdoor_c}


# ---------------------------------------------------------------------------------------------------------
# The winter record of `continued` (A3, B3, C1, C2) and eight weeks
# ---------------------------------------------------------------------------------------------------------


#: A wave counts for the between-wave check when no other wave follows within this many hours. [h]
QUIET_AFTER_WAVE_H = 96
#: ... and it has returned when the blocks without heat fall to at most this many at some hour in the window
#: 48-96 h after it ("back to ~1,200 within 3-4 days of each wave", A3/B3, with the "~1,500" of the issue).
RETURN_BLOCKS = 1500
RETURN_WINDOW_H = (48, 96)


def _between_waves(blocks: np.ndarray, campaign: Any, n_steps: int) -> pd.DataFrame:
    """Per wave followed by at least :data:`QUIET_AFTER_WAVE_H` hours without another (and within the run):
    its focus, the blocks without heat just before it, the peak within 12 h, the count at +84 h and the
    least count in the window :data:`RETURN_WINDOW_H` after it."""
    rows = []
    waves = campaign.waves
    lo, hi = RETURN_WINDOW_H
    for r in range(blocks.shape[0]):
        w = waves[waves["realization"] == r]
        t = w["time_h"].to_numpy()
        focus = w["focus"].to_numpy() if "focus" in w else np.full(len(t), "")
        for i, t0 in enumerate(t):
            nxt = t[i + 1] if i + 1 < len(t) else math.inf
            if nxt >= t0 + QUIET_AFTER_WAVE_H and t0 + hi <= n_steps:
                k = int(t0)
                rows.append({"realization": r, "time_h": t0, "focus": focus[i],
                             "before": int(blocks[r, max(k - 1, 0)]), "peak_12h": int(blocks[r, k : k + 12].max()),
                             "at_84h": int(blocks[r, k + 84]), "min_48_96h": int(blocks[r, k + lo : k + hi].min())})
    return pd.DataFrame(rows, columns=["realization", "time_h", "focus", "before", "peak_12h", "at_84h",
                                       "min_48_96h"])


def winter_record(n_realizations: int = 100, days: float = 21.0, seed: int = 20260129) -> dict[str, Any]:
    """Kyiv under ``continued`` strikes with the default cold snap (the CLI's defaults), DES only.

    Returns ``between`` (:func:`_between_waves` table), ``share_returned`` (waves whose least count within
    48-96 h is <= 1,500), ``share_returned_by_focus``, ``median_at_84h``, ``median_min_48_96h``,
    ``hours_without_power_per_day`` (mean share of residents without power x 24), ``whole_city_dark_frac``
    (share of hours with >= 95 % of residents without power), ``realizations_whole_city_dark`` (share of
    realizations with such an hour), ``mean_blocks_without_heat`` (all hours), ``mean_blocks_from_day7``
    (the mean from day 7 on, when the campaign's damage has built up), ``peak_blocks_median`` (median over
    realizations of the largest count) and the settings.
    """
    run = _supply_run(["attacks=continued"], days, n_realizations, seed)
    b, so = run["blocks"], run["share_off"]
    between = _between_waves(b, run["campaign"], b.shape[1])
    returned = between["min_48_96h"] <= RETURN_BLOCKS
    return {
        "between": between,
        "share_returned": float(returned.mean()),
        "share_returned_by_focus": returned.groupby(between["focus"]).mean().to_dict(),
        "median_at_84h": float(between["at_84h"].median()),
        "median_min_48_96h": float(between["min_48_96h"].median()),
        "hours_without_power_per_day": float(so.mean() * 24.0),
        "whole_city_dark_frac": float((so >= 0.95).mean()),
        "realizations_whole_city_dark": float((so >= 0.95).any(axis=1).mean()),
        "mean_blocks_without_heat": float(b.mean()),
        "mean_blocks_from_day7": float(b[:, 7 * 24 :].mean()),
        "peak_blocks_median": float(np.median(b.max(axis=1))),
        "n_realizations": n_realizations, "days": days, "seed": seed,
    }  # fmt: skip


def weekly_power(n_realizations: int = 100, weeks: int = 8, seed: int = 20260129) -> pd.DataFrame:
    """Eight weeks of ``continued``: per week, the mean share of residents without power, the mean queues
    off and the mean blocks without heat (mean over realizations and hours)."""
    run = _supply_run(["attacks=continued"], weeks * 7.0, n_realizations, seed)
    so, b, q = run["share_off"], run["blocks"], run["timeline"].queues_off
    wk = np.arange(so.shape[1]) // (7 * 24)
    return pd.DataFrame({"share_without_power": [so[:, wk == w].mean() for w in range(weeks)],
                         "queues_off": [q[:, wk == w].mean() for w in range(weeks)],
                         "blocks_without_heat": [b[:, wk == w].mean() for w in range(weeks)]},
                        index=pd.Index(np.arange(1, weeks + 1), name="week"))


# ---------------------------------------------------------------------------------------------------------
# Darnytsia CHP destroyed (B4)
# ---------------------------------------------------------------------------------------------------------


def darnytsia_b4(n_realizations: int = 30, days: float = 21.0, seed: int = 20260203) -> dict[str, Any]:
    """Darnytsia CHP destroyed at the start (``attacks.hits`` at day 0: a warm start) under ``continued``
    and ``pause_week``: the blocks of its zone without heat per hour (median over realizations), their
    zone size, and the reference (B4: ~1,126 buildings without heat for at least two months; a pause
    does not bring this back)."""
    hit = 'attacks.hits=[{node:"Darnytsia CHP",day:0,damage:destroyed}]'
    out: dict[str, Any] = {"reference": 1126}
    for policy in ("continued", "pause_week"):
        run = _supply_run([f"attacks={policy}", hit], days, n_realizations, seed)
        net, city, tl = run["net"], run["city"], run["timeline"]
        h = int(net.source_table.index[net.source_table["name"] == "Darnytsia CHP"][0])
        zone = net.group_heat_source == h
        nb = city.groups["n_buildings"].to_numpy()
        out["zone_blocks"] = int(nb[zone].sum())
        per_hour = ((tl.group_cause[..., zone] > 0) * nb[zone]).sum(-1)  # (R, T)
        out[policy] = {"median": np.median(per_hour, axis=0), "min": per_hour.min(),
                       "drained_at_start": bool((tl.group_state[:, 0, zone] == 2).all())}
    return out


# ---------------------------------------------------------------------------------------------------------
# The January-February 2026 hindcast (A3, B1, B4, B7, C2; validation)
# ---------------------------------------------------------------------------------------------------------

#: Days of the hindcast's waves since 8 Jan 2026 00:00 (configs/experiment/hindcast_2026.yaml).
HINDCAST_DAYS = {"9 Jan": 1.2, "20 Jan": 12.25, "24 Jan": 16.25, "3 Feb": 26.2, "7 Feb": 30.2}
#: Hours a day off per outage queue (calibration C1: 1 queue ~ 4 h a day, 2 ~ 8 h, 3 ~ 12 h). [h]
HOURS_OFF_PER_QUEUE = 4.0
#: Households of Kyiv reconnected in one week in late January (calibration B7).
B7_HOUSEHOLDS = 645_300


def hindcast_2026(n_realizations: int = 50, seed: int = 20260108, aims: bool = True) -> dict[str, Any]:
    """The hindcast preset (``experiment=hindcast_2026``: the reported waves, Darnytsia destroyed on 3 Feb,
    the reconstructed weather of ``examples/hindcast_2026``), DES only, against the reports (20 Jan is the calibrated wave, the others are held out):

    * ``jan20_blocks``: peak blocks without heat within 12 h after the 20 Jan wave (A3/B3: 5,635). Not
      independent: the heat-generation CHP weight was fitted to this peak under ``attacks=single_wave``
      (:func:`restoration_20jan`); here the same wave meets the reconstructed weather and what the 9 Jan
      wave left, so this checks that the fit carries over;
    * ``jan24_blocks``: peak blocks without heat within 12 h after the 24 Jan wave (A3: ~6,000 at -10 degC);
      ``jan24_households_off``: peak households without power in that window (A3: 800k customers);
    * ``feb3_blocks``: blocks without heat 12 h after the 3 Feb wave (A3: 1,170; Darnytsia critically
      damaged, B4);
    * ``feb7_queues``: mean outage queues off by the schedule in the day after the 7 Feb wave (A3/C2:
      4.5-5 queues nationwide); ``feb7_queue_equivalent``: the hours without power per resident in that
      day, from any cause (schedule, emergency outages, damage), in queues of C1 (one queue ~ 4 h a day
      off: hours / 4). In Kyiv most of the 7 Feb loss is damage (substations cut off from the struck
      750/330 kV substations), which the operators do not count as queues but residents live as hours
      without power; the nationwide "4.5-5 queues" is the schedule of regions that had no such damage;
    * ``chp_restart_h``: median hours from a CHP hit to the plant's return (B1: 1-2 days; the restart
      medians were set from B1, so this checks the crews and alerts on top, not B1 itself);
    * ``b7_households_week``: reconnections in the week from 24 Jan as the operators count them (B7:
      645,300): households whose power came back after an unplanned outage, that is a feeder back from
      damage (the ``reconnect`` events "back from damage") or a queue back after emergency outages
      (``reconnect`` "after emergency outages"); every such return counts, a household twice if it lost
      power twice;
    * ``all_reconnections_week``: every return of power to a household in that week, planned rotations of
      the schedule included (what B7 is *not*: for comparison).

    ``aims``: the waves' focus as the preset gives it from the record (A3); ``False`` draws every wave's
    focus as ``continued`` does (the campaign model alone). Each figure is the median over realizations
    (with p10, p90).
    """
    overrides = ["experiment=hindcast_2026", f"weather.path={HINDCAST_WEATHER}"]
    if not aims:
        from sim.validation._common import compose_config

        waves = compose_config(overrides).attacks.waves
        overrides += [f"attacks.waves.{i}.focus=null" for i in range(len(waves))]
    run = _supply_run(overrides, 40.0, n_realizations, seed)
    b, so, tl, city, net = run["blocks"], run["share_off"], run["timeline"], run["city"], run["net"]
    hh = float(city.groups["households"].sum())
    ev = tl.events

    def window(day: float, lo_h: float, hi_h: float) -> slice:
        return slice(int(day * 24 + lo_h), int(day * 24 + hi_h))

    def stats(x: np.ndarray) -> dict[str, float]:
        return {"median": float(np.median(x)), "p10": float(np.percentile(x, 10)), "p90": float(np.percentile(x, 90))}

    out: dict[str, Any] = {"n_realizations": n_realizations, "seed": seed, "aims": aims}
    out["jan20_blocks"] = stats(b[:, window(HINDCAST_DAYS["20 Jan"], 1, 13)].max(axis=1))
    out["jan24_blocks"] = stats(b[:, window(HINDCAST_DAYS["24 Jan"], 1, 13)].max(axis=1))
    out["jan24_households_off"] = stats(so[:, window(HINDCAST_DAYS["24 Jan"], 1, 13)].max(axis=1) * hh)
    out["feb3_blocks"] = stats(b[:, int(HINDCAST_DAYS["3 Feb"] * 24 + 12)])
    out["feb7_queues"] = stats(tl.queues_off[:, window(HINDCAST_DAYS["7 Feb"], 0, 24)].mean(axis=1))
    out["feb7_queue_equivalent"] = stats(so[:, window(HINDCAST_DAYS["7 Feb"], 0, 24)].mean(axis=1) * 24.0
                                         / HOURS_OFF_PER_QUEUE)
    hits = ev[(ev["kind"] == "hit") & (ev["node_kind"] == "chp")]
    done = ev[(ev["kind"] == "repair_done") & (ev["node_kind"] == "chp")]
    restart = []
    for (r, node), t_hit in hits.groupby(["realization", "node"])["time_h"]:
        t_done = done.loc[(done["realization"] == r) & (done["node"] == node), "time_h"].to_numpy()
        for t in t_hit.to_numpy():
            later = t_done[t_done >= t]
            if len(later):
                restart.append(later[0] - t)
    out["chp_restart_h"] = stats(np.asarray(restart)) if restart else {"median": math.nan, "p10": math.nan,
                                                                        "p90": math.nan}
    d0 = HINDCAST_DAYS["24 Jan"] * 24
    rec = ev[(ev["kind"] == "reconnect") & (ev["time_h"] >= d0) & (ev["time_h"] < d0 + 7 * 24)]
    n_hh = rec["detail"].str.extract(r"^(\d+) households")[0].astype(float)
    per_r = n_hh.groupby(rec["realization"]).sum().reindex(range(n_realizations), fill_value=0.0)
    out["b7_households_week"] = stats(per_r.to_numpy())
    by_cause = rec["detail"].str.contains("emergency")
    out["b7_after_emergency_frac"] = float(n_hh[by_cause].sum() / max(n_hh.sum(), 1.0))
    fp = tl.feeder_power[:, int(d0) - 1 : int(d0) + 7 * 24]  # (R, T, F); the step before counts the first return
    back = (fp[:, 1:] & ~fp[:, :-1]).sum(axis=1)  # (R, F) returns of power per feeder
    out["all_reconnections_week"] = stats(back @ net.feeder_table["households"].to_numpy(float))
    out["households"] = hh
    return out


# ---------------------------------------------------------------------------------------------------------


def figures(quick: bool = False) -> dict[str, float]:
    """Scalar results under stable keys: ``b3_20jan.*`` (a calibration), ``freezing.*`` (E7),
    ``alchevsk.*`` (a calibration), ``winter_record.*``, ``weekly_power.*``, ``darnytsia_b4.*`` and
    ``hindcast_2026.*`` (validations)."""
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
    out["freezing.undrained_first_freeze_h"] = float(f["undrained"]["first_freeze_h"])
    out["freezing.drained_restored_h"] = float(f["drained"]["restored_h"])
    out["alchevsk.mains_freeze_after_h"] = alchevsk_check()["mains_freeze_after_h"]
    w = winter_record(n_realizations=30 if quick else 100)
    for k in ("share_returned", "median_at_84h", "median_min_48_96h", "hours_without_power_per_day",
              "whole_city_dark_frac", "realizations_whole_city_dark", "mean_blocks_without_heat",
              "mean_blocks_from_day7", "peak_blocks_median"):
        out[f"winter_record.{k}"] = float(w[k])
    wk = weekly_power(n_realizations=20 if quick else 100)
    for week, row in wk.iterrows():
        out[f"weekly_power.week{week}"] = float(row["share_without_power"])
    d = darnytsia_b4(n_realizations=10 if quick else 30)
    out["darnytsia_b4.zone_blocks"] = float(d["zone_blocks"])
    out["darnytsia_b4.continued_min_out"] = float(d["continued"]["min"])
    out["darnytsia_b4.pause_week_min_out"] = float(d["pause_week"]["min"])
    hc = hindcast_2026(n_realizations=20 if quick else 50)
    for k in ("jan20_blocks", "jan24_blocks", "jan24_households_off", "feb3_blocks", "feb7_queues",
              "feb7_queue_equivalent", "chp_restart_h", "b7_households_week", "all_reconnections_week"):
        out[f"hindcast_2026.{k}"] = float(hc[k]["median"])
    hd = hindcast_2026(n_realizations=20 if quick else 50, aims=False)
    for k in ("jan20_blocks", "jan24_blocks", "jan24_households_off", "feb3_blocks", "feb7_queues",
              "feb7_queue_equivalent", "b7_households_week"):
        out[f"hindcast_2026_drawn.{k}"] = float(hd[k]["median"])
    return out


__all__ = [
    "B3_PEAK",
    "B3_POINTS",
    "B7_HOUSEHOLDS",
    "HINDCAST_DAYS",
    "HINDCAST_WEATHER",
    "PEAK_WINDOW_H",
    "alchevsk_check",
    "darnytsia_b4",
    "figures",
    "freezing_check",
    "hindcast_2026",
    "restoration_20jan",
    "restoration_points",
    "weekly_power",
    "winter_record",
]
