"""Nudges: friendly hints that encode the follow-up principles. Never a block.

A Nudge has a `kind`, a short ASCII `marker` for a dashboard row and a full sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date

import msgspec

from store.model import Channel, Contact, Direction, Settings, Touch

SWITCH_AFTER = 3  # unanswered touches in a row on one channel
STOP_AFTER = 5  # unanswered touches in a row
MIN_GAP_DAYS = 7  # between unanswered follow-ups

MARKERS: dict[str, str] = {
    "no_next_step": "!",
    "consider_stopping": "?",
    "keep_going": "$",
    "switch_channel": "~",
    "vague": "*",
    "too_soon": "<",
}


def has_next_step(contact: Contact) -> bool:
    """A next step is planned: its text and its date are both set (either missing, the
    contact is never due or due for nothing: "no next step", marker `!`)."""
    return contact.next_due is not None and bool(contact.next_step.strip())


# Alternatives tried in this order when suggesting another channel.
SWITCH_ORDER: tuple[Channel, ...] = ("call", "email", "text", "meeting")

_PLURAL: dict[str, str] = {
    "call": "calls",
    "email": "emails",
    "text": "texts",
    "meeting": "meetings",
    "letter": "letters",
    "social": "social messages",
    "other": "touches",
}
_TRY: dict[str, str] = {
    "call": "a call",
    "email": "an email",
    "text": "a text",
    "meeting": "a meeting",
    "letter": "a letter",
    "social": "a social message",
    "other": "another way",
}


class Nudge(msgspec.Struct, frozen=True):
    kind: str
    marker: str
    text: str


def _nudge(kind: str, text: str) -> Nudge:
    return Nudge(kind=kind, marker=MARKERS[kind], text=text)


_VAGUE = (
    r"touch(?:ing)? base|check(?:ing)? ?in|circl(?:e|ing) back|(?:just )?follow(?:ing)? ?ups?"
    r"|ping(?:ing)?|catch(?:ing)? up|reach(?:ing)? out"
)
_VAGUE_RE = re.compile(rf"\b(?:{_VAGUE})\b")
_FILLER_WORDS = (
    "with him her them his their again re about on to the a an and just quick quickly briefly "
    "see how hows things it is are going if any news update updates for you your still"
)
_FILLER = frozenset(_FILLER_WORDS.split())


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w']+", " ", text.casefold()).replace("'", "").split())


def is_vague(text: str, *, names: Iterable[str] = ()) -> bool:
    """True for a next step that is only a vague check-in.

    Rule: the text (case-insensitive, punctuation ignored) contains a vague phrase
    (touch base, check in, circle back, (just) follow(ing) up, ping, catch up, reach
    out), and once those phrases, filler words (with, her, them, again, about, the...)
    and the words of `names` are removed, fewer than two words of 3+ letters remain.
    So "Ping Anna" and "check-in with her" are vague; "Check in about the Q3
    contract renewal" and "Send the pricing deck" are not.
    """
    words = _words(text)
    if not _VAGUE_RE.search(words):
        return False
    skip = _FILLER | {w for name in names for w in _words(name).split()}
    rest = [w for w in _VAGUE_RE.sub(" ", words).split() if w not in skip]
    return sum(1 for w in rest if len(w) >= 3) < 2


def unanswered_run(touches_newest_first: Iterable[Touch]) -> int:
    """Outbound touches since the contact last answered (waiting ones count)."""
    run = 0
    for touch in touches_newest_first:
        if touch.answered:
            break
        if touch.direction == "out":
            run += 1
    return run


# The channel the stats call best, with its answered range ("63-84%"), or None: too
# few to tell (store.rules.stats.proven_channel); asked only when a nudge needs it.
Proven = Callable[[], "tuple[Channel, str] | None"]


def suggest_channel(contact: Contact, tried: str) -> Channel:
    """Another channel than `tried`: the contact's preferred one first."""
    if contact.channel is not None and contact.channel != tried:
        return contact.channel
    return next(c for c in SWITCH_ORDER if c != tried)


def switch_text(contact: Contact, tried: str, same: int, proven: Proven | None) -> str:
    """The "try another channel" sentence. A channel is said to work better only on the
    stats' evidence (its range clears the others'); otherwise the contact's preferred
    channel, or the next one, is offered without a claim."""
    best = proven() if proven is not None else None
    lead = f"{same} unanswered {_PLURAL[tried]} in a row"
    if best is not None and best[0] != tried:
        return f"{lead}: try {_TRY[best[0]]} instead ({best[0]} gets answered {best[1]})."
    return f"{lead}: try {_TRY[suggest_channel(contact, tried)]} instead."


def nudges_for(
    contact: Contact,
    touches_newest_first: Sequence[Touch],
    settings: Settings,
    today: date,
    proven: Proven | None = None,
) -> list[Nudge]:
    """Nudges for a dashboard row or the contact screen, most important first.

    Dropped and do-not-contact contacts get none. `proven`: the stats' best channel
    (see `switch_text`), asked only when the "try another channel" nudge is due.
    """
    if not contact.active or contact.do_not_contact:
        return []
    found: list[Nudge] = []
    if not has_next_step(contact):
        found.append(_nudge("no_next_step", "No next step: set one so this contact is not lost."))
    run = unanswered_run(touches_newest_first)
    if run >= STOP_AFTER:
        if contact.value is not None and contact.value >= settings.high_value:
            found.append(
                _nudge(
                    "keep_going",
                    f"{run} unanswered in a row, but worth {contact.value:,.0f}: keep going.",
                )
            )
        else:
            found.append(
                _nudge(
                    "consider_stopping",
                    f"{run} unanswered touches in a row: consider asking whether to stop.",
                )
            )
    if run >= SWITCH_AFTER:
        recent = touches_newest_first[:run]
        tried = recent[0].channel
        same = 0
        for touch in recent:
            if touch.channel != tried:
                break
            same += 1
        if same >= SWITCH_AFTER:
            found.append(_nudge("switch_channel", switch_text(contact, tried, same, proven)))
    if contact.next_step.strip() and is_vague(contact.next_step, names=[contact.name]):
        found.append(_vague_nudge())
    return found


VAGUE_TEXT = "A vague check-in: give a specific reason (send the proposal, ask about the budget)."

# What each marker means, in a few words (the help screen's legend).
MEANING: dict[str, str] = {
    "no_next_step": "no next step (no step, or no date): set one",
    "consider_stopping": "many unanswered: ask whether to stop",
    "keep_going": "many unanswered, but high value: keep going",
    "switch_channel": "unanswered on one channel: try another",
    "vague": "vague check-in: give a specific reason",
    "too_soon": "follow-up set too soon after no reply",
}


def _vague_nudge() -> Nudge:
    return _nudge("vague", VAGUE_TEXT)


def next_step_warnings(
    next_step: str,
    next_due: date | None,
    touches_newest_first: Sequence[Touch],
    today: date,
    *,
    this_outcome: str | None = None,
    this_direction: Direction = "out",
    name: str = "",
) -> list[Nudge]:
    """Gentle warnings for a next step being set; never a block.

    With `this_outcome`, the touch being logged now (at `today`, going `this_direction`)
    is the latest touch; otherwise the newest of `touches_newest_first`. `name` (the
    contact's) is not counted as a specific word when judging vagueness.
    """
    found: list[Nudge] = []
    if next_step.strip() and is_vague(next_step, names=[name]):
        found.append(_vague_nudge())
    if next_due is None:
        return found
    latest: tuple[date, str, str] | None = None
    if this_outcome is not None:
        latest = (today, this_direction, this_outcome)
    elif touches_newest_first:
        newest = touches_newest_first[0]
        latest = (newest.at.date(), newest.direction, newest.outcome)
    if latest is not None:
        day, direction, outcome = latest
        gap = (next_due - day).days
        if direction == "out" and outcome in ("no-reply", "waiting") and gap < MIN_GAP_DAYS:
            found.append(
                _nudge(
                    "too_soon",
                    "Leave about a week between unanswered follow-ups: this one is "
                    f"{_days(gap)} after the last touch, which had no reply yet.",
                )
            )
    return found


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
