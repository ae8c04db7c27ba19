"""sim.interrupts: a signal ends the process in one line with 143/130, whatever exception it unwinds as.

The case that failed in CI (2026-12-02): SIGTERM arrived while Hydra's ConfigStore built the structured
config; OmegaConf caught the interrupt mid-construction and raised an AttributeError instead, which the
entry point re-raised as a traceback. Each case runs in a fresh interpreter (a signal is process-wide).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

# A library that catches the interrupt and raises something else, as OmegaConf's flag_override did.
_SCRIPT = """
import os, signal, sys
from sim import interrupts

interrupts.install()

def library_that_swallows():
    try:
        os.kill(os.getpid(), signal.{sig})
        import time; time.sleep(0.5)
    except BaseException:
        pass
    raise AttributeError("'NoneType' object has no attribute '_invalidate_flags_cache'")

with interrupts.signal_wins("coldgrid"):
    {body}
"""


def _run(sig: str, body: str) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(_SCRIPT).format(sig=sig, body=body)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("sig", "status"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_an_exception_in_place_of_the_interrupt_still_ends_as_interrupted(sig, status):
    r = _run(sig, "library_that_swallows()")
    assert "Traceback" not in r.stderr, r.stderr
    assert r.stderr.splitlines() == ["coldgrid: interrupted; no partial result was written"]
    assert r.returncode == status


def test_an_exception_without_a_signal_is_not_called_an_interruption():
    r = _run("SIGTERM", "raise AttributeError('a real fault')")
    assert r.returncode == 1
    assert "AttributeError: a real fault" in r.stderr
    assert "interrupted" not in r.stderr


def test_a_plain_keyboard_interrupt_is_sigint():
    r = _run("SIGTERM", "raise KeyboardInterrupt")
    assert r.returncode == 130
    assert r.stderr.splitlines() == ["coldgrid: interrupted; no partial result was written"]
