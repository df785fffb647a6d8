"""The thumb on a heat column's right border: where the list is scrolled to."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.scrollbar import ScrollBar

from tests.conftest import TODAY
from tests.factories import make_contact
from widgets.border_thumb import thumb
from widgets.heat_column import HeatColumn, Row


@pytest.mark.parametrize("viewport", range(1, 13))
def test_the_thumb_stays_on_the_viewport_and_follows_the_scroll(viewport: int) -> None:
    for total in range(1, 41):
        if total <= viewport:
            assert not thumb(viewport, total, 0), "everything fits: no thumb"
            continue
        places = [thumb(viewport, total, offset) for offset in range(total - viewport + 1)]
        assert all(0 <= p.start < p.stop <= viewport for p in places)
        assert places[0].start == 0 and places[-1].stop == viewport
        assert [p.start for p in places] == sorted(p.start for p in places)
        assert len({len(p) for p in places}) == 1
        assert len(places[0]) == max(1, round(viewport * viewport / total))


class _Column(App[None]):
    CSS = "HeatColumn { height: 14; scrollbar-size-vertical: 0; border: round $border; }"

    def compose(self) -> ComposeResult:
        yield HeatColumn("warm")


def thumb_lines(column: HeatColumn) -> list[int]:
    """The lines whose right border cell is drawn in reverse."""
    x = column.outer_size.width - 1
    strips = column.render_lines(Region(0, 0, *column.outer_size))
    return [
        y
        for y, strip in enumerate(strips)
        if any(segment.style and segment.style.reverse for segment in strip.crop(x, x + 1))
    ]


def rows(count: int) -> list[Row]:
    return [Row(make_contact(name=f"P{n:02d}"), TODAY) for n in range(count)]


async def test_the_right_border_shows_where_the_column_is_scrolled_to() -> None:
    app = _Column()
    async with app.run_test(size=(40, 20)) as pilot:
        column = app.query_one(HeatColumn)
        column.set_rows(rows(30))  # 60 lines in 12
        await pilot.pause()
        assert thumb_lines(column) == [1, 2]  # the first content lines, after the border
        assert not [w for w in app.screen._compositor.visible_widgets if isinstance(w, ScrollBar)]
        assert column.allow_vertical_scroll, "the wheel still scrolls it"
        column.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert thumb_lines(column) == [11, 12]
        column.set_rows(rows(5))  # fits: no thumb
        await pilot.pause()
        assert thumb_lines(column) == []


async def test_rows_leaving_repaint_the_border_cells_the_thumb_leaves_or_reaches() -> None:
    """No scroll (which repaints everything): the thumb grows as rows go, and exactly the
    border cells whose look changed are marked for the screen."""
    app = _Column()
    async with app.run_test(size=(40, 20)) as pilot:
        column = app.query_one(HeatColumn)
        column.set_rows(rows(12))  # 24 lines in 12: the thumb is half of them
        await pilot.pause()
        before = thumb_lines(column)
        refreshed: list[Region] = []
        original = column.refresh

        def recording(*regions: Region, **kwargs: Any) -> HeatColumn:
            refreshed.extend(regions)
            return original(*regions, **kwargs)

        column.refresh = recording  # type: ignore[method-assign]
        for row in column.rows[-4:]:
            column.remove_row(row.uid, total=len(column.rows) - 1)
        await pilot.pause()
        after = thumb_lines(column)
        assert len(after) > len(before) and before[0] == after[0] == 1
        offset = column.content_offset
        x = column.outer_size.width - 1
        border = {
            y + offset.y
            for region in refreshed
            for y in region.line_range
            if region.x <= x - offset.x < region.right
        }
        assert set(before) ^ set(after) <= border
