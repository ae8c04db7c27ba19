"""The figures of a run are computed once for its tables and once per brief language, not once per file:
``headline_frame`` of a Kyiv run takes seconds, and a run computed it for the console summary, again for
``headline.csv`` and again for the brief; a comparison brief built each pair side's figures twice (its
tables, then its figures). Counted, not timed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.report import brief, content, exports
from tests.cli_runner import run_in_process as run
from tests.unit.report_fixtures import make_sweep


def _count(monkeypatch: pytest.MonkeyPatch, module, name: str) -> list[int]:
    calls = [0]
    real = getattr(module, name)

    def counted(*a, **k):
        calls[0] += 1
        return real(*a, **k)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize(("report", "expected"), [("false", 1), ("true", 2)])
def test_a_run_computes_its_headline_frame_once_plus_once_for_its_brief(tmp_path: Path, monkeypatch, report,
                                                                        expected):
    calls = _count(monkeypatch, exports, "headline_frame")
    monkeypatch.setattr(content, "headline_frame", exports.headline_frame)  # the brief's own import
    r = run("city=small_town", "realizations=2", "horizon_days=1", f"output.report={report}", "output.pdf=false",
            "output.progress=never", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "run" / "headline.csv").is_file()
    assert calls[0] == expected


def test_a_comparison_brief_builds_each_pairs_figures_once(monkeypatch):
    calls = _count(monkeypatch, content, "PairFigures")
    html, figs = brief.build_html(make_sweep(n_real=6, n_districts=4), kind="comparison")
    assert "Scenario comparison" in html and figs
    assert calls[0] == 1  # one pair, one language
