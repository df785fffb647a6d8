"""Statistics: the success rate of each channel, and one contact's history in brief."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

import msgspec

from store.model import CHANNELS, Channel, Touch
from store.rules.nudges import unanswered_run

WAITING_WINDOW_SECONDS = 14 * 86_400  # a waiting touch answered within 14 days counts


Z_95 = 1.959963984540054  # the normal quantile of a two-sided 95% range


def wilson(answered: int, sent: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score range of a rate of `answered` in `sent` (95% by default), or
    None when nothing was sent. 3 of 5 is 23% to 88%: five touches prove little."""
    if sent <= 0:
        return None
    p = answered / sent
    z2 = z * z
    centre = p + z2 / (2 * sent)
    spread = z * math.sqrt(p * (1 - p) / sent + z2 / (4 * sent * sent))
    scale = 1 + z2 / sent
    low = 0.0 if answered <= 0 else max(0.0, (centre - spread) / scale)
    high = 1.0 if answered >= sent else min(1.0, (centre + spread) / scale)
    return low, high


class ChannelStats(msgspec.Struct, frozen=True):
    channel: str
    sent: int
    answered: int

    @property
    def rate(self) -> float | None:
        """Answered / sent, or None when nothing was sent."""
        return self.answered / self.sent if self.sent else None

    @property
    def rate_range(self) -> tuple[float, float] | None:
        """The rate's 95% Wilson score range, or None when nothing was sent."""
        return wilson(self.answered, self.sent)

    def to_json(self) -> dict[str, str | int | float | None]:
        found = self.rate_range
        return {
            "channel": self.channel,
            "sent": self.sent,
            "answered": self.answered,
            "rate": self.rate,
            "rate_low": None if found is None else found[0],
            "rate_high": None if found is None else found[1],
        }


def best_channel(channels: Iterable[ChannelStats]) -> ChannelStats | None:
    """The channel whose range clears every other tried channel's (its low above each
    other's high), or None: too few to tell. A channel never tried is no evidence either
    way; one channel alone is compared with nothing and is never called best."""
    tried = [(c, r) for c in channels if (r := c.rate_range) is not None]
    if len(tried) < 2:
        return None
    for channel, (low, _high) in tried:
        if all(low > high for other, (_low, high) in tried if other is not channel):
            return channel
    return None


def proven_channel(channels: Iterable[ChannelStats]) -> tuple[Channel, str] | None:
    """The best channel and its range text, for the "try another channel" nudge."""
    best = best_channel(channels)
    if best is None:
        return None
    return best.channel, range_text(best)  # type: ignore[return-value]


def verdict(channels: Iterable[ChannelStats]) -> str:
    """The stats' last line: the best channel when its range clears the others'."""
    best = best_channel(channels)
    if best is None:
        return "Best channel: too few to tell (the ranges overlap)"
    return f"Best channel: {best.channel}, answered {range_text(best)} (clear of the others)"


def range_text(row: ChannelStats) -> str:
    """ "23-88%", or "-" when nothing was sent."""
    found = row.rate_range
    if found is None:
        return "-"
    return f"{found[0] * 100:.0f}-{found[1] * 100:.0f}%"


def channel_stats(touches: Iterable[Touch]) -> list[ChannelStats]:
    """One row per channel, in model order, counting outbound touches.

    A sent touch is answered when reached; a waiting one also when a reached or
    inbound touch of the same contact follows, strictly after it, within 14 days.
    """
    sent, answered = channel_counts(touches)
    return [ChannelStats(c, sent[c], answered[c]) for c in CHANNELS]


def channel_counts(touches: Iterable[Touch]) -> tuple[Counter[str], Counter[str]]:
    """The touches sent and answered on each channel (see `channel_stats`)."""
    sent: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    waiting: dict[str, list[tuple[float, str]]] = defaultdict(list)
    replies: dict[str, list[float]] = defaultdict(list)
    for t in touches:
        if t.answered:
            replies[t.contact_uid].append(t.at.timestamp())
        if t.direction != "out":
            continue
        sent[t.channel] += 1
        if t.outcome == "reached":
            answered[t.channel] += 1
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
    return sent, answered


class ChannelTally:
    """`channel_stats` of every touch, kept contact by contact: an answer is never
    counted across contacts, so when one contact's touches change only theirs are
    counted again."""

    def __init__(self) -> None:
        self._of: dict[str, tuple[Counter[str], Counter[str]]] = {}
        self._sent: Counter[str] = Counter()
        self._answered: Counter[str] = Counter()

    def count(self, uid: str, touches: Iterable[Touch]) -> None:
        """Contact `uid`'s touches are now `touches` (all of them)."""
        self.forget(uid)
        sent, answered = self._of[uid] = channel_counts(touches)
        self._sent.update(sent)
        self._answered.update(answered)

    def forget(self, uid: str) -> None:
        known = self._of.pop(uid, None)
        if known is not None:
            self._sent.subtract(known[0])
            self._answered.subtract(known[1])

    def stats(self) -> list[ChannelStats]:
        return [ChannelStats(c, self._sent[c], self._answered[c]) for c in CHANNELS]


class ContactSummary(msgspec.Struct, frozen=True):
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
