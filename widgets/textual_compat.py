"""Every use of Textual's private names, in one place, for the minor release pinned in
pyproject.toml (`textual>=8.2,<8.3`).

Each part below says the public API it stands in for, what it saves (and the bench line
that measures it), and the tests that fail when Textual moves. Nothing else in tui/ or
widgets/ reaches into Textual's internals; `tests/tui/test_textual_compat.py` checks that
every private name used here is still there, with the shape used. When the pin moves,
go down this file and docs/performance.md ("When Textual or TinyDB moves").

1. `EditableOptionList`: an OptionList whose options can be moved, taken out and
   replaced in place, painted without their index, with lines that only moved kept; a
   new title, height or highlight repaints only the lines it changes.
2. `RecomposeHookFooter`: a Footer that can decline a rebuild (`Footer.bindings_changed`);
   `set_footer_key_enabled`: a key shown available or not in place (`FooterKey._disabled`).
3. `fix_compositor_map`: a correction of Textual's compositor (`Compositor.reflow`);
   `draw_only_touched_widgets`: a partial update draws only the widgets it touches
   (`Compositor.render_partial_update`).
4. `keep_alt_on_punctuation`: the input parser keeps the escape typed before a
   punctuation key (`XTermParser._sequence_to_key_events`).

Plain output on an ASCII terminal, once a wrap of `App._driver.write`, now uses the public
`App.get_driver_class` (tui/app.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

import msgspec
from textual import events
from textual._compositor import ChopsUpdate, Compositor, ReflowResult
from textual._xterm_parser import XTermParser
from textual.content import Content
from textual.geometry import Region, Size, Spacing
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, Visual
from textual.widget import Widget
from textual.widgets import Footer, OptionList
from textual.widgets._footer import FooterKey
from textual.widgets.option_list import Option

__all__ = [
    "EditableOptionList",
    "FooterKey",
    "Painted",
    "RecomposeHookFooter",
    "draw_only_touched_widgets",
    "fix_compositor_map",
    "keep_alt_on_punctuation",
    "set_footer_key_enabled",
]

# -- 1. OptionList edited in place ---------------------------------------------------------
#
# Stands in for: `OptionList.set_options` / `add_option` / `remove_option_at_index` /
# `replace_option_prompt_at_index`, which re-add every option and measure every line
# again, and repaint the whole list, on any change but an append. (The other public
# alternative is a `ScrollView` column that owns its lines and caches, as toolong's log
# view does: not built yet; see docs/performance.md, "Textual's private names".)
# Saves (measured against this class done with OptionList's public API alone, the rest of
# the app the same, heavy database, one run after the other on the shared machine):
# `enter (log touch)` in `bench/tui_bench.py --keys-only`, our CPU to the first frame
# 33.3 ms public, 17.7 ms here (outside the store's fsynced write: 22.7 and 5.7; budget
# 16); `bench/live_bench.py`, the CPU an external log costs an open dashboard: 22.0 /
# 28.2 ms public (contacts by name / at the top of a column), 9.0 / 13.7 ms here (budget 15).
# In detail: the re-add and re-measure, about 2 ms per 2,000 rows, twice for a move; the
# repaint of every line below a move; and, when a column's top row leaves, the paint of
# every line that only moved up (`bench/live_bench.py`, "the contact at the top of each
# column": 22.5 ms of the dashboard's CPU per external log before, 17.0 after, in one
# session). With the rest of "One change, one row" (docs/performance.md): `enter (log
# touch)` in `bench/tui_bench.py --keys-only`, our CPU to the first frame 20-22 -> 5-6.5 ms.
# Private names: OptionList `_options`, `_option_to_index`, `_id_to_option`, `_line_cache`
# (`lines`, `heights`, `index_to_line`), `_option_render_cache`, `_mouse_hovering_over`,
# `_lines`, `_get_visual`, `_get_option_render`, `_on_mouse_move`, `highlighted` redefined
# without its repaint of every line, with a private watcher `_watch_highlighted` (the
# highlight's move repaints its two rows: `j`, and the `u` that puts a row back and
# highlights it); Widget `_styles_cache`
# (`_cache`, `_dirty_lines`), `_scroll_update`, OptionList `_get_left_gutter_width`
# (`_update_lines_quietly`: a row more or fewer repaints the lines that changed, not the
# whole column), `_border_title` (`show_title`: a new count repaints the
# title's line alone, not the column; `minus (move)` and `u (undo the move)` in
# `bench/tui_bench.py --keys-only`, our CPU to the first frame: see docs/performance.md).
# Fails when Textual moves: tests/tui/test_textual_compat.py (the names and shapes);
# tests/tui/test_dashboard_incremental.py (a column moved, marked and cut compared line by
# line with a fresh fill; lines that only moved not painted again; a click after moves).

# What a line of the list shows: an option, which of its lines, highlighted, hovered.
Shows = tuple[Option, int, bool, bool]


class Painted(msgspec.Struct, frozen=True):
    """The visible lines of a list as painted, by what each shows (`painted()`)."""

    scroll_y: int
    size: Size
    shown: dict[Shows, tuple[int, Strip]]


class EditableOptionList(OptionList):
    """An OptionList whose options all have `OPTION_HEIGHT` lines, edited in place.

    The edits (`pop_option_at`, `insert_option_at`, `replace_option_at`) change the
    option index and the id map; `options_moved` then renumbers the options between two
    places and repaints only their lines. An option's drawn lines do not name its index
    (OptionList puts it there for the mouse, so every row below a move would be drawn
    again); the mouse finds the option by the line it is on instead (`option_under`).
    `painted()` before a change and `reuse()` after it give each line waiting to be
    painted that shows what a painted line showed that line's strip.
    """

    OPTION_HEIGHT = 1

    # OptionList's `highlighted` repaints every line when it moves (and so clears the
    # painted lines `reuse` takes): here only the lines of the option it leaves and of
    # the one it reaches are painted again (`_watch_highlighted`).
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._padding: Spacing | None = None  # of the options, from the styles

    def _watch_highlighted(self, old: int | None, new: int | None) -> None:
        height = self.OPTION_HEIGHT
        for index in {old, new}:
            if index is not None:
                self.refresh_lines(height * index, height)

    # -- the option index ----------------------------------------------------------

    def pop_option_at(self, index: int) -> Option:
        """Take option `index` out of the index and the id map (see `options_moved`)."""
        option = self._options.pop(index)
        del self._option_to_index[option]
        if option.id is not None and self._id_to_option.get(option.id) is option:
            del self._id_to_option[option.id]
        return option

    def insert_option_at(self, index: int, option: Option) -> None:
        """Put `option` at `index` (see `options_moved`)."""
        self._options.insert(index, option)
        if option.id is not None:
            self._id_to_option[option.id] = option

    def replace_option_at(self, index: int, option: Option) -> None:
        """`option` in place of option `index` (the same height); repaint its lines."""
        del self._option_to_index[self._options[index]]
        self._options[index] = option
        self._option_to_index[option] = index
        if option.id is not None:
            self._id_to_option[option.id] = option

    def show_title(self, title: Content) -> None:
        """`title` on the top border, repainting only that line. Stands in for
        `border_title = title`, which repaints every line of the list (and so clears
        the painted lines `reuse` takes): a row that moves from one column to another
        changes both columns' counts, and both were painted again whole."""
        if not self.is_mounted:
            self.border_title = title
            return
        self._border_title = title  # what the public setter stores (one plain line)
        offset = self.content_offset  # refresh takes regions of the content
        self.refresh(Region(-offset.x, -offset.y, self.outer_size.width, 1))

    def clear_option_renders(self) -> None:
        """Forget every option's drawn lines (new prompts for many options)."""
        self._option_render_cache.clear()

    def options_moved(self, low: int, high: int) -> None:
        """Options `low` to `high` (exclusive) changed place, and one may have been added
        or taken out. OptionList itself only appends, and re-adds or re-measures every
        option after any other change; here only those options are renumbered. Every
        option has the same height, so the lines depend on the number of options alone:
        only the last option's lines come or go. Only the lines of those options are
        repainted (and, with an option more or fewer, every line after them)."""
        height = self.OPTION_HEIGHT
        options = self._options
        self._option_to_index.update(zip(options[low:high], itertools.count(low)))  # in C
        lines = self._line_cache
        before = len(lines.lines)
        count = len(options)
        start = lines.index_to_line.pop(count, None)  # an option fewer: the last one's lines
        if start is not None:
            del lines.lines[start:]
            lines.heights.pop(count, None)
        hovered = self._mouse_hovering_over
        if hovered is not None:  # set again by the next move of the mouse
            self.set_reactive(OptionList._mouse_hovering_over, None)  # not a repaint of all
            self.refresh_lines(height * hovered, height)
        # What was drawn of an option taken out is never asked for again: the render
        # cache (a bounded LRU, by option) lets it go in its turn.
        self._update_lines_quietly()  # an option more: its lines; the scrollable height
        if self.styles.auto_dimensions:  # the list's own size may change
            self.refresh(layout=True)
            return
        first, after = height * low, len(lines.lines)
        last = height * high if after == before else max(before, after)
        # Only the lines in view: the painted lines are kept by their place in the view
        # (a scroll paints every line again), so marking the lines out of view (a row
        # that moves from the top to far down the column: thousands) did nothing but
        # grow the set of lines waiting to be painted.
        top = self.scroll_offset.y
        first, last = max(first, top), min(last, top + self.scrollable_content_region.height)
        if first < last:
            self.refresh_lines(first, last - first)

    def _update_lines_quietly(self) -> None:
        """`_update_lines` (an option more: its lines; and the scrollable height), with a
        new height that repaints no line: `virtual_size` is a reactive that repaints the
        whole list when set (and clears the painted lines `reuse` takes), so a row that
        moved from one column to another painted both columns again whole. The caller
        repaints the lines that changed; the scroll position and the `watch_virtual_size`
        of a subclass follow as usual. A list sized by its content (auto), or lines of
        other heights than `OPTION_HEIGHT`, take the reactive's way."""
        region = self.scrollable_content_region
        old = self.virtual_size
        height = self.OPTION_HEIGHT * len(self._options)
        new = Size(region.width - self._get_left_gutter_width(), height)
        quiet = bool(region) and new != old and not self.styles.auto_dimensions
        if quiet:
            self.set_reactive(Widget.virtual_size, new)
        self._update_lines()  # sets the reactive itself if its height is not `new`
        if quiet and self.virtual_size == new:
            self._scroll_update(new)
            self.watch_virtual_size(old, new)

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        """The scrollable height changed (a subclass repaints what depends on it)."""

    # -- lines that only moved keep their paint ----------------------------------------

    def painted(self) -> Painted:
        """What each visible line shows as painted now (lines waiting to be painted
        again left out), for `reuse` after a change."""
        cache = self._styles_cache
        shown: dict[Shows, tuple[int, Strip]] = {}
        shows = self._shows_now()
        for y, line in self._visible_lines():
            strip = cache._cache.get(y)
            if strip is not None and y not in cache._dirty_lines:
                shown[shows(line)] = (y, strip)
        return Painted(self.scroll_offset.y, self.size, shown)

    def reuse(self, before: Painted) -> None:
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
        """Each visible line that shows an option: its place in the widget (what the
        styles cache keeps it by) and its line in the list."""
        top = self.styles.gutter.top
        scroll_y = self.scroll_offset.y
        count = len(self._line_cache.lines)
        for y in range(self.scrollable_content_region.height):
            if scroll_y + y >= count:
                break
            yield top + y, scroll_y + y

    def _shows_now(self) -> Callable[[int], Shows]:
        """What a line shows (`Shows`): its option, which of its lines, and whether it is
        highlighted or under the mouse (both are drawn in other styles); the highlight
        and the mouse read once, not for every line."""
        lines, options = self._line_cache.lines, self._options
        highlighted, hovered = self.highlighted, self._mouse_hovering_over

        def shows(line: int) -> Shows:
            index, offset = lines[line]
            return options[index], offset, index == highlighted, index == hovered

        return shows

    # -- drawing without the index, and the mouse ------------------------------------

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """`option`'s lines in `style`, full width, without its index in them: they stay
        right wherever the option moves (a new width or new styles clear them)."""
        padding = self._padding
        if padding is None:
            padding = self._padding = self.get_component_styles("option-list--option").padding
        key = (option, style, padding)
        strips: list[Strip] | None = self._option_render_cache.get(key)
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
        self._padding = None  # the options' padding, looked up again
        super().notify_style_update()

    def option_under(self, event: events.MouseEvent) -> int | None:
        """The index of the option under the mouse, from the line it is on."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        lines = self._lines
        line = self.scroll_offset.y + offset.y
        return lines[line][0] if 0 <= line < len(lines) else None

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # OptionList's own looks for the index in the line
        index = self.option_under(event)
        if index is not None and not self.get_option_at_index(index).disabled:
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        event.prevent_default()
        self._mouse_hovering_over = self.option_under(event)


# -- 2. The footer's rebuild hook ----------------------------------------------------------
#
# Stands in for: the stock `Footer`, which recomposes (removes and mounts one widget per
# key, then restyles them) on every signal that the bindings might have changed: each
# focus change, each screen pushed or popped. No public hook lets a subclass skip that.
# Saves: 50-100 ms of a key that only moves the focus (`l`, `h`, tab; `bench/tui_bench.py`
# part 2, the keys that move between columns).
# Private name: `Footer.bindings_changed` (undocumented; Footer subscribes it to
# `Screen.bindings_updated_signal` in its `on_mount`).
# Fails when Textual moves: tests/tui/test_textual_compat.py (the method and its
# subscription); tests/tui/test_key_footer.py (moving between columns keeps the footer's
# widgets; a key that becomes available appears).


class RecomposeHookFooter(Footer):
    """A Footer that asks `needs_rebuild(screen)` before it rebuilds its keys."""

    def needs_rebuild(self, screen: Screen[Any]) -> bool:
        return True

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.needs_rebuild(screen):
            super().bindings_changed(screen)


# A key that only became available or unavailable (`u` after a change, and again after
# its undo) is shown by changing that key's widget, not by a rebuild: what the stock
# FooterKey's constructor does with `disabled` (the class `-disabled`, which dims it, and
# `_disabled`, which makes a click on it ring the bell instead of pressing the key).
# Stands in for: a rebuild of the footer (`Footer.recompose`), the only public way.
# Saves: 1.5-2.5 ms of our CPU and the mounting and styling of every key by Textual after
# each write that makes `u` available or not (`-`, `+`, `u` in `bench/tui_bench.py`
# part 2).
# Private name: `FooterKey._disabled` (set in its constructor, read by `on_mouse_down`).
# Fails when Textual moves: tests/tui/test_textual_compat.py (the name and its use);
# tests/tui/test_key_footer.py (a key that becomes available is shown so, without a rebuild).


def set_footer_key_enabled(key: FooterKey, enabled: bool) -> None:
    """Show footer key `key` as available or not, as a new FooterKey would be."""
    key._disabled = not enabled
    key.set_class(not enabled, "-disabled")


# -- 3. The compositor's map left current after a layout -----------------------------------
#
# Stands in for: nothing public; a correction of Textual 8.2. The compositor keeps a map
# of every widget's place and a flag saying the map may be out of date. A layout
# (`Compositor.reflow`) builds the whole map afresh but leaves the flag as it was.
# Usually something asks for a place while the frame is painted, which rebuilds the map
# and clears the flag. When the layout paints nothing (a toast scrolled out of sight
# expires), the flag stays set; removing the next widget asks for a place, the map is
# rebuilt already without that widget, and the layout that follows finds nothing gone and
# repaints nothing. From then on every expiring toast stays on the terminal: after the
# review, the dashboard's header was hidden under five of them. (It shows since the heat
# columns have no scrollbar widgets, which asked for places: widgets/border_thumb.py.)
# Saves: no time; it restores the repaint. Drop it when Textual clears the flag itself.
# Private names: `textual._compositor.Compositor.reflow`, `Compositor._full_map_invalidated`.
# Fails when Textual moves: tests/tui/test_textual_compat.py (the names);
# tests/tui/test_textual_fix.py (the repaint goes missing either way);
# tests/e2e/test_e2e_tmux.py::test_morning_review_of_the_demo_with_no_reply_logs (the case
# users saw).


def fix_compositor_map() -> None:
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


# A partial update (the lines that changed since the last frame) draws every widget that
# overlaps the rectangle around all of them: after another process's change, the header
# on the first line, a column's rows and the detail line near the last make that the whole
# screen, and the two columns that did not change, the screen and the columns' container
# behind them are drawn and cut line by line for nothing (only the changed spans reach the
# terminal, and of each cell only the front widget's). Here only the widgets that show in
# one of the changed regions are drawn: those that overlap it, front to back, down to the
# first that covers it whole (the compositor keeps the front widget's cells, whatever is
# behind). Every cell of a changed span lies in one of those regions, so every widget
# whose cells are sent is among them; what the others would have drawn is never written.
# Stands in for: nothing public; Textual's `Compositor.render_partial_update` as it is.
# Saves: `bench/live_bench.py`, the contact at the top of a column: about 1 ms of the
# dashboard's CPU per external log (two columns of 36 lines not drawn); see
# docs/performance.md.
# Private names: `Compositor.render_partial_update`, `_dirty_regions`, `_visible_widgets`,
# `visible_widgets`, `cuts` (computed from every visible widget before the filter).
# Fails when Textual moves: tests/tui/test_textual_compat.py (the names);
# tests/tui/test_dashboard_incremental.py (what the screen shows after changes equals a
# full repaint); tests/tui/test_textual_fix.py (toasts).


def draw_only_touched_widgets() -> None:
    """Make a partial update draw only the widgets it touches (once; later calls do nothing)."""
    render = Compositor.render_partial_update
    if getattr(render, "_only_touched", False):
        return

    @wraps(render)
    def render_touched(self: Compositor) -> ChopsUpdate | None:
        every = self.visible_widgets  # front to back
        needed: set[Widget] = set()
        for changed in self._dirty_regions:
            for widget, (region, clip) in every.items():
                seen = region.intersection(clip)
                if seen.overlaps(changed):
                    needed.add(widget)
                    if seen.contains_region(changed):
                        break  # it covers the region: nothing behind it shows there
        touched = {widget: place for widget, place in every.items() if widget in needed}
        if len(touched) == len(every):
            return render(self)
        cuts = self.cuts  # where every visible widget starts and ends, from them all
        self._visible_widgets = touched
        try:
            return render(self)
        finally:
            if self._visible_widgets is touched:  # else the map was dropped meanwhile
                self._visible_widgets = every
            if self._cuts is not cuts:  # worked out again from the widgets drawn alone
                self._cuts = None

    render_touched._only_touched = True  # type: ignore[attr-defined]
    Compositor.render_partial_update = render_touched  # type: ignore[method-assign]


# -- 4. The escape before a punctuation key kept -------------------------------------------
#
# Stands in for: nothing public. Textual's input parser reads ESC and the byte after it,
# arriving within ESCDELAY (100 ms; one read over SSH), as alt+that key. For a letter it
# makes `alt+t`, which the app reads back as escape then `t` (tui/escape_keys.py). For a
# key whose name is a word (`/` is `slash`) it drops the alt, and with it the escape:
# escape then `/` typed quickly arrive as `/` alone, and the dialog escape was to close
# stays open. Here such a key keeps its alt (`alt+slash`), so the app sees the escape.
# (ESCDELAY, the public setting, only changes how long the parser waits; keys that arrive
# together are read together whatever it is.)
# Saves: no time; the escape typed before `/`, `?`, `-` ... is no longer lost.
# Private names: `textual._xterm_parser.XTermParser._sequence_to_key_events(sequence, alt)`.
# Fails when Textual moves: tests/tui/test_textual_compat.py (the name and its
# parameters); tests/tui/test_escape_keys.py (escape then `/` in one read);
# tests/e2e/test_e2e_tmux.py::test_escape_writes_nothing_and_plain_terminal_gets_ascii.


def keep_alt_on_punctuation() -> None:
    """Make the input parser keep alt on a punctuation key (once; later calls do nothing)."""
    to_keys = XTermParser._sequence_to_key_events
    if getattr(to_keys, "_keeps_alt", False):
        return

    @wraps(to_keys)
    def keeping_alt(self: XTermParser, sequence: str, alt: bool = False) -> Iterator[events.Key]:
        for key in to_keys(self, sequence, alt):
            if alt and len(sequence) == 1 and sequence.isprintable() and "alt+" not in key.key:
                key = events.Key(f"alt+{key.key}", key.character)
            yield key

    keeping_alt._keeps_alt = True  # type: ignore[attr-defined]
    XTermParser._sequence_to_key_events = keeping_alt  # type: ignore[method-assign]
