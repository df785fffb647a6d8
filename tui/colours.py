"""The theme for a 16-colour terminal, chosen on purpose.

Textual's themes are true colour; on a terminal with 16 colours each is mapped to the
nearest of the 16, and the default theme's red error and orange warning both land on
red, "today" looks "overdue", and the dim unfocused borders vanish into the
background. This theme uses the 16 colours themselves: hot and overdue red, warm and
today yellow, cool cyan, borders white (focused) and grey (not focused).
"""

from __future__ import annotations

from textual.theme import Theme

SIXTEEN = Theme(
    name="followup-16",
    primary="#00ffff",  # bright cyan: cool, the accent
    secondary="#0000ff",
    accent="#00ffff",
    warning="#ffff00",  # bright yellow: warm, due today
    error="#ff0000",  # bright red: hot, overdue
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000080",  # blue: the header and the detail line
    boost="#000000",
    dark=True,
    variables={
        "border": "#ffffff",
        "border-blurred": "#808080",
        "text-muted": "#c0c0c0",
        "footer-background": "#000080",
        "footer-key-foreground": "#ffff00",
        "block-cursor-background": "#00ffff",
        "block-cursor-foreground": "#000000",
        # The remembered row: dark blue, not grey (grey text on grey vanished).
        "block-cursor-blurred-background": "#000080",
        "block-cursor-blurred-foreground": "#ffffff",
        "input-selection-background": "#00ffff 40%",
    },
)


def is_sixteen(color_system: str | None) -> bool:
    return color_system in ("standard", "windows")
