"""Plain-language numbers for briefs: rounding, hedging and ranges.

OCHA and REACH products round big numbers and hedge them ("around 190,000 people"); a brief never shows
more precision than the Monte Carlo spread supports. All functions return plain strings (the templates
escape them); ``locale`` formats digits, separators and "million" per language (Babel, CLDR data).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import format_compact_decimal, format_decimal

__all__ = ["around", "at_least", "count", "exact", "exact_text", "num", "pct", "rng", "sig", "signed"]


def sig(x: float, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` significant digits (integers below 100 stay exact when ``digits`` >= 2).

    >>> sig(192525.0), sig(1234.0), sig(87.4), sig(0.0)
    (190000.0, 1200.0, 87.0, 0.0)
    """
    x = float(x)
    if not math.isfinite(x) or x == 0:
        return 0.0 if x == 0 else x
    if abs(x) < 100:
        return float(round(x)) if abs(x) >= 10 else round(x, 1)
    mag = math.floor(math.log10(abs(x)))
    return float(round(x, -(mag - digits + 1)))


def num(x: float, digits: int = 2, locale: str = "en") -> str:
    """A rounded number for reading: 190,000; 1.2 million; 87; 4.5; 0 (``uk``: 190 000; 1,2 мільйона).

    >>> num(192525), num(1_234_567), num(4.46), num(0.2), num(-3400)
    ('190,000', '1.2 million', '4.5', '0.2', '-3,400')
    >>> num(192525, locale="uk"), num(4.46, locale="uk")
    ('190\xa0000', '4,5')
    """
    x = sig(x, digits)
    if not math.isfinite(x):
        return "–"
    if abs(x) >= 1e6:
        return format_compact_decimal(x, format_type="long", locale=locale, fraction_digits=max(digits - 1, 0))
    if abs(x) >= 10 or x == int(x):
        return format_decimal(x, "#,##0", locale=locale)
    return format_decimal(x, "0.0", locale=locale)


def exact(x: float, locale: str = "en") -> str:
    """A configured value in full, not rounded (a threshold, hours, days, a multiplier, a household size): the
    digits of Python's ``:g``, with the locale's decimal sign and digit grouping.

    >>> exact(-27.5), exact(2.42), exact(72.0), exact(-27.5, locale="uk"), exact(2.42, locale="uk")
    ('-27.5', '2.42', '72', '-27,5', '2,42')
    """
    return exact_text(f"{float(x):g}", locale)


def exact_text(text: str, locale: str = "en") -> str:
    """A number written in Python's plain notation ("-25.0", "1.2"; from a recorded text) in the locale's
    symbols, its digits kept (no rounding, no digits added); anything else (exponents, words) as given.

    >>> exact_text("-25.0"), exact_text("-25.0", "uk"), exact_text("12500", "uk"), exact_text("x.csv", "uk")
    ('-25.0', '-25,0', '12\xa0500', 'x.csv')
    """
    text = str(text)
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    k = len(text.partition(".")[2])
    return format_decimal(Decimal(text), "#,##0" + ("." + "0" * k if k else ""), locale=locale)


def count(x: float, locale: str = "en") -> str:
    """A count of people, households, buildings or places: whole numbers, then rounded like :func:`num`.

    >>> count(9.8), count(0.4), count(192525)
    ('10', '0', '190,000')
    """
    return num(float(round(float(x))), locale=locale)


def signed(x: float, locale: str = "en") -> str:
    """A rounded difference with its sign: +1,200, −3,400 (a true minus sign), 0.

    >>> signed(-3412), signed(1234), signed(0.2), signed(0.0)
    ('−3,400', '+1,200', '+0.2', '0')
    """
    text = num(abs(float(x)), locale=locale)
    if text == "0" or not math.isfinite(float(x)):
        return text
    return ("+" if x > 0 else "−" if x < 0 else "") + text


def around(x: float, unit: str = "") -> str:
    """Hedged median: "around 190,000 people" (counts are whole); "no people" when it rounds to zero.

    >>> around(192525, "people"), around(9.8, "children"), around(0.2, "people"), around(4.46)
    ('around 190,000 people', 'around 10 children', 'no people', 'around 4.5')
    """
    if unit:
        x = float(round(float(x)))
        if x == 0:
            return f"no {unit}"
        return f"around {num(x)} {unit}"
    return f"around {num(x)}"


def at_least(x: float, unit: str = "") -> str:
    """Lower bound (a p5): "at least 120,000 people".

    >>> at_least(128883.6, "people")
    'at least 120,000 people'
    """
    tail = f" {unit}" if unit else ""
    x = float(x)
    if x >= 100:  # round down, so that "at least" stays true
        step = 10.0 ** (math.floor(math.log10(x)) - 1)
        x = math.floor(x / step) * step
    elif x >= 0:
        x = math.floor(x)
    return f"at least {num(x)}{tail}"


def rng(lo: float, hi: float, whole: bool = False, locale: str = "en") -> str:
    """A 90 % range "120,000-250,000" (en dash); one value when both round alike; ``whole``: counts.

    >>> rng(121883.6, 251965.8), rng(5, 5), rng(0.1, 20.4, whole=True)
    ('120,000–250,000', '5', '0–20')
    """
    a, b = (count(lo, locale), count(hi, locale)) if whole else (num(lo, locale=locale), num(hi, locale=locale))
    if a == b:
        return a
    sep = " … " if (lo < 0 or hi < 0) else "–"
    return f"{a}{sep}{b}"


def pct(x: float, locale: str = "en") -> str:
    """A probability or share in [0, 1] as a rounded percentage; 0 % and 100 % only when exact.

    >>> pct(0.834), pct(1.0), pct(0.999), pct(0.0), pct(0.004)
    ('83 %', '100 %', '>99 %', '0 %', '<1 %')
    """
    x = float(x)
    if not math.isfinite(x):
        return "–"
    if x <= 0:
        return "0 %"
    if x >= 1:
        return "100 %"
    if x < 0.01:
        return "<1 %"
    if x > 0.99:
        return ">99 %"
    return f"{round(100 * x):d} %"
