"""``coldgrid -m experiment=sobol hydra/launcher=ray`` on a local Ray head gives the basic launcher's numbers.

The head is started and stopped by the test exactly as in ``test_ray_launcher.py`` (its own temp folder,
``--block``, stopped by process group). Small: the ``quick`` list (3 parameters), N = 2, continued only:
2 x (3 + 2) = 10 design rows plus the nominal point, 11 jobs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from tests.integration.test_ray_launcher import BIN, _free_port, _ray_available, _run, _stop, _wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.requires("ray")]

SMALL = ["experiment=sobol", "sobol=quick", "sobol.samples=2", "sobol.resamples=50", "attacks=continued",
         "city=small_town", "realizations=3", "horizon_days=3", "output.progress=never", "output.pdf=false"]


@pytest.mark.skipif(_ray_available() is not None, reason=str(_ray_available()))
@pytest.mark.timeout(900)
def test_sobol_sweep_on_a_local_ray_head(tmp_path: Path):
    port = _free_port()
    env = dict(os.environ, MPLBACKEND="Agg", RAY_USAGE_STATS_ENABLED="0")
    env.pop("RAY_ADDRESS", None)
    ray_tmp = Path(f"/tmp/cgray{port}")
    head = [str(BIN / "ray"), "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}",
            "--num-cpus=2", "--disable-usage-stats", "--include-dashboard=false", f"--temp-dir={ray_tmp}"]
    proc = subprocess.Popen(head, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    coldgrid = str(BIN / "coldgrid")
    try:
        _wait_for_port(port, proc)
        out = _run([coldgrid, "-m", *SMALL, "hydra/launcher=ray", f"hydra.launcher.ray.init.address=127.0.0.1:{port}",
                    "+hydra.launcher.ray.init.object_store_memory=null", f"hydra.sweep.dir={tmp_path / 'ray'}"],
                   tmp_path, env)
    finally:
        _stop(proc)
        shutil.rmtree(ray_tmp, ignore_errors=True)
    assert "Sobol indices" in out.stdout
    _run([coldgrid, "-m", *SMALL, f"hydra.sweep.dir={tmp_path / 'basic'}"], tmp_path, env)
    with xr.open_dataset(tmp_path / "ray" / "sobol.nc") as a, xr.open_dataset(tmp_path / "basic" / "sobol.nc") as b:
        assert a.sizes["sample"] == 10 and a.sizes["parameter"] == 3
        np.testing.assert_array_equal(a["output"].values, b["output"].values)
        np.testing.assert_array_equal(a["parameter_value"].values, b["parameter_value"].values)
        xr.testing.assert_equal(a[["S1", "ST", "S1_conf", "ST_conf"]], b[["S1", "ST", "S1_conf", "ST_conf"]])
    assert (tmp_path / "ray" / "sobol.csv").is_file() and (tmp_path / "ray" / "sweep.nc").is_file()
    assert "no comparison brief" in out.stdout  # one policy: the brief needs two
