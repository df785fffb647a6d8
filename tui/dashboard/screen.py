"""The dashboard: the streak header, the HOT / WARM / COOL columns and every key.

The screen is given its store and clock. It reads contacts (cheap) for the first
paint; the nudge markers that need the touch history are filled in afterwards, a
chunk at a time, so a key press never waits on 50,000 touches. Every change made
here is remembered, so `u` can revert it. Store errors become notifications.

The screen holds its parts, each given only what it uses, none holding the screen
(docs/ARCHITECTURE.md): the board (Textual-free model), the columns drawing it, the
view reading the store into them, the dialog flows (flows), the writes, what their
outcome does (outcomes), the undo stack and the review. The parts answer with
messages (`Flows.Decided`, `Writes.Written`, `Writes.Undone`, `Writes.Failed`,
`BoardView.MarkersReady`...) handled once here, or through the small protocol each
defines (`view.Host`, `writes.Host`, `outcomes.Host`), which this screen implements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import OptionList, Static

from store import actions
from store.clock import Clock
from store.errors import DatabaseError, FollowupError
from store.model import Contact
from store.rules.text import clean
from store.store import Store
from tui.dashboard import keys, samples
from tui.dashboard.board import Board
from tui.dashboard.detail import DetailLine
from tui.dashboard.elsewhere import Elsewhere
from tui.dashboard.flows import Flows
from tui.dashboard.markers import MarkerReader
from tui.dashboard.outcomes import Outcomes
from tui.dashboard.review import Review
from tui.dashboard.rows import Columns, long_lived
from tui.dashboard.samples import SampleChange
from tui.dashboard.undo import Change, UndoStack, changed_since
from tui.dashboard.view import BoardView
from tui.dashboard.writes import Pending, Writes
from widgets.heat_column import HeatColumn
from widgets.heat_tabs import HeatTabs
from widgets.key_footer import KeyFooter
from widgets.streak_header import StreakHeader

if TYPE_CHECKING:
    from textual.widgets import Input


POLL_SECONDS = 1.0

EMPTY_TEXT = """\
No contacts yet.

Press  a  to add your first contact,
or  D  to load sample contacts (the same as `followup demo`).

Press  ?  for help,  q  to quit."""


class DashboardScreen(Screen[None]):
    BINDINGS = [*keys.BINDINGS, *keys.REFUSALS]

    def __init__(
        self, store: Store, clock: Clock, *, emoji: bool | None = None, review: bool = False
    ) -> None:
        super().__init__()
        self.start_in_review = review
        self.store = store
        self.clock = clock
        self.board = Board(clock.now().date())
        self.columns = Columns(self.board)
        self.undo_stack = UndoStack()
        reader = MarkerReader(store.path, clock)
        self.view = BoardView(store, clock, self.board, self.columns, reader, self)
        self.writes = Writes(store, self)
        self.flows = Flows(store, clock, self.board, self.view.history, self.view.refresh_from_disk)
        self.review = Review(store, self.board, self.view.history, self.flows.start)
        self.outcomes = Outcomes(
            store,
            self.board,
            self.view,
            self.undo_stack,
            self.review,
            self,
            self.flows.resolve_conflict,
        )
        self.elsewhere = Elsewhere()  # changed elsewhere since each change: `u` asks
        self._key_state: tuple[bool | None, ...] = ()
        self._filter: Input | None = None  # the filter line, once mounted
        # Made here and kept, as the columns are: each change shows the header and the
        # detail line, and a query for them would walk the DOM every time.
        self.header = StreakHeader(emoji=emoji, id="header")
        self.heat_tabs = HeatTabs(id="heat-tabs")
        self.columns_box = Horizontal(*self.columns.all, id="columns")
        self.empty_note = Static(EMPTY_TEXT, id="empty", markup=False)
        self.detail_line = DetailLine()

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.heat_tabs
        yield self.columns_box
        yield self.empty_note
        yield self.detail_line
        yield KeyFooter(compact=True, keep=keys.FOOTER_KEEP)
        yield self.flows

    def on_resize(self) -> None:
        """The column shown when narrow, and the keys the footer shows (tab: "Heat"
        when narrow), follow the width's class (FollowupApp.HORIZONTAL_BREAKPOINTS),
        which Screen's own handler sets after this one: next, before the frame."""
        self.call_next(self._follow_width)
        self.call_after_refresh(self.refresh_keys)

    def _follow_width(self) -> None:
        self.columns.narrow(self.has_class("-narrow"))

    def show_heats(self) -> None:
        """The narrow dashboard's heat line: the counts, and which heat is shown."""
        self.heat_tabs.show(self.columns.counts(), self.columns.index)

    def on_mount(self) -> None:
        with self.guard(), long_lived():
            self.view.first_paint()
        self.columns.focus(self.columns.first_with_rows())
        self.set_interval(POLL_SECONDS, self.poll, name="poll")
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.view.reload()
        self.view.fill_markers()
        self.view.report_unreadable()
        if self.start_in_review:
            self.start_in_review = False
            self.action_review()

    @property
    def current_contact(self) -> Contact | None:
        """The highlighted contact (the review's card while the review is open)."""
        if self.review.screen is not None:
            return self.review.card
        uid = self.columns.current_uid
        return self.board.contacts.get(uid) if uid is not None else None

    # -- what the parts ask of the screen (view.Host, writes.Host) -----------------------

    def drawn(self) -> None:
        """The board changed: the header, the empty note, the keys, the detail line."""
        board = self.board
        streak = board.streak_now(self.store.settings.rest_days)
        self.header.note = board.view_note()
        self.header.show(streak, board.due_counts["today"], board.due_counts["overdue"])
        empty = not board.contacts
        self.columns_box.display = not empty
        self.empty_note.display = empty
        self.show_heats()
        self.refresh_keys()

    def changed_elsewhere(self, uids: set[str] | None) -> None:
        """Another process changed these contacts (None: anything): the review's card
        follows, as the board does, and `u` will ask before undoing an older change."""
        with self.guard():
            self.review.external(uids)
        self.elsewhere.noted(self.undo_stack.peek(), uids, len(self.undo_stack))

    def _name_of(self, uid: str) -> str | None:
        contact = self.board.contacts.get(uid)
        if contact is None:
            try:
                contact = self.store.contact(uid)
            except FollowupError:
                return None  # removed there
        return clean(contact.name)

    def _popped(self, change: Change | SampleChange) -> None:
        self.elsewhere.popped(change, self.undo_stack.peek(), len(self.undo_stack))

    def report(self, error: FollowupError) -> None:
        if isinstance(error, DatabaseError) and self.unusable(error):
            return
        self.notify(str(error), title="followup", severity="error", timeout=8, markup=False)

    def warn(self, text: str, timeout: float) -> None:
        self.notify(text, title="followup", severity="warning", timeout=timeout, markup=False)

    def say(self, text: str, timeout: float = 3) -> None:
        self.notify(text, timeout=timeout, markup=False)

    def caution(self, text: str, timeout: float) -> None:
        """A warning about what the user just did (no title: not the store's)."""
        self.notify(text, severity="warning", timeout=timeout, markup=False)

    def run_in_thread(self, job: Callable[[], None], group: str) -> object:
        return self.run_worker(job, thread=True, group=group)

    def unusable(self, error: DatabaseError) -> bool:
        """Whether the database can't be used (a new process can't read it either): then
        the screen that says so, and what to run, is shown instead of the board."""
        from tui.screens.unusable import UnusableScreen, read_whole  # not on the first frame

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
        self.view.reload()
        self.view.fill_markers()

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn a store error into a notification; the dashboard keeps running."""
        try:
            yield
        except FollowupError as error:
            self.report(error)

    # -- live updates ----------------------------------------------------------------

    def poll(self) -> None:
        """Pick up changes other processes made (and a new day)."""
        self.view.refresh_from_disk()

    @on(BoardView.MarkersReady)
    def _markers_ready(self, event: BoardView.MarkersReady) -> None:
        self.view.apply_markers(event.read)
        self.show_detail()  # the highlighted contact's last touch, read again

    def on_unmount(self) -> None:
        """A write still waiting for the lock is not lost when the dashboard closes: it
        finishes first (or fails with the lock's timeout, as any write does)."""
        self.writes.wait(timeout=self.store.lock_timeout + 5)

    # -- writes and their outcome ----------------------------------------------------------

    @on(Flows.Decided)
    def _decided(self, event: Flows.Decided) -> None:
        """A flow decided a write: to the writes, whose outcome comes back as a message."""
        self.writes.change(event.pending)

    @on(Writes.Written)
    def _written(self, event: Writes.Written) -> None:
        if event.waited:
            self._waiting(-1)
        with self.elsewhere.own(event.pending.uid if event.waited else None):
            self.outcomes.written(event)

    @on(Writes.Failed)
    def _failed(self, event: Writes.Failed) -> None:
        if event.waited:
            self._waiting(-1)
        self.outcomes.failed(event)

    @on(Writes.Waiting)
    def _write_waits(self) -> None:
        self._waiting(+1)
        self.warn("Waiting for another followup process to finish writing; keys still work", 4)

    def _waiting(self, step: int) -> None:
        self.board.waiting += step
        self.header.note = self.board.view_note()

    async def action_undo(self) -> None:
        """Undo the dashboard's last change, named; when anything was changed elsewhere
        since (in another terminal, say: its contact or another), ask first. The person
        who just worked there means that change, which the dashboard can't take back;
        the dashboard's own later changes are on the stack above it, undone first."""
        change = self.undo_stack.peek()
        if change is None:
            self.action_nothing_to_undo()
            return
        if isinstance(change, SampleChange):
            self.undo_stack.pop()
            self._popped(change)
            self._undo_samples(change)
            return
        since: list[str] = []
        with self.guard():
            self.view.refresh_from_disk()  # what other processes did meanwhile
            since = changed_since(self.store, change) + self.elsewhere.lines(
                change, change.uid, self._name_of
            )
        if since:
            await self.flows.opened(lambda: self.flows.confirm_undo(change, since))
            return
        self.undo_stack.pop()
        self._popped(change)
        self.writes.undo(change)

    def action_nothing_to_undo(self) -> None:
        self.say("Nothing to undo: no change made here since the dashboard opened", timeout=3)

    @on(Flows.UndoChosen)
    def _undo_chosen(self, event: Flows.UndoChosen) -> None:
        if self.undo_stack.peek() is event.change:
            self.undo_stack.pop()
            self._popped(event.change)
            self.writes.undo(event.change)

    @on(Writes.Undone)
    def _undone(self, event: Writes.Undone) -> None:
        if event.waited:
            self._waiting(-1)
        with self.elsewhere.own(event.change.uid if event.waited else None):
            self.outcomes.undone(event)

    def _undo_samples(self, change: SampleChange) -> None:
        with self.guard():
            self.say(samples.take_back(self.store, change), timeout=4)
        self.view.reload()
        self.columns.focus(self.columns.first_with_rows())
        self.view.fill_markers()

    # -- check_action --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._allowed()(action)

    def _allowed(self) -> Callable[[str], bool | None]:
        """`keys.allowed` of an action in the state of the board now (read once)."""
        field = self.filter_field
        return partial(
            keys.allowed,
            board=self.board,
            contact=self.current_contact,
            can_undo=bool(self.undo_stack),
            filter_shown=field is not None and field.display,
            narrow=self.has_class("-narrow"),
        )

    def refresh_keys(self) -> None:
        """Refresh the footer only when what check_action allows has changed (the
        footer rebuilds itself on every refresh)."""
        self.show_detail()
        allowed = self._allowed()
        state = tuple(allowed(b.action.split("(")[0]) for b in self.key_bindings)
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
            self.show_heats()
        self.refresh_keys()

    # -- moving --------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.columns.current.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.columns.current.action_cursor_up()

    def action_column(self, step: int) -> None:
        self.columns.focus(self.columns.index + step)

    def action_heat(self, step: int) -> None:
        """The next heat on a narrow screen (the one column it shows)."""
        self.action_column(step)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        contact = self.current_contact if self.review.screen is None else None
        known = self.board.histories.get(contact.uid) if contact is not None else None
        self.detail_line.show(contact, known, self.board.today)

    @on(HeatColumn.Opened)
    async def _opened(self, event: HeatColumn.Opened) -> None:
        await self.start_on_current("open")

    # -- the keys on a contact: each starts its dialog flow --------------------------

    async def action_open(self) -> None:
        await self.start_on_current("open")

    async def action_log_touch(self) -> None:
        await self.start_on_current("log")

    async def action_next_step(self) -> None:
        await self.start_on_current("next")

    async def action_snooze(self) -> None:
        await self.start_on_current("snooze")

    async def action_drop(self) -> None:
        await self.start_on_current("drop")

    async def action_edit(self) -> None:
        await self.start_on_current("edit")

    async def start_on_current(self, what: str) -> None:
        contact = self.current_contact
        if contact is not None:
            await self.flows.start(contact, what)

    def action_warm_up(self) -> None:
        self._move(-1)

    def action_cool_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        contact = self.current_contact
        heat = actions.shifted_heat(contact.heat, step) if contact is not None else None
        if contact is None or heat is None:
            return
        self.writes.change(
            Pending(
                f"{clean(contact.name)} moved to {heat}",
                contact.uid,
                lambda store, on_conflict: actions.set_heat(
                    store, contact, heat, expect=True, on_conflict=on_conflict
                ),
            )
        )

    async def action_add(self) -> None:
        await self.flows.opened(self.flows.add)

    def action_review(self) -> None:
        self.run_review()

    @on(Flows.Adding)
    def _adding(self, event: Flows.Adding) -> None:
        self.outcomes.add(event.fields)

    @work(group="dialogs")
    async def run_review(self) -> None:
        """The morning review: its screen shows the cards, and asks `act` for the flows."""
        with self.guard():
            await self.app.push_screen_wait(self.review.open())
        self.review.closed()
        self.show_detail()  # hidden while the review was on top

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
        # At once, not after this key (Widget.focus): the keys typed with `/`, which the
        # board's column took first, find the focus in the field and are typed there
        # (FollowupApp.on_key).
        self.set_focus(field)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.board.filter_text = event.value
            self.view.render_contacts()

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
        self.view.render_contacts()
        self.columns.focus(self.columns.with_rows())

    def action_today_only(self) -> None:
        self.board.today_only = not self.board.today_only
        self.view.render_contacts()
        if not self.columns.current.rows:
            self.columns.focus(self.columns.first_with_rows())

    # -- other screens -----------------------------------------------------------------

    def action_archive(self) -> None:
        self.flows.archive()

    def action_stats(self) -> None:
        self.flows.stats()

    def action_help(self) -> None:
        self.flows.help()

    def action_settings(self) -> None:
        self.flows.settings()

    @on(Flows.SettingsChosen)
    def _settings_chosen(self, event: Flows.SettingsChosen) -> None:
        if event.settings == self.store.settings:
            return
        with self.guard():
            self.store.save_settings(event.settings)
            self.say("Settings saved")
        self.view.reload()
        self.view.fill_markers()

    def action_quit(self) -> None:
        self.app.exit()

    def action_demo_refused(self) -> None:
        self.say("Sample data loads only into an empty database; this one has contacts", 4)

    def action_demo(self) -> None:
        with self.guard():
            change = samples.load(self.store, self.clock)
            self.undo_stack.push(change)
            self.say(f"{change.label} (tagged sample; u takes them back)", 4)
        self.view.reload()
        self.columns.focus(self.columns.first_with_rows())
        self.view.fill_markers()

    # -- keys for the command palette -----------------------------------------------

    def commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) of each binding that can run now, for ctrl+p."""
        return keys.commands(self.app, lambda name: self.check_action(name, ()))
