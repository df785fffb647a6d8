"""The dashboard: the streak header, the HOT / WARM / COOL columns and every key.

The screen is given its store and clock. It reads contacts (cheap) for the first
paint; the nudge markers that need the touch history are filled in afterwards, a
chunk at a time, so a key press never waits on 50,000 touches. Every change made
here is snapshotted first, so `u` can revert it. Store errors become notifications.

The screen holds its parts, each given what it uses: the board (tui.dashboard.board,
no Textual: contacts, counts, view, markers, histories, streak), the columns drawing
it (rows), the contact actions and their dialogs' callbacks (actions), the review's
host (review), the marker thread's reader (markers) and the writes that wait for
another process (writes).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import OptionList, Static

if TYPE_CHECKING:
    from textual.widgets import Input

from store import actions
from store.clock import Clock
from store.errors import DatabaseError, FollowupError
from store.model import Contact, Settings, Touch
from store.rules.stats import channel_stats
from store.rules.text import clean
from store.store import Store
from tui.dashboard import keys
from tui.dashboard.actions import ContactActions
from tui.dashboard.board import Board
from tui.dashboard.detail import detail_text
from tui.dashboard.markers import MarkerReader
from tui.dashboard.review import DashboardReview
from tui.dashboard.rows import Columns, long_lived
from tui.dashboard.undo import UndoStack
from tui.dashboard.view import UNREAD, BoardView, Unread
from tui.dashboard.writes import SampleChange, Writes
from tui.screens.unusable import UnusableScreen, read_whole

if TYPE_CHECKING:
    from store.store import OnConflict
    from tui.dashboard.writes import Write
from widgets.heat_column import HeatColumn
from widgets.key_footer import KeyFooter
from widgets.streak_header import StreakHeader

POLL_SECONDS = 1.0

EMPTY_TEXT = """\
No contacts yet.

Press  a  to add your first contact,
or  D  to load sample contacts (the same as `followup demo`).

Press  ?  for help,  q  to quit."""


class DashboardScreen(Screen[None]):
    BINDINGS = [*keys.BINDINGS]

    def __init__(
        self, store: Store, clock: Clock, *, emoji: bool | None = None, review: bool = False
    ) -> None:
        super().__init__()
        self.start_in_review = review
        self.store = store
        self.clock = clock
        self.board = Board(clock.now().date())
        self.columns = Columns(self.board)
        self.contact_actions = ContactActions(self)
        self.review = DashboardReview(self)
        self.view = BoardView(self, MarkerReader(store.path, clock))
        self.undo_stack = UndoStack()
        self.writes = Writes(self, self.undo_stack)
        self._key_state: tuple[bool | None, ...] = ()
        self._detail_for: tuple[object, ...] = ()  # what the detail line shows
        self._filter: Input | None = None  # the filter line, once mounted
        # Made here and kept, as the columns are: each change shows the header and the
        # detail line, and a query for them would walk the DOM every time.
        self.header = StreakHeader(emoji=emoji, id="header")
        self.columns_box = Horizontal(*self.columns.all, id="columns")
        self.empty_note = Static(EMPTY_TEXT, id="empty", markup=False)
        self.detail_line = Static("", id="detail", markup=False)

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.columns_box
        yield self.empty_note
        yield self.detail_line
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        with self.guard(), long_lived():
            self.view.first_paint()
        self.columns.focus(self.columns.first_with_rows())
        self.set_interval(POLL_SECONDS, self.poll, name="poll")
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.reload()
        self.fill_markers()
        self.view.report_unreadable()
        if self.start_in_review:
            self.start_in_review = False
            self.action_review()

    # -- what the dashboard shows ------------------------------------------------------

    @property
    def today(self) -> date:
        return self.board.today

    @property
    def current_contact(self) -> Contact | None:
        if self.review.screen is not None:  # the review's card, not the highlight
            return self.board.contacts.get(self.review.target or "")
        uid = self.columns.current_uid
        return self.board.contacts.get(uid) if uid is not None else None

    # -- reading and drawing (BoardView) -------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Redraw everything from the store; keep the highlight on `keep` (or as it was)."""
        self.view.reload(keep)

    def render_contacts(self, keep: str | None = None) -> None:
        self.view.render_contacts(keep)

    def update_contact(
        self,
        uid: str,
        keep: str | None = None,
        stored: Contact | Unread | None = UNREAD,
        *,
        follow: bool = True,
    ) -> None:
        """Redraw contact `uid`'s row (`stored`: as a write returned it, not read again;
        `follow` False: the highlight does not chase the row)."""
        self.view.update_contact(uid, keep, stored, follow=follow)

    def history(self, uid: str) -> list[Touch]:
        """One contact's touches, newest first."""
        return self.view.history(uid)

    def fill_markers(self) -> None:
        self.view.fill_markers()

    def refresh_marker(self, uid: str) -> None:
        self.view.refresh_marker(uid)

    def refresh_from_disk(self) -> None:
        """Read what other processes changed and redraw what it touched."""
        self.view.refresh_from_disk()

    # -- live updates and errors ---------------------------------------------------

    def poll(self) -> None:
        """Pick up changes other processes made (and a new day)."""
        self.refresh_from_disk()

    def report(self, error: FollowupError) -> None:
        if isinstance(error, DatabaseError) and self.unusable(error):
            return
        self.notify(str(error), title="followup", severity="error", timeout=8, markup=False)

    def unusable(self, error: DatabaseError) -> bool:
        """Whether the database can't be used (a new process can't read it either): then
        the screen that says so, and what to run, is shown instead of the board."""
        for screen in self.app.screen_stack:
            if isinstance(screen, UnusableScreen):
                screen.show(str(error))
                return True
        probe = partial(read_whole, self.store.path, self.clock)
        try:
            probe()
        except FollowupError as still:
            shown = UnusableScreen(str(still), probe, POLL_SECONDS)
            self.app.push_screen(shown, lambda _: self.usable_again())
            return True
        return False  # a write that failed (a lock held too long...): the toast says it

    def usable_again(self) -> None:
        """Back from the unusable screen: everything read and drawn again."""
        with self.guard():
            self.store.sync()
        self.reload()
        self.fill_markers()

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn a store error into a notification; the dashboard keeps running."""
        try:
            yield
        except FollowupError as error:
            self.report(error)

    # -- writes (Writes) ----------------------------------------------------------------

    def change(self, label: str, uid: str, write: Write, on_conflict: OnConflict = "stop") -> None:
        """Run `write`, remember it for undo, redraw (see tui.dashboard.writes)."""
        self.writes.change(label, uid, write, on_conflict)

    def action_undo(self) -> None:
        self.writes.undo()

    def on_unmount(self) -> None:
        """A write still waiting for the lock is not lost when the dashboard closes: it
        finishes first (or fails with the lock's timeout, as any write does)."""
        self.writes.wait(timeout=self.store.lock_timeout + 5)

    # -- check_action --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        board = self.board
        if action in keys.CONTACT_ACTIONS:
            contact = self.current_contact
            if contact is None:
                return False
            if action == "warm_up" and contact.heat == "hot":
                return None
            if action == "cool_down" and contact.heat == "cool":
                return None
        elif action == "undo":
            return True if self.undo_stack else None
        elif action == "demo":
            return not board.contacts
        elif action in ("filter", "today_only"):
            return bool(board.contacts) or bool(board.filter_text) or board.today_only
        elif action == "clear_filter":
            field = self.filter_field
            return bool(board.filter_text) or (field is not None and field.display)
        return True

    def refresh_keys(self) -> None:
        """Refresh the footer only when what check_action allows has changed (the
        footer rebuilds itself on every refresh)."""
        self.show_detail()
        state = tuple(self.check_action(b.action.split("(")[0], ()) for b in self.key_bindings)
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    @property
    def key_bindings(self) -> list[Binding]:
        return list(keys.BINDINGS)

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, HeatColumn):
            self.columns.focused(event.widget)
        self.refresh_keys()

    # -- moving --------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.columns.current.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.columns.current.action_cursor_up()

    def action_column(self, step: int) -> None:
        self.columns.focus(self.columns.index + step)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The line under the columns: the highlighted contact's full next step, goal
        and last touch (once the histories are read)."""
        widget = self.detail_line
        contact = self.current_contact if self.review.screen is None else None
        known = self.board.histories.get(contact.uid) if contact is not None else None
        last = known[0] if known else None
        shown = (contact, last, self.board.today, known is None)
        if shown == self._detail_for:  # a key often asks twice (the highlight, the keys)
            return
        self._detail_for = shown
        # Its size is fixed (two lines, the screen's width): a new text needs no layout
        # of the screen, which would cost more than every line the change drew.
        if contact is None:
            widget.update("", layout=False)
            return
        widget.update(detail_text(contact, last, self.board.today, known), layout=False)

    @on(HeatColumn.Opened)
    def _opened(self, event: HeatColumn.Opened) -> None:
        self.action_open()

    # -- contact actions (ContactActions) --------------------------------------------

    def action_open(self) -> None:
        self.contact_actions.open()

    def action_log_touch(self) -> None:
        self.contact_actions.log_touch()

    def action_next_step(self) -> None:
        self.contact_actions.next_step()

    def action_snooze(self) -> None:
        self.contact_actions.snooze()

    def action_drop(self) -> None:
        self.contact_actions.drop()

    def action_warm_up(self) -> None:
        self.contact_actions.warm_up()

    def action_cool_down(self) -> None:
        self.contact_actions.cool_down()

    def action_add(self) -> None:
        self.contact_actions.add()

    def action_edit(self) -> None:
        self.contact_actions.edit()

    def action_review(self) -> None:
        self.review.start()

    # -- views ---------------------------------------------------------------------

    @property
    def filter_field(self) -> Input | None:
        """The filter line, mounted the first time / is pressed (not before the first
        paint); kept, not queried: the keys ask for it after every change."""
        field = self._filter
        return field if field is not None and field.is_attached else None

    async def action_filter(self) -> None:
        from textual.widgets import Input

        field = self.filter_field
        if field is None:
            field = Input(placeholder="filter: name or company (esc clears)", id="filter")
            await self.mount(field, before=self.query_one(KeyFooter))
            self._filter = field
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.board.filter_text = event.value
            self.render_contacts()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        if not self.board.filter_text.strip():
            event.input.display = False
        self.columns.focus(self.columns.with_rows())

    def action_clear_filter(self) -> None:
        self.board.filter_text = ""
        field = self.filter_field
        if field is not None:
            with field.prevent(field.Changed):
                field.value = ""
            field.display = False
        self.render_contacts()
        self.columns.focus(self.columns.with_rows())

    def action_today_only(self) -> None:
        self.board.today_only = not self.board.today_only
        self.render_contacts()
        if not self.columns.current.rows:
            self.columns.focus(self.columns.first_with_rows())

    # -- other screens -----------------------------------------------------------------

    def action_archive(self) -> None:
        from tui.screens.archive import ArchiveScreen

        with self.guard():
            self.app.push_screen(ArchiveScreen(self.store.dropped(), self.today), self._restored)

    def _restored(self, uid: str | None) -> None:
        if uid is None:
            return
        with self.guard():
            shown = self.store.contact(uid)
            self.change(
                f"Restored {clean(shown.name)}",
                uid,
                lambda store, on_conflict: actions.restore(
                    store, shown, expect=True, on_conflict=on_conflict
                ),
            )
            self.refresh_marker(uid)

    def action_stats(self) -> None:
        from tui.screens.stats import StatsScreen

        with self.guard():
            with long_lived():
                stats = channel_stats(self.store.touches())
            self.app.push_screen(StatsScreen(stats, self.board.streak))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        settings = self.store.settings
        self.app.push_screen(HelpScreen(self.key_help(), settings.cadence, settings))

    def action_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        with self.guard():
            self.app.push_screen(SettingsScreen(self.store.settings), self._settings_saved)

    def _settings_saved(self, settings: Settings | None) -> None:
        if settings is None or settings == self.store.settings:
            return
        with self.guard():
            self.store.save_settings(settings)
            self.notify("Settings saved", timeout=3, markup=False)
        self.reload()
        self.fill_markers()

    def action_quit(self) -> None:
        self.app.exit()

    def action_demo(self) -> None:
        from store.demo import sample

        with self.guard():
            contacts, touches = sample(self.clock.now())
            added = self.store.add_many(contacts, touches)
            self.undo_stack.push(
                SampleChange(
                    f"Loaded {added} sample contacts",
                    "",
                    None,
                    contact_uids=tuple(c.uid for c in contacts),
                    touch_uids=tuple(t.uid for t in touches),
                )
            )
            self.notify(
                f"Loaded {added} sample contacts (tagged sample; u takes them back)",
                timeout=4,
                markup=False,
            )
        self.reload()
        self.columns.focus(self.columns.first_with_rows())
        self.fill_markers()

    # -- keys for help and the command palette -------------------------------------

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) of every binding, for the help screen."""
        return keys.key_help(self.app)

    def commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) of each binding that can run now, for ctrl+p."""
        return keys.commands(self.app, lambda name: self.check_action(name, ()))
