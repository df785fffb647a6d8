"""The dashboard: the main screen (screen: compose, keys, the messages of its parts)
and the parts it holds, each given what it uses (no mixins, none holding the screen):
the Textual-free model (board), the columns drawing it (rows), the store read and drawn
(view, with the marker thread's reader in markers), the dialog flows (flows), the
writes (writes), what their outcome does (outcomes), the undo stack (undo), the sample
contacts (samples), the review's host (review), the bindings (keys) and the detail line
(detail). docs/ARCHITECTURE.md draws the map. Import the screen from
`tui.dashboard.screen`."""
