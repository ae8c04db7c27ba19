"""Languages of the brief: gettext catalogs (Babel) and numbers and dates formatted per locale.

English is the source language (message ids in the code and templates). Other languages are gettext
catalogs ``sim/report/locale/<lang>/LC_MESSAGES/coldgrid.po``, compiled in memory with Babel when first
used (no binary ``.mo`` in the repository); the ``.po`` is edited by hand, and ``python -m sim.report.i18n``
lists the message ids (:func:`message_ids`) missing from or obsolete in each catalog. A
:class:`Lang` bundles the translation functions and the locale's number and date formats, and is passed
explicitly to everything that writes text (nothing global).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import gettext
import io
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from sim.config.output import LANGUAGES
from sim.report import numbers

__all__ = ["LANGUAGES", "Lang", "catalog_path", "get_lang"]

DOMAIN = "coldgrid"

#: District names with catalog entries (the 10 raions of Kyiv, as spelled in configs/city/kyiv.yaml).
PLACE_NAMES = ("Holosiivskyi", "Darnytskyi", "Desnianskyi", "Dniprovskyi", "Obolonskyi", "Pecherskyi",
               "Podilskyi", "Sviatoshynskyi", "Solomianskyi", "Shevchenkivskyi")


def catalog_path(lang: str) -> Traversable:
    """The ``.po`` file of a language (a Traversable inside the package)."""
    return resources.files("sim.report").joinpath(f"locale/{lang}/LC_MESSAGES/{DOMAIN}.po")


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    with catalog_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


@dataclass(frozen=True)
class Lang:
    """A language of the brief: ``code`` (``en``, ``uk``), translations and per-locale formats."""

    code: str = "en"

    @property
    def translations(self) -> gettext.NullTranslations:
        return _translations(self.code)

    def _(self, message: str, **kw: object) -> str:
        """Translate ``message`` and fill its ``{placeholders}`` with ``kw``."""
        text = self.translations.gettext(message)
        return text.format(**kw) if kw else text

    def n_(self, singular: str, plural: str, n: float, **kw: object) -> str:
        """Translate with a plural form chosen by ``n``."""
        text = self.translations.ngettext(singular, plural, round(float(n)))
        return text.format(**kw) if kw else text

    def place(self, name: str) -> str:
        """A district name in this language (Kyiv's raions have catalog entries; others stay as given)."""
        return self.translations.gettext(str(name)) if str(name) in PLACE_NAMES else str(name)

    # numbers, dates
    def num(self, x: float, digits: int = 2) -> str:
        return numbers.num(x, digits, locale=self.code)

    def count(self, x: float) -> str:
        return numbers.count(x, locale=self.code)

    def exact(self, x: float) -> str:
        """A configured value in full (a threshold, hours, days): ``:g`` digits, the locale's decimal sign."""
        return numbers.exact(x, locale=self.code)

    def pct(self, x: float) -> str:
        return numbers.pct(x, locale=self.code)

    def rng(self, lo: float, hi: float, whole: bool = False) -> str:
        return numbers.rng(lo, hi, whole, locale=self.code)

    def signed(self, x: float) -> str:
        return numbers.signed(x, locale=self.code)

    def date(self, t: _dt.date | np.datetime64 | pd.Timestamp, fmt: str = "d MMM y") -> str:
        """A date, e.g. ``29 Jan 2026`` / ``29 січ. 2026 р.``."""
        if isinstance(t, np.datetime64):
            t = _dt.datetime.fromisoformat(str(np.datetime_as_string(t, unit="s")))
        elif isinstance(t, pd.Timestamp):
            t = t.floor("s").to_pydatetime()  # a date of fractional days (a wave at day 1.2) has stray ns
        return format_date(t, fmt, locale=self.code)


def message_ids() -> list[str | tuple[str, str]]:
    """Every message id of the brief: extracted with Babel from the report's code and templates (``_``,
    ``n_`` and ``N_``, a message id marked where it is defined), plus the
    figure labels, definitions and units of :mod:`sim.keyfigures` (marked with ``N_``), the district names
    and the Sobol parameter labels (:func:`sobol_labels`); plural messages as ``(singular, plural)``."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir

    from sim import keyfigures

    root = Path(__file__).resolve().parent
    method_map = [("**.py", "python"), ("templates/**.j2", "jinja2")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
    out: list[str | tuple[str, str]] = []
    # Babel warns on stderr about f-strings among the *keyword* arguments (the values filled in); the
    # message ids themselves are plain literals
    with contextlib.redirect_stderr(io.StringIO()):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(root), method_map, options_map=options, keywords={"_": None, "n_": (1, 2), "N_": None}
        ):
            out.append((str(message[0]), str(message[1])) if isinstance(message, tuple | list) else message)
    out += keyfigures.message_ids() + list(PLACE_NAMES) + sobol_labels()
    return [m for m in dict.fromkeys(out) if m]


def sobol_labels() -> list[str]:
    """The parameter labels of the Sobol lists shipped with coldgrid (``configs/sobol/*.yaml``): the
    sensitivity section translates them when it shows them (:func:`sim.report.sensitivity._label`), so they
    are message ids that no extraction from the code finds. A list of one's own may carry labels the
    catalog does not know; those are shown as given."""
    import yaml

    from sim.resources import config_dir

    out = []
    for path in sorted((config_dir() / "sobol").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out += [str(p["label"]) for p in data.get("parameters") or [] if p.get("label")]
    return list(dict.fromkeys(out))


def get_lang(code: str = "en") -> Lang:
    """The :class:`Lang` for ``code``; raises ValueError for a language without a catalog."""
    if code not in LANGUAGES:
        raise ValueError(f"language {code!r} not available; choose among {', '.join(LANGUAGES)}")
    return Lang(code)


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.report.i18n``: list message ids missing from or obsolete in each catalog (``#~``
    entries too); exit status 1 if there is any."""
    import sys

    ids = message_ids()
    wanted = {m if isinstance(m, str) else m[0] for m in ids}
    status = 0
    for lang in LANGUAGES:
        if lang == "en":
            continue
        with catalog_path(lang).open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
        for m in sorted(wanted - have):
            print(f"{lang}: missing: {m!r}")
            status = 1
        for m in sorted(have - wanted) + sorted(str(k) for k in catalog.obsolete):
            print(f"{lang}: obsolete: {m!r}")
            status = 1
    print(f"{len(wanted)} message ids; catalogs: {', '.join(x for x in LANGUAGES if x != 'en')}", file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
