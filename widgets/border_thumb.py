"""Where a heat column is scrolled to, drawn on its right border.

A heat column has no scrollbar widget. Every widget on a line costs the compositor a
cut of that line, and a change that moves every row of a column (its top row leaving)
repaints every line: three scrollbars were three more widgets on each of those lines,
about 2 ms of a 10-15 ms change. Instead the part of the right border beside the
visible stretch of the list is drawn in reverse, like a scrollbar's thumb; the wheel
and the keys scroll as before, and the rows gain the scrollbar's column.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.geometry import Region
from textual.strip import Strip

_REVERSE = RichStyle(reverse=True)


def thumb(viewport: int, total: int, offset: int) -> range:
    """The lines of a viewport `viewport` lines high, scrolled `offset` lines into a list
    of `total` lines, that show which part of the list it shows (0 is its first line);
    none when the whole list fits."""
    if viewport <= 0 or total <= viewport:
        return range(0)
    size = max(1, round(viewport * viewport / total))
    travel = viewport - size
    start = min(max(round(offset * travel / (total - viewport)), 0), travel)
    return range(start, start + size)


class BorderThumb:
    """Draws the thumb on lines as they are rendered, and keeps what it drew: a line
    drawn again from the same strip takes the same result."""

    def __init__(self) -> None:
        self._drawn: dict[int, tuple[Strip, Strip]] = {}

    def draw(self, strips: list[Strip], crop: Region, lines: range, x: int) -> list[Strip]:
        """`strips`, the lines of `crop` (widget coordinates), with the cell at column `x`
        of each of the widget's lines `lines` drawn in reverse."""
        at = x - crop.x
        if not lines or not 0 <= at < crop.width:
            return strips
        drawn = self._drawn
        for y in range(max(lines.start, crop.y), min(lines.stop, crop.y + crop.height)):
            strip = strips[y - crop.y]
            known = drawn.get(y)
            if known is None or known[0] is not strip:
                known = drawn[y] = (strip, _reversed_cell(strip, at))
            strips[y - crop.y] = known[1]
        return strips


def _reversed_cell(strip: Strip, at: int) -> Strip:
    cell = strip.crop(at, at + 1)
    style = next((segment.style for segment in cell if segment.style), None)
    mark = Strip([Segment(" ", (style or RichStyle()) + _REVERSE)], 1)
    return Strip.join([strip.crop(0, at), mark, strip.crop(at + 1, strip.cell_length)])
