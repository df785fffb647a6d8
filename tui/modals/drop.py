"""Ask before dropping a contact: stop (archive), cool down instead, or keep.

Shows the history that matters first (touches, last reply, value, the unanswered run),
and says that nothing is deleted. Dismisses "stop", "cool", or None to keep; `reason`
holds the optional reason typed (r), written with the drop.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from store.model import FIELD_LIMITS, TEXT_MAX, Contact
from store.rules.stats import ContactSummary
from tui.screens._format import day, headline, money, plural
from tui.stylesheets import SCREENS_CSS
from widgets.key_footer import KeyFooter


class DropModal(ModalScreen[str | None]):
    """Stop following up with a contact? y stop (archive), c cool down, n keep."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("y", "choose('stop')", "Stop (archive)", id="drop.stop"),
        Binding("c", "choose('cool')", "Cool down", id="drop.cool"),
        Binding("n", "keep", "Keep", id="drop.keep"),
        Binding("r", "reason", "Reason", id="drop.reason", tooltip="Type why (optional)"),
        Binding("escape", "keep", "Cancel", id="drop.cancel"),
    ]

    def __init__(self, contact: Contact, summary: ContactSummary) -> None:
        super().__init__()
        self.contact = contact
        self.summary = summary

    def compose(self) -> ComposeResult:
        name, where = headline(self.contact.name, self.contact.company, self.contact.role)
        with Vertical(id="drop-dialog", classes="dialog"):
            yield Static(
                Content.assemble("Stop following up with ", (name, "bold"), "?"),
                id="drop-question",
                markup=False,
            )
            if where:
                yield Static(Content.styled(where, "$text-muted"), markup=False)
            yield Static(self._history(), id="drop-history", markup=False)
            yield Static(
                Content.assemble(
                    "Nothing is deleted: the contact moves to the archive, "
                    "and you can restore it there with ",
                    ("A", "bold"),
                    ".",
                ),
                id="drop-explain",
                markup=False,
            )
            with Horizontal(id="drop-reason-row", classes="field"):
                yield Label("Reason", classes="field-label")
                yield Input(
                    placeholder="optional (r): why you stop; enter, then enter stops",
                    id="drop-reason",
                    compact=True,
                    max_length=FIELD_LIMITS.get("drop_reason", TEXT_MAX),
                )
            with Horizontal(id="drop-buttons", classes="buttons"):
                yield Button(
                    Content.assemble(("y", "bold underline"), " Stop (archive)"),
                    variant="error",
                    id="drop-stop",
                )
                if self.can_cool:
                    yield Button(
                        Content.assemble(("c", "bold underline"), " Cool down instead"),
                        variant="primary",
                        id="drop-cool",
                    )
                yield Button(
                    Content.assemble(("n", "bold underline"), " Keep"),
                    id="drop-keep",
                )
        yield KeyFooter()  # on a narrow screen: every key, on as many lines as they need

    def _history(self) -> Content:
        s, c = self.summary, self.contact
        if s.touches == 0:
            touches: Content = Content.styled("No touches logged yet.", "$warning")
        else:
            touches = Content.assemble(
                (plural(s.touches, "touch", "touches"), "bold"),
                f", the last on {day(s.last_touch)}.",
            )
        reply = (
            Content.assemble("Last reply: ", (day(s.last_reply), "bold"), ".")
            if s.last_reply is not None
            else Content.styled("Never replied.", "$warning")
        )
        run = Content.assemble(
            (str(s.unanswered_run), "bold $warning" if s.unanswered_run >= 3 else "bold"),
            " unanswered in a row.",
        )
        value = (
            Content.assemble("Value: ", (money(c.value), "bold"), ".")
            if c.value is not None
            else Content.styled("No value set.", "$text-muted")
        )
        heat = Content.assemble("Now a ", (c.heat, "bold"), f" {c.kind}.")
        return Content("\n").join([touches, reply, run, value, heat])

    @property
    def can_cool(self) -> bool:
        """Cooling down is offered unless the contact is already cool."""
        return self.contact.heat != "cool"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("cool",):
            return self.can_cool
        return True

    def on_mount(self) -> None:
        self.query_one("#drop-keep", Button).focus()

    @on(Button.Pressed, "#drop-stop")
    def _stop(self) -> None:
        self.dismiss("stop")

    @on(Button.Pressed, "#drop-cool")
    def _cool(self) -> None:
        self.dismiss("cool")

    @on(Button.Pressed, "#drop-keep")
    def _keep(self) -> None:
        self.dismiss(None)

    @property
    def reason(self) -> str:
        return self.query_one("#drop-reason", Input).value.strip()

    def action_reason(self) -> None:
        self.query_one("#drop-reason", Input).focus()

    @on(Input.Submitted, "#drop-reason")
    def _reason_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#drop-stop", Button).focus()  # enter again stops

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_keep(self) -> None:
        self.dismiss(None)
