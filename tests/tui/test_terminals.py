"""Terminals: 16 colours chosen on purpose, NO_COLOR, every dialog at 60x20."""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem

from tests.conftest import Env
from tests.tui.test_screens import screen_text
from tests.tui.waiting import until
from widgets.heat_column import HeatColumn


def ansi(app, variable: str) -> int | None:
    """The ANSI colour (0-15) a theme variable lands on in a 16-colour terminal."""
    value = app.get_css_variables()[variable]
    colour = RichColor.parse(value.split()[0]).downgrade(ColorSystem.STANDARD)
    return colour.number


async def test_sixteen_colours_keep_heats_and_due_states_apart(app_factory) -> None:
    app = app_factory(sixteen=True)  # as on TERM=xterm without COLORTERM
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "followup-16"
        hot, warm, cool = (ansi(app, v) for v in ("error", "warning", "primary"))
        assert len({hot, warm, cool}) == 3  # column titles
        assert ansi(app, "error") != ansi(app, "warning")  # overdue vs today labels
        assert ansi(app, "border-blurred") != ansi(app, "background")  # borders visible
        assert ansi(app, "border") != ansi(app, "background")


async def test_the_default_theme_stays_on_a_full_colour_terminal(app_factory) -> None:
    app = app_factory(sixteen=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme != "followup-16"


async def test_no_color_highlights_without_colour(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        column = app.screen.query_one("#col-hot", HeatColumn)
        lines = [column.render_line(y) for y in range(4)]
        reversed_text = [
            "".join(seg.text for seg in line if seg.style and seg.style.underline) for line in lines
        ]
        assert "Anna Berg" in reversed_text[0]  # the highlight, without a colour
        assert "2d overdue" in reversed_text[1]  # its due label readable, by its words
        assert not any(reversed_text[2:])  # the other rows are not reversed


@pytest.mark.parametrize(
    ("keys", "must_show"),
    [
        (["t"], ["Outcome", "Channel", "Next date", "When", "enter save"]),
        (["n"], ["Next step", "Next date", "enter save"]),
        (["s"], ["Until", "enter save"]),
        (["d"], ["Stop following up"]),
        (["comma"], ["cadence.hot", "daily-target"]),
        (["R"], ["1 / 2", "Anna Berg", "Skip"]),
    ],
)
async def test_every_dialog_fits_60x20(app_factory, tmp_store: Env, keys, must_show) -> None:
    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await until(pilot, lambda: all(part in screen_text(app) for part in must_show), str(keys))
        text = screen_text(app)
        for part in must_show:
            assert part in text, part
