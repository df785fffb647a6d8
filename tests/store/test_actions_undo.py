"""unlog and undo take back exactly what their change wrote (DESIGN.md: `followup unlog`
and `u`): the touch, and the next step and date its log replaced, where they still hold,
in one transaction. Fixture store: tests/conftest.py (Tuesday 2026-11-24)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from store import actions, undo
from store.engine.layout import decode
from store.model import Contact, Touch
from store.store import Store
from tests.conftest import NOW, TODAY, Env
from tests.faults import ReadsCounted


def _call(contact: Contact, outcome: str = "reached") -> Touch:
    return actions.new_touch(contact, at=NOW, channel="call", outcome=outcome)


def test_a_logged_touch_keeps_what_it_replaced(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    actions.log(tmp_store.store, anna, _call(anna))
    newest = tmp_store.other_store().touches(anna.uid)[0]
    assert dict((f, (b, a)) for f, b, a in newest.replaced) == {
        "next_step": ("Send the pricing deck", ""),
        "next_due": ((TODAY - timedelta(days=2)).isoformat(), "2026-12-01"),
    }


def test_unlog_puts_back_the_step_and_date_the_log_replaced(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    actions.log(tmp_store.store, anna, _call(anna), next_step="Send the contract")
    undone = undo.unlog(tmp_store.store, tmp_store.contact("Anna Berg"))
    assert undone is not None and undone.kept == []
    stored = tmp_store.other_store().contact(anna.uid)
    assert stored.next_step == "Send the pricing deck"
    assert stored.next_due == TODAY - timedelta(days=2)
    assert len(tmp_store.other_store().touches(anna.uid)) == 2  # the fixture's two


def test_unlog_of_a_no_reply_puts_back_only_the_date(tmp_store: Env) -> None:
    jonas = tmp_store.contact("Jonas Weber")
    actions.log(tmp_store.store, jonas, _call(jonas, "no-reply"))
    assert tmp_store.contact("Jonas Weber").next_due == TODAY + timedelta(days=7)
    undo.unlog(tmp_store.store, tmp_store.contact("Jonas Weber"))
    stored = tmp_store.other_store().contact(jonas.uid)
    assert (stored.next_step, stored.next_due) == (
        "Call about the vendor form",
        TODAY + timedelta(1),
    )


def test_unlog_keeps_a_step_changed_since(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    actions.log(tmp_store.store, anna, _call(anna), next_step="Send the contract")
    other = tmp_store.other_store()
    actions.set_next(other, other.contact(anna.uid), "Book the kickoff", date(2026, 12, 10))
    undone = undo.unlog(tmp_store.store, tmp_store.contact("Anna Berg"))
    assert undone is not None and sorted(undone.kept) == ["next_due", "next_step"]
    stored = tmp_store.other_store().contact(anna.uid)
    assert (stored.next_step, stored.next_due) == ("Book the kickoff", date(2026, 12, 10))
    assert len(tmp_store.other_store().touches(anna.uid)) == 2


def test_unlog_twice_walks_back_both_logs(tmp_store: Env) -> None:
    marco = tmp_store.contact("Marco Rossi")
    actions.log(tmp_store.store, marco, _call(marco), next_step="One")
    actions.log(tmp_store.store, tmp_store.contact("Marco Rossi"), _call(marco), next_step="Two")
    undo.unlog(tmp_store.store, tmp_store.contact("Marco Rossi"))
    assert tmp_store.contact("Marco Rossi").next_step == "One"
    undo.unlog(tmp_store.store, tmp_store.contact("Marco Rossi"))
    stored = tmp_store.other_store().contact(marco.uid)
    assert (stored.next_step, stored.next_due) == ("Confirm the renewal terms", TODAY)


def test_unlog_is_one_transaction(tmp_store: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while putting the fields back leaves the touch in place too."""
    anna = tmp_store.contact("Anna Berg")
    actions.log(tmp_store.store, anna, _call(anna), next_step="Send the contract")
    store = Store(tmp_store.path, clock=tmp_store.clock)

    def broken(*_args: object, **_kwargs: object) -> list[str]:
        raise OSError("disk gone")

    monkeypatch.setattr(store, "revert_fields", broken)
    with pytest.raises(OSError):
        undo.unlog(store, store.contact(anna.uid))
    after = tmp_store.other_store()
    assert len(after.touches(anna.uid)) == 3
    assert after.contact(anna.uid).next_step == "Send the contract"


def test_undo_change_reverts_a_dashboard_log_in_one_call(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    touch, write = actions.log(tmp_store.store, anna, _call(anna), next_step="Send the contract")
    assert touch is not None
    kept = undo.undo_change(tmp_store.store, anna.uid, write.written, touch.uid)
    assert kept == []
    stored = tmp_store.other_store().contact(anna.uid)
    # every field as before, updated_at too; the undo is an edit of its own for a merge
    # (stamped now: store.rules.stamps)
    assert replace(stored, field_stamps=()) == replace(anna, field_stamps=())
    assert len(tmp_store.other_store().touches(anna.uid)) == 2


def test_undo_change_of_an_add_takes_the_contact_back(tmp_store: Env) -> None:
    added = actions.add(tmp_store.store, Contact(name="Dave", created_at=NOW, updated_at=NOW))
    assert undo.undo_change(tmp_store.store, added.uid, None) == []
    assert all(c.name != "Dave" for c in tmp_store.other_store().contacts(include_dropped=True))


def test_an_old_touch_without_a_record_is_only_removed(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    undone = undo.unlog(tmp_store.store, anna)
    assert undone is not None and undone.touch.replaced == ()
    assert tmp_store.other_store().contact(anna.uid).next_step == "Send the pricing deck"


def test_undoing_a_touch_lays_out_again_only_the_contact_it_changed(tmp_store: Env) -> None:
    """The removal is remembered (for a merge) in its one record, not by a rewrite of
    every table: the main file's other contact lines stay the bytes they were."""
    removed = []
    for _ in range(2):  # the second undo changes the record the first one added
        anna = tmp_store.contact("Anna Berg")
        touch, write = actions.log(tmp_store.store, anna, _call(anna), next_step="Send it")
        assert touch is not None
        undo.undo_change(tmp_store.store, anna.uid, write.written, touch.uid)
        removed.append(touch.uid)
        read = decode(tmp_store.path.read_bytes())
        assert read is not None
        body = read[1]
        assert body.parent is not None, "made from the version it read, not laid out whole"
        assert [key for key, _ in body.edits] == [str(anna.id)]
    assert set(tmp_store.other_store().removed_touches()) == set(removed)


def test_touches_logged_since_a_change_are_found_without_reading_any_when_none_was(
    tmp_store: Env,
) -> None:
    marco = tmp_store.uid("Marco Rossi")
    old = [
        Touch(contact_uid=marco, at=NOW - timedelta(days=10 + n % 300), channel="email",
              outcome="waiting", note=f"older note {n}")
        for n in range(800)
    ]  # fmt: skip
    tmp_store.store.add_many([], old)  # a journal longer than the tail a log reads
    reads = ReadsCounted()
    store = Store(tmp_store.path, clock=tmp_store.clock, faults=reads)
    anna = store.contact(tmp_store.uid("Anna Berg"))
    touch, _ = actions.log(store, anna, _call(anna, "no-reply"))
    mark = store.touch_mark()
    assert touch is not None and mark == touch.id + 1
    reads.starts.clear()
    assert store.touches_logged_since(anna.uid, mark) == []
    assert reads.starts == [] and not store.touches_loaded, "no touch read"
    other = tmp_store.other_store()
    omar = other.contact(tmp_store.uid("Omar Diaz"))
    actions.log(other, omar, _call(omar, "no-reply"))
    store.sync()
    assert store.touches_logged_since(anna.uid, mark) == []  # another contact's
    theirs, _ = other.log_fields(_call(anna, "no-reply"), {})  # no field changed
    assert theirs is not None
    store.sync()
    assert [t.uid for t in store.touches_logged_since(anna.uid, mark)] == [theirs.uid]
