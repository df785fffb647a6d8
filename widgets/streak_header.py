"""The dashboard's one-line header: the streak, touches logged today, due and overdue.

Emoji only where the terminal can show them: a UTF-8 locale and a terminal that is not
a bare console. Otherwise plain ASCII (`can_show_emoji` decides; tests pass both).
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

from textual.content import Content
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


def header_text(streak: Streak, due_today: int, overdue: int, *, emoji: bool) -> str:
    """The header line, e.g. "🔥 12-day streak (best 20) · 3 logged today · 5 due · 2 overdue"."""
    sep = " · " if emoji else " | "
    if streak.current:
        icon = ("⏳ " if streak.at_risk else "🔥 ") if emoji else ("! " if streak.at_risk else "* ")
        risk = " at risk" if streak.at_risk else ""
        first = f"{icon}{streak.current}-day streak{risk} (best {streak.best})"
    elif streak.best:
        first = f"no streak (best {streak.best})"
    else:
        first = "no streak yet"
    parts = [
        first,
        f"{streak.touches_today} logged today",
        f"{due_today} due today",
        f"{overdue} overdue",
    ]
    return sep.join(parts)


class StreakHeader(Widget):
    """Shows a Streak and the day's counts; the parent sets the reactives."""

    DEFAULT_CSS = """
    StreakHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        /* One line, cut with an ellipsis (a narrow terminal loses the end): never
           wrapped, so its words are not measured for wrapping on every redraw. */
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
        self.streak = streak
        self.refresh()

    def watch_streak(self, streak: Streak) -> None:
        self.set_class(streak.at_risk, "-at-risk")

    @property
    def text(self) -> str:
        line = header_text(self.streak, self.due_today, self.overdue, emoji=self.emoji)
        # The view (today only, a filter) first: a narrow terminal cuts the end off.
        return f"{self.note}{' · ' if self.emoji else ' | '}{line}" if self.note else line

    def render(self) -> Content:
        line = header_text(self.streak, self.due_today, self.overdue, emoji=self.emoji)
        content = Content(line)
        if self.overdue:
            content = content.stylize("bold $error", len(line) - len(f"{self.overdue} overdue"))
        if self.note:
            sep = " · " if self.emoji else " | "
            content = Content.assemble((self.note, "bold $accent"), sep, content)
        return content
