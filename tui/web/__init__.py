"""`followup web`: the dashboard in a browser (textual-serve, one app process per tab),
made safe to leave running on a box with your contacts, and a live calendar feed.

- `secrets`: the token and the feed key, random, kept 0600 beside the database;
- `auth`: the token exchanged for a cookie, 403 for the rest, the Origin check on `/ws`;
- `sessions`: at most N app processes, each ended within 5 s of its websocket closing;
- `feed`: `/calendar.ics?key=...`, the ICS export with a morning alarm;
- `page`: the page itself (offline fonts, viewport meta, `?fontsize=`);
- `server`: the routes put together, `serve` runs them until interrupted.

Imported by the `web` command only: the rest of the command line never loads aiohttp.
"""
