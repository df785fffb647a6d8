"""One heat column of the dashboard: contacts as two-line rows in a virtualised OptionList.

Each row is a `RowVisual` of fixed height whose text is built only when it is first
drawn, so a column of 5,000 contacts costs a few milliseconds to fill or redraw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RulesMap, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.cadence import DueState, due_label, due_state
from store.model import Contact
from store.text import clean

# The style of each due state's label: theme variables only.
DUE_STYLE: dict[str, str] = {
    "overdue": "bold $error",
    "today": "bold $warning",
    "soon": "$success",
    "later": "$primary",
    "none": "italic $text-muted",
}
MARKER_STYLE = "bold $warning"


@dataclass(frozen=True, slots=True)
class Row:
    """What one row shows; built from a Contact, cleaned for the terminal."""

    uid: str
    name: str
    company: str
    next_step: str
    due_label: str
    due_state: DueState
    marker: str = ""

    @classmethod
    def from_contact(cls, contact: Contact, today: date, marker: str = "") -> Row:
        return cls(
            uid=contact.uid,
            name=clean(contact.name),
            company=clean(contact.company),
            next_step=clean(contact.next_step),
            due_label=due_label(contact, today),
            due_state=due_state(contact, today),
            marker=marker,
        )

    def lines(self) -> tuple[Content, Content]:
        """Line 1: marker, name, company. Line 2: due label, next step."""
        first = Content.assemble(
            (self.marker[:1] or " ", MARKER_STYLE),
            " ",
            (self.name, "bold"),
            *((" · ", "$text-muted"), (self.company, "$text-muted")) if self.company else (),
        )
        second = Content.assemble("  ", (self.due_label, DUE_STYLE[self.due_state]))
        if self.next_step and self.due_state != "none":
            second = Content.assemble(second, (" · ", "$text-muted"), self.next_step)
        elif self.next_step:
            second = Content.assemble("  ", self.next_step)
        return first, second


class RowVisual(Visual):
    """A row of fixed height two; its text is laid out only when drawn."""

    HEIGHT = 2

    def __init__(self, row: Row) -> None:
        self.row = row

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if width <= 0:
            return []
        strips: list[Strip] = []
        for line in self.row.lines()[: height or self.HEIGHT]:
            fitted = line.truncate(width, ellipsis=True)
            strips.extend(fitted.render_strips(width, 1, style, options))
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(line.cell_length for line in self.row.lines())

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.HEIGHT


class _EmptyVisual(Visual):
    """The placeholder row of an empty column."""

    def __init__(self, text: str) -> None:
        self.content = Content.styled(text, "italic $text-muted")

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content.truncate(width, ellipsis=True).render_strips(width, 1, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.cell_length

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


class HeatColumn(OptionList):
    """The contacts of one heat, in the order given; the option ids are contact uids."""

    BINDINGS = [
        Binding("enter", "select", "Open", show=False, id="heat_column.open"),
    ]

    class Opened(Message):
        """The user pressed enter on a contact."""

        def __init__(self, column: HeatColumn, uid: str) -> None:
            super().__init__()
            self.column = column
            self.uid = uid

        @property
        def control(self) -> HeatColumn:
            return self.column

    def __init__(self, heat: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.heat = heat
        self.rows: list[Row] = []
        self.total = 0
        self.empty_text = "nobody here"
        self._update_title()

    # -- reading -------------------------------------------------------------------

    @property
    def highlighted_uid(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    @property
    def uids(self) -> list[str]:
        return [row.uid for row in self.rows]

    # -- writing -------------------------------------------------------------------

    def set_rows(
        self, rows: Sequence[Row], *, total: int | None = None, keep: str | None = None
    ) -> None:
        """Show `rows`; keep the highlight on contact `keep` (or on the same position)."""
        old_index = self.highlighted
        self.rows = list(rows)
        self.total = len(self.rows) if total is None else total
        if self.rows:
            self.set_options(Option(RowVisual(row), id=row.uid) for row in self.rows)
        else:
            self.set_options([Option(_EmptyVisual(self.empty_text), disabled=True)])
        self._update_title()
        if not self.rows:
            return
        index = None
        if keep is not None:
            index = next((i for i, row in enumerate(self.rows) if row.uid == keep), None)
        if index is None:
            index = min(old_index or 0, len(self.rows) - 1)
        self.highlighted = index

    def set_marker(self, uid: str, marker: str) -> None:
        """Change the nudge marker of one row (redraws only that row)."""
        for index, row in enumerate(self.rows):
            if row.uid == uid:
                if row.marker != marker:
                    new = replace(row, marker=marker)
                    self.rows[index] = new
                    self.replace_option_prompt_at_index(index, RowVisual(new))
                return

    def set_markers(self, markers: dict[str, str]) -> None:
        """Change many markers at once (one redraw)."""
        for index, row in enumerate(self.rows):
            marker = markers.get(row.uid)
            if marker is not None and marker != row.marker:
                new = replace(row, marker=marker)
                self.rows[index] = new
                self.replace_option_prompt_at_index(index, RowVisual(new))

    def select_uid(self, uid: str) -> bool:
        for index, row in enumerate(self.rows):
            if row.uid == uid:
                self.highlighted = index
                return True
        return False

    def _update_title(self) -> None:
        count = str(len(self.rows))
        if self.total != len(self.rows):
            count = f"{len(self.rows)}/{self.total}"
        self.border_title = f"{self.heat.upper()} {count}"

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Opened(self, event.option_id))
