"""``coldgrid --nodes``: the node names ``attacks.hits`` accepts; explicit hits on unknown nodes fail cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli_runner import run_in_process

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).with_name("coldgrid"))


def test_nodes_lists_name_kind_and_district_without_coordinates():
    p = subprocess.run([EXE, "--nodes", "city=kyiv"], capture_output=True, text=True, cwd=ROOT, check=True)
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["name", "kind", "district"]
    assert any(ln.startswith("Darnytsia CHP") and ln.split()[2] == "chp" and ln.endswith("Darnytskyi")
               for ln in lines)
    assert sum(1 for ln in lines[1:] if " transmission " in ln or ln.rstrip().endswith("transmission")) == 5
    assert len(lines) - 1 == 341  # 5 + 30 + 240 + 33 feeders + 3 CHPs + 30 boiler clusters
    assert all(len(ln.split()) <= 4 for ln in lines)  # name (up to two words), kind, district: nothing else


def test_unknown_node_in_attacks_hits_is_one_line_and_exit_2(tmp_path):
    p = run_in_process("city=small_town", "realizations=2", "horizon_days=2",
                       'attacks.hits=[{node:"CHP-7",day:1,damage:severe}]', f"hydra.run.dir={tmp_path}/run", cwd=ROOT)
    assert p.returncode == 2
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("coldgrid: error: attacks.hits[0].node: unknown node 'CHP-7'")
    assert "BH-North-1" in err[0] and "Traceback" not in p.stderr
    assert not (tmp_path / "run" / "result.nc").exists()
