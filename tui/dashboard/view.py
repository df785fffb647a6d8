"""The board read from the store and drawn on the dashboard.

`BoardView` fills the board (tui.dashboard.board) from the store (the first screenful,
then every contact, then one contact after a change or the contacts another process
changed) and draws it: the columns (tui.dashboard.rows), the header, the empty note.
The nudge markers that need the touch history are read in a thread (MarkerReader)
after the first paint, so a key press never waits on 50,000 touches.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from store.errors import FollowupError, InputError
from store.model import Contact, Touch
from store.rules.format import plural
from store.rules.text import clean
from tui.dashboard.board import marker_for
from tui.dashboard.markers import Known, MarkerReader, MarkersRead
from tui.dashboard.rows import FIRST_ROWS, long_lived, settle
from widgets.heat_column import Row

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tui.dashboard.screen import DashboardScreen


class Unread:
    """A contact not read yet (as opposed to None: a contact that is gone)."""


UNREAD = Unread()


class BoardView:
    """What `dashboard` shows, read from its store through `reader` and itself."""

    def __init__(self, dashboard: DashboardScreen, reader: MarkerReader) -> None:
        self.dashboard = dashboard
        self.reader = reader
        self.last_error = ""  # the last error of a poll, said once
        self.reported_problems: list[str] = []  # the unreadable records said so far
        self.settled = False  # what the first full read built is frozen (rows.settle)

    def first_paint(self) -> None:
        """Only the first screenful of each column, and the counts: no need to build
        every contact before the first frame."""
        head = self.dashboard.store.first_screen(self.dashboard.clock.now().date(), FIRST_ROWS)
        self.dashboard.board.load(head.contacts, self.dashboard.store.touch_days())
        self.render_contacts(counts=(head.per_heat, head.due_today, head.overdue))

    def report_unreadable(self) -> None:
        """Records of a hand-edited file that can't be read: said once, kept on disk."""
        problems = self.dashboard.store.problems
        if problems and problems != self.reported_problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.dashboard.notify(
                f"{plural(len(problems), 'record')} in {self.dashboard.store.path} can't be read "
                f"and are left as they are: {clean(problems[0])}{more}",
                title="followup",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.reported_problems = problems

    def reload(self, keep: str | None = None) -> None:
        """Redraw everything from the store; keep the highlight on `keep` (or as it was)."""
        with self.dashboard.guard(), long_lived():
            self.dashboard.board.load(
                self.dashboard.store.contacts(), self.dashboard.store.touch_days()
            )
            self.render_contacts(keep)

    def render_contacts(
        self, keep: str | None = None, *, counts: tuple[Mapping[str, int], int, int] | None = None
    ) -> None:
        """Fill the columns and the header from the board (with `counts`: only the
        first rows of each column are known; the counts are of all contacts)."""
        board = self.dashboard.board
        keep = keep if keep is not None else self.dashboard.columns.current_uid
        ordered = board.columns(
            self.dashboard.clock.now().date(), self.dashboard.store.settings, counts=counts
        )
        today = board.today
        rows = {
            heat: [Row.from_contact(c, today, board.marker(c)) for c in members]
            for heat, members in ordered.items()
        }
        self.dashboard.columns.draw(rows, keep=keep, first_paint=counts is not None)
        self._show_header()
        if keep is not None:
            self.dashboard.columns.follow(keep)
        self.dashboard.refresh_keys()

    def update_contact(
        self,
        uid: str,
        keep: str | None = None,
        stored: Contact | Unread | None = UNREAD,
        *,
        follow: bool = True,
    ) -> None:
        """Redraw after a change to one contact: read only that contact (unless the
        write gave it as `stored`), move or redraw only its row, and the header. With
        `follow` False a highlighted row that moves leaves the highlight where it was."""
        with self.dashboard.guard():
            if not self._place(uid, stored, follow=follow, keep=keep):
                return
            self._show_header()
            if keep is not None:
                self.dashboard.columns.follow(keep)
            self.dashboard.refresh_keys()

    def _place(
        self,
        uid: str,
        stored: Contact | Unread | None = UNREAD,
        *,
        follow: bool = True,
        keep: str | None = None,
    ) -> bool:
        """Move or redraw contact `uid`'s row alone; False when a new day began and every
        row was drawn again instead (the header and keys with them)."""
        if isinstance(stored, Unread):
            stored = self._stored(uid)
        board = self.dashboard.board
        if board.is_new_day(self.dashboard.clock.now().date()):  # every due state moved
            board.apply(uid, stored)
            self.render_contacts(keep)
            return False
        self.dashboard.columns.move(
            board.apply(uid, stored), self.dashboard.store.settings, follow=follow
        )
        return True

    def _stored(self, uid: str) -> Contact | None:
        try:
            return self.dashboard.store.contact(uid)
        except InputError:  # taken back (undo of an add)
            return None

    def apply_external(self, uids: set[str]) -> None:
        """Redraw after another process changed these contacts (or their touches): only
        their rows, their markers (by the marker thread) and the header."""
        board = self.dashboard.board
        board.forget(uids)
        with self.dashboard.guard():
            for uid in uids:
                stored = self._stored(uid)
                if uid not in board.contacts and stored is None:
                    continue  # gone, and never shown
                if not self._place(uid, stored, follow=False):  # the highlight stays put
                    return  # a new day: everything was drawn again
            board.set_days(self.dashboard.store.touch_days())
            self._show_header()  # once, after every row and the day counts
            self.dashboard.refresh_keys()

    def _show_header(self) -> None:
        board = self.dashboard.board
        streak = board.streak_now(self.dashboard.store.settings.rest_days)
        header = self.dashboard.header
        header.note = board.view_note()
        header.show(streak, board.due_counts["today"], board.due_counts["overdue"])
        empty = not board.contacts
        self.dashboard.columns_box.display = not empty
        self.dashboard.empty_note.display = empty

    def history(self, uid: str) -> list[Touch]:
        """One contact's touches, newest first: from the histories the thread read, else
        from the store (which reads all 50,000 touches the first time, then scans them)."""
        known = self.dashboard.board.histories.get(uid)
        if known is not None:
            return list(known)
        with long_lived():
            return self.dashboard.store.touches(uid)

    def fill_markers(self, changed: set[str] | None = None) -> None:
        """Compute the rows' markers from their histories, in a thread (MarkerReader),
        after the first paint (every row) and after each change on disk (only the
        contacts it changed: `changed`, read here from the main file, and those whose
        touches the thread finds changed in the journal)."""
        known = None
        if changed is not None:
            # Only the changed contacts: a touch the thread finds that this read did not
            # is found by the next poll, which hands its contact over then.
            contacts = self.dashboard.board.contacts
            mine = {uid: contacts[uid] for uid in changed if uid in contacts}
            known = Known(mine, self.dashboard.store.settings, set(changed))
        self.dashboard.run_worker(lambda: self._read_markers(known), thread=True, group="markers")

    def _read_markers(self, known: Known | None) -> None:
        self.dashboard.board.fresh_markers.clear()

        def deliver(read: MarkersRead) -> None:
            with contextlib.suppress(RuntimeError):  # the app has closed
                self.dashboard.app.call_from_thread(self._apply_markers, read)

        self.reader.read(self.dashboard.board.today, deliver, known)

    def _apply_markers(self, read: MarkersRead) -> None:
        with long_lived():
            markers = self.dashboard.board.apply_markers(read.markers, read.histories, read.uids)
            if read.uids is not None:
                for uid, marker in markers.items():
                    self.dashboard.columns.mark(uid, marker)
            else:
                self.dashboard.columns.mark_all(markers)
                if not self.settled:
                    self.settled = True
                    settle()
        self.dashboard.show_detail()  # the highlighted contact's last touch, read again

    def refresh_marker(self, uid: str) -> None:
        contact = self.dashboard.board.contacts.get(uid)
        if contact is None:
            self.dashboard.board.set_marker(uid, None)
            return
        with self.dashboard.guard():
            marker = marker_for(
                contact,
                self.history(uid),
                self.dashboard.store.settings,
                self.dashboard.board.today,
            )
            self.dashboard.board.set_marker(uid, marker)
            self.dashboard.columns.mark(uid, marker)

    def refresh_from_disk(self) -> None:
        """Read what other processes changed and redraw what it touched."""
        try:
            changed = self.dashboard.store.sync()
        except FollowupError as error:
            if str(error) != self.last_error:
                self.dashboard.report(error)
            self.last_error = str(error)
            return
        self.last_error = ""
        for notice in self.dashboard.store.take_notices():
            self.dashboard.notify(
                notice, title="followup", severity="warning", timeout=10, markup=False
            )
        new_day = self.dashboard.board.is_new_day(self.dashboard.clock.now().date())
        if changed and not new_day and self.dashboard.store.changed is not None:
            self.apply_external(self.dashboard.store.changed)  # only what changed
            self.fill_markers(self.dashboard.store.changed)
            self.report_unreadable()
        elif changed or new_day:
            self.reload()
            self.fill_markers()
            self.report_unreadable()
