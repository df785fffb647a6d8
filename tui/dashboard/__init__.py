"""The dashboard: the main screen (screen: compose, keys, actions, dialog callbacks)
and the parts it holds, each given what it uses (no mixins): the Textual-free model
(board: contacts, counts, view, markers, histories, streak, the row move of a change),
the columns drawing it (rows), the store read and drawn (view), the marker thread's
reader (markers), the writes and their undo (writes, undo), the contact actions and
their dialogs' callbacks (actions), the review's host (review), the bindings (keys)
and the detail line (detail). Import the screen from `tui.dashboard.screen`."""
