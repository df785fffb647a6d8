"""The rows of a heat column: what one contact's row shows, and its visual.

Each row is a `RowVisual` of fixed height two whose text is built only when it is first
drawn, so a column of 5,000 contacts costs a few milliseconds to fill or redraw.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

import msgspec
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from store.model import Contact
from store.rules.cadence import DueState, due_label, due_state
from store.rules.text import clean
from widgets.styles import DUE_STYLE, MARKER_STYLE


class Row(msgspec.Struct, frozen=True):
    """One contact's row; its text is cleaned for the terminal only when drawn."""

    contact: Contact
    today: date
    marker: str = ""

    @classmethod
    def from_contact(cls, contact: Contact, today: date, marker: str = "") -> Row:
        return cls(contact, today, marker)

    @property
    def uid(self) -> str:
        return self.contact.uid

    @property
    def name(self) -> str:
        return clean(self.contact.name)

    @property
    def company(self) -> str:
        return clean(self.contact.company)

    @property
    def next_step(self) -> str:
        return clean(self.contact.next_step)

    @property
    def due_label(self) -> str:
        return due_label(self.contact, self.today)

    @property
    def due_state(self) -> DueState:
        return due_state(self.contact, self.today)

    def lines(self) -> tuple[Content, Content]:
        """Line 1: marker, name, company. Line 2: due label, next step."""
        company = self.company
        first = Content.assemble(
            (self.marker[:1] or " ", MARKER_STYLE),
            " ",
            (self.name, "bold"),
            *((" · ", "$text-muted"), (company, "$text-muted")) if company else (),
        )
        state = self.due_state
        step = self.next_step
        second = Content.assemble("  ", (self.due_label, DUE_STYLE[state]))
        if step and state != "none":
            second = Content.assemble(second, (" · ", "$text-muted"), step)
        elif step:
            second = Content.assemble("  ", step)
        return first, second


class RowVisual(Visual):
    """A row of fixed height two; its text is laid out only when drawn."""

    HEIGHT = 2

    def __init__(self, row: Row) -> None:
        self.row = row
        self._lines: tuple[Content, Content] | None = None
        # The last two renders (the row as it is, and highlighted) by width, height and
        # style: a row that only changed place is drawn again from them.
        self._drawn: list[tuple[tuple[int, int | None, Style], list[Strip]]] = []

    @property
    def lines(self) -> tuple[Content, Content]:
        if self._lines is None:
            self._lines = self.row.lines()
        return self._lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if width <= 0:
            return []
        key = (width, height, style)
        plain = options.selection is None and options.post_style is None
        for drawn, known in self._drawn if plain else ():
            if drawn == key:
                return list(known)
        strips: list[Strip] = []
        for line in self.lines[: height or self.HEIGHT]:
            fitted = line.truncate(width, ellipsis=True)
            if plain:
                strips.append(_one_line(fitted, style, options.get_style))
            else:
                strips.extend(fitted.render_strips(width, 1, style, options))
        if plain:
            self._drawn = [(key, strips), *self._drawn[:1]]
        return list(strips)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(line.cell_length for line in self.lines)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.HEIGHT


def _one_line(line: Content, style: Style, get_style: Callable[[str | Style], Style]) -> Strip:
    """`line` (one line, no wider than the list) as `Content.render_strips` draws it, less
    the place of each piece in the widget that Textual adds to every piece's style (a new
    Rich style per piece, most of the cost of drawing a row: about 0.3 ms a line on the
    shared machine). A list's lines need no place: the mouse finds an option by its line
    (widgets.textual_compat, `option_under`) and an OptionList's text can't be selected."""
    segments = [
        Segment(text, _combined(style, piece))
        for text, piece in line.render(style, end="", parse_style=get_style)
    ]
    return Strip(segments, line.cell_length)


@lru_cache(maxsize=1024)
def _combined(base: Style, piece: Style) -> RichStyle:
    """The Rich style of a piece of a line drawn on `base` (a few per theme)."""
    return (base + piece).rich_style


class EmptyVisual(Visual):
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
