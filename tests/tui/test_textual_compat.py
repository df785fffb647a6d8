"""widgets/textual_compat.py against the Textual installed: every private name it uses is
still there with the shape it uses, and its in-place edits leave an OptionList as a fresh
fill would. When one of these fails after Textual moved, go down that module (and
docs/performance.md, "When Textual or TinyDB moves") before moving the pin."""

from __future__ import annotations

import inspect
from importlib.metadata import version
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from tests.tui.waiting import until
from widgets.textual_compat import (
    EditableOptionList,
    RecomposeHookFooter,
    draw_only_touched_widgets,
    fix_compositor_map,
    keep_alt_on_punctuation,
    set_footer_key_enabled,
)

SIZE = (40, 12)
LETTERS = "abcdefgh"


def test_textual_is_the_minor_release_pinned() -> None:
    """pyproject pins `textual>=8.2,<8.3`: the release widgets/textual_compat.py was
    checked against."""
    assert version("textual").startswith("8.2.")


class Lists(App[None]):
    def compose(self) -> ComposeResult:
        yield EditableOptionList(id="edited")
        yield OptionList(id="fresh")
        yield Footer()


def _fill(option_list: OptionList, ids: str) -> None:
    option_list.set_options(Option(f"option {i}", id=i) for i in ids)


def _state(option_list: OptionList) -> tuple[Any, ...]:
    """What an OptionList knows of its options: their ids in order, the index by id,
    and the lines of each."""
    ids = [option.id for option in option_list.options]
    return (
        ids,
        [option_list.get_option_index(i) for i in ids if i is not None],
        list(option_list._lines),
        option_list.virtual_size.height,
    )


async def test_the_option_lists_names_have_the_shapes_used() -> None:
    app = Lists()
    async with app.run_test(size=SIZE) as pilot:
        edited = app.query_one("#edited", EditableOptionList)
        _fill(edited, LETTERS)
        await pilot.pause()
        assert isinstance(edited._options, list)
        assert edited._option_to_index == {o: n for n, o in enumerate(edited.options)}
        assert edited._id_to_option == {o.id: o for o in edited.options}
        cache = edited._line_cache
        assert cache.lines == [(n, 0) for n in range(len(LETTERS))]
        assert cache.heights == dict.fromkeys(range(len(LETTERS)), 1)
        assert cache.index_to_line == {n: n for n in range(len(LETTERS))}
        assert callable(edited._update_lines)
        assert callable(edited._option_render_cache.clear)
        assert edited._option_render_cache.get(object()) is None
        assert "_mouse_hovering_over" in OptionList._reactives
        assert list(inspect.signature(OptionList._get_option_render).parameters) == [
            "self",
            "option",
            "style",
        ]
        assert "_on_mouse_move" in vars(OptionList)  # the handler replaced, not added
        assert "_on_click" in vars(OptionList)
        styles_cache = edited._styles_cache
        assert isinstance(styles_cache._cache, dict) and styles_cache._cache  # painted lines
        assert isinstance(styles_cache._dirty_lines, set)
        edited.show_title(Content("title"))  # the title's line alone repainted
        assert edited._border_title == Content("title")
        assert edited.border_title == "title"
        assert callable(edited._scroll_update)
        assert list(inspect.signature(Widget._scroll_update).parameters) == [
            "self",
            "virtual_size",
        ]
        assert edited._get_left_gutter_width() == 0
        # `highlighted` redefined: still the option list's own reactive, validated
        assert "highlighted" in OptionList._reactives and "highlighted" in type(edited)._reactives
        edited.highlighted = 99
        assert edited.highlighted == len(LETTERS) - 1


async def test_edits_in_place_leave_the_list_as_a_fresh_fill() -> None:
    """Moved, added, taken out and replaced in place: the same options, index, lines and
    height as an OptionList filled afresh with the result."""
    app = Lists()
    async with app.run_test(size=SIZE) as pilot:
        edited = app.query_one("#edited", EditableOptionList)
        fresh = app.query_one("#fresh", OptionList)
        _fill(edited, LETTERS)
        await pilot.pause()

        async def check(expected: str) -> None:
            _fill(fresh, expected)
            await pilot.pause()
            assert _state(edited) == _state(fresh)

        moved = edited.pop_option_at(6)  # "g" to the top
        edited.insert_option_at(0, moved)
        edited.options_moved(0, 7)
        await check("gabcdefh")
        edited.insert_option_at(3, Option("option x", id="x"))  # one more
        edited.options_moved(3, edited.option_count)
        await check("gabxcdefh")
        edited.pop_option_at(0)  # one fewer
        edited.options_moved(0, edited.option_count)
        await check("abxcdefh")
        edited.replace_option_at(2, Option("option y", id="y"))
        assert edited.get_option("y").prompt == "option y"
        await check("abycdefh")


async def test_the_footer_asks_before_every_rebuild() -> None:
    """Footer.bindings_changed is still what the screen's bindings signal calls."""
    asked: list[Screen[Any]] = []

    class Asking(RecomposeHookFooter):
        def needs_rebuild(self, screen: Screen[Any]) -> bool:
            asked.append(screen)
            return super().needs_rebuild(screen)

    class Focusing(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList("one", id="a")
            yield OptionList("two", id="b")
            yield Asking()

    app = Focusing()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = len(asked)
        await pilot.press("tab")
        for _ in range(50):
            if len(asked) > before:
                break
            await pilot.pause()
        assert len(asked) > before
        assert asked[-1] is app.screen


async def test_a_footer_key_is_made_available_in_place_as_its_constructor_would() -> None:
    """FooterKey keeps `disabled` as `_disabled` (read when it is clicked) and the class
    `-disabled`: set_footer_key_enabled sets both, as the constructor does."""
    from textual.widgets._footer import FooterKey

    assert "_disabled" in inspect.getsource(FooterKey.on_mouse_down)
    for disabled in (True, False):
        made = FooterKey("u", "u", "Undo", "undo", disabled=disabled)
        toggled = FooterKey("u", "u", "Undo", "undo", disabled=not disabled)
        set_footer_key_enabled(toggled, not disabled)
        assert toggled._disabled is made._disabled is disabled
        assert toggled.has_class("-disabled") is made.has_class("-disabled") is disabled


async def test_the_compositor_names_are_there() -> None:
    fix_compositor_map()
    from textual._compositor import Compositor

    assert list(inspect.signature(Compositor.reflow).parameters) == ["self", "parent", "size"]
    app = Lists()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        assert isinstance(compositor, Compositor)
        compositor.reflow(app.screen, app.screen.size)
        assert compositor._full_map_invalidated is False


class Box(Widget):
    """Its text, drawn again (no layout) when it changes."""

    text: reactive[str] = reactive("")

    def render(self) -> str:
        return self.text


class Row3(App[None]):
    """A header line over three boxes side by side."""

    CSS = "#top { height: 1; } Horizontal Box { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Box(id="top")
        with Horizontal():
            for name in ("left", "middle", "right"):
                yield Box(id=name)

    def on_mount(self) -> None:
        for box in self.query(Box):
            box.text = f"{box.id}\n" * 6


def _cells(strips: list[Any]) -> list[list[tuple[str, Any]]]:
    return [
        [(ch, seg.style) for seg in strip for ch in seg.text if not seg.control] for strip in strips
    ]


async def test_a_partial_update_draws_only_the_widgets_it_touches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The header and the middle box change: the two other boxes are not drawn, nor the
    container behind the three (the boxes cover it), and every cell the update sends is
    what a full repaint shows there."""
    draw_only_touched_widgets()
    from textual._compositor import ChopsUpdate, Compositor

    updates: list[tuple[ChopsUpdate, list[list[tuple[str, Any]]]]] = []
    drawn: list[str] = []  # the boxes drawn
    by_update: list[list[str]] = []  # the boxes each update drew
    render = Compositor.render_partial_update

    def recording(self: Compositor) -> ChopsUpdate | None:
        update = render(self)
        if update is not None:
            by_update.append(list(drawn))  # before the full repaint below draws them all
            updates.append((update, _cells(self.render_strips())))
        return update

    monkeypatch.setattr(Compositor, "render_partial_update", recording)
    app = Row3()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        assert compositor._visible_widgets is not None and compositor._cuts is not None
        for box in [*app.query(Box), app.query_one(Horizontal)]:
            render_lines = box.render_lines

            def counting(crop: Any, box: Widget = box, lines: Any = render_lines) -> Any:
                drawn.append(str(box.id))
                return lines(crop)

            box.render_lines = counting  # type: ignore[method-assign]
        updates.clear()
        by_update.clear()
        app.query_one("#top", Box).text = "top, changed"
        app.query_one("#middle", Box).text = "middle, changed\n" * 6
        await until(pilot, lambda: updates, "a partial update")
        assert len(updates) == 1
        assert sorted(set(by_update[0])) == ["middle", "top"]
        update, full = updates[0]
        assert {y for y, _, _ in update.spans} == set(range(10))
        for y, x1, x2 in update.spans:
            line: dict[int, tuple[str, Any]] = {}
            for x, strip in update.chops[y].items():
                if strip is not None:
                    for offset, cell in enumerate(_cells([strip])[0]):
                        line.setdefault(x + offset, cell)
            assert [line[x] for x in range(x1, x2)] == full[y][x1:x2]
        assert compositor.cuts == [[0, 60]] + [[0, 20, 40, 60]] * 9


def test_the_input_parser_names_are_there() -> None:
    """The parser makes keys of one read with `_sequence_to_key_events(sequence, alt)`
    (alt after an ESC), and every driver makes its parser from the one class."""
    from textual._xterm_parser import XTermParser
    from textual.drivers import linux_driver

    keep_alt_on_punctuation()
    to_keys = inspect.signature(XTermParser._sequence_to_key_events)
    assert list(to_keys.parameters) == ["self", "sequence", "alt"]
    assert linux_driver.XTermParser is XTermParser
    parser = XTermParser()
    keys = [(k.key, k.character) for k in parser._sequence_to_key_events("/", alt=True)]
    assert keys == [("alt+slash", "/")]
