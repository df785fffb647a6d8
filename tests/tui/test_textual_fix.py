"""The compositor correction (widgets/textual_compat.py, `fix_compositor_map`): a widget
removed after a layout is painted over.

What the terminal is sent is read from the compositor's updates (the regions each frame
repaints), so this reaches into Textual as the fix does; if Textual changes there, this
test is where it shows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Static
from textual.widgets._toast import Toast

from widgets.textual_compat import fix_compositor_map


class Board(App[None]):
    """One line of text under the toasts."""

    def compose(self) -> ComposeResult:
        yield Static("the board", id="board")


async def _until(done: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Wait for `done` without the pilot (its pauses ask for places too, hiding the bug)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


@pytest.fixture
def repainted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Region]]:
    """Every region a frame sends to the terminal, in order."""
    regions: list[Region] = []
    render_update = Compositor.render_update

    def recording(self: Compositor, full: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        regions.extend([self.size.region] if full else self._dirty_regions)
        return render_update(self, full, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", recording)
    yield regions


async def test_toasts_expiring_after_one_out_of_sight_are_painted_over(
    repainted: list[Region],
) -> None:
    """Seven toasts, more than the screen holds: the first, scrolled out of sight, expires
    first, and its removal repaints nothing. Then each of the others must still be painted
    over as it expires (without the fix they all stayed on the terminal)."""
    fix_compositor_map()
    app = Board()
    async with app.run_test(size=(80, 24), notifications=True):
        for n in range(7):
            app.notify(f"toast {n}", timeout=2.5 + 0.3 * n)
        screen = app.screen.region

        def places() -> dict[str, Region]:
            return {str(t.render()): t.region for t in app.screen.query(Toast)}

        # All seven up, and the rack scrolled to its end: the first is out of sight.
        assert await _until(lambda: len(places()) == 7 and not places()["toast 0"].overlaps(screen))
        shown = {message: place for message, place in places().items() if place.overlaps(screen)}
        repainted.clear()

        def not_painted_over() -> list[str]:
            return [
                message
                for message, place in shown.items()
                if not any(region.overlaps(place) for region in repainted)
            ]

        assert await _until(lambda: not app.screen.query(Toast)), "the toasts never expired"
        await _until(lambda: not not_painted_over(), timeout=3.0)  # the last frame comes later
        assert not not_painted_over(), "never painted over, though expired"
