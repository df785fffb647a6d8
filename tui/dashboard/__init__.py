"""The dashboard: the main screen (screen), its rows and markers (rows), the contact
actions and their dialogs' callbacks (actions), the detail line (detail), the review's
host (review) and undo (undo). Import the screen from `tui.dashboard.screen`."""
