"""The commands that change the database: add, log, next, snooze, heat, drop, restore, demo.

Every value is read and checked before the first write, so a bad one leaves the
database untouched; each command then writes once, in one transaction.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from store import actions, undo
from store.errors import InputError
from store.model import Contact, Settings, Touch
from store.rules.format import newest_first, plural
from store.rules.text import clean
from tui.cli import args as arg
from tui.cli.output import due_text, hint, next_text, out, past_text, print_json, value_text

if TYPE_CHECKING:
    from store.rules.nudges import Nudge
    from store.store import Store


def _hints(*groups: Iterable[Nudge]) -> None:
    seen: set[str] = set()
    for group in groups:
        for nudge in group:
            if nudge.kind not in seen:
                seen.add(nudge.kind)
                hint(nudge.text)


def _done(args: argparse.Namespace, record: Contact | Touch, line: str) -> None:
    """The command's result: `line`, or with --json the record as JSON."""
    if getattr(args, "json", False):
        print_json(record.to_json())
    else:
        out(line)


def add(store: Store, args: argparse.Namespace) -> int:
    now = store.clock.now()
    today = now.date()
    settings = store.settings
    heat = arg.heat(args.heat) if args.heat is not None else "warm"
    kind = arg.kind(args.kind) if args.kind is not None else "prospect"
    via = arg.channel(args.via) if args.via is not None else None
    value = arg.value(args.value) if args.value is not None else None
    step = arg.step_text(args.next) if args.next is not None else ""
    due = arg.due(args.due, today, settings.day_first) if args.due is not None else None
    contact = Contact(
        name=" ".join(args.name),
        created_at=now,
        updated_at=now,
        heat=heat,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        company=args.company,
        role=args.role,
        goal=args.goal,
        channel=via,  # type: ignore[arg-type]
        email=args.email,
        phone=args.phone,
        value=value,
        tags=tuple(args.tag),
        next_step=step,
        next_due=due,
    )
    twins = [c for c in store.contacts() if _same_name(c.name, contact.name)]
    added = actions.add(store, contact)
    due = added.next_due
    _done(
        args,
        added,
        f"added {clean(added.name)} (#{added.id}, {added.heat} {added.kind}); "
        f"next: {next_text(added, today)}",
    )
    from store.rules.nudges import next_step_warnings

    _hints(next_step_warnings(step, due, [], today, name=added.name))
    for twin in twins:
        hint(f"another contact is also called {clean(twin.name)} (#{twin.id})")
    _rest_day(args.due, due, settings)
    return 0


def _rest_day(typed: str | None, due: date | None, settings: Settings) -> None:
    """One line when a date the user typed falls on a rest day (it is kept)."""
    from store.rules.suggest import rest_day_note

    if typed is not None and (note := rest_day_note(due, settings.rest_days)):
        hint(note)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def log(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name)
    now = store.clock.now()
    today = now.date()
    settings = store.settings
    via = arg.channel(args.via) if args.via is not None else (contact.channel or "call")
    direction = "in" if args.inbound else "out"
    if args.outcome is not None:
        result = arg.outcome(args.outcome)
    else:
        result = actions.suggested_outcome(via, inbound=args.inbound)  # type: ignore[arg-type]
    at = arg.when(args.at, now, settings.day_first) if args.at is not None else now
    step_given = arg.step_text(args.next) if args.next is not None else None
    due_given = (
        arg.due(args.due, today, settings.day_first) if args.due is not None else actions.SUGGESTED
    )
    touch = actions.new_touch(
        contact, at=at, channel=via, outcome=result, inbound=args.inbound, note=args.note
    )
    before = store.touches(contact.uid)
    # Without --next the step follows the log chain; a step that stays is the one the
    # contact has when the lock is held (not the one read here).
    logged, write = actions.log(store, contact, touch, next_step=step_given, next_due=due_given)
    assert logged is not None  # no `expect`: no conflict
    updated = write.contact
    step = updated.next_step
    due = updated.next_due
    done = write.written.get("next_step", ("", ""))[0] if step_given is None else ""
    # The history after this touch, without reading every touch again.
    after = newest_first([logged, *before])
    word = "from" if direction == "in" else "with"
    _done(
        args,
        updated,
        f"logged {via} {word} {clean(updated.name)} ({result}); next: {next_text(updated, today)}",
    )
    from store.rules.nudges import next_step_warnings, nudges_for
    from tui.cli.views import proven

    _hints(
        next_step_warnings(
            step,
            due,
            before,
            today,
            this_outcome=result,
            this_direction=direction,  # type: ignore[arg-type]
            name=updated.name,
        ),
        nudges_for(updated, after, settings, today, lambda: proven(store)),
    )
    if done:
        hint(
            f"was: {clean(done)} (presumed done); the next one: followup next '#{updated.id}' TEXT"
        )
    _rest_day(args.due, due, settings)
    return 0


def next_step(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name)
    today = store.clock.now().date()
    settings = store.settings
    step = arg.step_text(args.text)
    given = (
        arg.due(args.due, today, settings.day_first) if args.due is not None else actions.SUGGESTED
    )
    history = store.touches(contact.uid)  # read before writing: a failure changes nothing
    updated = actions.set_next(store, contact, step, given).contact
    due = updated.next_due
    _done(args, updated, f"next for {clean(updated.name)}: {next_text(updated, today)}")
    from store.rules.nudges import next_step_warnings

    _hints(next_step_warnings(step, due, history, today, name=updated.name))
    _rest_day(args.due, due, settings)
    return 0


def snooze(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name)
    today = store.clock.now().date()
    due = arg.due(args.date, today, store.settings.day_first, option="DATE")
    warning = actions.snooze_warning(contact, due)
    updated = actions.snooze(store, contact, due).contact
    if warning:
        hint(warning)
    _done(args, updated, f"snoozed {clean(updated.name)} until {due_text(due, today)}")
    _rest_day(args.date, due, store.settings)
    return 0


def heat(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name)
    new = arg.heat(args.heat, option="heat")
    if new == contact.heat:
        _done(args, contact, f"{clean(contact.name)} is already {new}")
        return 0
    updated = actions.set_heat(store, contact, new).contact  # type: ignore[arg-type]
    _done(args, updated, f"{clean(updated.name)} is now {new} (was {contact.heat})")
    return 0


def _is_terminal() -> bool:
    try:
        return bool(sys.stdin.isatty())
    except (AttributeError, ValueError):
        return False


def _ask(question: str) -> str:
    """One answer from the terminal: "y", "c" or "n" (end of input means "n")."""
    for _ in range(3):
        sys.stdout.write(question + " ")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            out()
            return "n"
        answer = line.strip().casefold()
        for choice, words in (("y", ("y", "yes")), ("c", ("c", "cool")), ("n", ("n", "no", ""))):
            if answer in words:
                return choice
        out("Please answer y, c or n.")
    return "n"


def _history(store: Store, contact: Contact) -> str:
    from store.rules.stats import summarize

    summary = summarize(store.touches(contact.uid))
    parts = [plural(summary.touches, "touch", "touches")]
    if summary.last_reply is not None:
        parts.append(f"last reply {past_text(summary.last_reply, store.clock.now())}")
    else:
        parts.append("no reply yet")
    if summary.unanswered_run:
        parts.append(f"{summary.unanswered_run} unanswered in a row")
    if contact.value is not None:
        parts.append(f"value {value_text(contact.value)}")
    return "; ".join(parts)


def drop(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name)
    name = clean(contact.name)
    choice = "y"
    if not args.yes:
        if not _is_terminal():
            raise InputError("drop needs --yes when not run on a terminal")
        out(f"{name} (#{contact.id}, {contact.heat}): {_history(store, contact)}")
        choice = _ask(f"Stop following up with {name}? [y]es / [c]ool down instead / [n]o")
    if choice == "n":
        _done(args, contact, f"kept {name}")
        return 0
    if choice == "c":
        if contact.heat == "cool":
            _done(args, contact, f"{name} is already cool; kept")
            return 0
        cooled = actions.cool_down(store, contact).contact
        today = store.clock.now().date()
        _done(
            args,
            cooled,
            f"{name} is now cool (was {contact.heat}); next: {next_text(cooled, today)}",
        )
        return 0
    dropped = actions.drop(store, contact, args.reason).contact
    _done(
        args, dropped, f"dropped {name}; it stays in the archive (followup restore '#{contact.id}')"
    )
    return 0


def restore(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name, dropped=True)
    today = store.clock.now().date()
    updated = actions.restore(store, contact).contact
    _done(
        args,
        updated,
        f"restored {clean(updated.name)} ({updated.heat}); next: {next_text(updated, today)}",
    )
    return 0


def demo(store: Store, args: Any) -> int:
    from store.demo import remove_untouched_samples, sample

    if getattr(args, "remove", False):
        removed = remove_untouched_samples(store)
        out(f"removed {plural(removed, 'sample contact')}")
        return 0

    present = len(store.contacts(include_dropped=True)) + len(store.problems)
    if present:
        raise InputError(
            f"demo fills an empty database only; {clean(str(store.path))} already has "
            f"{plural(present, 'contact')}"
        )
    contacts, touches = sample(store.clock.now())
    count = store.add_many(contacts, touches)
    out(f"added {count} sample contacts and {len(touches)} touches to {clean(str(store.path))}")
    out("try: followup today   (or followup to open the dashboard)")
    return 0


def edit(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name)
    fields: dict[str, Any] = {
        "name": _text(args.new_name, "--name"),
        "company": args.company,
        "role": args.role,
        "goal": args.goal,
        "email": args.email,
        "phone": args.phone,
        "kind": arg.kind(args.kind) if args.kind is not None else None,
        "channel": arg.channel(args.via) if args.via is not None else None,
        "do_not_contact": args.dnc,
    }
    if args.value is not None and args.value.strip().casefold() not in ("", "none"):
        arg.value(args.value)  # a bad value names its option
    if args.cadence is not None:
        try:
            actions.parse_cadence(args.cadence)
        except InputError as error:
            raise InputError(f"--cadence: {error}") from None
    changes = actions.edit_changes(
        contact, value=args.value, cadence=args.cadence, tags=args.tag, untags=args.untag, **fields
    )
    if not changes:
        raise InputError("edit needs at least one change (see 'followup edit --help')")
    result = actions.edit(store, contact, changes)
    changed = [f for f in result.write.written if f != "updated_at"]
    line = (
        f"saved {clean(result.contact.name)}: {', '.join(changed)}"
        if changed
        else f"{clean(contact.name)} already has those details"
    )
    _done(args, result.contact, line)
    return 0


def _text(value: str | None, option: str) -> str | None:
    if value is not None and not value.strip():
        raise InputError(f"{option} can't be empty")
    return None if value is None else value.strip()


def unlog(store: Store, args: argparse.Namespace) -> int:
    contact = arg.find(store, args.name, anyone=True)
    name = clean(contact.name)
    newest = actions.newest_touch(store.touches(contact.uid))
    if newest is None:
        raise InputError(f"{name} has no touch to remove")
    when = newest.at.strftime("%Y-%m-%d %H:%M")
    if not args.yes:
        if not _is_terminal():
            raise InputError("unlog needs --yes when not run on a terminal")
        question = f"Remove {name}'s touch of {when} ({newest.channel}, {newest.outcome})? [y/n]"
        if _ask(question) != "y":
            out(f"kept {name}'s touch")
            return 0
    unlogged = undo.unlog(store, contact)
    if unlogged is None:
        raise InputError(f"{name} has no touch to remove")
    removed = unlogged.touch
    line = f"removed {name}'s touch of {when} ({removed.channel}, {removed.outcome})"
    if unlogged.kept:
        fields = ", ".join(f.replace("_", " ") for f in unlogged.kept)
        line += f"; kept the {fields} set since"
    _done(args, removed, line)
    return 0


def config(store: Store, args: argparse.Namespace) -> int:
    from store.rules import settings_keys

    path = str(store.path)
    if args.key is None:
        shown = settings_keys.show(store.settings)
        if args.json:
            print_json({"database": path, "settings": shown})
            return 0
        out(f"database: {clean(path)}")
        width = max(len(k) for k in shown)
        for key, value in shown.items():
            out(f"{key.ljust(width)}  {value}{_as_the_locale(store, key)}")
        return 0
    key = args.key.strip().casefold().replace("_", "-")
    if key not in settings_keys.KEYS:
        raise InputError(
            f"no setting {args.key.strip()!r} (one of: {', '.join(settings_keys.KEYS)})"
        )
    if args.value is None:
        value = settings_keys.show(store.settings)[key]
        if args.json:
            print_json({key: value})
        else:
            out(value + _as_the_locale(store, key))
        return 0
    new = settings_keys.apply(store.settings, key, args.value, explicit=True)
    store.save_settings(new)
    value = settings_keys.show(new)[key]
    if args.json:
        print_json({key: value})
    else:
        out(f"{key} = {value}{_as_the_locale(store, key)}")
    return 0


def _as_the_locale(store: Store, key: str) -> str:
    """ " (as the locale writes dates)" after a date order that is not set."""
    if key == "date-order" and store.settings.date_order is None:
        return " (as the locale writes dates; set it to keep it)"
    return ""
