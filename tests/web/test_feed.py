"""The calendar feed is `followup export --format ics` byte for byte, plus one VALARM in
each event at 09:00 the morning it is due."""

from __future__ import annotations

import re

from icalendar import Calendar

from store.exporting import export
from tests.conftest import Env
from tui.web.feed import feed

ALARM = re.compile(rb"BEGIN:VALARM\r\n.*?END:VALARM\r\n", re.S)


def test_the_feed_is_the_export_plus_a_morning_alarm(tmp_store: Env) -> None:
    exported = export(tmp_store.store, "ics")
    served = feed(tmp_store.store)
    assert ALARM.sub(b"", served) == exported  # same events, UIDs, folding, line ends
    assert all(len(line) <= 75 for line in served.split(b"\r\n"))
    events = Calendar.from_ical(served).walk("VEVENT")
    assert len(events) == 4
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        due = event.decoded("DTSTART")
        assert alarm.decoded("TRIGGER").total_seconds() == 9 * 3600  # 09:00 on `due`
        assert alarm["TRIGGER"].params["RELATED"] == "START"
        assert str(alarm["DESCRIPTION"]).startswith("Follow up: ")
        assert due is not None
