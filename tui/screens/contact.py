"""One contact in full: who, goal, next step, nudges, numbers and the touch history.

The screen only shows; it dismisses with the action the user asked for ("log", "next",
"snooze", "drop", "edit") so the dashboard runs it on this contact, or None to go back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from store.model import Contact, Touch
from store.rules.cadence import due_label
from store.rules.nudges import Nudge
from store.rules.stats import ContactSummary
from store.rules.text import clean
from tui.screens._format import day, headline, money, plural
from tui.stylesheets import SCREENS_CSS
from widgets.key_footer import KeyFooter
from widgets.styles import HEAT_STYLE
from widgets.timeline import Timeline


def due_style(contact: Contact, today: date) -> str:
    if contact.next_due is None or contact.next_due < today:
        return "$error"
    if contact.next_due == today:
        return "$warning"
    return "$text-muted"


class ContactScreen(Screen[str | None]):
    """A contact's details and history; t / n / s / d / e hand an action back."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("escape", "back", "Back", id="contact.back"),
        Binding("q", "back", "Back", show=False, id="contact.quit"),
        Binding("t", "choose('log')", "Log touch", id="contact.log"),
        Binding("n", "choose('next')", "Next step", id="contact.next"),
        Binding("s", "choose('snooze')", "Snooze", id="contact.snooze"),
        Binding("e", "choose('edit')", "Edit", id="contact.edit"),
        Binding("d", "choose('drop')", "Drop", id="contact.drop"),
    ]

    def __init__(
        self,
        contact: Contact,
        touches: Sequence[Touch],
        nudges: Sequence[Nudge],
        summary: ContactSummary,
        today: date,
    ) -> None:
        super().__init__()
        self.contact = contact
        self.touches = list(touches)
        self.nudges = list(nudges)
        self.summary = summary
        self.today = today

    def compose(self) -> ComposeResult:
        c = self.contact
        name, where = headline(c.name, c.company, c.role)
        title: list[str | tuple[str, str]] = [(name, "bold")]
        if where:
            title += ["  ", (where, "$text-muted")]
        yield Static(Content.assemble(*title), id="contact-title", markup=False)
        with Grid(id="contact-fields"):
            for label, value in self._fields():
                yield Label(label, classes="field-label", markup=False)
                yield Static(value, classes="field-value", markup=False)
        yield Static(self._numbers(), id="contact-numbers", markup=False)
        nudges = Static(self._nudges(), id="contact-nudges", markup=False)
        nudges.display = bool(self.nudges)
        yield nudges
        with Vertical(id="contact-history"):
            yield Timeline(self.touches, self.today, id="timeline")
        yield KeyFooter(compact=True)  # its keys on more lines on a narrow screen

    def _fields(self) -> list[tuple[str, Content]]:
        c, today = self.contact, self.today
        goal = clean(c.goal)
        fields: list[tuple[str, Content]] = [
            (
                "Goal",
                Content(goal) if goal else Content.styled("no goal set (e to edit)", "$warning"),
            )
        ]
        step = clean(c.next_step)
        label = due_label(c, today)
        if c.next_due is not None:
            label += f" ({day(c.next_due, today)})"
        fields.append(
            (
                "Next",
                Content.assemble(
                    (step, "bold") if step else ("nothing planned", "$text-muted"),
                    "  ",
                    (label, due_style(c, today)),
                ),
            )
        )
        about: list[str | tuple[str, str]] = [
            (c.heat, HEAT_STYLE.get(c.heat, "bold")),
            f"  {c.kind}",
            f"  prefers {c.channel}" if c.channel else ("  no preferred channel", "$text-muted"),
        ]
        if c.value is not None:
            about.append(f"  value {money(c.value)}")
        if c.do_not_contact:
            about.append(("  do not contact", "bold $error"))
        fields.append(("Heat", Content.assemble(*about)))
        reach = [clean(x) for x in (c.email, c.phone) if clean(x)]
        fields.append(
            (
                "Reach",
                Content("   ".join(reach))
                if reach
                else Content.styled("no email or phone", "$text-muted"),
            )
        )
        tags = ", ".join(t for t in (clean(t) for t in c.tags) if t)
        if tags:
            fields.append(("Tags", Content(tags)))
        if not c.active:
            dropped = f"archived {day(c.dropped_on, today)}" if c.dropped_on else "archived"
            reason = clean(c.drop_reason)
            fields.append(
                ("Status", Content.styled(f"{dropped}: {reason}" if reason else dropped, "$error"))
            )
        return fields

    def _numbers(self) -> Content:
        s, today = self.summary, self.today
        run_style = "$warning" if s.unanswered_run >= 3 else ""
        return Content.assemble(
            (plural(s.touches, "touch", "touches"), "bold"),
            ("  last touch ", "$text-muted"),
            day(s.last_touch, today),
            ("  last reply ", "$text-muted"),
            day(s.last_reply, today),
            "  ",
            (f"{s.unanswered_run} unanswered in a row", run_style),
        )

    def _nudges(self) -> Content:
        lines = [
            Content.assemble((f"{n.marker} ", "bold $warning"), (clean(n.text), "$warning"))
            for n in self.nudges
        ]
        return Content("\n").join(lines)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_choose(self, action: str) -> None:
        self.dismiss(action)
