"""The morning review run from the dashboard: the queue, the card it is on, and the
answers the review screen asks its host for.

The review screen (tui.screens.review) shows the cards; `Review` answers it from the
board and the store, and hands each action asked on a card to `act`, the dashboard's
dialog flow for it, on that card's contact. When a write of the dashboard went through
(`written`) on the card's contact, the review moves to the next card; so it does when
another process made that contact no longer due (`external`, after the dashboard's
poll read it), and a change there that leaves it due is shown on the card.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from store.errors import InputError
from store.model import Contact, Touch
from store.rules.nudges import Nudge, nudges_for
from store.rules.text import clean
from store.store import Store
from tui.dashboard.board import Board

if TYPE_CHECKING:  # the review's screen and rules are imported when a review opens,
    # not for the dashboard's first frame
    from tui.screens.review import Act, ReviewScreen


class Review:
    """The review of `board`'s contacts; implements tui.screens.review.ReviewHost."""

    def __init__(
        self,
        store: Store,
        board: Board,
        history: Callable[[str], list[Touch]],
        act: Callable[[Contact, Act], Awaitable[None]],
    ) -> None:
        self.store = store
        self.board = board
        self.history = history
        self.act = act
        self.screen: ReviewScreen | None = None
        self.target: str | None = None  # the card's contact
        # Each card's contact and its newest touch as the card last showed them: what a
        # change made elsewhere is told against (a touch logged there counts as logged).
        self.seen: dict[str, Contact] = {}
        self.seen_touch: dict[str, str | None] = {}

    def open(self) -> ReviewScreen:
        """The review screen on today's queue (for the dashboard to show)."""
        from store.rules.review import review_queue
        from tui.screens.review import ReviewScreen

        queue = review_queue(self.board.contacts.values(), self.board.today, self.store.settings)
        self.screen = ReviewScreen(self, queue, self.board.today)
        self.target = queue.contacts[0].uid if queue.contacts else None
        return self.screen

    def closed(self) -> None:
        self.screen = None
        self.target = None
        self.seen.clear()
        self.seen_touch.clear()

    @property
    def card(self) -> Contact | None:
        """The contact of the card shown (None when no review is open)."""
        if self.screen is None or self.target is None:
            return None
        return self.board.contacts.get(self.target)

    # -- the ReviewHost protocol -------------------------------------------------------

    def review_contact(self, uid: str) -> Contact | None:
        contact = self.board.contacts.get(uid)
        if contact is not None:
            self.seen[uid] = contact
        return contact

    def review_history(self, uid: str) -> list[Touch]:
        touches = self.history(uid)
        self.seen_touch[uid] = touches[0].uid if touches else None
        return touches

    def review_nudges(self, contact: Contact, touches: Sequence[Touch]) -> list[Nudge]:
        return list(
            nudges_for(
                contact,
                list(touches),
                self.store.settings,
                self.board.today,
                lambda: self.board.proven(self.store.touches),
            )
        )

    async def review_act(self, uid: str, what: Act) -> None:
        self.target = uid
        contact = self.board.contacts.get(uid)
        if contact is not None:
            await self.act(contact, what)

    def review_streak(self) -> str:
        return self.board.streak.line()

    # -- from the dashboard ------------------------------------------------------------

    def _still_due(self, contact: Contact) -> bool:
        """The card's contact is still on today's list after a write (the review stays
        on a card until it is no longer due)."""
        due = contact.next_due
        return contact.active and due is not None and due <= self.board.today

    def external(self, changed: set[str] | None) -> None:
        """Another process changed these contacts (None: anything), and the board has
        read them: the card's contact, when among them, is shown as it is now; when it
        is no longer due, the review moves on and counts what was done there, as it
        does after a key on the card."""
        screen = self.screen
        uid = screen.current_uid if screen is not None else None
        if screen is None or uid is None or (changed is not None and uid not in changed):
            return
        before = self.seen.get(uid)
        after = self.board.contacts.get(uid)
        if before is None or (after is not None and self._still_due(after)):
            screen.changed(uid)
            return
        if after is None:  # dropped or removed there
            try:
                after = self.store.contact(uid)
            except InputError:
                after = replace(before, status="dropped")
        from store.rules.review import what_was_done  # imported with the review's screen

        newest = self.history(uid)[:1]
        logged = (newest[0].uid if newest else None) != self.seen_touch.get(uid)
        screen.done_with(uid, what_was_done(before, after, logged=logged))
        if not screen.finished:
            self.target = screen.uids[screen.index]

    def written(self, before: Contact, after: Contact, *, logged: bool) -> None:
        """A write went through: if it was on the review's card, the review moves on."""
        screen = self.screen
        if screen is not None and before.uid == self.target and self._still_due(after):
            screen.still_due(
                after.uid,
                f"{clean(after.name)} is still due: change the date, log a touch, "
                "or skip (space) to move on",
            )
        elif screen is not None and before.uid == self.target:
            from store.rules.review import what_was_done  # imported with the review's screen

            screen.done_with(before.uid, what_was_done(before, after, logged=logged))
            if not screen.finished:
                self.target = screen.uids[screen.index]
