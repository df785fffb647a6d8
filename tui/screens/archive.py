"""The archive of dropped contacts; enter or r restores one (dismisses its uid)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from store.model import Contact
from store.rules.text import clean
from tui.screens._format import day
from tui.stylesheets import SCREENS_CSS

EMPTY = (
    "The archive is empty.\n\n"
    "When you drop a contact (d on the dashboard) it lands here, with the date and "
    "the reason, and you can bring it back from here at any time."
)


def archive_prompt(contact: Contact, today: date) -> Content:
    """Two lines: name and company; when it was dropped and why."""
    company = clean(contact.company)
    first: list[str | tuple[str, str]] = [(clean(contact.name), "bold")]
    if company:
        first += ["  ", (company, "$text-muted")]
    when = f"dropped {day(contact.dropped_on, today)}" if contact.dropped_on else "dropped"
    reason = clean(contact.drop_reason)
    second: list[str | tuple[str, str]] = ["  ", (when, "$text-muted")]
    if reason:
        second += [("  ", ""), (reason, "italic")]
    return Content.assemble(*first, "\n", *second)


def archive_order(dropped: Sequence[Contact]) -> list[Contact]:
    """Most recently dropped first, then by name."""
    by_name = sorted(dropped, key=lambda c: (c.name.casefold(), c.uid))
    return sorted(by_name, key=lambda c: c.dropped_on or date.min, reverse=True)


class ArchiveScreen(ModalScreen[str | None]):
    """Dropped contacts, most recent first; restoring dismisses the contact's uid."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("r", "restore", "Restore", id="archive.restore"),
        Binding("escape", "close", "Close", id="archive.close"),
    ]

    def __init__(self, dropped: Sequence[Contact], today: date) -> None:
        super().__init__()
        self.dropped = archive_order(dropped)
        self.today = today

    def compose(self) -> ComposeResult:
        classes = "dialog" if self.dropped else "dialog -empty"
        with Vertical(id="archive-dialog", classes=classes) as dialog:
            dialog.border_title = Content(f"Archive ({len(self.dropped)})")
            if self.dropped:
                yield Static(
                    Content.assemble(
                        ("enter", "bold"),
                        " or ",
                        ("r", "bold"),
                        " restores the highlighted contact",
                    ),
                    id="archive-hint",
                    markup=False,
                )
                yield OptionList(
                    *(Option(archive_prompt(c, self.today), id=c.uid) for c in self.dropped),
                    id="archive-list",
                    markup=False,
                )
            else:
                yield Static(EMPTY, id="archive-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.dropped:
            self.query_one("#archive-list", OptionList).highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.dropped) or action != "restore"

    @on(OptionList.OptionSelected, "#archive-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.dismiss(event.option_id)

    def action_restore(self) -> None:
        options = self.query_one("#archive-list", OptionList)
        if options.highlighted is None:
            return
        uid = options.get_option_at_index(options.highlighted).id
        if uid is not None:
            self.dismiss(uid)

    def action_close(self) -> None:
        self.dismiss(None)
