"""Nudges: vague next steps, unanswered runs, switching channel, stopping, spacing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.model import Settings, Touch
from store.rules.nudges import (
    Nudge,
    is_vague,
    next_step_warnings,
    nudges_for,
    suggest_channel,
    unanswered_run,
)
from tests.factories import TODAY, at, make_contact, make_touch

SETTINGS = Settings()  # high value: 10,000


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def history(*specs: str) -> list[Touch]:
    """Touches newest first from "channel/outcome[/in]" specs, a week apart, from today."""
    touches = []
    for i, spec in enumerate(specs):
        channel, outcome, *rest = spec.split("/")
        touches.append(
            make_touch(
                at=at(days_ago(7 * i)),
                channel=channel,
                outcome=outcome,
                direction="in" if rest == ["in"] else "out",
            )
        )
    return touches


def kinds(nudges: list[Nudge]) -> list[str]:
    return [n.kind for n in nudges]


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("touch base", True),
        ("Touch base!", True),
        ("Just following up", True),
        ("just following up...", True),
        ("Follow up", True),
        ("follow-up", True),
        ("Check in", True),
        ("check-in with her", True),
        ("Checking in to see how things are going", True),
        ("Circle back", True),
        ("circle back with them again", True),
        ("Ping", True),
        ("Ping Anna", True),
        ("catch up", True),
        ("Reach out", True),
        ("CHECK IN.", True),
        ("Send the pricing deck", False),
        ("Check in about the Q3 contract renewal", False),
        ("Follow up on the signed proposal", False),
        ("Ping Anna about the pricing deck", False),
        ("Book a demo for Thursday", False),
        ("Check invoice numbers", False),
        ("Ping-pong tournament sponsorship", False),
        ("", False),
    ],
)
def test_is_vague(text: str, vague: bool) -> None:
    assert is_vague(text) is vague


@pytest.mark.parametrize(
    ("text", "names", "vague"),
    [
        ("Follow up with Anna Berg", [], False),  # two words of 3+ letters remain
        ("Follow up with Anna Berg", ["Anna Berg"], True),
        ("Check in with Anna re budget", ["Anna Berg"], True),
        ("Check in with Anna re budget and timeline", ["Anna Berg"], False),
    ],
)
def test_is_vague_ignores_the_contact_s_name(text: str, names: list[str], vague: bool) -> None:
    assert is_vague(text, names=names) is vague


@pytest.mark.parametrize(
    ("specs", "run"),
    [
        ((), 0),
        (("email/waiting",), 1),
        (("email/no-reply", "call/no-reply", "email/waiting"), 3),
        (("email/waiting", "call/reached", "email/no-reply"), 1),
        (("email/waiting", "email/waiting", "email/waiting/in", "call/no-reply"), 2),
        (("call/reached", "email/waiting"), 0),
        (("email/reached/in",), 0),
    ],
)
def test_unanswered_run(specs: tuple[str, ...], run: int) -> None:
    assert unanswered_run(history(*specs)) == run


UNANSWERED_3_EMAILS = ("email/waiting", "email/no-reply", "email/waiting", "call/reached")


@pytest.mark.parametrize(
    ("preferred", "tried", "suggested"),
    [
        (None, "email", "call"),
        (None, "call", "email"),
        ("text", "email", "text"),
        ("email", "email", "call"),
        ("letter", "call", "letter"),
        ("call", "call", "email"),
    ],
)
def test_suggest_channel(preferred: str | None, tried: str, suggested: str) -> None:
    assert suggest_channel(make_contact(channel=preferred), tried) == suggested


@pytest.mark.parametrize(
    ("contact_fields", "specs", "expected_kinds", "phrase"),
    [
        pytest.param({"next_due": TODAY}, (), [], None, id="nothing-to-say"),
        pytest.param({"next_due": None}, (), ["no_next_step"], "No next step", id="no-next-step"),
        pytest.param(
            {"next_due": TODAY, "next_step": " "},
            (),
            ["no_next_step"],
            "No next step",
            id="a-date-with-nothing-to-do",
        ),
        pytest.param(
            {"next_due": TODAY, "channel": "text"},
            UNANSWERED_3_EMAILS,
            ["switch_channel"],
            "3 unanswered emails in a row: try a text instead.",
            id="switch-to-preferred",
        ),
        pytest.param(
            {"next_due": TODAY, "channel": "email"},
            UNANSWERED_3_EMAILS,
            ["switch_channel"],
            "try a call instead",
            id="switch-preferred-is-the-same",
        ),
        pytest.param(
            {"next_due": TODAY},
            ("email/waiting", "call/no-reply", "email/waiting", "email/waiting"),
            [],
            None,
            id="three-unanswered-on-mixed-channels",
        ),
        pytest.param(
            {"next_due": TODAY},
            ("call/no-reply", "call/no-reply", "email/reached/in", "call/no-reply"),
            [],
            None,
            id="two-then-a-reply",
        ),
        pytest.param(
            {"next_due": TODAY},
            ("call/no-reply", "email/waiting", "text/waiting", "call/no-reply", "email/waiting"),
            ["consider_stopping"],
            "5 unanswered touches in a row: consider asking whether to stop.",
            id="consider-stopping",
        ),
        pytest.param(
            {"next_due": TODAY, "value": 10_000.0},
            ("call/no-reply", "email/waiting", "text/waiting", "call/no-reply", "email/waiting"),
            ["keep_going"],
            "worth 10,000: keep going",
            id="high-value-keep-going",
        ),
        pytest.param(
            {"next_due": TODAY, "value": 9_999.0},
            ("call/no-reply", "email/waiting", "text/waiting", "call/no-reply", "email/waiting"),
            ["consider_stopping"],
            "consider asking",
            id="just-below-high-value",
        ),
        pytest.param(
            {"next_due": None},
            ("email/waiting",) * 6,
            ["no_next_step", "consider_stopping", "switch_channel"],
            "6 unanswered emails in a row",
            id="all-at-once",
        ),
        pytest.param(
            {"next_due": TODAY, "next_step": "Touch base with Anna", "name": "Anna Berg"},
            (),
            ["vague"],
            "specific reason",
            id="vague-next-step",
        ),
        pytest.param(
            {"next_due": None, "status": "dropped"},
            ("email/waiting",) * 6,
            [],
            None,
            id="dropped-gets-none",
        ),
        pytest.param(
            {"next_due": None, "do_not_contact": True},
            ("email/waiting",) * 6,
            [],
            None,
            id="do-not-contact-gets-none",
        ),
    ],
)
def test_nudges_for(
    contact_fields: dict[str, object],
    specs: tuple[str, ...],
    expected_kinds: list[str],
    phrase: str | None,
) -> None:
    contact = make_contact(**{"next_step": "Send the signed copy", **contact_fields})
    nudges = nudges_for(contact, history(*specs), SETTINGS, TODAY)
    assert kinds(nudges) == expected_kinds
    if phrase is not None:
        assert any(phrase in n.text for n in nudges), [n.text for n in nudges]


def test_markers_are_short_ascii_and_distinct() -> None:
    contact = make_contact(next_due=None, next_step="ping", channel="call")
    nudges = nudges_for(contact, history(*("email/waiting",) * 5), SETTINGS, TODAY)
    markers = {n.kind: n.marker for n in nudges}
    assert markers == {
        "no_next_step": "!",
        "consider_stopping": "?",
        "switch_channel": "~",
        "vague": "*",
    }
    rich = make_contact(next_due=TODAY, next_step="Send the offer", value=50_000.0)
    assert [
        n.marker for n in nudges_for(rich, history(*("call/no-reply",) * 5), SETTINGS, TODAY)
    ] == ["$", "~"]
    for nudge in nudges:
        assert nudge.text.isascii() and 1 <= len(nudge.marker) <= 3


@pytest.mark.parametrize(
    ("next_step", "due_in", "specs", "this_outcome", "expected"),
    [
        pytest.param("Send the deck", 7, ("email/waiting",), None, [], id="a-week-is-fine"),
        pytest.param("Send the deck", 7, ("email/waiting",), "waiting", [], id="a-week-now"),
        pytest.param(
            "Send the deck", 6, ("email/waiting",), "no-reply", ["too_soon"], id="six-days-now"
        ),
        pytest.param("Send the deck", 2, (), "waiting", ["too_soon"], id="first-touch-too-soon"),
        pytest.param("Send the deck", 2, (), "reached", [], id="reached-now-any-date"),
        pytest.param("Send the deck", 2, ("call/no-reply",), "reached", [], id="reply-now"),
        pytest.param("Send the deck", 2, ("call/reached",), None, [], id="last-was-reached"),
        pytest.param(
            # The latest touch was today: 2 days after it is too soon.
            "Send the deck",
            2,
            ("email/waiting",),
            None,
            ["too_soon"],
            id="latest-waiting",
        ),
        pytest.param("Send the deck", None, ("email/waiting",), "waiting", [], id="no-date"),
        pytest.param("Touch base", 14, (), None, ["vague"], id="vague"),
        pytest.param("ping", 1, (), "no-reply", ["vague", "too_soon"], id="vague-and-too-soon"),
        pytest.param("", None, (), None, [], id="empty"),
    ],
)
def test_next_step_warnings(
    next_step: str,
    due_in: int | None,
    specs: tuple[str, ...],
    this_outcome: str | None,
    expected: list[str],
) -> None:
    due = None if due_in is None else TODAY + timedelta(days=due_in)
    warnings = next_step_warnings(next_step, due, history(*specs), TODAY, this_outcome=this_outcome)
    assert kinds(warnings) == expected


def test_too_soon_counts_from_the_latest_touch_s_date() -> None:
    touches = [make_touch(at=at(days_ago(3)), outcome="no-reply", channel="call")]
    # 3 days ago + 6 = 3 days from now: too soon; 3 days ago + 7: fine.
    warnings = next_step_warnings("Send the deck", TODAY + timedelta(days=3), touches, TODAY)
    assert kinds(warnings) == ["too_soon"]
    assert "Leave about a week between unanswered follow-ups" in warnings[0].text
    assert "6 days" in warnings[0].text
    assert next_step_warnings("Send the deck", TODAY + timedelta(days=4), touches, TODAY) == []


def test_an_inbound_touch_logged_now_is_not_unanswered() -> None:
    warnings = next_step_warnings(
        "Send the deck", TODAY, [], TODAY, this_outcome="waiting", this_direction="in"
    )
    assert warnings == []


def test_next_step_warnings_ignore_the_contact_s_name() -> None:
    assert kinds(next_step_warnings("Call Anna Berg", None, [], TODAY)) == []
    assert kinds(next_step_warnings("Check in with Anna Berg", None, [], TODAY)) == []
    assert kinds(
        next_step_warnings("Check in with Anna Berg", None, [], TODAY, name="Anna Berg")
    ) == ["vague"]
