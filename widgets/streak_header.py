"""The dashboard's one-line header: the streak, touches logged today, due and overdue.

Emoji only where the terminal can show them: a UTF-8 locale and a terminal that is not
a bare console. Otherwise plain ASCII (`can_show_emoji` decides; tests pass both).
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from store.rules.streak import Streak

# Terminals that cannot draw emoji (or anything past Latin-1, some of them).
PLAIN_TERMS = frozenset({"", "dumb", "linux", "vt100", "vt102", "vt220", "ansi", "cons25"})


def _is_utf8(name: str) -> bool:
    name = name.lower().replace("_", "").replace("-", "")
    return "utf8" in name


def can_show_emoji(environ: Mapping[str, str] | None = None, encoding: str | None = None) -> bool:
    """True when the locale is UTF-8 and TERM names a terminal that draws emoji.

    The locale is the first of LC_ALL, LC_CTYPE, LANG that is set; without any,
    the preferred encoding decides. `FOLLOWUP_ASCII=1` forces plain ASCII.
    """
    env = os.environ if environ is None else environ
    if env.get("FOLLOWUP_ASCII", "") not in ("", "0"):
        return False
    if env.get("TERM", "").lower() in PLAIN_TERMS:
        return False
    for key in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(key)
        if value:
            return _is_utf8(value)
    if encoding is None:
        encoding = locale.getpreferredencoding(False)
    return _is_utf8(encoding)


def _streak_part(streak: Streak, *, emoji: bool) -> str:
    if streak.current:
        icon = ("⏳ " if streak.at_risk else "🔥 ") if emoji else ("! " if streak.at_risk else "* ")
        risk = " at risk" if streak.at_risk else ""
        return f"{icon}{streak.current}-day streak{risk} (best {streak.best})"
    if streak.best:
        return f"no streak (best {streak.best})"
    return "no streak yet"


def header_parts(
    streak: Streak, due_today: int, overdue: int, *, emoji: bool, short: bool = False
) -> list[str]:
    """The header's parts: the streak, then the day's counts (`short`: without "today",
    which the header as a whole says)."""
    today = "" if short else " today"
    return [
        _streak_part(streak, emoji=emoji),
        f"{streak.touches_today} logged{today}",
        f"{due_today} due{today}",
        f"{overdue} overdue",
    ]


def header_text(streak: Streak, due_today: int, overdue: int, *, emoji: bool) -> str:
    """The header line, e.g. "🔥 12-day streak (best 20) · 3 logged today · 5 due · 2 overdue"."""
    return (" · " if emoji else " | ").join(header_parts(streak, due_today, overdue, emoji=emoji))


def fit_lines(groups: Sequence[Sequence[str]], width: int, sep: str) -> list[str]:
    """The header's lines at `width` cells: the groups of parts (the view, the streak,
    the counts), as many to a line as fit, joined by `sep`; a group wider than a line
    goes on lines of its own, its parts as many to a line as fit; never a part split
    (one wider than `width` is cut at its end)."""
    lines: list[str] = []

    def pack(parts: Sequence[str], start_new: bool) -> None:
        for index, part in enumerate(parts):
            joined = f"{lines[-1]}{sep}{part}" if lines else part
            if lines and not (start_new and index == 0) and cell_len(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(part)

    for group in groups:
        whole = sep.join(group)
        if cell_len(whole) <= width:
            pack([whole], start_new=False)
        else:
            pack(group, start_new=True)
    return lines


class StreakHeader(Widget):
    """Shows a Streak and the day's counts; the parent sets the reactives."""

    DEFAULT_CSS = """
    StreakHeader {
        dock: top;
        height: auto;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        /* Laid out by the widget (`lines_at`): the counts lose "today" where the whole
           line would not fit, then go on a second line; never a phrase split. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    StreakHeader.-at-risk {
        color: $warning;
    }
    """

    streak: reactive[Streak] = reactive(Streak(0, 0, False, 0))
    due_today: reactive[int] = reactive(0)
    overdue: reactive[int] = reactive(0)
    note: reactive[str] = reactive("")
    emoji: reactive[bool] = reactive(True)

    def __init__(self, *, emoji: bool | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(StreakHeader.emoji, can_show_emoji() if emoji is None else emoji)

    def show(self, streak: Streak, due_today: int, overdue: int) -> None:
        """Set everything at once (one redraw)."""
        self.set_reactive(StreakHeader.due_today, due_today)
        self.set_reactive(StreakHeader.overdue, overdue)
        self.set_reactive(StreakHeader.streak, streak)  # not its watcher: one redraw
        self.set_class(streak.at_risk, "-at-risk")
        self._redraw()

    def watch_streak(self, streak: Streak) -> None:
        self.set_class(streak.at_risk, "-at-risk")
        self._redraw()

    def watch_note(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        """Drawn again; laid out again only when its number of lines changes."""
        width = self.content_region.width
        relayout = bool(width) and len(self.lines_at(width)) != self.content_region.height
        self.refresh(layout=relayout)

    @property
    def separator(self) -> str:
        return " · " if self.emoji else " | "

    @property
    def text(self) -> str:
        """The whole header on one line (the view first: it is never cut off)."""
        line = header_text(self.streak, self.due_today, self.overdue, emoji=self.emoji)
        return f"{self.note}{self.separator}{line}" if self.note else line

    def lines_at(self, width: int) -> list[str]:
        """The header's lines at `width` cells of text: the whole line where it fits;
        else the counts without "today", on the streak's line where they fit, else on
        the next (as many lines as they need)."""
        parts = header_parts(self.streak, self.due_today, self.overdue, emoji=self.emoji)
        groups = [[self.note]] if self.note else []
        if cell_len(self.separator.join([*(g[0] for g in groups), *parts])) <= width:
            return [self.separator.join([*(g[0] for g in groups), *parts])]
        short = header_parts(
            self.streak, self.due_today, self.overdue, emoji=self.emoji, short=True
        )
        groups += [short[:1], short[1:]]
        return fit_lines(groups, width, self.separator)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines_at(width))

    def render(self) -> Content:
        lines = self.lines_at(self.content_region.width or self.size.width)
        content = Content("\n").join(self._styled(line) for line in lines)
        return content

    def _styled(self, line: str) -> Content:
        content = Content(line)
        overdue = f"{self.overdue} overdue"
        if self.overdue and line.endswith(overdue):
            content = content.stylize("bold $error", len(line) - len(overdue))
        if self.note and line.startswith(self.note):
            content = content.stylize("bold $accent", 0, len(self.note))
        return content
