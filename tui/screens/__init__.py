"""The dashboard's secondary screens: one contact, the archive, stats and help."""

from tui.screens.archive import ArchiveScreen
from tui.screens.contact import ContactScreen
from tui.screens.help import HelpScreen
from tui.screens.stats import StatsScreen

__all__ = ["ArchiveScreen", "ContactScreen", "HelpScreen", "StatsScreen"]
