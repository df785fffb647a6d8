"""The dashboard as the review's host: the review screen shows the cards, the
dashboard runs the actions on the card's contact (its own dialogs, undo and redraw)
and tells the review what each write did so it moves to the next card.

`DashboardReview` is held by the dashboard and given it explicitly: it implements the
ReviewHost protocol of tui.screens.review.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from store.model import Contact, Touch
from store.rules.nudges import Nudge, nudges_for
from store.rules.review import review_queue, what_was_done

if TYPE_CHECKING:
    from tui.dashboard.screen import DashboardScreen
    from tui.screens.review import ReviewScreen


class DashboardReview:
    """The review run from `dashboard`: the card it is on, and the host's answers."""

    def __init__(self, dashboard: DashboardScreen) -> None:
        self.dashboard = dashboard
        self.screen: ReviewScreen | None = None
        self.target: str | None = None  # the card's contact

    def start(self) -> None:
        from tui.screens.review import ReviewScreen

        dashboard = self.dashboard
        with dashboard.guard():
            board = dashboard.board
            queue = review_queue(board.contacts.values(), board.today, dashboard.store.settings)
            screen = ReviewScreen(self, queue, board.today)
            self.screen = screen
            self.target = queue.contacts[0].uid if queue.contacts else None
            dashboard.app.push_screen(screen, self._left)

    def _left(self, _result: None) -> None:
        self.screen = None
        self.target = None
        self.dashboard.show_detail()  # hidden while the review was on top

    # -- the ReviewHost protocol -------------------------------------------------------

    def review_contact(self, uid: str) -> Contact | None:
        return self.dashboard.board.contacts.get(uid)

    def review_history(self, uid: str) -> list[Touch]:
        return self.dashboard.history(uid)

    def review_nudges(self, contact: Contact, touches: Sequence[Touch]) -> list[Nudge]:
        settings = self.dashboard.store.settings
        return list(nudges_for(contact, list(touches), settings, self.dashboard.board.today))

    def review_act(self, uid: str, action: str) -> None:
        self.target = uid
        act: Callable[[], Any] = getattr(self.dashboard, f"action_{action}")
        act()

    def review_streak(self) -> str:
        return self.dashboard.board.streak.line()

    def written(self, before: Contact, after: Contact, *, logged: bool) -> None:
        """A write went through: if it was on the review's card, the review moves on."""
        screen = self.screen
        if screen is not None and before.uid == self.target:
            screen.done_with(before.uid, what_was_done(before, after, logged=logged))
            if not screen.finished:
                self.target = screen.uids[screen.index]
