"""The dashboard as the review's host: the review screen shows the cards, the
dashboard runs the actions on the card's contact (its own dialogs, undo and redraw)
and tells the review what each write did so it moves to the next card.

A mixin of DashboardScreen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

from store.model import Contact, Touch
from store.nudges import Nudge, nudges_for
from store.review import review_queue, what_was_done

if TYPE_CHECKING:
    from store.store import Store
    from store.streak import Streak
    from tui.screens.review import ReviewScreen


class ReviewHostMixin:
    store: Store
    today: date
    contacts: dict[str, Contact]
    streak: Streak
    guard: Callable[[], AbstractContextManager[None]]
    history: Callable[[str], list[Touch]]
    review_screen: ReviewScreen | None = None
    review_target: str | None = None

    def action_review(self) -> None:
        from tui.screens.review import ReviewScreen

        with self.guard():
            queue = review_queue(self.contacts.values(), self.today, self.store.settings)
            screen = ReviewScreen(self, queue, self.today)
            self.review_screen = screen
            self.review_target = queue.contacts[0].uid if queue.contacts else None
            self.app.push_screen(screen, self._review_left)  # type: ignore[attr-defined]

    def _review_left(self, _result: None) -> None:
        self.review_screen = None
        self.review_target = None

    # -- the ReviewHost protocol -------------------------------------------------------

    def review_contact(self, uid: str) -> Contact | None:
        return self.contacts.get(uid)

    def review_history(self, uid: str) -> list[Touch]:
        return self.history(uid)

    def review_nudges(self, contact: Contact, touches: Sequence[Touch]) -> list[Nudge]:
        return list(nudges_for(contact, list(touches), self.store.settings, self.today))

    def review_act(self, uid: str, action: str) -> None:
        self.review_target = uid
        act: Callable[[], Any] = getattr(self, f"action_{action}")
        act()

    def review_streak(self) -> str:
        return self.streak.line()

    def review_written(self, before: Contact, after: Contact, *, logged: bool) -> None:
        """A write went through: if it was on the review's card, the review moves on."""
        screen = self.review_screen
        if screen is not None and before.uid == self.review_target:
            screen.done_with(before.uid, what_was_done(before, after, logged=logged))
            if not screen.finished:
                self.review_target = screen.uids[screen.index]
