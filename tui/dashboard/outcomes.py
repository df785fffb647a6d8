"""What each write's outcome does to the dashboard.

The writes (tui.dashboard.writes) answer with a message; the dashboard handles each
once and hands it here: the board's histories and day counts, the undo entry, the note,
the review's next card, and the redraw that leaves the highlight on the contact that
came next. A write that stopped on fields changed elsewhere goes to `resolve` (the
conflict dialog) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from store import actions
from store.errors import FollowupError
from store.model import Contact
from store.rules.text import clean
from store.store import Store
from tui.dashboard.board import Board
from tui.dashboard.review import Review
from tui.dashboard.undo import Change, UndoStack
from tui.dashboard.view import UNREAD, BoardView
from tui.dashboard.writes import Pending, Writes


class Host(Protocol):
    """What the outcomes need from the screen: notes, and a call after the redraw."""

    def say(self, text: str, timeout: float = 3) -> None: ...
    def caution(self, text: str, timeout: float) -> None: ...
    def report(self, error: FollowupError) -> None: ...
    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool: ...


class Outcomes:
    """The dashboard's answer to each outcome of its writes."""

    def __init__(
        self,
        store: Store,
        board: Board,
        view: BoardView,
        undo_stack: UndoStack,
        review: Review,
        host: Host,
        resolve: Callable[[Pending, dict[str, Any]], object],
    ) -> None:
        self.store = store
        self.board = board
        self.view = view
        self.undo_stack = undo_stack
        self.review = review
        self.host = host
        self.resolve = resolve

    def written(self, event: Writes.Written) -> None:
        pending, result, touch = event.pending, event.result, event.touch
        uid = pending.uid
        if event.waited:  # written by the thread's own Store: read it here too
            self.board.histories.pop(uid, None)
            self.view.refresh_from_disk()
        if event.conflicts:
            self.resolve(pending, event.conflicts)
        else:
            if touch is not None:
                self.board.touch_logged(uid, touch)
            if touch is not None or result.written:
                touch_uid = touch.uid if touch is not None else None
                self.undo_stack.push(
                    Change(
                        pending.label,
                        uid,
                        dict(result.written),
                        touch_uid,
                        after=result.contact,
                        touch_mark=event.touch_mark,
                    )
                )
                self.host.say(pending.label)
            else:
                self.host.say("Nothing to change")
            # every change may change the marker (a date cleared: "!"), not only a touch
            self.host.call_later(self.view.refresh_marker, uid)
            before = replace(result.contact, **{f: old for f, (old, _) in result.written.items()})
            self.review.written(before, result.contact, logged=touch is not None)
        if event.waited:
            self.view.update_contact(uid, keep=uid)
        else:
            self.view.show_written(uid, result.contact)

    def add(self, fields: dict[str, Any]) -> None:
        """Add the contact the form checked: at once, kept for undo, highlighted."""
        try:
            now = self.store.clock.now()
            contact = actions.add(self.store, Contact(created_at=now, updated_at=now, **fields))
        except FollowupError as error:
            self.host.report(error)
            return
        self.undo_stack.push(Change(f"Added {clean(contact.name)}", contact.uid, None))
        self.host.say(f"Added {clean(contact.name)}")
        self.view.update_contact(contact.uid, keep=contact.uid)
        self.view.columns.follow(contact.uid)
        self.view.columns.focus(self.view.columns.index)

    def failed(self, event: Writes.Failed) -> None:
        self.host.report(event.error)
        if event.waited:
            return
        uid = event.uid
        self.board.histories.pop(uid, None)  # read again from the store
        if event.undoing:
            self.view.update_contact(uid, keep=uid)
            self.view.refresh_marker(uid)
        else:
            self.view.show_written(uid, UNREAD)

    def undone(self, event: Writes.Undone) -> None:
        change, kept = event.change, event.kept
        if event.waited:
            self.board.histories.pop(change.uid, None)
            self.view.refresh_from_disk()
        if kept:
            self.host.caution(
                f"Undone: {change.label}, except {', '.join(kept)} "
                "(changed elsewhere since; left as it is)",
                6,
            )
        else:
            self.host.say(f"Undone: {change.label}")
        try:
            if change.touch_uid is not None and not self.board.touch_undone(
                change.uid, change.touch_uid
            ):
                self.board.set_days(self.store.touch_days())
        except FollowupError as error:
            self.host.report(error)
        self.view.update_contact(change.uid, keep=change.uid)
        self.view.refresh_marker(change.uid)
