"""One heat column of the dashboard: contacts as two-line rows (widgets.heat_row) in a
virtualised OptionList."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from widgets.border_thumb import BorderThumb, thumb
from widgets.heat_row import EmptyVisual, Row, RowVisual

__all__ = ["HeatColumn", "Row"]

# What a line of the column shows: an option, which of its lines, highlighted, hovered.
_Shows = tuple[Option, int, bool, bool]


class RowOption(Option):
    """An option of one row. Options are told apart by identity, as Option's are, but
    hashed in C: a move renumbers hundreds of them in the list's index by option."""

    __hash__ = object.__hash__

    @classmethod
    def of(cls, row: Row) -> RowOption:
        return cls(RowVisual(row), id=row.uid)


@dataclass(frozen=True, slots=True)
class _Painted:
    """The visible lines of a column as painted, by what each shows (`HeatColumn._painted`)."""

    scroll_y: int
    size: Size
    shown: dict[_Shows, tuple[int, Strip]]


class HeatColumn(OptionList):
    """The contacts of one heat, in the order given; the option ids are contact uids.

    A change repaints only the lines it changed: a row that moves repaints the lines
    between its old place and its new one, a new marker only its row's two lines. To
    make that possible an option's drawn lines do not name its index (OptionList puts
    it there for the mouse, so every row below a move would be drawn again); the mouse
    finds the option by the line it is on instead (`_option_under`). And a line that
    now shows what another line showed before the change (the same row, in the same
    highlight) takes that line as it was painted, instead of being painted again
    (`_painted`, `_reuse`): when the top row leaves, the rows below only shift.
    """

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
        self._padding: Spacing | None = None  # of the rows, from the styles
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
            option = self._id_to_option.get(uid)
            return None if option is None else self._option_to_index.get(option)
        return next((i for i, row in enumerate(self.rows) if row.uid == uid), None)

    def place(self, row: Row, index: int, *, total: int, follow: bool = True) -> None:
        """Show `row` at `index` of the rows without it (adding it, or moving it there
        if it is here already); the highlight stays on the contact it was on (`follow`
        False: when that is the contact moved, on the place it was at, now the next
        row), and the view does not scroll unless that contact would leave it. Only the
        options between the old place and the new one change (see `_moved`)."""
        self._complete()
        option = RowOption.of(row)
        if not self.rows:  # the placeholder of an empty column goes
            self.rows.append(row)
            self.set_options([option])
            self.highlighted = 0
            self._set_total(total)
            return
        highlighted = self.highlighted_uid
        painted = self._painted()
        old = self.index_of(row.uid)
        options = self._options
        gone: list[Option] = []
        if old is None:
            low, high = index, len(self.rows) + 1
        else:
            low, high = min(old, index), max(old, index) + 1
            del self.rows[old]
            gone.append(options.pop(old))
            del self._option_to_index[gone[-1]]
        self.rows.insert(index, row)
        options.insert(index, option)
        self._id_to_option[row.uid] = option
        self._moved(low, high, *gone)
        if not follow and old is not None and highlighted == row.uid:
            self._keep_highlight(min(old, len(self.rows) - 1))
        else:
            self._keep_highlight(self.index_of(highlighted) if highlighted else 0)
        self._set_total(total)
        self._reuse(painted)

    def _keep_highlight(self, index: int | None) -> None:
        """The highlighted contact is now at `index`: its lines and the ones it left are
        among those `_moved` repaints, so the highlight moves without repainting the
        column; it is scrolled into view and said (OptionHighlighted) as usual."""
        if index is None or index == self.highlighted:
            return
        self.set_reactive(OptionList.highlighted, index)
        self.watch_highlighted(index)

    def remove_row(self, uid: str, *, total: int) -> None:
        """Take contact `uid`'s row out; the highlight stays on the same position."""
        self._complete()
        index = self.index_of(uid)
        painted = self._painted()
        if index is not None:
            del self.rows[index]
            if self.rows:
                option = self._options.pop(index)
                del self._option_to_index[option]
                self._id_to_option.pop(uid, None)
                self._moved(index, len(self._options), option)
                self.highlighted = self.highlighted  # within the rows left
                # Lay the lines out now, not while drawing: the new height then joins
                # this change's layout pass instead of forcing a second one.
                self.scroll_to_highlight()
            else:
                self.set_options([Option(EmptyVisual(self.empty_text), disabled=True)])
        self._set_total(total)
        self._reuse(painted)

    def _moved(self, low: int, high: int, *gone: Option) -> None:
        """Options `low` to `high` (exclusive) changed place, and one may have been added
        or taken out (`gone`). OptionList itself only appends, and re-adds or re-measures every
        option after any other change; here only those options are renumbered. Every
        row has the same height (RowVisual.HEIGHT), so the lines depend on the number
        of rows alone: only the last row's lines come or go. Only the lines of those
        options are repainted (and, with a row more or fewer, every line after them)."""
        options = self._options
        to_index = self._option_to_index
        to_index.update(zip(options[low:high], itertools.count(low)))  # renumbered in C
        lines = self._line_cache
        before = len(lines.lines)
        count = len(options)
        start = lines.index_to_line.pop(count, None)  # a row fewer: the last one's lines
        if start is not None:
            del lines.lines[start:]
            lines.heights.pop(count, None)
        hovered = self._mouse_hovering_over
        if hovered is not None:  # set again by the next move of the mouse
            self.set_reactive(OptionList._mouse_hovering_over, None)  # not a repaint of all
            self.refresh_lines(RowVisual.HEIGHT * hovered, RowVisual.HEIGHT)
        # What was drawn of the options `gone` is never asked for again: the render
        # cache (a bounded LRU, by option) lets it go in its turn.
        self._update_lines()  # a row more: its lines; and the scrollable height
        if self.styles.auto_dimensions:  # the column's own size may change
            self.refresh(layout=True)
            return
        first, after = RowVisual.HEIGHT * low, len(lines.lines)
        last = RowVisual.HEIGHT * high if after == before else max(before, after)
        self.refresh_lines(first, last - first)

    def _painted(self) -> _Painted:
        """What each visible line shows as painted now (lines waiting to be painted
        again left out), for `_reuse` after a change."""
        cache = self._styles_cache
        shown: dict[_Shows, tuple[int, Strip]] = {}
        shows = self._shows_now()
        for y, line in self._visible_lines():
            strip = cache._cache.get(y)
            if strip is not None and y not in cache._dirty_lines:
                shown[shows(line)] = (y, strip)
        return _Painted(self.scroll_offset.y, self.size, shown)

    def _reuse(self, before: _Painted) -> None:
        """Every line waiting to be painted that shows what a line showed as painted
        `before` the change takes that line's strip instead of being painted again.
        Only while nothing was repainted whole since (a scroll, a new size or new
        styles clear the painted lines: then every line is painted again)."""
        cache = self._styles_cache
        if (
            not before.shown
            or before.scroll_y != self.scroll_offset.y
            or before.size != self.size
            or any(cache._cache.get(y) is not strip for y, strip in before.shown.values())
        ):
            return
        dirty = cache._dirty_lines
        shows = self._shows_now()
        for y, line in self._visible_lines():
            if y in dirty:
                found = before.shown.get(shows(line))
                if found is not None:
                    cache._cache[y] = found[1]
                    dirty.discard(y)

    def _visible_lines(self) -> Iterator[tuple[int, int]]:
        """Each visible line that shows a row: its place in the widget (what the styles
        cache keeps it by) and its row line."""
        top = self.styles.gutter.top
        scroll_y = self.scroll_offset.y
        count = len(self._line_cache.lines)
        for y in range(self.scrollable_content_region.height):
            if scroll_y + y >= count:
                break
            yield top + y, scroll_y + y

    def _shows_now(self) -> Callable[[int], _Shows]:
        """What a row line shows (`_Shows`): its option, which of its lines, and whether
        it is highlighted or under the mouse (both are drawn in other styles); the
        highlight and the mouse read once, not for every line."""
        lines, options = self._line_cache.lines, self._options
        highlighted, hovered = self.highlighted, self._mouse_hovering_over

        def shows(line: int) -> _Shows:
            index, offset = lines[line]
            return options[index], offset, index == highlighted, index == hovered

        return shows

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
            self._set_row(index, replace(self.rows[index], marker=marker))

    def set_markers(self, markers: dict[str, str]) -> None:
        """Change many markers at once (one redraw)."""
        changed = False
        for index, row in enumerate(self.rows):
            marker = markers.get(row.uid)
            if marker is not None and marker != row.marker:
                changed = self._new_row(index, replace(row, marker=marker)) or changed
        if changed:
            self._option_render_cache.clear()
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
        option = RowOption.of(row)
        del self._option_to_index[self._options[index]]
        self._options[index] = option
        self._option_to_index[option] = index
        self._id_to_option[row.uid] = option
        return True

    def select_uid(self, uid: str) -> bool:
        for index, row in enumerate(self.rows):
            if row.uid == uid:
                if index >= self.option_count:
                    self._complete()
                self.highlighted = index
                return True
        return False

    @property
    def count(self) -> str:
        """The title's count: 12, or 3/12 when a filter lets 3 of the 12 through."""
        return str(self.shown) if self.total == self.shown else f"{self.shown}/{self.total}"

    def _update_title(self) -> None:
        title = f"{self.heat.upper()} {self.count}"
        if title != self._title:  # setting it repaints the whole column
            self._title = title
            self.border_title = Content(title)

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

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """`option`'s lines in `style`, full width, without its index in them: they stay
        right wherever the option moves (a new width or new styles clear them)."""
        padding = self._padding
        if padding is None:
            padding = self._padding = self.get_component_styles("option-list--option").padding
        key = (option, style, padding)
        strips = self._option_render_cache.get(key)
        if strips is None:
            width = self.scrollable_content_region.width
            visual = self._get_visual(option)
            if padding:
                visual = Padding(visual, padding)
            rendered = Visual.to_strips(self, visual, width, None, style)
            strips = [strip.extend_cell_length(width, style.rich_style) for strip in rendered]
            self._option_render_cache[key] = strips
        return strips

    def notify_style_update(self) -> None:
        self._padding = None  # the rows' padding, looked up again
        super().notify_style_update()

    def _option_under(self, event: events.MouseEvent) -> int | None:
        """The index of the option under the mouse, from the line it is on."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        lines = self._lines
        line = self.scroll_offset.y + offset.y
        return lines[line][0] if 0 <= line < len(lines) else None

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # OptionList's own looks for the index in the line
        index = self._option_under(event)
        if index is not None and not self._options[index].disabled:
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        event.prevent_default()
        self._mouse_hovering_over = self._option_under(event)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Opened(self, event.option_id))
