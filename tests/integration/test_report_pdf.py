"""The PDF brief (WeasyPrint): A4 pages with the expected text, read back with pypdf."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from sim.report import render_comparison, render_run
from sim.report.content import run_content
from tests.unit.report_fixtures import make_run, make_sweep

LABEL = "<script>alert(1)</script> pilot"


@pytest.fixture(scope="module")
def run_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    ds = make_run(label=LABEL)
    render_run(folder, ds)
    return PdfReader(folder / "report.pdf"), ds


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_pdf_pages_are_a4(run_pdf):
    reader, _ = run_pdf
    assert 3 <= len(reader.pages) <= 9
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2  # A4 in points


def test_pdf_text(run_pdf):
    reader, ds = run_pdf
    text = _text(reader)
    low = text.lower()
    for phrase in [
        "model-based scenario analysis, not a forecast",
        "highlights",
        "key figures",
        "response needs",
        "needs by district",
        "needs by day",
        "methods",
        "disclaimer",
        "indoor cold bands",
        "read this first",
    ]:
        assert phrase in low, phrase
    assert LABEL in text
    assert "UA80000000000126643" in text and "Holosiivskyi" in text
    for k in run_content(ds)["key_figures"]:
        assert k.value in text
    first = " ".join((reader.pages[0].extract_text() or "").split()).lower()
    assert "highlights" in first and "key figures" in first and "not a forecast" in first
    assert re.search(r"page 1 of \d", first)


def test_comparison_pdf(tmp_path):
    render_comparison(tmp_path, make_sweep(n_districts=3))
    reader = PdfReader(tmp_path / "comparison.pdf")
    assert 3 <= len(reader.pages) <= 9
    text = _text(reader).lower()
    assert "paired differences" in text and "chance of a cut of at least 25 %" in text
