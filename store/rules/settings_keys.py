"""The settings as keys and values a user types: the `,` screen and `followup config`.

    cadence.hot / cadence.warm / cadence.cool   days, 1-3650
    rest-days      "sat,sun", "fri", "none"
    high-value     a number (a contact worth this much is never told to stop)
    date-order     day-first | month-first (how 3/12 is read); until set, or set to
                   "locale", as the locale writes dates (store.locale)
    daily-target   contacts a day for the review, 1-500

`show(settings)` gives each key's text; `apply(settings, key, text)` gives new Settings,
or raises InputError with a one-line reason (nothing changed).
"""

from __future__ import annotations

from dataclasses import replace

from store.errors import InputError
from store.model import DATE_ORDERS, HEATS, Settings

DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CADENCE_MAX = 3650
TARGET_MAX = 500
LOCALE = "locale"  # the date order is not set: it follows the locale

KEYS: dict[str, str] = {  # each description fits a 60-column screen
    "cadence.hot": "days between follow-ups of hot contacts",
    "cadence.warm": "days between follow-ups of warm ones",
    "cadence.cool": "days between follow-ups of cool ones",
    "rest-days": "days off: sat,sun or none",
    "high-value": "worth this much: never told to stop",
    "date-order": "3/12 is: day-first or month-first",
    "daily-target": "contacts a day in the review",
}


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def show(settings: Settings) -> dict[str, str]:
    """Every key's current value, as the user would type it."""
    rest = ",".join(DAY_WORDS[d] for d in sorted(settings.rest_days)) or "none"
    return {
        **{f"cadence.{heat}": str(settings.cadence_for(heat)) for heat in HEATS},
        "rest-days": rest,
        "high-value": _number(settings.high_value),
        "date-order": "day-first" if settings.day_first else "month-first",
        "daily-target": str(settings.daily_target),
    }


def _whole(text: str, key: str, top: int) -> int:
    word = text.strip()
    if not word.isdigit() or not 1 <= int(word) <= top:
        raise InputError(f"{key} is a whole number from 1 to {top}, not {text.strip()!r}")
    return int(word)


def _rest_days(text: str) -> tuple[int, ...]:
    words = [w for w in text.replace(" ", ",").lower().split(",") if w]
    if words in ([], ["none"]):
        return ()
    days = set()
    for word in words:
        if word[:3] not in DAY_WORDS:
            raise InputError(f"rest-days are day names like sat,sun (or none), not {word!r}")
        days.add(DAY_WORDS.index(word[:3]))
    if len(days) == 7:
        raise InputError("rest-days can't be every day of the week")
    return tuple(sorted(days))


def _amount(text: str) -> float:
    """A value in the one grammar of contacts' values (store/rules/values.py): 10000, 10,000,
    10k, $10k, 1.5m."""
    from store.rules.values import parse_value

    try:
        return parse_value(text)
    except InputError as error:
        raise InputError(f"high-value is a number like 10000 or 10k: {error}") from None


def apply(settings: Settings, key: str, text: str, *, explicit: bool = False) -> Settings:
    """`settings` with `key` set from `text`; InputError names what is wrong.

    A date-order that follows the locale stays so when `text` is what `show` gives (a
    screen saving every key changes nothing it was not told to); `explicit` (the user
    named this key) sets it even then."""
    key = key.strip().lower().replace("_", "-")
    if key.startswith("cadence."):
        heat = key.split(".", 1)[1]
        if heat not in HEATS:
            raise InputError(f"no setting {key!r} (cadence.hot, cadence.warm, cadence.cool)")
        cadence = dict(settings.cadence)
        cadence[heat] = _whole(text, key, CADENCE_MAX)
        return replace(settings, cadence=cadence)
    if key == "rest-days":
        return replace(settings, rest_days=_rest_days(text))
    if key == "high-value":
        return replace(settings, high_value=_amount(text))
    if key == "date-order":
        word = text.strip().lower()
        unchanged = not explicit and word == show(settings)[key]
        if word == LOCALE or (settings.date_order is None and unchanged):
            return replace(settings, date_order=None)  # (still) as the locale says
        for order in DATE_ORDERS:
            if word == order:
                return replace(settings, date_order=order)
        raise InputError(
            f"date-order is day-first or month-first (or locale), not {text.strip()!r}"
        )
    if key == "daily-target":
        return replace(settings, daily_target=_whole(text, key, TARGET_MAX))
    raise InputError(f"no setting {key!r} (one of: {', '.join(KEYS)})")
