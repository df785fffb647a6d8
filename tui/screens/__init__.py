"""The dashboard's secondary screens: one contact, the archive, stats, help, the review.

Each is imported where it is opened (tui/dashboard/flows.py), not here: the first
screen never waits on the screens it does not show."""
