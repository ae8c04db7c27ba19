"""Shared fixtures (the real configs composed with hydra.compose, shrunk for tests) and the CI rule that
a test needing Chromium, Ray or ``../shared`` must not be skipped.

Locally such a test may skip (``-ra`` lists it with its reason, and the summary ends with a warning);
with ``COLDGRID_REQUIRE_ALL=1`` (set by ``.ci/run``, which installs all three) the skip becomes a
failure. A skip counts as required when the test is marked ``@pytest.mark.requires("<part>")`` or when
its reason names one of the parts in :data:`REQUIRED_PARTS`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from omegaconf import DictConfig

from sim.config.load import compose_config as _compose
from sim.resources import config_dir

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = str(config_dir())  # configs/ of this tree (editable install), as the CLI finds it
#: ``../shared`` beside the repository: public data (``data/``) and the contract checker (``tools/``).
SHARED = ROOT.parent / "shared"

#: Parts a CI run must have, and how a skip reason names each of them.
REQUIRED_PARTS: dict[str, re.Pattern[str]] = {
    "chromium": re.compile(r"chromium", re.IGNORECASE),
    "ray": re.compile(r"\bray\b", re.IGNORECASE),
    "shared": re.compile(r"\.\./shared|\bshared/|GHCN|EPW|TMY3", re.IGNORECASE),
}
#: The environment variable that turns a skipped required test into a failure.
REQUIRE_ALL_ENV = "COLDGRID_REQUIRE_ALL"
#: The required skips of this session: (node id, parts, reason).
_SKIPPED = pytest.StashKey[list[tuple[str, list[str], str]]]()
_REQUIRED_SKIP = "coldgrid_required_skip"
_SESSION_CONFIG: list[pytest.Config] = []


def _config_of_session() -> pytest.Config:
    return _SESSION_CONFIG[-1]


def compose_config(overrides: list[str] | None = None) -> DictConfig:
    """Compose the project's real config with overrides (as the CLI would)."""
    return _compose(list(overrides or []))


@pytest.fixture(autouse=True)
def _fresh_config_cache() -> None:
    """Each test parses a run's config anew (sim.keyfigures caches it by text): no test depends on the ones
    before it, and mutation testing maps every test that reads a config to the parser."""
    from sim import keyfigures

    keyfigures._parsed_config.cache_clear()


@pytest.fixture
def small_cfg() -> DictConfig:
    """A tiny scenario: small_town, 3 realizations, 2 days."""
    return compose_config(["city=small_town", "realizations=3", "horizon_days=2"])


def require_all() -> bool:
    """True when skipped required tests fail (``COLDGRID_REQUIRE_ALL`` set to anything but ``0``/empty)."""
    return os.environ.get(REQUIRE_ALL_ENV, "") not in ("", "0")


def skip_reason(report: pytest.TestReport) -> str:
    """The reason of a skipped test's report (``Skipped: `` prefix removed)."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def required_parts(item: pytest.Item, reason: str) -> list[str]:
    """The required parts a skip stands for: those named by ``requires`` markers, then by the reason."""
    parts = [str(arg) for mark in item.iter_markers("requires") for arg in mark.args]
    parts += [name for name, pattern in REQUIRED_PARTS.items() if pattern.search(reason) and name not in parts]
    return parts


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"requires(part): needs one of {', '.join(REQUIRED_PARTS)}; a skip fails when {REQUIRE_ALL_ENV}=1",
    )
    config.stash[_SKIPPED] = []
    _SESSION_CONFIG.append(config)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = skip_reason(report)
    parts = required_parts(item, reason)
    if not parts:
        return
    # user_properties travel with the report from an xdist worker to the controller, which prints the summary
    report.user_properties.append((_REQUIRED_SKIP, (parts, reason)))
    if require_all():
        report.outcome = "failed"
        report.longrepr = (f"required test skipped ({', '.join(parts)}; {REQUIRE_ALL_ENV}=1): {reason}")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == _REQUIRED_SKIP:
            parts, reason = value
            _config_of_session().stash[_SKIPPED].append((report.nodeid, list(parts), str(reason)))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = config.stash.get(_SKIPPED, [])
    if not skipped:
        return
    parts = sorted({p for _, ps, _ in skipped for p in ps})
    verdict = "failed" if require_all() else "skipped; CI fails on these"
    terminalreporter.write_sep("=", f"{len(skipped)} required test(s) {verdict}: needs {', '.join(parts)}",
                               yellow=not require_all(), red=require_all())
    for nodeid, ps, reason in skipped:
        terminalreporter.write_line(f"  {nodeid} [{', '.join(ps)}]: {reason}")
