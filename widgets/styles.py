"""One home for how heats, due states, markers and outcomes look: Textual theme
variables only (never a literal colour), so every theme, and the terminal's own 16
colours, keep them apart. (A heat's column has the CSS class "heat-<heat>", styled
in tui/app.tcss.)"""

from __future__ import annotations

HEAT_STYLE: dict[str, str] = {
    "hot": "bold $error",
    "warm": "bold $warning",
    "cool": "bold $primary",
}

# The style of each due state's label.
DUE_STYLE: dict[str, str] = {
    "overdue": "bold $error",
    "today": "bold $warning",
    "soon": "$success",
    # Not $primary: that is the highlight's background (blue on blue).
    "later": "$foreground",
    "none": "italic $text-muted",
}
MARKER_STYLE = "bold $warning"
OUTCOME_STYLE: dict[str, str] = {
    "reached": "$success",
    "no-reply": "$warning",
    "waiting": "$text-muted",
}
