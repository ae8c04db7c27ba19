"""An interrupted run (SIGTERM, Ctrl-C) leaves no result.nc, or a complete one; never a partial file."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
import xarray as xr

from tests.conftest import ROOT
from tests.integration.test_cli_errors import COLDGRID


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("delay_s", [1.5, 4.0])
def test_interrupted_run_leaves_no_partial_result(tmp_path, sig, delay_s):
    out = tmp_path / "run"
    p = subprocess.Popen(
        [COLDGRID, "city=kyiv", "realizations=40", "horizon_days=21", f"hydra.run.dir={out}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(delay_s)
    p.send_signal(sig)
    _, err = p.communicate(timeout=300)
    assert "Traceback" not in err
    leftovers = list(out.glob(".*tmp-*")) if out.exists() else []
    assert leftovers == []
    result = out / "result.nc"
    if p.returncode != 0:
        assert p.returncode in (130, 143, -sig)
    if result.exists():  # finished writing before the signal: then the file is complete
        with xr.open_dataset(result) as ds:
            assert "people_below_threshold" in ds and ds.sizes["realization"] == 40
    else:
        assert p.returncode != 0
