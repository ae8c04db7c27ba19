"""Every module of ``sim`` imports on its own, and imports follow the flow of the chain.

The flow (``DESIGN.md``, "The chain", and docs/decisions.md, "Import layers"): config -> city, weather,
threat -> des -> thermal -> people -> io, then the outputs and the drivers around them. :data:`LAYERS`
orders every module; a module may import modules of its own layer and of the layers before it, never one
after it. The model stages (:data:`STAGES`) also import nothing of ``sim.config``: they get their config
as values from :mod:`sim.chain`, checked beforehand by :mod:`sim.config.validate`. The import graph comes
from grimp (every ``import``, including those inside functions and under ``TYPE_CHECKING``).

Edges that break these rules today are listed in :data:`ALLOWED_BACK_EDGES`, each with the reason and who
removes it. The test fails on any other such edge and on a listed edge that is gone, so the list can
only shrink.
"""

from __future__ import annotations

import graphlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import grimp
import pytest

from tests.conftest import ROOT as ROOT_DIR

#: Layers in the order of the flow; a module belongs to the layer of its longest matching prefix.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("sim", "sim.errors", "sim.rng", "sim.timegrid", "sim.memory", "sim.resources", "sim.smc",
              "sim.stdout", "sim.folders", "sim.csv_input",  # + input CSVs read as strings (weather, reports)
              "sim.weighted_stats")),  # + weighted quantiles of a nowcast's realizations (numpy only)
    ("config", ("sim.config",)),
    ("inputs", ("sim.city", "sim.archetypes", "sim.weather", "sim.weather_file", "sim.threat", "sim.station_daily",
                "sim.weather_ensemble", "sim.bias_correction", "sim.observations",
                "sim.solar", "sim.sky", "sim.ventilation", "sim.occupancy",
                "sim.network")),  # + the grid and heat-network tables the threat and the DES read  # + the sun, sky, air and occupants
    ("des", ("sim.des",)),
    ("thermal", ("sim.thermal",)),  # the RC model of a building group
    ("heating", ("sim.heating",)),  # the heat inputs of that model (uses its steady state)
    ("building_stage", ("sim.building_stage",)),  # one step of the buildings: inputs, RC step, operative
    ("people", ("sim.exposure", "sim.needs", "sim.people")),
    ("io", ("sim.io", "sim.provenance")),  # result files and their provenance (config hash, state)
    ("outputs", ("sim.stats", "sim.predicted_reports", "sim.report")),  # numbers users read, briefs, HXL; the
    # reports each realization predicts (a nowcast's brief re-predicts them from result.nc)
    ("nowcast", ("sim.warm_start", "sim.ancestor_start", "sim.rejuvenation", "sim.nowcast")),  # conditions a
    # scenario's Dataset on reports: reports predicted by each realization, the reported-state warm start,
    # the filter with rejuvenation, the outputs
    ("chain", ("sim.chain",)),  # one scenario: the stages in order
    ("run", ("sim.run",)),  # one job: the chain and its output files
    ("sweep", ("sim.sweep", "sim.sensitivity")),  # many jobs, collected (a Sobol sweep's indices too)
    ("drivers", ("sim.callbacks", "sim.cli", "sim.preflight", "sim.report.cli", "sim.des.testing", "sim.validation")),
]
#: The model stages: they take config values and import no ``sim.config`` module.
STAGES = ("inputs", "des", "thermal", "heating", "people")

#: Imports against the flow that exist today. Each must be a current edge; remove an entry with the edge.
ALLOWED_BACK_EDGES: dict[tuple[str, str], str] = {}
#: Edges inside one layer that close a cycle but are imported only for annotations (under TYPE_CHECKING),
#: never at run time; the cycle test ignores them. Same rule: each must exist, the list only shrinks.
ANNOTATION_ONLY_EDGES: dict[tuple[str, str], str] = {
    # the DES's process modules take the realization state that sim.des.state builds from them
    ("sim.des.heatnet", "sim.des.state"): "SupplyState in annotations",
    ("sim.des.sources", "sim.des.state"): "SupplyState in annotations",
    ("sim.des.dispatch", "sim.des.state"): "SupplyState in annotations",
    ("sim.des.hits", "sim.des.state"): "SupplyState in annotations",
    ("sim.des.repair", "sim.des.state"): "SupplyState in annotations",
}
#: Modules that cannot be imported first in a fresh interpreter today (same rule: the list only shrinks).
KNOWN_IMPORT_FAILURES: dict[str, str] = {}


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("sim", include_external_packages=False, cache_dir=None)


def layer_of(module: str) -> int:
    """Index in :data:`LAYERS` of the layer with the longest prefix of ``module``."""
    best, length = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > length:
                best, length = i, len(p)
    return best


def edges() -> set[tuple[str, str]]:
    g = graph()
    return {(a, b) for a in g.modules for b in g.find_modules_directly_imported_by(a)}


def violations() -> dict[tuple[str, str], str]:
    """Edges that import against the flow, or from a stage into ``sim.config``."""
    names = [name for name, _ in LAYERS]
    out = {}
    for a, b in edges():
        la, lb = layer_of(a), layer_of(b)
        if lb > la:
            out[(a, b)] = f"{names[la]} imports {names[lb]}"
        elif names[la] in STAGES and names[lb] == "config":
            out[(a, b)] = "a model stage imports sim.config"
    return out


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in graph().modules if layer_of(m) < 0)
    assert not unplaced, f"add these modules to LAYERS in {__file__}: {unplaced}"


def test_imports_follow_the_flow():
    found = violations()
    new = {e: why for e, why in found.items() if e not in ALLOWED_BACK_EDGES}
    assert not new, "imports against the flow: " + "; ".join(
        f"{a} -> {b} ({why}, line {d['line_number']}: {d['line_contents']})"
        for (a, b), why in sorted(new.items()) for d in graph().get_import_details(importer=a, imported=b)[:1])
    gone = sorted(set(ALLOWED_BACK_EDGES) - set(found))
    assert not gone, f"no longer back-edges (or no longer imports): remove them from ALLOWED_BACK_EDGES: {gone}"


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def test_no_import_cycles_beyond_the_allowed_edges():
    """No cycle once the allowed back-edges are removed, counting that importing ``a.b.c`` first runs
    ``a/__init__`` and ``a/b/__init__`` (the cause of the ``sim.threat`` failure)."""
    gone = sorted(set(ANNOTATION_ONLY_EDGES) - edges())
    assert not gone, f"no longer imports: remove them from ANNOTATION_ONLY_EDGES: {gone}"
    for a, b in ANNOTATION_ONLY_EDGES:
        lines = [d["line_contents"] for d in graph().get_import_details(importer=a, imported=b)]
        src = (ROOT_DIR / (a.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        guarded = src.split("if TYPE_CHECKING:", 1)[-1] if "if TYPE_CHECKING:" in src else ""
        assert lines and all(f"    {line}" in guarded for line in lines), f"{a} -> {b} is not annotation-only"
    succ: dict[str, set[str]] = {m: set() for m in graph().modules}
    for a, b in edges() - set(ALLOWED_BACK_EDGES) - set(ANNOTATION_ONLY_EDGES):
        succ[a].add(b)
        succ[a].update(p for p in _ancestors(b) if p not in _ancestors(a) and p != a)
    try:
        graphlib.TopologicalSorter(succ).prepare()
    except graphlib.CycleError as e:
        pytest.fail(f"import cycle: {' -> '.join(e.args[1])}")


def _modules() -> list[str]:
    return sorted({*graph().modules, "sim.configs"})


def _import_alone(module: str) -> tuple[str, int, str]:
    proc = subprocess.run([sys.executable, "-I", "-c", f"import {module}"], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, MPLBACKEND="Agg"))
    return module, proc.returncode, (proc.stderr.strip().splitlines() or [""])[-1]


@pytest.mark.slow
def test_every_module_imports_alone_in_a_fresh_interpreter(tmp_path):
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(_import_alone, _modules()))
    failed = {m: err for m, rc, err in results if rc != 0}
    new = {m: err for m, err in failed.items() if m not in KNOWN_IMPORT_FAILURES}
    assert not new, f"cannot be imported on its own: {new}"
    fixed = sorted(set(KNOWN_IMPORT_FAILURES) - set(failed))
    assert not fixed, f"these import fine now: remove them from KNOWN_IMPORT_FAILURES: {fixed}"
