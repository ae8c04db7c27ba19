"""The Ukrainian brief: a complete gettext catalog (Babel), numbers and dates per locale, both files written."""

from __future__ import annotations

import re

import numpy as np
import pytest
import xarray as xr
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


def test_catalog_has_no_obsolete_or_fuzzy_entries():
    """Every entry of the catalog is a message id the brief uses (:func:`message_ids`), none is left as
    ``#~`` or marked fuzzy (a fuzzy entry is not compiled: the brief would show the English text)."""
    cat = _catalog()
    wanted = {m if isinstance(m, str) else m[0] for m in message_ids()}
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}
    assert not sorted(have - wanted), f"obsolete: {sorted(have - wanted)[:5]}"
    assert not list(cat.obsolete), f"#~ entries: {list(cat.obsolete)[:5]}"
    assert not [m.id for m in cat if m.id and m.fuzzy]


def test_sobol_parameter_labels_are_message_ids_and_translated():
    """The sensitivity section translates the labels of configs/sobol/*.yaml when it shows them
    (sim.report.sensitivity._label); no extraction from the code finds them, so message_ids reads them from
    the lists shipped with coldgrid: none may be missing from the catalog, nor reported as obsolete."""
    from omegaconf import OmegaConf

    from sim.report.i18n import sobol_labels
    from sim.report.sensitivity import _label
    from sim.resources import config_dir

    labels = [str(p["label"]) for f in sorted((config_dir() / "sobol").glob("*.yaml"))
              for p in OmegaConf.load(f)["parameters"] if p.get("label")]
    assert len(labels) > 20 and set(labels) == set(sobol_labels()) <= set(message_ids())
    uk = Lang("uk")
    ds = xr.Dataset(coords={"parameter": ("parameter", [f"p{i}" for i in range(len(labels))])},
                    data_vars={"parameter_label": ("parameter", labels)})
    shown = [_label(ds, i, uk) for i in range(len(labels))]
    assert not set(shown) & set(labels), "shown in English in the Ukrainian brief"


def test_catalog_check_reports_nothing(capsys):
    from sim.report.i18n import main

    assert main([]) == 0
    assert capsys.readouterr().out == ""
