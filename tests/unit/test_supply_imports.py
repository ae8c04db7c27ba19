"""The supply modules import on their own, in the order of the flow (config -> city -> network -> threat
-> des): the threat does not import the DES (regression: ``from sim.threat import make_campaign`` raised
ImportError in a fresh interpreter, a cycle sim.threat -> sim.des -> sim.threat)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["sim.network", "sim.threat", "sim.des", "sim.des.simpy_adapter",
                                    "sim.des.state", "sim.des.heatnet", "sim.des.sources", "sim.des.dispatch",
                                    "sim.des.repair", "sim.des.hits", "sim.des.timeline", "sim.des.testing"])
def test_module_imports_in_a_fresh_interpreter(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, capture_output=True)


def test_threat_and_network_do_not_import_the_des():
    code = ("import sys; from sim.threat import make_campaign; import sim.network; "
            "print(sorted(m for m in sys.modules if m.startswith('sim.des')))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
