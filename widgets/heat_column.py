"""One heat column of the dashboard: contacts as two-line rows (widgets.heat_row) in a
virtualised OptionList."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from widgets.border_thumb import BorderThumb, thumb
from widgets.heat_row import EmptyVisual, Row, RowVisual
from widgets.textual_compat import EditableOptionList

__all__ = ["HeatColumn", "Row"]


class RowOption(Option):
    """An option of one row. Options are told apart by identity, as Option's are, but
    hashed in C: a move renumbers hundreds of them in the list's index by option."""

    __hash__ = object.__hash__

    @classmethod
    def of(cls, row: Row) -> RowOption:
        return cls(RowVisual(row), id=row.uid)


class HeatColumn(EditableOptionList):
    """The contacts of one heat, in the order given; the option ids are contact uids.

    A change repaints only the lines it changed: a row that moves repaints the lines
    between its old place and its new one, a new marker only its row's two lines
    (OptionList edited in place: widgets/textual_compat.py). And a line that now shows
    what another line showed before the change (the same row, in the same highlight)
    takes that line as it was painted, instead of being painted again (`painted`,
    `reuse`): when the top row leaves, the rows below only shift.
    """

    OPTION_HEIGHT = RowVisual.HEIGHT

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
        self.shown = 0
        self.empty_text = "nobody here"
        self._generation = 0
        self._title = ""
        self._thumb = BorderThumb()  # where the list is scrolled to, on the right border
        self._update_title()

    # -- reading -------------------------------------------------------------------

    @property
    def highlighted_uid(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    # -- writing -------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[Row],
        *,
        total: int | None = None,
        shown: int | None = None,
        keep: str | None = None,
        first: int | None = None,
    ) -> None:
        """Show `rows`; keep the highlight on contact `keep` (or on the same position).

        `total` is the number of contacts of this heat, `shown` the number the view
        lets through (the title says "shown/total" when they differ); both default to
        the number of rows. With `first`, only that many rows become options now and
        the rest right after the next paint (a long column costs no more than a short one).
        """
        old_index = self.highlighted
        self.rows = list(rows)
        self.total = len(self.rows) if total is None else total
        self.shown = len(self.rows) if shown is None else shown
        self._generation += 1
        self._update_title()
        if not self.rows:
            self.set_options([Option(EmptyVisual(self.empty_text), disabled=True)])
            return
        index = None
        if keep is not None:
            index = next((i for i, row in enumerate(self.rows) if row.uid == keep), None)
        if index is None:
            index = min(old_index or 0, len(self.rows) - 1)
        now = len(self.rows)
        if first is not None and index < first:
            now = min(first, now)
        self.set_options(RowOption.of(row) for row in self.rows[:now])
        self.highlighted = index
        if now < len(self.rows):
            self.call_after_refresh(self._add_rest, self._generation, now)

    def _add_rest(self, generation: int, start: int) -> None:
        if generation == self._generation:
            self.add_options(RowOption.of(row) for row in self.rows[start:])

    def index_of(self, uid: str) -> int | None:
        if self.option_count == len(self.rows):  # every row is an option: no scan
            try:
                return self.get_option_index(uid)
            except OptionDoesNotExist:
                return None
        return next((i for i, row in enumerate(self.rows) if row.uid == uid), None)

    def place(self, row: Row, index: int, *, total: int, follow: bool = True) -> None:
        """Show `row` at `index` of the rows without it (adding it, or moving it there
        if it is here already); the highlight stays on the contact it was on (`follow`
        False: when that is the contact moved, on the place it was at, now the next
        row), and the view does not scroll unless that contact would leave it. Only the
        options between the old place and the new one change (see `options_moved`)."""
        self._complete()
        option = RowOption.of(row)
        if not self.rows:  # the placeholder of an empty column goes
            self.rows.append(row)
            self.set_options([option])
            self.highlighted = 0
            self._set_total(total)
            return
        highlighted = self.highlighted_uid
        painted = self.painted()
        old = self.index_of(row.uid)
        if old is None:
            low, high = index, len(self.rows) + 1
        else:
            low, high = min(old, index), max(old, index) + 1
            del self.rows[old]
            self.pop_option_at(old)
        self.rows.insert(index, row)
        self.insert_option_at(index, option)
        self.options_moved(low, high)
        if not follow and old is not None and highlighted == row.uid:
            self._keep_highlight(min(old, len(self.rows) - 1))
        else:
            self._keep_highlight(self.index_of(highlighted) if highlighted else 0)
        self._set_total(total)
        self.reuse(painted)

    def _keep_highlight(self, index: int | None) -> None:
        """The highlighted contact is now at `index`: its lines and the ones it left are
        among those `options_moved` repaints, so the highlight moves without repainting the
        column; it is scrolled into view and said (OptionHighlighted) as usual."""
        if index is None or index == self.highlighted:
            return
        self.set_reactive(OptionList.highlighted, index)
        self.watch_highlighted(index)

    def remove_row(self, uid: str, *, total: int) -> None:
        """Take contact `uid`'s row out; the highlight stays on the same position."""
        self._complete()
        index = self.index_of(uid)
        painted = self.painted()
        if index is not None:
            del self.rows[index]
            if self.rows:
                self.pop_option_at(index)
                self.options_moved(index, self.option_count)
                self.highlighted = self.highlighted  # within the rows left
                # Lay the lines out now, not while drawing: the new height then joins
                # this change's layout pass instead of forcing a second one.
                self.scroll_to_highlight()
            else:
                self.set_options([Option(EmptyVisual(self.empty_text), disabled=True)])
        self._set_total(total)
        self.reuse(painted)

    def _set_total(self, total: int) -> None:
        self.total = total
        self.shown = len(self.rows)
        self._update_title()

    def _complete(self) -> None:
        """Add the rows still waiting for the next paint now."""
        if self.rows and self.option_count < len(self.rows):
            start = self.option_count
            self._generation += 1  # the waiting call has nothing left to do
            self._add_rest(self._generation, start)

    def set_marker(self, uid: str, marker: str) -> None:
        """Change the nudge marker of one row (redraws only that row)."""
        index = self.index_of(uid)
        if index is not None and self.rows[index].marker != marker:
            self._set_row(index, msgspec.structs.replace(self.rows[index], marker=marker))

    def set_markers(self, markers: dict[str, str]) -> None:
        """Change many markers at once (one redraw)."""
        changed = False
        for index, row in enumerate(self.rows):
            marker = markers.get(row.uid)
            if marker is not None and marker != row.marker:
                changed = (
                    self._new_row(index, msgspec.structs.replace(row, marker=marker)) or changed
                )
        if changed:
            self.clear_option_renders()
            self.refresh()

    def _set_row(self, index: int, row: Row) -> None:
        """Row `index` shows `row` now (same height: only its own lines are drawn again)."""
        if self._new_row(index, row):
            self.refresh_lines(RowVisual.HEIGHT * index, RowVisual.HEIGHT)

    def _new_row(self, index: int, row: Row) -> bool:
        """`row` at `index`, in a new option if it has one already; True if it has."""
        self.rows[index] = row
        if index >= self.option_count:
            return False
        self.replace_option_at(index, RowOption.of(row))
        return True

    def select_uid(self, uid: str) -> bool:
        index = self.index_of(uid)
        if index is None:
            return False
        if index >= self.option_count:
            self._complete()
        self.highlighted = index
        return True

    @property
    def count(self) -> str:
        """The title's count: 12, or 3/12 when a filter lets 3 of the 12 through."""
        return str(self.shown) if self.total == self.shown else f"{self.shown}/{self.total}"

    def _update_title(self) -> None:
        title = f"{self.heat.upper()} {self.count}"
        if title != self._title:  # its line alone repainted (`show_title`)
            self._title = title
            self.show_title(Content(title))

    # -- drawing and the mouse -------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)  # lays the rows out: the size is known now
        return self._thumb.draw(strips, crop, self._thumb_lines(), self.outer_size.width - 1)

    def _thumb_lines(self, total: int | None = None) -> range:
        """The widget's lines whose right border shows the thumb."""
        top = self.styles.gutter.top
        height = self.scrollable_content_region.height
        total = self.virtual_size.height if total is None else total
        lines = thumb(height, total, self.scroll_offset.y)
        return range(top + lines.start, top + lines.stop)

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        """A row more or fewer may move the thumb without a scroll (which repaints all):
        the border lines it leaves or reaches are painted again."""
        before, after = self._thumb_lines(old.height), self._thumb_lines(new.height)
        offset = self.content_offset  # refresh takes regions of the content
        x = self.outer_size.width - 1 - offset.x
        for y in set(before).symmetric_difference(after):
            self.refresh(Region(x, y - offset.y, 1, 1))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Opened(self, event.option_id))
