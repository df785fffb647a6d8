"""`/calendar.ics?key=...`: the ICS export served live, for a phone's calendar to subscribe.

The same events, UIDs and folding as `followup export --format ics` (one function makes
both), each with a reminder at 09:00 the morning it is due. The key is its own secret:
the token does not open the feed, the key opens nothing else.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from store.errors import FollowupError
from tui.web.auth import forbidden, same

if TYPE_CHECKING:
    from store.store import Store

MORNING = timedelta(hours=9)  # the reminder, after the start of the day it is due


def handler(store: Store, key: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    one_at_a_time = asyncio.Lock()  # the store is read by one thread at a time

    async def calendar(request: web.Request) -> web.Response:
        given = request.query.get("key")
        if given is None or not same(given, key):
            raise forbidden("wrong or missing key")
        try:
            async with one_at_a_time:  # in a thread: the tabs' keys and frames keep flowing
                body = await asyncio.to_thread(feed, store)
        except FollowupError as error:  # locked too long, damaged: one line, try again later
            line = " ".join(str(error).split())
            sys.stderr.write(f"followup: calendar feed: {line}\n")
            raise web.HTTPServiceUnavailable(text=f"{line}\n") from None
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    return calendar


def feed(store: Store) -> bytes:
    """The calendar as it is on disk now (another process may have written since)."""
    from store.exporting import to_ics

    store.sync()
    return to_ics(store, alarm_after=MORNING)
