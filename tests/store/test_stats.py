"""Channel success rates and a contact's summary."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from store.model import CHANNELS, Touch
from store.rules.stats import ChannelStats, ContactSummary, channel_stats, summarize
from tests.factories import NOW, make_touch

ANNA, BEN = "contact-anna", "contact-ben"


def touch(
    days: float,
    channel: str = "email",
    outcome: str = "waiting",
    *,
    who: str = ANNA,
    inbound: bool = False,
) -> Touch:
    return make_touch(
        contact_uid=who,
        at=NOW + timedelta(days=days),
        channel=channel,
        outcome=outcome,
        direction="in" if inbound else "out",
    )


def row(stats: list[ChannelStats], channel: str) -> tuple[int, int]:
    found = next(s for s in stats if s.channel == channel)
    return found.sent, found.answered


@pytest.mark.parametrize(
    ("touches", "email"),
    [
        pytest.param([], (0, 0), id="nothing"),
        pytest.param([touch(0, outcome="reached")], (1, 1), id="reached"),
        pytest.param([touch(0, outcome="no-reply")], (1, 0), id="no-reply"),
        pytest.param([touch(0)], (1, 0), id="waiting-alone"),
        pytest.param([touch(0), touch(13, inbound=True)], (1, 1), id="inbound-13-days-later"),
        pytest.param([touch(0), touch(15, inbound=True)], (1, 0), id="inbound-15-days-later"),
        pytest.param([touch(0), touch(14, "call", "reached")], (1, 1), id="reached-14-days-later"),
        pytest.param([touch(0), touch(14.01, "call", "reached")], (1, 0), id="just-after-14-days"),
        pytest.param([touch(0), touch(3, "call", "no-reply")], (1, 0), id="no-reply-follows"),
        pytest.param([touch(0), touch(3, who=BEN, inbound=True)], (1, 0), id="other-contact"),
        pytest.param([touch(0), touch(0, inbound=True)], (1, 0), id="same-instant-not-after"),
        pytest.param([touch(-1, inbound=True), touch(0)], (1, 0), id="reply-before"),
        pytest.param(
            [touch(0), touch(2), touch(4), touch(20, inbound=True), touch(10, inbound=True)],
            (3, 3),
            id="one-reply-answers-every-waiting-touch-before-it",
        ),
        pytest.param(
            [touch(0), touch(10), touch(30, inbound=True)],
            (2, 0),
            id="late-reply-answers-none",
        ),
        pytest.param([touch(0, outcome="reached", inbound=True)], (0, 0), id="inbound-not-sent"),
        pytest.param(
            # A waiting touch 1 hour before in another offset, answered within the window.
            [
                make_touch(
                    contact_uid=ANNA,
                    at=datetime(2026, 11, 24, 10, 30, tzinfo=timezone(timedelta(hours=2))),
                ),
                touch(0, inbound=True),
            ],
            (1, 1),
            id="offsets-compared-as-moments",
        ),
    ],
)
def test_channel_stats_email_row(touches: list[Touch], email: tuple[int, int]) -> None:
    assert row(channel_stats(touches), "email") == email


def test_channel_stats_has_a_row_per_channel_in_model_order() -> None:
    stats = channel_stats(
        [
            touch(0, "call", "reached"),
            touch(1, "call", "no-reply"),
            touch(2, "call", "no-reply"),
            touch(3, "call", "reached"),
            touch(4, "meeting", "reached"),
            touch(5, "text"),
            touch(6, "text", inbound=True),
        ]
    )
    assert [s.channel for s in stats] == list(CHANNELS)
    assert [(s.channel, s.sent, s.answered, s.rate) for s in stats] == [
        ("call", 4, 2, 0.5),
        ("email", 0, 0, None),
        ("text", 1, 1, 1.0),
        ("meeting", 1, 1, 1.0),
        ("letter", 0, 0, None),
        ("social", 0, 0, None),
        ("other", 0, 0, None),
    ]


@pytest.mark.parametrize(
    ("sent", "answered", "rate"), [(0, 0, None), (4, 1, 0.25), (3, 3, 1.0), (5, 0, 0.0)]
)
def test_rate(sent: int, answered: int, rate: float | None) -> None:
    assert ChannelStats("call", sent, answered).rate == rate


def test_to_json() -> None:
    assert ChannelStats("email", 4, 1).to_json() == {
        "channel": "email",
        "sent": 4,
        "answered": 1,
        "rate": 0.25,
        "rate_low": pytest.approx(0.0456, abs=1e-4),
        "rate_high": pytest.approx(0.6994, abs=1e-4),
    }


def test_fifty_thousand_touches() -> None:
    rng = random.Random(7)
    touches = [
        make_touch(
            contact_uid=f"c{rng.randrange(5000)}",
            at=NOW - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
            channel=rng.choice(CHANNELS),
            outcome=rng.choice(("reached", "no-reply", "waiting")),
            direction="in" if rng.random() < 0.1 else "out",
        )
        for _ in range(50_000)
    ]
    stats = channel_stats(touches)
    assert sum(s.sent for s in stats) == sum(1 for t in touches if t.direction == "out")
    assert all(0 <= s.answered <= s.sent for s in stats)


@pytest.mark.parametrize(
    ("touches", "expected"),
    [
        pytest.param([], ContactSummary(0, None, None, 0), id="empty"),
        pytest.param(
            [
                touch(3, "call", "no-reply"),
                touch(2),
                touch(1, inbound=True),
                touch(0, "call", "reached"),
            ],
            ContactSummary(4, NOW + timedelta(days=3), NOW + timedelta(days=1), 2),
            id="reply-then-two-unanswered",
        ),
        pytest.param(
            [touch(5, "call", "reached"), touch(1)],
            ContactSummary(2, NOW + timedelta(days=5), NOW + timedelta(days=5), 0),
            id="answered-last",
        ),
        pytest.param(
            [touch(2), touch(1, "call", "no-reply")],
            ContactSummary(2, NOW + timedelta(days=2), None, 2),
            id="never-answered",
        ),
    ],
)
def test_summarize(touches: list[Touch], expected: ContactSummary) -> None:
    assert summarize(touches) == expected
    assert summarize(iter(touches)) == expected
