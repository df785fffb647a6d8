"""Statistics: the success rate of each channel, and one contact's history in brief."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from store.model import CHANNELS, Touch
from store.rules.nudges import unanswered_run

WAITING_WINDOW_SECONDS = 14 * 86_400  # a waiting touch answered within 14 days counts


@dataclass(frozen=True)
class ChannelStats:
    channel: str
    sent: int
    answered: int

    @property
    def rate(self) -> float | None:
        """Answered / sent, or None when nothing was sent."""
        return self.answered / self.sent if self.sent else None

    def to_json(self) -> dict[str, str | int | float | None]:
        return {
            "channel": self.channel,
            "sent": self.sent,
            "answered": self.answered,
            "rate": self.rate,
        }


def channel_stats(touches: Iterable[Touch]) -> list[ChannelStats]:
    """One row per channel, in model order, counting outbound touches.

    A sent touch is answered when reached; a waiting one also when a reached or
    inbound touch of the same contact follows, strictly after it, within 14 days.
    """
    sent: dict[str, int] = dict.fromkeys(CHANNELS, 0)
    answered: dict[str, int] = dict.fromkeys(CHANNELS, 0)
    waiting: dict[str, list[tuple[float, str]]] = defaultdict(list)
    replies: dict[str, list[float]] = defaultdict(list)
    for t in touches:
        if t.answered:
            replies[t.contact_uid].append(t.at.timestamp())
        if t.direction != "out":
            continue
        sent[t.channel] = sent.get(t.channel, 0) + 1
        if t.outcome == "reached":
            answered[t.channel] = answered.get(t.channel, 0) + 1
        elif t.outcome == "waiting":
            waiting[t.contact_uid].append((t.at.timestamp(), t.channel))
    for uid, pending in waiting.items():
        times = sorted(replies.get(uid, ()))
        if not times:
            continue
        for moment, channel in pending:
            i = bisect_right(times, moment)
            if i < len(times) and times[i] - moment <= WAITING_WINDOW_SECONDS:
                answered[channel] += 1
    return [ChannelStats(c, sent[c], answered[c]) for c in CHANNELS]


@dataclass(frozen=True)
class ContactSummary:
    touches: int
    last_touch: datetime | None
    last_reply: datetime | None
    unanswered_run: int


def summarize(touches_newest_first: Iterable[Touch]) -> ContactSummary:
    """What matters before dropping a contact: touches, last touch, last reply."""
    history = list(touches_newest_first)
    reply = next((t.at for t in history if t.answered), None)
    return ContactSummary(
        touches=len(history),
        last_touch=history[0].at if history else None,
        last_reply=reply,
        unanswered_run=unanswered_run(history),
    )
