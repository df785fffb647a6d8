"""A row of a heat column is drawn as Textual draws its text (`Content.render_strips`),
less the place of each piece that Textual adds to its style: the same cells, the same
text, the same colours and attributes, at every width, plain and highlighted."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.style import Style as RichStyle
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from tests.conftest import TODAY
from tests.factories import make_contact
from widgets.heat_column import HeatColumn, Row
from widgets.heat_row import RowVisual

PIECES = ["a", "b", "x", " ", "[b]", "[/]", "é", "e\u0301", "漢", "字", "🔥", "·", "$"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


NO_STYLE = RichStyle()


class _Column(App[None]):
    def compose(self) -> ComposeResult:
        yield HeatColumn("warm")


def _cells(strips: list[Strip]) -> list[tuple[int, list[tuple[str, object]]]]:
    """What a terminal shows of `strips`: each line's width and its pieces of text with
    their style (the place Textual keeps in a style for the mouse left out; no style and
    the empty style are the same on a terminal)."""
    return [
        (
            strip.cell_length,
            [(s.text, (s.style or NO_STYLE).clear_meta_and_links()) for s in strip],
        )
        for strip in strips
    ]


async def test_a_row_is_drawn_as_textual_draws_its_lines() -> None:
    app = _Column()
    async with app.run_test(size=(60, 20)):
        column = app.query_one(HeatColumn)
        styles = [
            Style(),
            column.get_visual_style("option-list--option"),
            column.get_visual_style("option-list--option-highlighted"),
        ]

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(
            name=TEXT.filter(str.strip),
            company=TEXT,
            step=TEXT,
            marker=st.sampled_from(["", "!", "⏳"]),
            due=st.integers(-400, 400),
            width=st.integers(1, 70),
        )
        def check(name: str, company: str, step: str, marker: str, due: int, width: int) -> None:
            contact = replace(
                make_contact(name=name, company=company, next_step=step),
                next_due=TODAY + timedelta(days=due),
            )
            row = Row(contact, TODAY, marker)
            for style in styles:
                ours = Visual.to_strips(column, RowVisual(row), width, None, style)
                textual = [
                    strip
                    for line in row.lines()
                    for strip in Visual.to_strips(
                        column, line.truncate(width, ellipsis=True), width, 1, style
                    )
                ]
                assert _cells(ours) == _cells(textual)

        check()
