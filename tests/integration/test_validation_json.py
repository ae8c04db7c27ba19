"""``python -m sim.validation --json`` prints every validation figure as one JSON object with stable keys,
computed by the same functions the validation tests assert on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Keys that scripts and the validation report rely on (a rename breaks users: change it deliberately).
STABLE_KEYS = (
    "erlang_c.rel_error", "erlang_c.theory_wait_h", "erlang_c.mean_wait_h",
    "closed_form.two_node_ramp.max_abs_error_k", "energy_balance.max_rel_residual",
    "e5.private_old_48h_minus12_c", "e5.private_insulated_48h_minus12_c",
    "b3_20jan.peak_model", "b3_20jan.peak_reported", "b3_20jan.rms_deviation",
    "freezing.undrained_restored_h", "freezing.drained_restored_h",
    "ghcn.anomaly_sd_c.model", "ghcn.anomaly_sd_c.reference",
)


@pytest.fixture(scope="module")
def figures_json() -> dict:
    r = subprocess.run([sys.executable, "-m", "sim.validation", "--json", "--quick"], capture_output=True,
                       text=True, timeout=600, check=False)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_json_has_the_stable_keys(figures_json):
    missing = [k for k in STABLE_KEYS if k not in figures_json]
    assert not missing, missing


def test_json_values_are_numbers_or_null(figures_json):
    bad = {k: v for k, v in figures_json.items() if not (v is None or isinstance(v, int | float))}
    assert not bad


def test_json_matches_the_functions_the_tests_use(figures_json):
    """The command reports what the validation functions compute (no separate copy of the numbers)."""
    from sim.validation import GHCN_FIGURES, small_house_cooling

    s = small_house_cooling()
    assert figures_json["e5.private_old_48h_minus12_c"] == pytest.approx(s["private_old_end_c"], rel=1e-12)
    assert figures_json["ghcn.anomaly_sd_c.reference"] == GHCN_FIGURES["anomaly_sd_c"]
    assert figures_json["b3_20jan.peak_reported"] == 5635


def test_unknown_module_is_a_usage_error(capsys):
    """argparse refuses it (in this process: the fixture above runs the real command)."""
    from sim.validation.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["--only", "nope"])
    assert exit_.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
