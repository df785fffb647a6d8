"""Every write both front ends make, decided once: the command line and the dashboard
only parse what the user typed, call one of these and show what it returns.

Each function is one write over the public Store API (`Store.update_fields`,
`Store.log_fields`, `Store.add_contact`) and returns `Written`: the touch it recorded
(or None) and the `FieldWrite` (the contact as stored, each field changed, conflicts).

`shown` is the contact as the caller read it. Only the fields that differ from it are
written. With `expect=True` (a dialog) those shown values are expected on disk: a field
changed elsewhere meanwhile is a conflict, handled as `on_conflict` says
(Store.update_fields). With `expect=False` (a command) the last writer wins.

The rules decided here:
- log: without a next step or date given, the log chain of store/rules/suggest.py `after_touch`
  (after a reached touch the old step is presumed done; after no-reply or waiting the
  step stays, dated a week out, a later planned date kept);
- next: without a date, one cadence from today (off the rest days); a date in the past is
  an error; a suggestion past the calendar's end is capped at its last day;
- snooze: a date; `snooze_warning` says when it makes the contact due sooner;
- heat: a heat, or one step warmer / cooler (`shifted_heat`);
- drop: status, dropped_on (today) and a reason (the one given, else from the history);
- cool down (instead of dropping): cool, and rescheduled one cool cadence from today;
- log keeps what it replaced on its touch (`Touch.replaced`: the step and date before and
  after), decided on disk in the same transaction; store/undo.py takes it back;
- restore: active again, no drop date or reason;
- edit: the fields given, in the value grammar of store/rules/values.py (`edit_changes`);
- add: first due the next working day unless a date is given.

Plain Python: imports no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, TypeVar

from store.errors import InputError
from store.model import DEFAULT_OUTCOME, HEATS, Channel, Contact, Heat, Outcome, Settings, Touch
from store.rules import dates
from store.rules.suggest import after_touch, cadence_date, first_date, sooner_warning
from store.rules.writes import field_changes, replaced_record

if TYPE_CHECKING:
    from store.store import FieldWrite, OnConflict, Store

T = TypeVar("T")


class _Suggested(Enum):
    SUGGESTED = "suggested"


# A date not given: the rule's suggestion (None, by contrast, is "no date").
SUGGESTED: Final = _Suggested.SUGGESTED
Due = date | None | Literal[_Suggested.SUGGESTED]

RESTORED: dict[str, Any] = {"status": "active", "dropped_on": None, "drop_reason": ""}


class Written(NamedTuple):
    """What one action wrote: the touch it recorded (or None) and the field write."""

    touch: Touch | None
    write: FieldWrite

    @property
    def contact(self) -> Contact:
        return self.write.contact


def capped(rule: Callable[..., T], *args: Any, **kwargs: Any) -> T | date:
    """A date a rule suggests, or the calendar's last day (9999-12-31) when the suggestion
    would fall after it (date arithmetic there raises OverflowError)."""
    try:
        return rule(*args, **kwargs)
    except OverflowError:
        return date.max


def check_due(due: date, today: date) -> date:
    """A next step's date: never in the past, never past the horizon (store.rules.dates)."""
    if due < today:
        raise InputError(f"a next step date can't be in the past ({due.isoformat()})")
    return dates.check_due(due, today)


# -- the suggested dates ------------------------------------------------------------


def suggested_next(contact: Contact, settings: Settings, today: date) -> date:
    """The date a next step set today gets: one cadence from today, off the rest days."""
    day = capped(lambda: cadence_date(contact, settings, today).day)
    assert isinstance(day, date)
    return day


def first_due(settings: Settings, today: date) -> date:
    """A new contact's first date: the next working day."""
    day = capped(lambda: first_date(settings, today).day)
    assert isinstance(day, date)
    return day


def log_changes(
    contact: Contact,
    outcome: Outcome,
    touch_day: date,
    settings: Settings,
    today: date,
    *,
    inbound: bool = False,
    next_step: str | None = None,
    next_due: Due = SUGGESTED,
) -> dict[str, Any]:
    """The contact's fields a touch changes: the step and date given, else the log chain.

    A step that stays is left out (the contact keeps the step it has when the write
    holds the lock)."""
    changes: dict[str, Any] = {}
    try:
        suggestion = after_touch(contact, outcome, touch_day, settings, inbound=inbound)
    except OverflowError:
        suggestion = None
    if next_step is not None:
        changes["next_step"] = next_step
    elif suggestion is not None and suggestion.was:
        changes["next_step"] = suggestion.step
    if next_due is not SUGGESTED:
        changes["next_due"] = None if next_due is None else check_due(next_due, today)
    else:
        changes["next_due"] = date.max if suggestion is None else max(suggestion.due.day, today)
    return changes


# -- the writes ---------------------------------------------------------------------


def _write(
    store: Store,
    shown: Contact,
    values: Mapping[str, Any],
    touch: Touch | None = None,
    *,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
    allow_dropped: bool = False,
) -> Written:
    changes = {k: v for k, v in values.items() if getattr(shown, k) != v}
    expected = {k: getattr(shown, k) for k in changes} if expect else None
    if touch is None:
        write = store.update_fields(
            shown.uid, changes, expected, on_conflict=on_conflict, allow_dropped=allow_dropped
        )
        return Written(None, write)
    with store.transaction():  # the record of what the log replaces, decided on disk
        try:
            current = store.contact(shown.uid)
        except InputError:
            current = None  # gone: log_fields says so
        if current is not None:
            now = store.clock.now()
            _, written, _ = field_changes(
                current, changes, expected, on_conflict, allow_dropped, now
            )
            touch = replace(touch, replaced=replaced_record(written))
        logged, write = store.log_fields(
            touch, changes, expected, on_conflict=on_conflict, allow_dropped=allow_dropped
        )
    return Written(logged, write)


def log(
    store: Store,
    shown: Contact,
    touch: Touch,
    *,
    next_step: str | None = None,
    next_due: Due = SUGGESTED,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
) -> Written:
    """Record `touch` and set the contact's next step (given, else the log chain).
    An inbound no-reply touch is refused (InputError), nothing written."""
    check_outcome(touch.outcome, inbound=touch.direction == "in")
    today = store.clock.now().date()
    changes = log_changes(
        shown,
        touch.outcome,
        touch.at.date(),
        store.settings,
        today,
        inbound=touch.direction == "in",
        next_step=next_step,
        next_due=next_due,
    )
    return _write(
        store, shown, changes, touch, expect=expect, on_conflict=on_conflict, allow_dropped=True
    )


def suggested_outcome(channel: Channel, *, inbound: bool = False) -> Outcome:
    """The outcome a touch gets unless the user says otherwise: an inbound touch (they
    contacted you) is reached; an outbound one the channel's likely outcome."""
    return "reached" if inbound else DEFAULT_OUTCOME[channel]


def check_outcome(outcome: str, *, inbound: bool) -> None:
    """An inbound touch can't be no-reply: they contacted you."""
    if inbound and outcome == "no-reply":
        raise InputError(
            "an inbound touch can't be no-reply (they contacted you): "
            "its outcome is reached or waiting"
        )


def new_touch(
    contact: Contact,
    *,
    at: datetime,
    channel: str,
    outcome: str,
    inbound: bool = False,
    note: str = "",
) -> Touch:
    """A touch to log (`log`); "in + no-reply" is refused (InputError)."""
    check_outcome(outcome, inbound=inbound)
    return Touch(
        contact_uid=contact.uid,
        at=at,
        channel=channel,  # type: ignore[arg-type]
        outcome=outcome,  # type: ignore[arg-type]
        direction="in" if inbound else "out",
        note=note,
    )


def set_next(
    store: Store,
    shown: Contact,
    step: str,
    due: Due = SUGGESTED,
    *,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
) -> Written:
    """Set the next step; without a date, one cadence from today. A past date is refused."""
    today = store.clock.now().date()
    if due is SUGGESTED:
        due = suggested_next(shown, store.settings, today)
    elif due is not None:
        check_due(due, today)
    return _write(
        store, shown, {"next_step": step, "next_due": due}, expect=expect, on_conflict=on_conflict
    )


def snooze_warning(shown: Contact, due: date) -> str:
    """A warning when snoozing to `due` makes the contact due sooner ("" otherwise)."""
    return sooner_warning(shown, due)


def snooze(
    store: Store,
    shown: Contact,
    due: date,
    *,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
) -> Written:
    """Move the next step to `due` (see `snooze_warning` for a sooner date)."""
    check_due(due, store.clock.now().date())
    return _write(store, shown, {"next_due": due}, expect=expect, on_conflict=on_conflict)


def shifted_heat(heat: Heat, step: int) -> Heat | None:
    """One step warmer (-1) or cooler (+1), or None past hot or cool."""
    index = HEATS.index(heat) + step
    return HEATS[index] if 0 <= index < len(HEATS) else None


def set_heat(
    store: Store,
    shown: Contact,
    heat: Heat,
    *,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
) -> Written:
    return _write(store, shown, {"heat": heat}, expect=expect, on_conflict=on_conflict)


def cool_down(
    store: Store,
    shown: Contact,
    *,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
) -> Written:
    """Cool down instead of dropping: to cool, and the next step rescheduled one cool
    cadence from today (off the rest days; the contact's own cadence, if set, holds; a
    date planned later is kept)."""
    cooled = replace(shown, heat="cool")
    due = suggested_next(cooled, store.settings, store.clock.now().date())
    if shown.next_due is not None and shown.next_due > due:
        due = shown.next_due  # a date planned later than that is kept
    return _write(
        store, shown, {"heat": "cool", "next_due": due}, expect=expect, on_conflict=on_conflict
    )


def drop_reason(reason: str, touches: Sequence[Touch]) -> str:
    """The reason given, else one read from the history."""
    from store.rules.stats import summarize

    if reason.strip():
        return reason.strip()
    run = summarize(list(touches)).unanswered_run
    return f"{run} unanswered in a row" if run else "stopped following up"


def drop(
    store: Store,
    shown: Contact,
    reason: str = "",
    touches: Sequence[Touch] | None = None,
    *,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
) -> Written:
    """Stop following up: dropped today, with a reason (given, else from the history)."""
    history = store.touches(shown.uid) if touches is None else touches
    values = {
        "status": "dropped",
        "dropped_on": store.clock.now().date(),
        "drop_reason": drop_reason(reason, history),
    }
    return _write(store, shown, values, expect=expect, on_conflict=on_conflict)


def restore(
    store: Store, shown: Contact, *, expect: bool = False, on_conflict: OnConflict = "stop"
) -> Written:
    """Bring a dropped contact back."""
    return _write(store, shown, RESTORED, expect=expect, on_conflict=on_conflict)


def edit_changes(
    shown: Contact,
    *,
    value: str | None = None,
    cadence: str | None = None,
    tags: Iterable[str] = (),
    untags: Iterable[str] = (),
    **fields: Any,
) -> dict[str, Any]:
    """The fields an edit sets, read in the one grammar (store/rules/values.py for a value;
    a cadence is a number of days or "default"; tags added and removed)."""
    changes = {k: v for k, v in fields.items() if v is not None}
    if value is not None:
        from store.rules.values import parse_value

        changes["value"] = None if value.strip().casefold() in ("", "none") else parse_value(value)
    if cadence is not None:
        changes["cadence_days"] = parse_cadence(cadence)
    added = [t.strip() for t in tags if t.strip()]
    removed = {t.strip().casefold() for t in untags if t.strip()}
    if added or removed:
        kept = [t for t in shown.tags if t.casefold() not in removed]
        for tag in added:
            if tag.casefold() not in {t.casefold() for t in kept}:
                kept.append(tag)
        changes["tags"] = tuple(kept)
    return changes


def parse_cadence(text: str) -> int | None:
    """A contact's own cadence: whole days (1 to 365), or "default" (the heat's)."""
    word = text.strip().casefold()
    if word in ("default", "none", ""):
        return None
    try:
        days = int(word.removesuffix("d"))
    except ValueError:
        raise InputError(
            f"a cadence is a number of days or 'default'; not {text.strip()!r}"
        ) from None
    if not 1 <= days <= 365:
        raise InputError(f"a cadence is 1 to 365 days; not {days}")
    return days


def edit(
    store: Store,
    shown: Contact,
    values: Mapping[str, Any],
    *,
    expect: bool = False,
    on_conflict: OnConflict = "stop",
) -> Written:
    """Change the fields in `values` (already read: see `edit_changes`)."""
    return _write(store, shown, values, expect=expect, on_conflict=on_conflict)


def add(store: Store, contact: Contact) -> Contact:
    """Add a contact; without a date its first follow-up is the next working day. A past
    date is refused."""
    today = store.clock.now().date()
    if contact.next_due is None:
        contact = replace(contact, next_due=first_due(store.settings, today))
    else:
        check_due(contact.next_due, today)
    return store.add_contact(contact)


def newest_touch(touches: Iterable[Touch]) -> Touch | None:
    from store.rules.format import touch_order

    return max(touches, key=touch_order, default=None)
