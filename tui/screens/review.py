"""The morning review: one card per contact in the day's queue.

The screen shows; its host (the dashboard) acts. t, n, s, d, e and enter ask the host
to run that action on the card's contact; once the host reports the write (`done`),
the review moves to the next card. A dialog cancelled with escape leaves the card as
it was. space or j skips, k goes back, escape or q leaves; after the last card comes
the summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal, Protocol

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from store.model import Contact, Touch
from store.rules.cadence import due_label
from store.rules.format import plural
from store.rules.nudges import Nudge
from store.rules.review import Done, Queue, Tally
from store.rules.text import clean
from tui.screens._format import day, headline, money
from tui.stylesheets import SCREENS_CSS
from widgets.key_footer import KeyFooter
from widgets.styles import HEAT_STYLE

# The footer's keys that stay in sight first when not all fit (a narrow terminal).
FOOTER_KEEP = ("leave", "act('log')", "act('next')", "act('snooze')", "skip", "act('drop')")

# What a key asks the host to do on the card's contact (the dashboard's dialog of the
# same name), and what doing it counts as in the summary (the host says what a write
# did when it knows better: a drop that cooled down).
Act = Literal["log", "next", "snooze", "drop", "edit", "open"]
ACTS: dict[Act, Done] = {
    "log": "logged",
    "next": "rescheduled",
    "snooze": "snoozed",
    "drop": "dropped",
    "edit": "edited",
    "open": "edited",
}


class ReviewHost(Protocol):
    """What the review needs from the dashboard."""

    def review_contact(self, uid: str) -> Contact | None: ...
    def review_history(self, uid: str) -> list[Touch]: ...
    def review_nudges(self, contact: Contact, touches: Sequence[Touch]) -> list[Nudge]: ...
    async def review_act(self, uid: str, what: Act) -> None:
        """Run `what` on contact `uid`; return once its dialog is on the screen."""

    def review_streak(self) -> str: ...


def card(
    contact: Contact, touches: Sequence[Touch], nudges: Sequence[Nudge], today: date
) -> Content:
    """The card: who, heat, goal, value, the next step in full, due, touches, nudges."""
    c = contact
    name, where = headline(c.name, c.company, c.role)
    lines: list[Content] = [
        Content.assemble((name, "bold"), ("  " + where, "$text-muted") if where else "")
    ]
    about: list[str | tuple[str, str]] = [(c.heat.upper(), HEAT_STYLE.get(c.heat, "bold"))]
    about.append(
        f"   prefers {c.channel}" if c.channel else ("   no preferred channel", "$text-muted")
    )
    if c.value is not None:
        about.append(f"   value {money(c.value)}")
    lines.append(Content.assemble(*about))
    goal = clean(c.goal)
    lines.append(
        Content.assemble(
            ("Goal  ", "bold"), goal if goal else ("no goal set (e to edit)", "$warning")
        )
    )
    step = clean(c.next_step)
    label = due_label(c, today)
    if c.next_due is not None:
        label += f" ({day(c.next_due, today)})"
    due_style = "$error" if c.next_due is not None and c.next_due < today else "$warning"
    lines.append(
        Content.assemble(
            ("Next  ", "bold"),
            (step, "bold") if step else ("nothing planned", "$text-muted"),
        )
    )
    lines.append(Content.assemble(("Due   ", "bold"), (label, due_style)))
    lines.append(Content(""))
    lines.append(Content.styled("Last touches", "bold"))
    if not touches:
        lines.append(Content.styled("  none yet", "$text-muted"))
    for touch in list(touches)[:3]:
        note = clean(touch.note)
        way = f"{touch.channel}{' in' if touch.direction == 'in' else ''}, {touch.outcome}"
        lines.append(
            Content.assemble(
                f"  {day(touch.at, today):<14} {way}",
                ("  " + note, "$text-muted") if note else "",
            )
        )
    if nudges:
        lines.append(Content(""))
        for nudge in nudges:
            lines.append(Content.styled(f"! {clean(nudge.text)}", "$warning"))
    return Content("\n").join(lines)


class ReviewScreen(Screen[None]):
    """Walk the queue one contact at a time; the host runs the actions."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("t", "act('log')", "Log", id="review.log", tooltip="Log a touch"),
        Binding("n", "act('next')", "Next", id="review.next", tooltip="Set the next step"),
        Binding("s", "act('snooze')", "Snooze", id="review.snooze", tooltip="Move the date"),
        Binding("d", "act('drop')", "Drop", id="review.drop", tooltip="Stop (asks first)"),
        Binding("e", "act('edit')", "Edit", id="review.edit", tooltip="Edit the contact"),
        Binding("space,j", "skip", "Skip", key_display="spc", id="review.skip"),
        Binding("k", "back", "Back", id="review.back", tooltip="The previous card"),
        Binding("enter", "act('open')", "Open", show=False, id="review.open"),
        Binding("escape,q", "leave", "Leave", key_display="esc", id="review.leave"),
    ]

    def __init__(self, host: ReviewHost, queue: Queue, today: date) -> None:
        super().__init__()
        self.host = host
        self.queue = queue
        self.uids = [c.uid for c in queue.contacts]
        self.today = today
        self.index = 0
        self.done: dict[int, Done] = {}
        self._pending: Done | None = None  # the action asked for on the current card

    @property
    def finished(self) -> bool:
        return self.index >= len(self.uids)

    @property
    def current_uid(self) -> str | None:
        """The uid of the card shown (None on the summary)."""
        return None if self.finished else self.uids[self.index]

    @property
    def tally(self) -> Tally:
        return Tally.of(self.done, len(self.uids))

    def compose(self) -> ComposeResult:
        yield Static("", id="review-header", markup=False)
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-card", markup=False)
        yield KeyFooter(compact=True, keep=FOOTER_KEEP)

    def on_mount(self) -> None:
        self.show()

    def progress(self) -> str:
        if self.finished:
            return f"Review done: {len(self.uids)} / {len(self.uids)}"
        more = self.queue.more_line()
        return f"Review  {self.index + 1} / {len(self.uids)}" + (f"  ({more})" if more else "")

    def show(self) -> None:
        self.query_one("#review-header", Static).update(self.progress())
        body = self.query_one("#review-card", Static)
        if self.finished:
            body.update(self.summary())
        else:
            uid = self.uids[self.index]
            contact = self.host.review_contact(uid)
            if contact is None:  # gone meanwhile (another terminal dropped it)
                body.update(Content.styled("This contact is no longer active.", "$text-muted"))
            else:
                touches = self.host.review_history(uid)
                nudges = self.host.review_nudges(contact, touches)
                body.update(card(contact, touches, nudges, self.today))
        self.refresh_bindings()

    def summary(self) -> Content:
        if not self.uids:
            head = "Nothing is overdue or due today."
        else:
            # the cards acted on; the skipped ones are counted below, not as reviewed
            head = f"Reviewed {len(self.done)} of {plural(len(self.uids), 'contact')}."
        lines = [Content.styled(head, "bold"), Content("")]
        if self.uids:
            lines += [Content(line) for line in self.tally.lines()]
            more = self.queue.more_line()
            if more:
                lines.append(Content.styled(f"({more} past the daily target)", "$text-muted"))
            lines.append(Content(""))
        lines.append(Content(f"Streak: {self.host.review_streak()}"))
        lines.append(Content(""))
        lines.append(Content.styled("Press esc or q to go back to the board.", "$text-muted"))
        return Content("\n").join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("act", "skip") and self.finished:
            return False
        if action == "act" and self.host.review_contact(self.uids[self.index]) is None:
            return parameters == ("open",) or None
        if action == "back":
            return True if self.index > 0 else None
        return True

    # -- keys ------------------------------------------------------------------------

    async def action_act(self, what: Act) -> None:
        if self.finished or what not in ACTS:
            return
        self._pending = ACTS[what]
        await self.host.review_act(self.uids[self.index], what)

    def action_skip(self) -> None:
        if not self.finished:
            self.index += 1
            self.show()

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show()

    def action_leave(self) -> None:
        self.dismiss(None)

    # -- from the host ---------------------------------------------------------------

    def still_due(self, uid: str, why: str) -> None:
        """The host wrote a change to `uid` that leaves it due: the card stays (shown as
        it is now), and says why."""
        if self.finished or self.uids[self.index] != uid:
            return
        self._pending = None
        self.show()
        self.notify(why, timeout=5, markup=False)

    def changed(self, uid: str) -> None:
        """Contact `uid` changed (elsewhere): its card, if shown, as it is now."""
        if not self.finished and self.uids[self.index] == uid:
            self.show()

    def done_with(self, uid: str, kind: Done | None = None) -> None:
        """The host wrote a change to `uid`: count it and move on to the next card."""
        if self.finished or self.uids[self.index] != uid:
            return
        done = kind or self._pending or "edited"
        self.done[self.index] = done
        self._pending = None
        self.index += 1
        self.show()
