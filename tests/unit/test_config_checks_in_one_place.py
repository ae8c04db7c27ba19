"""No module outside ``sim.config`` raises ConfigError for a plain config-value check.

Type, range, allowed-name and cross-key checks of config values live next to each group's schema in
``sim/config`` and run in :func:`sim.config.validate.validate` before any stage. A ``ConfigError(...)``
outside ``sim/config`` is allowed only where the check needs data that exists once the run has started, or
where it translates another error; :data:`ALLOWED` lists each by file with its count and reason
(``docs/decisions.md``, "Config checks in one place"). The test fails on a new one and on a listed one
that is gone, so the list can only shrink.
"""

from __future__ import annotations

import ast
from collections import Counter

from tests.conftest import ROOT

SIM = ROOT / "sim"

#: file (relative to sim/) -> (number of ConfigError(...) calls, why they are not in sim/config)
ALLOWED: dict[str, tuple[int, str]] = {
    "city.py": (2, "stock archetype names and kinds: the archetype table sim.archetypes is model data, a layer "
                   "after sim.config"),
    "network/build.py": (1, "city.grid.links ends: boiler-house clusters are named when the network is built"),
    "threat.py": (1, "attacks.hits node names: known once the network is built (coldgrid --nodes lists them)"),
    "sensitivity.py": (1, "resume of a Sobol sweep: compares with the design file already in the sweep folder"),
    "cli.py": (10, "turns Hydra's and OmegaConf's errors (and a --nodes argument) into one-line ConfigErrors"),
}


def calls_in(source: str) -> int:
    """``ConfigError(...)`` and ``errors.ConfigError(...)`` calls in Python source (comments and
    docstrings do not count)."""
    n = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            n += name == "ConfigError"
    return n


def config_error_calls() -> Counter[str]:
    """``ConfigError(...)`` calls per module of sim/ outside sim/config."""
    found: Counter[str] = Counter()
    for path in sorted(SIM.rglob("*.py")):
        rel = path.relative_to(SIM).as_posix()
        if not rel.startswith("config/") and (n := calls_in(path.read_text(encoding="utf-8"))):
            found[rel] = n
    return found


def test_config_value_checks_live_in_sim_config():
    found = config_error_calls()
    allowed = {f: n for f, (n, _) in ALLOWED.items()}
    new = {f: n for f, n in found.items() if n > allowed.get(f, 0)}
    assert not new, (f"ConfigError raised outside sim/config: {new}; move the check next to the group's schema "
                     "in sim/config (called by sim.config.validate.validate), or list it in ALLOWED with the "
                     "run-time data it needs")
    gone = {f: n for f, n in allowed.items() if found.get(f, 0) < n}
    assert not gone, f"fewer ConfigErrors than ALLOWED lists (shrink the list): {gone} vs found {dict(found)}"


def test_the_scan_counts_calls_not_mentions():
    source = (
        '"""Raises ConfigError(...) in a docstring."""\n'
        "from sim import errors\nfrom sim.errors import ConfigError\n"
        "# ConfigError('a comment')\n"
        "def f(x):\n    if x:\n        raise ConfigError('x')\n    raise errors.ConfigError('y')\n"
        "e = ConfigError\n"
    )
    assert calls_in(source) == 2
