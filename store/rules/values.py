"""A contact's value (deal size) as people type it: one grammar for the form and the CLI.

    parse_value("12000") == parse_value("12,000") == parse_value("12 000") == 12000.0
    parse_value("12k") == parse_value("$12k") == parse_value("€12k") == 12000.0
    parse_value("1.5m") == 1500000.0;  parse_value("2,500.50") == 2500.5

A number is digits with an optional decimal point, its thousands optionally grouped by
commas, spaces or underscores (one kind, groups of exactly three), an optional currency
sign before or after it and an optional k (thousand) or m (million). What could be read
two ways is refused instead of guessed: "12,5" (12.5 or 125?) and "12.000" (12 or 12000?).
A value is never negative, and at most VALUE_MAX, the bound the store enforces.

Plain Python: imports no Textual.
"""

from __future__ import annotations

import re
from decimal import Decimal

from store.errors import InputError

# Values are kept as floats; up to this size every whole number is exact.
VALUE_MAX = 1e15

CURRENCY = "$€£¥"
UNITS = {"": 1, "k": 1_000, "m": 1_000_000}
EXAMPLES = "like 12000, 12,000, 12k, $12k or 1.5m"

_SPACES = re.compile("[\\s\u00a0\u2009\u202f]+")
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_GROUPED = re.compile(r"\d{1,3}(?:(?P<sep>[, _])\d{3})(?:(?P=sep)\d{3})*(?:\.\d+)?")


def value_bound_error(number: float) -> str | None:
    """Why the store would refuse `number` as a value, or None."""
    if not abs(number) <= VALUE_MAX:  # also NaN
        return f"a value can be at most {VALUE_MAX:,.0f}"
    return None


def parse_value(text: str) -> float:
    """The value `text` spells; InputError (one line, naming the text) if it spells none,
    could be read two ways, or is out of the store's bounds."""
    raw = text.strip()
    if not raw:
        raise InputError(f"a value is a number, {EXAMPLES}")
    body = _SPACES.sub(" ", raw)
    if body[0] in "-−":
        raise InputError(f"a value can't be negative; not {raw!r}")
    if body[:1] and body[0] in CURRENCY:
        body = body[1:].lstrip()
    elif body[-1:] and body[-1] in CURRENCY:
        body = body[:-1].rstrip()
    unit = body[-1:].casefold() if body[-1:].casefold() in ("k", "m") else ""
    if unit:
        body = body[:-1].rstrip()
    if _PLAIN.fullmatch(body):
        digits = body
        whole, _, decimals = body.partition(".")
        if len(decimals) == 3 and not unit and whole not in ("", "0"):
            short = decimals.rstrip("0")
            other = f"{whole}.{short}" if short else whole
            raise InputError(f"{raw!r} could be read two ways: write {whole}{decimals} or {other}")
    elif (grouped := _GROUPED.fullmatch(body)) is not None:
        digits = body.replace(grouped["sep"], "")
    elif "," in body and re.fullmatch(r"[\d.,]+", body):
        raise InputError(
            f"{raw!r} could be read two ways: use a point for decimals (12.5) and commas "
            "only between groups of three digits (12,500)"
        )
    else:
        raise InputError(f"a value is a number, {EXAMPLES}; not {raw!r}")
    number = float(Decimal(digits) * UNITS[unit])
    problem = value_bound_error(number)
    if problem is not None:
        raise InputError(f"{problem}; not {raw!r}")
    return number
