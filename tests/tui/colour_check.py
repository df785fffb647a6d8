"""What a terminal shows of a screen, colour by colour: the screen as the app exports it
(`App.export_screenshot`, an SVG of the composed screen), each run of text with the
colour it is drawn in and the colour behind it, both brought down to what a terminal
of 256 or 16 colours gets (rich's `Color.downgrade`, as the terminal's output does)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from rich.color import Color, ColorSystem
from textual.geometry import Region

# A button's top and bottom edges: a shade of its own background, drawn in half blocks
# (Textual's "tall" border). Where the shade and the background land on one colour the
# button is flat, its label still shows; the edges are not text.
SHADING = "\u2594\u2581"  # ▔ ▁

SVG = "{http://www.w3.org/2000/svg}"
CHAR_WIDTH = 20 * 0.61  # rich's export_svg: font size 20, aspect ratio 0.61
LINE_HEIGHT = 20 * 1.22


@dataclass(frozen=True)
class Run:
    """A run of text at (x, y), in colour `fg` over colour `bg` (hex, true colour)."""

    x: int
    y: int
    text: str
    fg: str
    bg: str

    def seen(self, system: ColorSystem) -> tuple[int | None, int | None]:
        """The palette entries of its colours on a terminal of `system`."""
        return _entry(self.fg, system), _entry(self.bg, system)


def _entry(hex_colour: str, system: ColorSystem) -> int | None:
    colour = Color.parse(hex_colour).downgrade(system)
    return colour.number if colour.number is not None else hash(colour.triplet)


def runs(svg: str) -> list[Run]:
    """Every run of text drawn on the exported screen, with its colours."""
    root = ElementTree.fromstring(svg)
    style = "".join(node.text or "" for node in root.iter(f"{SVG}style"))
    fills = dict(re.findall(r"\.([\w-]+)\s*\{\s*fill:\s*(#[0-9a-fA-F]{6})", style))
    page = root.find(f".//{SVG}rect[@class]")
    default_bg = fills.get(page.get("class", "")) if page is not None else None
    backgrounds: dict[tuple[int, int], str] = {}
    texts: list[tuple[int, int, str, str]] = []
    for node in root.iter():
        if node.tag == f"{SVG}rect" and node.get("fill", "").startswith("#"):
            x, y = _cell(node, 1.5)
            width = round(float(node.get("width", "0")) / CHAR_WIDTH)
            for dx in range(width):
                backgrounds[(x + dx, y)] = node.get("fill", "")
        elif node.tag == f"{SVG}text" and node.get("class") in fills:
            x, y = _cell(node, 20)
            texts.append((x, y, node.text or "", fills[node.get("class", "")]))
    found = []
    for x, y, text, fg in texts:
        # One text node can span cells of different backgrounds only if the export
        # joined segments; split it by background, cell by cell.
        for dx, char in enumerate(text):
            bg = backgrounds.get((x + dx, y), default_bg or "#000000")
            found.append(Run(x + dx, y, char, fg, bg))
    return _join(found)


def _cell(node: Any, offset: float) -> tuple[int, int]:
    x = round(float(node.get("x", "0")) / CHAR_WIDTH)
    y = round((float(node.get("y", "0")) - offset) / LINE_HEIGHT)
    return x, y


def _join(chars: list[Run]) -> list[Run]:
    joined: list[Run] = []
    for run in chars:
        last = joined[-1] if joined else None
        if (
            last
            and (last.y, last.fg, last.bg) == (run.y, run.fg, run.bg)
            and (last.x + len(last.text) == run.x)
        ):
            joined[-1] = Run(last.x, last.y, last.text + run.text, last.fg, last.bg)
        else:
            joined.append(run)
    return joined


def invisible(svg: str, system: ColorSystem, within: Sequence[Region] = ()) -> list[str]:
    """Text drawn in its own background colour on a terminal of `system`, as
    'row N: "text" (colour C on C)'; empty when every character shows. `within`: only
    the text inside these regions (a dialog's, not the faded screen behind it)."""
    clashes = []
    for run in runs(svg):
        shown = run.text.replace("\u00a0", " ").strip()
        if not shown.strip(SHADING):
            continue
        if within and not any(region.contains(run.x, run.y) for region in within):
            continue
        fg, bg = run.seen(system)
        if fg == bg:
            clashes.append(f'row {run.y}: "{shown}" ({run.fg} on {run.bg}, both {fg})')
    return clashes
