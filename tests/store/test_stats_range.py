"""Stats name a best channel only on evidence (#25 point 3): each channel's 95% Wilson
score range, and a best channel only when its range clears every other's."""

from __future__ import annotations

import pytest

from store.rules.stats import ChannelStats, best_channel, range_text, verdict, wilson


@pytest.mark.parametrize(
    ("answered", "sent", "low", "high"),
    [
        (3, 5, 0.2307, 0.8824),  # "3 of 5 is anywhere from 23% to 88%"
        (5, 5, 0.5655, 1.0),
        (0, 3, 0.0, 0.5615),
        (50, 100, 0.4038, 0.5962),
    ],
)
def test_wilson_range(answered: int, sent: int, low: float, high: float) -> None:
    found = wilson(answered, sent)
    assert found is not None
    assert found == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))


def test_nothing_sent_has_no_range() -> None:
    assert wilson(0, 0) is None
    assert ChannelStats("call", 0, 0).to_json()["rate_low"] is None
    assert range_text(ChannelStats("call", 0, 0)) == "-"


def test_five_of_five_is_not_best() -> None:
    rows = [ChannelStats("meeting", 5, 5), ChannelStats("call", 20, 8)]
    assert best_channel(rows) is None
    assert "too few to tell" in verdict(rows)


def test_a_range_that_clears_the_others_is_best() -> None:
    rows = [
        ChannelStats("call", 60, 45),
        ChannelStats("email", 60, 10),
        ChannelStats("text", 40, 12),
        ChannelStats("letter", 0, 0),  # never tried: no evidence either way
    ]
    best = best_channel(rows)
    assert best is not None and best.channel == "call"
    assert verdict(rows) == "Best channel: call, answered 63-84% (clear of the others)"


def test_one_channel_alone_is_never_best() -> None:
    assert best_channel([ChannelStats("call", 500, 400), ChannelStats("email", 0, 0)]) is None


def test_json_has_the_range() -> None:
    doc = ChannelStats("call", 5, 3).to_json()
    assert doc["rate"] == 0.6
    assert doc["rate_low"] == pytest.approx(0.2307, abs=1e-4)
    assert doc["rate_high"] == pytest.approx(0.8824, abs=1e-4)


# -- the "try another channel" nudge uses the same evidence ------------------------------


def _nudge_text(proven_rows: list[ChannelStats], preferred: str | None = None) -> str:
    from datetime import timedelta

    from store.model import Settings
    from store.rules.nudges import nudges_for
    from store.rules.stats import proven_channel
    from tests.factories import TODAY, at, make_contact, make_touch

    touches = [
        make_touch(at=at(TODAY - timedelta(days=7 * i)), channel="email", outcome="waiting")
        for i in range(3)
    ]
    asked: list[bool] = []

    def proven() -> tuple[str, str] | None:
        asked.append(True)
        return proven_channel(proven_rows)

    contact = make_contact(next_due=TODAY, channel=preferred)
    found = nudges_for(contact, touches, Settings(), TODAY, proven)  # type: ignore[arg-type]
    assert asked == [True]  # asked once, only because the nudge is due
    return next(n.text for n in found if n.kind == "switch_channel")


def test_the_nudge_names_the_channel_the_stats_prove() -> None:
    rows = [ChannelStats("call", 60, 45), ChannelStats("email", 60, 10)]
    text = _nudge_text(rows, preferred="text")
    assert text == "3 unanswered emails in a row: try a call instead (call gets answered 63-84%)."


def test_without_evidence_the_nudge_claims_nothing() -> None:
    rows = [ChannelStats("meeting", 5, 5), ChannelStats("email", 20, 8)]
    text = _nudge_text(rows, preferred="text")
    assert text == "3 unanswered emails in a row: try a text instead."


def test_a_tally_kept_contact_by_contact_is_the_stats_of_every_touch() -> None:
    from datetime import timedelta

    from store.rules.stats import ChannelTally, channel_stats
    from tests.factories import TODAY, at, make_contact, make_touch

    anna, ben = make_contact(name="Anna"), make_contact(name="Ben")
    waiting = make_touch(contact=anna, channel="email", outcome="waiting", at=at(TODAY))
    reply = make_touch(
        contact=anna, channel="call", direction="in", outcome="reached",
        at=at(TODAY + timedelta(days=3)),
    )  # fmt: skip
    # Ben's reply answers none of Anna's emails: answers never cross contacts
    ben_waiting = make_touch(contact=ben, channel="email", outcome="waiting", at=at(TODAY))
    anna_touches = [waiting, reply]
    ben_touches = [ben_waiting, make_touch(contact=ben, channel="call", outcome="no-reply")]

    tally = ChannelTally()
    tally.count(anna.uid, anna_touches)
    tally.count(ben.uid, ben_touches)
    assert tally.stats() == channel_stats([*anna_touches, *ben_touches])
    email = next(row for row in tally.stats() if row.channel == "email")
    assert (email.sent, email.answered) == (2, 1)

    later = make_touch(contact=ben, channel="call", direction="in", outcome="reached",
                       at=at(TODAY + timedelta(days=1)))  # fmt: skip
    tally.count(ben.uid, [*ben_touches, later])  # Ben counted again alone
    assert tally.stats() == channel_stats([*anna_touches, *ben_touches, later])
    tally.forget(anna.uid)
    assert tally.stats() == channel_stats([*ben_touches, later])
