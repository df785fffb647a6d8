"""A correction to Textual 8.2: a widget removed after a layout that painted nothing
stays on the terminal.

The compositor keeps a map of every widget's place and a flag saying the map may be out
of date. A layout (`Compositor.reflow`) builds the whole map afresh but leaves the flag
as it was. Usually something asks for a place while the frame is painted, which rebuilds
the map and clears the flag. When the layout paints nothing (a toast scrolled out of
sight expires), the flag stays set; removing the next widget asks for a place, the map
is rebuilt already without that widget, and the layout that follows finds nothing gone
and repaints nothing. From then on every expiring toast stays on the terminal: after
the review, the dashboard's header was hidden under five of them.

The fix says what is true: after a layout the map is current. Applied once, when the
dashboard app is imported; tests/tui/test_textual_fix.py shows the repaint it restores.
"""

from __future__ import annotations

from functools import wraps

from textual._compositor import Compositor, ReflowResult
from textual.geometry import Size
from textual.widget import Widget

__all__ = ["apply"]


def apply() -> None:
    """Make a layout leave the compositor's map current (once; later calls do nothing)."""
    reflow = Compositor.reflow
    if getattr(reflow, "_leaves_map_current", False):
        return

    @wraps(reflow)
    def reflow_leaving_map_current(self: Compositor, parent: Widget, size: Size) -> ReflowResult:
        result = reflow(self, parent, size)
        self._full_map_invalidated = False  # the map reflow just built is the whole one
        return result

    reflow_leaving_map_current._leaves_map_current = True  # type: ignore[attr-defined]
    Compositor.reflow = reflow_leaving_map_current  # type: ignore[method-assign]
