"""Reading the command line's values: channels, outcomes, heats, numbers, names, dates.

Each parser raises `InputError` with one line naming the option and the choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from store.errors import InputError, NotFound
from store.model import CHANNEL_KEYS, CHANNELS, HEATS, KINDS, OUTCOMES, Contact

if TYPE_CHECKING:
    from store.store import Store

# The words people use for a channel, on the command line.
CHANNEL_WORDS = {
    "phone": "call", "phone call": "call", "mail": "email", "e-mail": "email",
    "sms": "text", "message": "text", "linkedin": "social", "letters": "letter",
}  # fmt: skip

_OUTCOME_WORDS = {
    "noreply": "no-reply",
    "no reply": "no-reply",
    "no_reply": "no-reply",
    "none": "no-reply",
    "answered": "reached",
    "sent": "waiting",
}


def channel(text: str, option: str = "--via") -> str:
    """A channel by its name, its letter or a word people use for it (phone, sms...)."""
    word = " ".join(text.strip().casefold().split())
    if word in CHANNELS:
        return word
    if word in CHANNEL_KEYS:
        return CHANNEL_KEYS[word]
    if word in CHANNEL_WORDS:
        return CHANNEL_WORDS[word]
    keys = " ".join(CHANNEL_KEYS)
    raise InputError(
        f"{option}: unknown channel {text.strip()!r} (choose from {', '.join(CHANNELS)}, "
        f"or one letter: {keys})"
    )


def outcome(text: str) -> str:
    word = " ".join(text.strip().casefold().split())
    word = _OUTCOME_WORDS.get(word, word)
    if word in OUTCOMES:
        return word
    starts = [o for o in OUTCOMES if word and o.startswith(word)]
    if len(starts) == 1:
        return starts[0]
    raise InputError(
        f"--outcome: unknown outcome {text.strip()!r} (choose from {', '.join(OUTCOMES)})"
    )


def choice(text: str, allowed: Sequence[str], option: str) -> str:
    word = text.strip().casefold()
    if word in allowed:
        return word
    raise InputError(f"{option}: unknown value {text.strip()!r} (choose from {', '.join(allowed)})")


def heat(text: str, option: str = "--heat") -> str:
    return choice(text, HEATS, option)


def kind(text: str) -> str:
    return choice(text, KINDS, "--kind")


def value(text: str) -> float:
    """--value in the one grammar the form uses too (store/rules/values.py)."""
    from store.rules.values import parse_value

    try:
        return parse_value(text)
    except InputError as error:
        raise InputError(f"--value: {error}") from None


def step_text(text: str, what: str = "the next step") -> str:
    if not text.strip():
        raise InputError(f"{what} can't be empty")
    return text.strip()


def due(text: str, today: date, day_first: bool, option: str = "--due") -> date:
    """A next step's date: never in the past."""
    from store.rules.dates import parse_due

    if not text.strip():
        raise InputError(f"{option} needs a date (today, tomorrow, fri, +3d, 2026-12-03...)")
    return parse_due(text, today, day_first=day_first)


def when(text: str, now: datetime, day_first: bool) -> datetime:
    """The moment a touch happened: never in the future."""
    from store.rules.dates import parse_when

    if not text.strip():
        raise InputError("--at needs a date or time (yesterday, 2026-11-20 14:30...)")
    return parse_when(text, now, day_first=day_first)  # refuses a moment in the future


def find(
    store: Store, name: str | Sequence[str], *, dropped: bool = False, anyone: bool = False
) -> Contact:
    """The contact NAME means: among the active ones, the dropped ones, or (`anyone`) all."""
    import shlex

    from store.rules.names import describe, match_contact
    from store.rules.text import clean

    query = name if isinstance(name, str) else " ".join(name)
    found = _by_id(store, query)
    if found is not None and (anyone or (found.status == "dropped") == dropped):
        return found  # an #id builds its one record, not every contact
    if anyone:
        pool = store.contacts(include_dropped=True)
    elif dropped:
        pool = store.dropped()
    else:  # only the contacts the name can match are built (a name, prefix or substring)
        pool = store.contacts_named(query) or store.contacts()
    try:
        return match_contact(query, pool)
    except NotFound as error:
        others = [] if anyone else store.contacts() if dropped else store.dropped()
        try:
            other = match_contact(query, others)
        except InputError:
            other = None
        if other is not None and dropped:
            raise InputError(f"{describe(other)} is active, not dropped") from None
        if other is not None:
            raise InputError(
                f"{clean(' '.join(other.name.split()))} is dropped: "
                f"followup restore {shlex.quote(query.strip())}"
            ) from None
        if error.candidates:
            raise NotFound(
                f"{error}; did you mean: {', '.join(error.candidates)}?", error.candidates
            ) from None
        raise


def _by_id(store: Store, query: str) -> Contact | None:
    """The contact an "#id" names, read alone; None for a name, or when there is no such
    record or it can't be read (`find` then says why, as for any name)."""
    from store.rules.names import ID_RE, fold

    by_id = ID_RE.fullmatch(fold(query))
    if by_id is None:
        return None
    try:
        return store.contact_by_id(int(by_id.group(1)))
    except InputError:
        return None
