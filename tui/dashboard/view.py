"""The board read from the store and drawn on the dashboard.

`BoardView` fills the board (tui.dashboard.board) from the store (the first screenful,
then every contact, then one contact after a change or the contacts another process
changed) and draws its columns (tui.dashboard.rows); after each redraw it tells its
host (`drawn`), which shows the header, the empty note and the keys. The nudge markers
that need the touch history are read in a thread (MarkerReader) after the first paint,
so a key press never waits on 50,000 touches; they come back as a message
(`MarkersReady`) that the host hands to `apply_markers`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from textual.message import Message

from store.clock import Clock
from store.errors import FollowupError, InputError
from store.model import Contact, Touch
from store.rules.format import plural
from store.rules.text import clean
from store.store import Store
from tui.dashboard.board import Board, marker_for
from tui.dashboard.markers import Known, MarkerReader, MarkersRead
from tui.dashboard.rows import FIRST_ROWS, Columns, long_lived, settle
from widgets.heat_column import Row

if TYPE_CHECKING:
    from collections.abc import Mapping


class Host(Protocol):
    """What the view needs from the screen that shows it."""

    def drawn(self) -> None:
        """The board changed: show the header, the empty note and the keys."""

    def changed_elsewhere(self, uids: set[str] | None) -> None:
        """Another process changed these contacts (None: anything; all read again)."""

    def report(self, error: FollowupError) -> None: ...
    def warn(self, text: str, timeout: float) -> None: ...
    def post_message(self, message: Message) -> bool: ...
    def run_in_thread(self, job: Callable[[], None], group: str) -> object: ...


class Unread:
    """A contact not read yet (as opposed to None: a contact that is gone)."""


UNREAD = Unread()


class BoardView:
    """What the dashboard shows: `board` read from `store` (the markers through
    `reader`), drawn into `columns`."""

    class MarkersReady(Message):
        """The marker thread read these markers and histories."""

        def __init__(self, read: MarkersRead) -> None:
            super().__init__()
            self.read = read

    def __init__(
        self,
        store: Store,
        clock: Clock,
        board: Board,
        columns: Columns,
        reader: MarkerReader,
        host: Host,
    ) -> None:
        self.store = store
        self.clock = clock
        self.board = board
        self.columns = columns
        self.reader = reader
        self.host = host
        self.last_error = ""  # the last error of a poll, said once
        self.reported_problems: list[str] = []  # the unreadable records said so far
        self.settled = False  # what the first full read built is frozen (rows.settle)

    def first_paint(self) -> None:
        """Only the first screenful of each column, and the counts: no need to build
        every contact before the first frame."""
        head = self.store.first_screen(self.clock.now().date(), FIRST_ROWS)
        self.board.load(head.contacts, self.store.touch_days())
        self.render_contacts(counts=(head.per_heat, head.due_today, head.overdue))

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Turn a store error into a notification; the dashboard keeps running."""
        try:
            yield
        except FollowupError as error:
            self.host.report(error)

    def report_unreadable(self) -> None:
        """Records of a hand-edited file that can't be read: said once, kept on disk."""
        problems = self.store.problems
        if problems and problems != self.reported_problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.host.warn(
                f"{plural(len(problems), 'record')} in {self.store.path} can't be read "
                f"and are left as they are: {clean(problems[0])}{more}",
                timeout=15,
            )
        self.reported_problems = problems

    def reload(self, keep: str | None = None) -> None:
        """Redraw everything from the store; keep the highlight on `keep` (or as it was)."""
        with self.guard(), long_lived():
            self.board.load(self.store.contacts(), self.store.touch_days())
            self.render_contacts(keep)

    def render_contacts(
        self, keep: str | None = None, *, counts: tuple[Mapping[str, int], int, int] | None = None
    ) -> None:
        """Fill the columns and the header from the board (with `counts`: only the
        first rows of each column are known; the counts are of all contacts)."""
        board = self.board
        keep = keep if keep is not None else self.columns.current_uid
        ordered = board.columns(self.clock.now().date(), self.store.settings, counts=counts)
        today = board.today
        rows = {
            heat: [Row.from_contact(c, today, board.marker(c)) for c in members]
            for heat, members in ordered.items()
        }
        self.columns.draw(rows, keep=keep, first_paint=counts is not None)
        if keep is not None:
            self.columns.follow(keep)
        self.host.drawn()

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
        with self.guard():
            if not self._place(uid, stored, follow=follow, keep=keep):
                return
            if keep is not None:
                self.columns.follow(keep)
            self.host.drawn()

    def show_written(self, uid: str, stored: Contact | Unread) -> None:
        """Redraw contact `uid` after a write made at once (`stored`: as the write
        returned it, or UNREAD to read it again). When its row moves, within its column
        or out of it, the highlight goes to the contact that came after it in that
        column before the write (the next one to work on; the one before it when it
        was the last), never to a row number that now holds someone else."""
        column = self.columns.current
        if column.highlighted_uid != uid:
            self.update_contact(uid, keep=uid, stored=stored)
            return
        position = column.highlighted
        rows = column.rows
        nxt = None
        if position is not None:
            after = rows[position + 1 : position + 2] or rows[position - 1 : position][:1]
            nxt = after[0].uid if after and after[0].uid != uid else None
        self.update_contact(uid, stored=stored, follow=False)
        if uid in self.board.contacts and column.index_of(uid) == position:
            column.highlighted = position  # it did not move: it stays highlighted
        elif nxt is not None and column.index_of(nxt) is not None:
            column.select_uid(nxt)
        elif position is not None:
            self.columns.stay_at(column, position)

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
            stored = self.stored(uid)
        board = self.board
        if board.is_new_day(self.clock.now().date()):  # every due state moved
            board.apply(uid, stored)
            self.render_contacts(keep)
            return False
        self.columns.move(board.apply(uid, stored), self.store.settings, follow=follow)
        return True

    def stored(self, uid: str) -> Contact | None:
        """Contact `uid` as the store holds it now (one read), None when it is gone."""
        try:
            return self.store.contact(uid)
        except InputError:  # taken back (undo of an add)
            return None

    def apply_external(self, uids: set[str]) -> None:
        """Redraw after another process changed these contacts (or their touches): only
        their rows, their markers (by the marker thread) and the header."""
        board = self.board
        board.forget(uids)
        with self.guard():
            for uid in uids:
                stored = self.stored(uid)
                if uid not in board.contacts and stored is None:
                    continue  # gone, and never shown
                if not self._place(uid, stored, follow=False):  # the highlight stays put
                    return  # a new day: everything was drawn again
            board.set_days(self.store.touch_days())
            self.host.drawn()  # once, after every row and the day counts

    def history(self, uid: str) -> list[Touch]:
        """One contact's touches, newest first: from the histories the thread read, else
        from the store (which reads all 50,000 touches the first time, then scans them)."""
        known = self.board.histories.get(uid)
        if known is not None:
            return list(known)
        with long_lived():
            return self.store.touches(uid)

    def fill_markers(self, changed: set[str] | None = None) -> None:
        """Compute the rows' markers from their histories, in a thread (MarkerReader),
        after the first paint (every row) and after each change on disk (only the
        contacts it changed: `changed`, read here from the main file, and those whose
        touches the thread finds changed in the journal)."""
        known = None
        if changed is not None:
            # Only the changed contacts: a touch the thread finds that this read did not
            # is found by the next poll, which hands its contact over then.
            contacts = self.board.contacts
            mine = {uid: contacts[uid] for uid in changed if uid in contacts}
            known = Known(mine, self.store.settings, set(changed))
        self.host.run_in_thread(lambda: self._read_markers(known), "markers")

    def _read_markers(self, known: Known | None) -> None:
        self.board.fresh_markers.clear()

        def deliver(read: MarkersRead) -> None:
            with contextlib.suppress(RuntimeError):  # the app has closed
                self.host.post_message(BoardView.MarkersReady(read))

        self.reader.read(self.board.today, deliver, known)

    def apply_markers(self, read: MarkersRead) -> None:
        """Show what the marker thread read (handed over by the host)."""
        with long_lived():
            markers = self.board.apply_markers(read.markers, read.histories, read.uids, read.tally)
            if read.uids is not None:
                for uid, marker in markers.items():
                    self.columns.mark(uid, marker)
            else:
                self.columns.mark_all(markers)
                if not self.settled:
                    self.settled = True
                    settle()

    def refresh_marker(self, uid: str) -> None:
        contact = self.board.contacts.get(uid)
        if contact is None:
            self.board.set_marker(uid, None)
            return
        with self.guard():
            marker = marker_for(
                contact,
                self.history(uid),
                self.store.settings,
                self.board.today,
            )
            self.board.set_marker(uid, marker)
            self.columns.mark(uid, marker)

    def refresh_from_disk(self) -> None:
        """Read what other processes changed and redraw what it touched."""
        try:
            changed = self.store.sync()
        except FollowupError as error:
            if str(error) != self.last_error:
                self.host.report(error)
            self.last_error = str(error)
            return
        self.last_error = ""
        for notice in self.store.take_notices():
            self.host.warn(notice, timeout=10)
        new_day = self.board.is_new_day(self.clock.now().date())
        if changed and not new_day and self.store.changed is not None:
            uids = set(self.store.changed)
            self.apply_external(uids)  # only what changed
            self.fill_markers(uids)
            self.report_unreadable()
            self.host.changed_elsewhere(uids)
        elif changed or new_day:
            self.reload()
            self.fill_markers()
            self.report_unreadable()
            if changed:
                self.host.changed_elsewhere(None)
