"""The dashboard's keys: every binding (with an id), and their lists for the help
screen and the command palette."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from textual.app import App
from textual.binding import ActiveBinding, Binding

from store.model import Contact
from tui.dashboard.board import Board

BINDINGS = [
    # On a narrow screen (one heat at a time) the footer shows tab first; elsewhere
    # `allowed` hides it and tab is next_column below.
    Binding("tab", "heat(1)", "Heat", id="next_heat",
            tooltip="Next heat (one at a time below 60 columns)"),
    Binding("t", "log_touch", "Log", id="log_touch", tooltip="Log a touch"),
    Binding("n", "next_step", "Next", id="next_step", tooltip="Set the next step"),
    Binding("s", "snooze", "Snooze", id="snooze", tooltip="Move the next date"),
    Binding("d", "drop", "Drop", id="drop", tooltip="Stop following up (asks first)"),
    Binding("a", "add", "Add", id="add", tooltip="Add a contact"),
    Binding("e", "edit", "Edit", show=False, id="edit", tooltip="Edit the contact"),
    Binding("slash", "filter", "Filter", key_display="/", id="filter"),
    Binding("T", "today_only", "Today", show=False, id="today_only",
            tooltip="Today-only view"),
    Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change"),
    Binding("question_mark", "help", "Help", key_display="?", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
    # Also keys, but past what a footer 80 columns wide shows: in help and ctrl+p.
    Binding("plus", "warm_up", "Warmer", key_display="+", show=False, id="warm_up",
            tooltip="Warm up"),
    Binding("minus", "cool_down", "Cooler", key_display="-", show=False, id="cool_down",
            tooltip="Cool down"),
    Binding("enter", "open", "Open", show=False, id="open", tooltip="Open the contact"),
    Binding("A", "archive", "Archive", show=False, id="archive",
            tooltip="Archive of dropped contacts"),
    Binding("S", "stats", "Stats", show=False, id="stats", tooltip="Channel stats"),
    Binding("D", "demo", "Sample data", id="demo", tooltip="Load sample contacts"),
    Binding("comma", "settings", "Settings", key_display=",", show=False, id="settings",
            tooltip="Settings: cadence, rest days, high value, date order, daily target"),
    Binding("R", "review", "Review", show=False, id="review",
            tooltip="Review: the morning queue, one contact at a time"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
    Binding("j,down", "cursor_down", "Down", show=False, id="down"),
    Binding("k,up", "cursor_up", "Up", show=False, id="up"),
    Binding("h,left", "column(-1)", "Column left", show=False, id="left"),
    Binding("l,right", "column(1)", "Column right", show=False, id="right"),
    Binding("tab", "column(1)", "Next column", show=False, id="next_column"),
    Binding("shift+tab", "column(-1)", "Previous column", show=False, id="previous_column"),
]  # fmt: skip

# The footer's keys that stay in sight first when not all fit (a narrow terminal); the
# rest are in help and ctrl+p.
FOOTER_KEEP = ("help", "quit", "log_touch", "next_step", "snooze", "drop", "add", "undo", "filter")

# Heard when the key's own binding can't run now (check_action hides or dims it), so
# the key says why rather than doing nothing: not in the footer, help or palette.
REFUSALS = [
    Binding("u", "nothing_to_undo", "Undo", show=False, id="undo.nothing"),
    Binding("D", "demo_refused", "Sample data", show=False, id="demo.refused"),
]

# Actions that need a highlighted contact.
CONTACT_ACTIONS = frozenset(
    {"open", "log_touch", "next_step", "snooze", "drop", "edit", "warm_up", "cool_down"}
)


def allowed(
    action: str,
    board: Board,
    contact: Contact | None,
    *,
    can_undo: bool,
    filter_shown: bool,
    narrow: bool = False,
) -> bool | None:
    """Whether `action` can run now (the screen's check_action): True, or None to show
    it disabled, or False to hide it. `contact`: the highlighted one; `narrow`: the
    board shows one heat at a time."""
    if action == "heat":
        return narrow
    if action in CONTACT_ACTIONS:
        if contact is None:
            return False
        if action == "warm_up" and contact.heat == "hot":
            return None
        if action == "cool_down" and contact.heat == "cool":
            return None
    elif action == "undo":
        return True if can_undo else None
    elif action == "demo":
        return not board.contacts
    elif action in ("filter", "today_only"):
        return bool(board.contacts) or bool(board.filter_text) or board.today_only
    elif action == "clear_filter":
        return bool(board.filter_text) or filter_shown
    return True


# Help's words where a binding's tooltip says less than help should.
HELP_TEXT = {"next_heat": "Next column (below 60 columns, one heat at a time: the next heat)"}

# The screen's keys that come from Textual's own widgets (the highlighted column, the
# screen, the app), by action: help lists them after the dashboard's own.
OTHER_HELP = {
    "first": "First contact in the column",
    "last": "Last contact in the column",
    "page_up": "A page up the column",
    "page_down": "A page down the column",
    "page_left": "Scroll the column left",
    "page_right": "Scroll the column right",
    "screen.copy_text": "Copy the selected text",
    "command_palette": "Every command, by name",
    "quit": "Quit",
}


def key_display(app: App[object], binding: Binding, key: str) -> str:
    """How help shows `key`, one of `binding`'s keys ("/" for slash, "j" and "↓")."""
    if "," in binding.key:
        return app.get_key_display(replace(binding, key=key, key_display=None))
    return app.get_key_display(binding)


def key_help(
    app: App[object], active: Mapping[str, ActiveBinding] | None = None
) -> list[tuple[str, str]]:
    """(keys, description) for the help screen: every key of BINDINGS once (a key two
    bindings share, tab, under the first), then those of the `active` bindings (by
    default the screen's on top: the dashboard, as help opens) that come from
    elsewhere: each key once, every key the screen has."""
    if active is None:
        active = app.screen.active_bindings
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for binding in BINDINGS:
        new = [key.strip() for key in binding.key.split(",") if key.strip() not in seen]
        if not new:
            continue
        seen.update(new)
        about = HELP_TEXT.get(binding.id or "", binding.tooltip or binding.description)
        rows.append(("/".join(key_display(app, binding, key) for key in new), about))
    others: dict[str, list[str]] = {}
    found: dict[str, Binding] = {}
    for key, bound in active.items():
        if key in seen:
            continue
        seen.add(key)
        action = bound.binding.action
        found.setdefault(action, bound.binding)
        others.setdefault(action, []).append(key_display(app, bound.binding, key))
    for action, shown in others.items():
        about = OTHER_HELP.get(action, found[action].description or action)
        rows.append(("/".join(shown), about))
    return rows


def commands(app: App[object], allowed: Callable[[str], bool | None]) -> list[tuple[str, str, str]]:
    """(title, help, action) of each binding `allowed` says can run now, for ctrl+p."""
    found = []
    for binding in BINDINGS:
        action = binding.action
        if allowed(action.split("(")[0]) is not True:
            continue
        key = app.get_key_display(replace(binding, key=binding.key.split(",")[0]))
        found.append((command_title(binding), f"key: {key}", action))
    return found


def command_title(binding: Binding) -> str:
    """ "Snooze: move the next date": the footer's word first, so typing either finds it."""
    word, about = binding.description, binding.tooltip
    if not about or about.casefold() == word.casefold():
        return word
    if about.casefold().startswith(word.casefold()):
        return about
    return f"{word}: {about[0].lower()}{about[1:]}"
