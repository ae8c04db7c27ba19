"""Tests written to kill mutants that survived ``make mutation`` (mutmut over sim.stats, sim.exposure,
sim.needs, sim.keyfigures and sim.report.content). Each test names the fault it catches; expected values
are worked out by hand or with plain numpy, never with the code under test."""

from __future__ import annotations
