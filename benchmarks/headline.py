"""The headline benchmark: `make bench`.

Runs the headline workload (city=kyiv, 21 days, experiment=pause_vs_continued with 200 realizations per
scenario) and, in the same process, the baselines the model is measured against:

* the DES: its cost per Kyiv realization [ms], and its event rate against a bare SimPy event loop
  (timeouts only) for the whole DES call and for the SimPy runs alone (the DES makes few, rich events:
  its per-event work is the model, so the rate is a ratio of throughput, not of overhead); the DES runs
  its realizations on forked processes, one per core of the job (:mod:`sim.des.processes`), so the
  same DES is also timed on one process and on those processes, interleaved (best of each);
* the thermal throughput (building-group steps per second of the whole thermal step: sun, ventilation, heat
  inputs, the exact three-node RC step and the operative temperature, one compiled pass on numba's
  threads) against a bare numpy two-state update (the target of issue 15: >= 0.5) and a bare numpy
  three-node update of the same coefficients, both of the same shape, timed in interleaved rounds (best
  round of each);
* a scaling table for 50, 100, 200 and 400 realizations (cost must grow linearly: exponent 0.9-1.1);
* the cost of a nowcast (:mod:`benchmarks.nowcast`): a run conditioned on identical-twin reports against
  the plain run of the same size (ratio, rejuvenations, final effective sample size).

Before any timing it touches ``--warm-memory-mb`` of fresh memory and frees it. On a virtual machine
whose guest memory has never been used, the first touch of each page is backed by the host (measured on
the project's 2-core VM: about 11 us per 4 KiB page, against 0.5 us once the guest has used it), a cost
the DES and thermal rows would otherwise count against their in-process baselines, which allocate
little. The warm-up runs in a child process (the peak memory reported stays this process's); its cost
per page is reported (``memory_first_touch_us_per_page``).

Prints a table and, as its last line, one JSON object with the figures. Timings are ratios against
baselines run in the same process; nothing here is asserted (the test suite only smoke-tests this code).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import simpy

try:
    from benchmarks.nowcast import nowcast_cost
except ModuleNotFoundError:  # run as a script (make bench): benchmarks/ itself is on sys.path
    from nowcast import nowcast_cost  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]


def compose(overrides: list[str]):
    from sim.config.load import compose_config

    return compose_config(overrides)


_WARM = """
import sys, time
import numpy as np
n_pages = int(sys.argv[1]) * 256
t0 = time.perf_counter()
block = np.zeros(n_pages * 512)
block[::512] = 1.0
print(1e6 * (time.perf_counter() - t0) / n_pages)
"""


def warm_memory(mb: int) -> float:
    """Touch ``mb`` MiB of fresh memory, one write per 4 KiB page, in a child process (so that this
    process's peak memory stays its own); the time per page. [us]"""
    if mb <= 0:
        return float("nan")
    out = subprocess.run([sys.executable, "-c", _WARM, str(mb)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def bare_simpy_events_per_s(n_events: int = 300_000, n_procs: int = 100) -> float:
    """Events per second of a bare SimPy loop: ``n_procs`` processes yielding timeouts. [1/s]"""
    env = simpy.Environment()
    per = n_events // n_procs

    def ticker(env: simpy.Environment, n: int, dt: float):
        for _ in range(n):
            yield env.timeout(dt)

    for i in range(n_procs):
        env.process(ticker(env, per, 1.0 + i * 1e-3))
    t0 = time.perf_counter()
    env.run()
    dt = time.perf_counter() - t0
    return per * n_procs / dt


def _bare_numpy_two_state(n_real: int, n_groups: int, seed: int = 0):
    """A bare numpy two-state exact update x' = phi x + gamma u over (R, G): one call advances one step."""
    rng = np.random.default_rng(seed)
    p00, p01, p10, p11 = (rng.uniform(0.1, 0.9, n_groups) for _ in range(4))
    g0, g1 = rng.uniform(0, 1e-3, n_groups), rng.uniform(0, 1e-3, n_groups)
    state = [np.full((n_real, n_groups), 20.0), np.full((n_real, n_groups), 19.0)]
    t_out = rng.normal(-15, 3, (n_real, 1))
    q = rng.uniform(0, 1e4, (n_real, n_groups))

    def step() -> None:
        ta, tm = state
        state[0], state[1] = p00 * ta + p01 * tm + g0 * q + 0.1 * t_out, p10 * ta + p11 * tm + g1 * q + 0.05 * t_out

    return step


def _bare_numpy_three_node(coef: np.ndarray, n_real: int, seed: int = 0):
    """A bare numpy three-node exact update over (R, G), the RC update of the stage without anything around
    it: ``x' = phi x + gamma u`` with per-group ``phi`` (3 x 3) and ``gamma`` (3 x 4; inputs the outdoor
    temperature (R, 1) and the heat into air, surface and deep mass (R, G)) taken from ``coef`` (G, 21)
    (:attr:`sim.thermal.RCModel.coefficients` at one ventilation level). One call advances one step."""
    rng = np.random.default_rng(seed)
    n_groups = coef.shape[0]
    # column-major rows (:attr:`sim.thermal.RCModel.coefficients`): phi[i, j] at 3 j + i, gamma[i, j] at 9 + 3 j + i
    phi = [[np.ascontiguousarray(coef[:, 3 * j + i]) for j in range(3)] for i in range(3)]
    gam = [[np.ascontiguousarray(coef[:, 9 + 3 * j + i]) for j in range(4)] for i in range(3)]
    state = [np.full((n_real, n_groups), v) for v in (20.0, 19.5, 19.0)]
    t_out = rng.normal(-15, 3, (n_real, 1))
    q = [rng.uniform(0, 1e4, (n_real, n_groups)) for _ in range(3)]

    def step() -> None:
        a, s, m = state
        state[:] = [phi[i][0] * a + phi[i][1] * s + phi[i][2] * m + gam[i][0] * t_out + gam[i][1] * q[0]
                    + gam[i][2] * q[1] + gam[i][3] * q[2] for i in range(3)]  # fmt: skip

    return step


def des_processes_costs(overrides: list[str], n_real: int, rounds: int = 2) -> dict[str, float]:
    """The DES alone (the chain's inputs for ``overrides``) on one process and on
    :func:`sim.des.processes.process_cap` processes, in interleaved rounds (best of each): ms per
    realization, wall time."""
    from sim.city import build_city
    from sim.des import simulate_supply
    from sim.des.processes import process_cap
    from sim.network import build_network
    from sim.threat import make_campaign
    from sim.timegrid import TimeGrid
    from sim.weather import make_forecast

    cfg = compose([*overrides, f"realizations={n_real}"])
    city = build_city(cfg.city)
    net = build_network(city, cfg.city.grid)
    grid = TimeGrid.from_config(str(cfg.start), float(cfg.horizon_days), float(cfg.dt_minutes),
                                float(cfg.city.utc_offset_h))
    out = make_forecast(cfg.weather, grid, n_real, 0).outdoor_c
    camp = make_campaign(cfg.attacks, net, grid, n_real, 0)
    cap = process_cap()
    best = {1: math.inf, cap: math.inf}
    n_events = 0
    for _ in range(rounds):
        for n_proc in best:
            t = time.perf_counter()
            tl = simulate_supply(city, net, camp, out, cfg.repair, cfg.buildings, grid, 0, processes=n_proc)
            best[n_proc] = min(best[n_proc], time.perf_counter() - t)
            n_events = int(tl.stats["n_events"])
    return {"des_processes": cap, "des_one_process_events_per_s": n_events / best[1],
            "des_one_process_ms_per_realization": 1000.0 * best[1] / n_real,
            "des_processes_ms_per_realization": 1000.0 * best[cap] / n_real,
            "des_processes_speedup": best[1] / best[cap]}


def bare_numpy_steps_per_s(n_real: int, n_groups: int, n_steps: int, seed: int = 0) -> float:
    """Building-group steps per second of a bare numpy two-state exact update x' = phi x + gamma u. [1/s]"""
    step = _bare_numpy_two_state(n_real, n_groups, seed)
    t0 = time.perf_counter()
    for _ in range(n_steps):
        step()
    return n_real * n_groups * n_steps / (time.perf_counter() - t0)


def thermal_steps_per_s(cfg, n_real: int, n_steps: int, seed: int = 0, repeats: int = 5) -> dict[str, float]:
    """Building-group steps per second [1/s] of coldgrid's thermal stage (sun, ventilation, heat inputs,
    exact three-node RC step and operative temperature in one pass: :meth:`sim.building_stage.BuildingStage.step`),
    of its three-pass reference (:meth:`~sim.building_stage.BuildingStage.step_reference`), of the RC step
    alone (:meth:`sim.thermal.RCModel.step`), and of two bare numpy baselines of the same shape (R, G): the
    three-node update of the same coefficients and a two-state update.

    The five are timed in turn, ``n_steps`` steps each, ``repeats`` rounds; each rate is that of its best
    round, so that a load from other processes that comes and goes (a shared machine) biases none of them.
    Returns the rates, ``n_groups`` and ``threads`` (numba's threads, on which the fused step runs its
    chunks of realizations; the numpy baselines run on one thread, as numpy's elementwise operations do,
    so the ratio is that of the stage as it runs in this process against numpy in the same process, and
    ``NUMBA_NUM_THREADS=1`` gives the one-thread figure).
    """
    import numba
    from omegaconf import OmegaConf

    from sim import rng as srng
    from sim.building_stage import BuildingStage
    from sim.city import build_city
    from sim.timegrid import TimeGrid
    from sim.weather import make_forecast

    city = build_city(cfg.city)
    g = city.groups
    bcfg = OmegaConf.to_object(cfg.buildings)
    grid = TimeGrid.from_config(str(cfg.start), max(n_steps / 24.0, 1.0), 60.0)
    forecast = make_forecast(cfg.weather, grid, n_real, seed)
    stage = BuildingStage.from_groups(g, bcfg, srng.stream(seed, "buildings"), n_real, grid.times, grid.dt_h,
                                      forecast)  # fmt: skip
    gen = np.random.default_rng(seed)
    t_out = np.ascontiguousarray(forecast.outdoor_c[:, :1])
    wind = np.full((n_real, 1), 3.0)
    stage.start(t_out, wind)
    powered = gen.random((n_real, len(g))) < 0.6
    heat_frac = (gen.random((n_real, len(g))) < 0.5).astype(float)
    model = stage.model
    q = np.zeros((n_real, len(g)))
    n_t = min(n_steps, len(grid.times))
    rc3 = _bare_numpy_three_node(model.coefficients[:, 0, :21], n_real, seed)
    two = _bare_numpy_two_state(n_real, len(g), seed)
    runs = {
        "fused": lambda t: stage.step(t % n_t, t_out, wind, powered, heat_frac),
        "reference": lambda t: stage.step_reference(t % n_t, t_out, wind, powered, heat_frac),
        "rc_step": lambda t: model.step(t_out, q, q, wind_m_per_s=wind, q_surface_w=q),
        "bare_rc3": lambda t: rc3(),
        "bare_two_state": lambda t: two(),
    }
    for run in runs.values():  # compile and warm the caches
        run(0)
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(max(repeats, 1)):
        for name, run in runs.items():
            t0 = time.perf_counter()
            for t in range(n_steps):
                run(t)
            best[name] = min(best[name], time.perf_counter() - t0)
    n = n_real * len(g) * n_steps
    return {**{name: n / dt for name, dt in best.items()}, "n_groups": len(g), "threads": numba.get_num_threads()}


def sweep_speedup(n_jobs: int, overrides: list[str]) -> tuple[float, float]:
    """Wall time of an ``n_jobs`` sweep (seeds 1..n) with the basic and the joblib launcher. [s]

    Raises RuntimeError unless every job of both sweeps wrote its result and the sweep exited 0: a sweep
    goes on past a failed job, and a sweep of failed jobs would time nothing.
    """
    import subprocess
    import tempfile

    exe = str(Path(sys.executable).with_name("coldgrid"))
    seeds = ",".join(str(i) for i in range(1, n_jobs + 1))
    times = []
    for launcher in ("basic", "joblib"):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            r = subprocess.run([exe, "-m", f"seed={seeds}", f"hydra/launcher={launcher}", *overrides,
                                "output.report=false", "output.progress=never", f"hydra.sweep.dir={tmp}"],
                               check=False, capture_output=True, cwd=tmp)
            times.append(time.perf_counter() - t0)
            done = len(list(Path(tmp).glob("*/result.nc")))
            failed = sorted(p.parent.name for p in Path(tmp).glob("*/FAILED"))
            if done != n_jobs or failed or r.returncode != 0:
                raise RuntimeError(f"{launcher} sweep: {done} of {n_jobs} jobs wrote a result; failed jobs: {failed}"
                                   f" (exit status {r.returncode})")
    return times[0], times[1]


def _sobol_sweep(overrides: list[str], folder: Path, env: dict | None = None) -> tuple[float, float, int]:
    """One Sobol sweep (``experiment=sobol``): wall time, time spent in its jobs (the sweeper's own
    ``launched jobs ... in X s``), number of jobs. [s, s, -]"""
    import re
    import subprocess

    exe = str(Path(sys.executable).with_name("coldgrid"))
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "-m", "experiment=sobol", *overrides, "output.progress=never", "output.pdf=false",
                           f"hydra.sweep.dir={folder}"], capture_output=True, text=True, cwd=folder.parent, env=env)
    wall = time.perf_counter() - t0
    jobs = len(list(folder.glob("*/result.nc")))
    if proc.returncode != 0 or not (folder / "sobol.nc").is_file():
        raise RuntimeError(f"Sobol sweep failed ({proc.returncode}): {proc.stderr[-2000:]}")
    launched = sum(float(x) for x in re.findall(r"launched jobs \d+-\d+ in ([\d.]+) s", proc.stdout + proc.stderr))
    return wall, launched, jobs


def sobol_costs(samples: int, kyiv_realizations: int) -> dict:
    """Seconds per sample job of a Sobol sweep (quick list, continued) for the small town and for Kyiv,
    and the speed-up of the Ray launcher over basic on a local Ray head (small town), same process."""
    import os
    import shutil
    import subprocess
    import tempfile

    quick = ["sobol=quick", f"sobol.samples={samples}", "sobol.resamples=50", "attacks=continued"]
    small = [*quick, "city=small_town", "realizations=20", "horizon_days=7"]
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, over in (("small_town", small),
                           ("kyiv", [*quick, "city=kyiv", f"realizations={kyiv_realizations}", "horizon_days=21"])):
            wall, launched, jobs = _sobol_sweep(over, tmp / name)
            out[f"sobol_{name}_s_per_job"] = round(launched / jobs, 3)
            out[f"sobol_{name}_wall_s"] = round(wall, 2)
            print(f"  Sobol sweep {name} ({jobs} jobs, {' '.join(over[4:])}): {launched / jobs:.2f} s per job, "
                  f"{wall:.1f} s with collection")
        ray = Path(sys.executable).with_name("ray")
        try:
            import hydra_plugins.hydra_ray_launcher  # noqa: F401
        except ImportError:
            ray = Path("/nonexistent")
        if not ray.exists():
            print("  Ray launcher: the [ray] extra is not installed; no speed-up measured")
            return out
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
        env.pop("RAY_ADDRESS", None)
        ray_tmp = Path(f"/tmp/cgray{port}")
        head = subprocess.Popen([str(ray), "start", "--head", "--block", "--node-ip-address=127.0.0.1",
                                 f"--port={port}", f"--num-cpus={os.cpu_count() or 2}", "--disable-usage-stats",
                                 "--include-dashboard=false", f"--temp-dir={ray_tmp}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.5)
            ray_over = [*small, "hydra/launcher=ray", f"hydra.launcher.ray.init.address=127.0.0.1:{port}",
                        "+hydra.launcher.ray.init.object_store_memory=null"]
            _, ray_s, _ = _sobol_sweep(ray_over, tmp / "ray", env)
        finally:
            import signal

            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(head.pid, sig)
                    head.wait(timeout=15)
                    break
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    continue
            shutil.rmtree(ray_tmp, ignore_errors=True)
        basic_s = out["sobol_small_town_s_per_job"] * len(list((tmp / "small_town").glob("*/result.nc")))
        out["sobol_ray_jobs_s"] = round(ray_s, 2)
        out["sobol_basic_jobs_s"] = round(basic_s, 2)
        out["sobol_ray_speedup"] = round(basic_s / ray_s, 3)
        print(f"  Sobol sweep small_town, jobs only: basic {basic_s:.1f} s, ray (local head, "
              f"{os.cpu_count()} CPUs) {ray_s:.1f} s, speed-up {basic_s / ray_s:.2f}")
    return out


def run_once(overrides: list[str]):
    from sim.chain import run_scenario_full

    t0 = time.perf_counter()
    out = run_scenario_full(compose(overrides))
    return time.perf_counter() - t0, out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--city", default="kyiv")
    ap.add_argument("--realizations", type=int, default=200)
    ap.add_argument("--horizon-days", type=float, default=21)
    ap.add_argument("--scaling", default="50,100,200,400", help="realizations for the scaling table")
    ap.add_argument("--thermal-steps", type=int, default=100)
    ap.add_argument("--sweep-jobs", type=int, default=8,
                    help="jobs of the launcher comparison (0: skip it and the Sobol costs)")
    ap.add_argument("--sobol-samples", type=int, default=2, help="base samples of the Sobol cost sweeps")
    ap.add_argument("--sobol-realizations", type=int, default=40, help="Kyiv realizations per Sobol sample")
    ap.add_argument("--thermal-repeats", type=int, default=5, help="rounds of the thermal timing (best kept)")
    ap.add_argument("--nowcast-realizations", type=int, default=None,
                    help="realizations of the nowcast-against-plain comparison (default: --realizations; 0: skip; "
                         "issue #18 asks for 1000)")
    ap.add_argument("--warm-memory-mb", type=int, default=2048,
                    help="fresh memory touched before any timing (0: none; see the module docstring)")
    args = ap.parse_args(argv)
    first_touch_us = warm_memory(args.warm_memory_mb)
    base = [f"city={args.city}", f"horizon_days={args.horizon_days:g}", "output.progress=never"]

    # headline: the pause_vs_continued pair with the same seeds
    stage_totals: dict[str, float] = {}
    headline_s = 0.0
    n_events = 0
    des_s = 0.0
    simpy_s = 0.0
    n_des_realizations = 0
    for policy in ("continued", "pause_week"):
        dt, out = run_once([*base, "experiment=pause_vs_continued", f"attacks={policy}",
                            f"realizations={args.realizations}"])
        headline_s += dt
        for k, v in out.stage_seconds.items():
            stage_totals[k] = stage_totals.get(k, 0.0) + v
        n_events += int(out.stats.get("n_events", 0))
        des_s += float(out.stats.get("des_seconds", out.stage_seconds.get("des", 0.0)))
        simpy_s += float(out.stats.get("simpy_seconds", 0.0))
        n_des_realizations += args.realizations
        print(f"  {policy:<12} {dt:7.2f} s  " + ", ".join(f"{k} {v:.2f}s" for k, v in out.stage_seconds.items()))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    simpy_rate = bare_simpy_events_per_s()
    des_rate = n_events / des_s if des_s > 0 else float("nan")
    simpy_rate_des = n_events / simpy_s if simpy_s > 0 else float("nan")
    des_ms = 1000.0 * des_s / max(n_des_realizations, 1)

    procs = des_processes_costs([*base, "attacks=continued"], min(args.realizations, 100))

    cfg = compose(base)
    n_real_t = min(args.realizations, 200)
    rates = thermal_steps_per_s(cfg, n_real_t, args.thermal_steps, repeats=args.thermal_repeats)
    ours, rc_only, bare, bare3 = rates["fused"], rates["rc_step"], rates["bare_two_state"], rates["bare_rc3"]

    sizes = [int(x) for x in args.scaling.split(",") if x]
    rows = []
    for n in sizes:
        dt, _ = run_once([*base, f"realizations={n}"])
        rows.append((n, dt))
        print(f"  scaling: {n:4d} realizations {dt:7.2f} s  ({dt / n * 1000:.1f} ms per realization)")
    if len(rows) >= 2:
        x = np.log([r[0] for r in rows])
        y = np.log([r[1] for r in rows])
        exponent = float(np.polyfit(x, y, 1)[0])
    else:
        exponent = float("nan")

    sweep = None
    if args.sweep_jobs > 0:
        sweep_over = [f"city={args.city}", "realizations=50", "horizon_days=21"]
        basic_s, joblib_s = sweep_speedup(args.sweep_jobs, sweep_over)
        sweep = (basic_s, joblib_s)
        print(f"  sweep of {args.sweep_jobs} jobs ({' '.join(sweep_over)}): basic {basic_s:.1f} s, "
              f"joblib {joblib_s:.1f} s, speed-up {basic_s / joblib_s:.2f}")

    sobol = sobol_costs(args.sobol_samples, args.sobol_realizations) if args.sweep_jobs > 0 else {}
    n_now = args.realizations if args.nowcast_realizations is None else args.nowcast_realizations
    nowcast = nowcast_cost(compose, base, n_now) if n_now > 0 else {}
    if nowcast:
        print(f"  nowcast: {n_now} realizations, {nowcast['nowcast_reports']} twin reports: "
              f"{nowcast['nowcast_s']:.1f} s against the plain run's {nowcast['nowcast_plain_s']:.1f} s, ratio "
              f"{nowcast['nowcast_ratio_vs_plain']:.2f}; {nowcast['nowcast_rejuvenations']} rejuvenations, final ESS "
              f"{nowcast['nowcast_final_ess']:.1f}; the filter itself {nowcast['nowcast_filter_s']:.2f} s")

    print()
    print(f"headline ({args.city}, {args.horizon_days:g} d, 2 x {args.realizations} realizations): {headline_s:.1f} s")
    print("time per stage: " + ", ".join(f"{k} {v:.1f}s" for k, v in stage_totals.items()))
    print(f"peak memory: {peak_mb:.0f} MB; memory warm-up before timing: {args.warm_memory_mb} MiB, first touch "
          f"{first_touch_us:.1f} us per page")
    print(f"DES: {des_ms:.1f} ms per {args.city} realization ({n_events / max(n_des_realizations, 1):,.0f} SimPy events); "
          f"{des_rate:,.0f} events/s (SimPy runs alone {simpy_rate_des:,.0f}); bare SimPy {simpy_rate:,.0f} events/s; "
          f"ratio {des_rate / simpy_rate:.2f} (SimPy runs alone {simpy_rate_des / simpy_rate:.2f}; the SimPy "
          f"time summed over the processes)")
    print(f"DES alone, continued, {min(args.realizations, 100)} realizations: one process "
          f"{procs['des_one_process_ms_per_realization']:.1f} ms per realization, {procs['des_processes']} processes "
          f"{procs['des_processes_ms_per_realization']:.1f} ms, speed-up {procs['des_processes_speedup']:.2f}; "
          f"ratio to bare SimPy on one process {procs['des_one_process_events_per_s'] / simpy_rate:.2f}")
    print(f"thermal ({n_real_t} x {rates['n_groups']:.0f} groups, best of {args.thermal_repeats}, "
          f"{rates['threads']:.0f} numba threads): "
          f"{ours:,.0f} group-steps/s; bare numpy three-node {bare3:,.0f}, ratio {ours / bare3:.2f}; "
          f"bare numpy two-state {bare:,.0f}, ratio {ours / bare:.2f} (three-pass reference "
          f"{rates['reference']:,.0f}, ratio {rates['reference'] / bare3:.2f}; RC step alone {rc_only:,.0f}, "
          f"ratio {rc_only / bare3:.2f})")
    print(f"scaling exponent (time ~ realizations^k): {exponent:.3f}")
    figures = {
        "headline_s": round(headline_s, 2),
        "memory_first_touch_us_per_page": round(first_touch_us, 2),
        "peak_memory_mb": round(peak_mb, 1),
        "des_events_per_s": round(des_rate, 1),
        "bare_simpy_events_per_s": round(simpy_rate, 1),
        "des_ratio_vs_bare_simpy": round(des_rate / simpy_rate, 4),
        "des_simpy_runs_ratio_vs_bare_simpy": round(simpy_rate_des / simpy_rate, 4),
        "des_ms_per_realization": round(des_ms, 2),
        "des_processes": int(procs["des_processes"]),
        "des_one_process_ms_per_realization": round(procs["des_one_process_ms_per_realization"], 2),
        "des_processes_ms_per_realization": round(procs["des_processes_ms_per_realization"], 2),
        "des_processes_speedup": round(procs["des_processes_speedup"], 3),
        "des_one_process_ratio_vs_bare_simpy": round(procs["des_one_process_events_per_s"] / simpy_rate, 4),
        "des_events_per_realization": round(n_events / max(n_des_realizations, 1), 1),
        "thermal_steps_per_s": round(ours, 1),
        "bare_numpy_steps_per_s": round(bare, 1),
        "thermal_ratio_vs_bare_numpy": round(ours / bare, 4),
        "thermal_threads": int(rates["threads"]),
        "bare_numpy_rc3_steps_per_s": round(bare3, 1),
        "thermal_ratio_vs_bare_numpy_rc3": round(ours / bare3, 4),
        "thermal_reference_ratio_vs_bare_numpy_rc3": round(rates["reference"] / bare3, 4),
        "rc_step_ratio_vs_bare_numpy_rc3": round(rc_only / bare3, 4),
        "rc_step_ratio_vs_bare_numpy": round(rc_only / bare, 4),
        "sweep_basic_s": round(sweep[0], 2) if sweep else None,
        "sweep_joblib_s": round(sweep[1], 2) if sweep else None,
        "joblib_speedup": round(sweep[0] / sweep[1], 3) if sweep else None,
        "scaling_exponent": round(exponent, 4),
        "scaling": {str(n): round(t, 3) for n, t in rows},
        "stage_seconds": {k: round(v, 3) for k, v in stage_totals.items()},
        **sobol,
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in nowcast.items()},
    }
    print(json.dumps(figures))
    sys.stdout.flush()
    return figures


if __name__ == "__main__":
    main()
