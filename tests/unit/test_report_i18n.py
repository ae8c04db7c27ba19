"""The Ukrainian brief: a complete gettext catalog (Babel), numbers and dates per locale, both files written."""

from __future__ import annotations

import re

import numpy as np
import pytest
from babel.messages.pofile import read_po

from sim.report import render_run
from sim.report.brief import build_html
from sim.report.i18n import Lang, catalog_path, get_lang, message_ids
from tests.unit.report_fixtures import make_run, make_sweep


def _catalog():
    with catalog_path("uk").open("rb") as fh:
        return read_po(fh, locale="uk", domain="coldgrid")


def test_catalog_translates_every_message_with_the_same_placeholders():
    cat = _catalog()
    missing, bad = [], []
    for mid in message_ids():
        msg = cat.get(mid)
        if msg is None or not msg.string or (isinstance(msg.string, tuple) and not all(msg.string)):
            missing.append(mid)
            continue
        sources = mid if isinstance(mid, tuple) else (mid,)
        texts = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        for text in texts:
            src = sources[-1]
            same = all(
                set(re.findall(pattern, src)) == set(re.findall(pattern, text))
                for pattern in (r"\{(\w+)\}", r"%\((\w+)\)s")
            )
            if not same or src.count("%%") != text.count("%%"):
                bad.append((mid, text))
    assert not missing, f"untranslated: {missing[:5]}"
    assert not bad, f"placeholders differ: {bad[:3]}"


def test_numbers_and_dates_per_locale():
    uk, en = Lang("uk"), Lang("en")
    assert uk.count(192525) == "190\xa0000" and en.count(192525) == "190,000"
    assert uk.num(1_234_567) == "1,2 мільйона" and en.num(1_234_567) == "1.2 million"
    assert uk.num(4.46) == "4,5"
    assert uk.date(np.datetime64("2026-01-29T00:00"), "d MMMM") == "29 січня"
    assert uk.n_("strikes pause for {days} day from {start}", "strikes pause for {days} days from {start}", 7,
                 days=7, start="x") == "удари призупиняються на 7 днів з x"
    with pytest.raises(ValueError, match="not available"):
        get_lang("de")


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """A run whose config asks for [en, uk]: render_run writes both briefs without being told."""
    folder = tmp_path_factory.mktemp("both")
    ds = make_run(n_districts=4)
    ds.attrs["config"] = ds.attrs["config"] + "output:\n  languages: [en, uk]\n"
    paths = render_run(folder, ds, pdf=False)
    return folder, paths


def test_render_run_writes_both_languages(both):
    folder, paths = both
    names = {p.name for p in paths}
    assert {"report.html", "report.uk.html", "headline.csv", "triggers.csv", "summary.csv"} <= names
    assert (folder / "figures" / "uk" / "fan_chart.svg").exists() and (folder / "figures" / "fan_chart.svg").exists()


def test_ukrainian_brief_is_ukrainian_with_the_same_figures(both):
    folder, _ = both
    en = (folder / "report.html").read_text(encoding="utf-8")
    uk = (folder / "report.uk.html").read_text(encoding="utf-8")
    assert '<html lang="uk">' in uk and "Ключові показники" in uk and "Головне" in uk and "Сценарна довідка" in uk
    assert "Key figures" not in uk and "Highlights" not in uk
    assert "Голосіївський" in uk and "Holosiivskyi" in en
    pat = r'data-figure="([a-z0-9_]+)">\s*<div class="kf-value">([^<]*)</div>'
    en_kf, uk_kf = dict(re.findall(pat, en)), dict(re.findall(pat, uk))
    assert en_kf.keys() == uk_kf.keys() and len(en_kf) >= 6
    for key, value in en_kf.items():  # the same number, Ukrainian digit grouping and decimal comma
        assert uk_kf[key].replace("\xa0", ",").replace(",", ".") == value.replace(",", "."), key


def test_ukrainian_comparison(tmp_path):
    html, _ = build_html(make_sweep(n_districts=2), kind="comparison", lang="uk")
    assert "Парні різниці" in html and "медіана парних різниць" in html
