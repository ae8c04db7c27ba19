"""``output.languages=[en,uk]`` through the command (issue 16): one run writes the English and the
Ukrainian brief, HTML and PDF, and the Ukrainian PDF holds Ukrainian text (read back with poppler's
``pdftotext``)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT
from tests.integration.test_cli_errors import COLDGRID

pytestmark = pytest.mark.slow


def test_languages_key_writes_both_briefs(tmp_path):
    run_dir = tmp_path / "run"
    r = subprocess.run([COLDGRID, "city=small_town", "realizations=2", "horizon_days=2", "output.progress=never",
                        "output.languages=[en,uk]", f"hydra.run.dir={run_dir}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    for name in ("report.html", "report.pdf", "report.uk.html", "report.uk.pdf"):
        assert (run_dir / name).is_file() and (run_dir / name).stat().st_size > 1000, name
    uk = (run_dir / "report.uk.html").read_text(encoding="utf-8")
    en = (run_dir / "report.html").read_text(encoding="utf-8")
    assert 'lang="uk"' in uk and 'lang="en"' in en
    assert "Де: потреби за районами" in uk or sum("\u0400" <= c <= "\u04ff" for c in uk) > 500
    assert not any("\u0400" <= c <= "\u04ff" for c in en.split("<style")[0])
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(run_dir / "report.uk.pdf"), "-"], capture_output=True,
                              text=True, timeout=120).stdout
        assert sum("\u0400" <= c <= "\u04ff" for c in text) > 200, text[:500]
