"""The page a browser tab gets: textual-serve's terminal (its textual.js and xterm.css),
with what a box without internet access and a phone need.

- the bundled Roboto Mono declared with `@font-face` and served from `/static`: no
  outside host, offline every glyph stays;
- a viewport meta, so a phone lays the page out at its own width, not at 980 px;
- `?fontsize=N` (8-40, default 16) kept, for a small screen;
- the websocket at the address the browser used (so `ssh -L` works), or `--public-url`.
"""

from __future__ import annotations

import html
from importlib.resources import files
from string import Template

from aiohttp import web

DEFAULT_FONT_SIZE = 16
FONT_SIZES = range(8, 41)

_PAGE = Template(files("tui.web").joinpath("page.html").read_text("utf-8"))
_FULL = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>followup: all sessions in use</title></head>
<body style="font-family: monospace; background: #0c181f; color: #eee; padding: 2em">
<p>All {limit} sessions are in use. Close another followup tab, then reload this page.</p>
</body></html>
"""


def font_size(request: web.Request) -> int:
    try:
        size = int(request.query.get("fontsize", DEFAULT_FONT_SIZE))
    except ValueError:
        return DEFAULT_FONT_SIZE
    return size if size in FONT_SIZES else DEFAULT_FONT_SIZE


def websocket_url(request: web.Request, public_url: str | None) -> str:
    base = public_url.rstrip("/") if public_url else f"{request.scheme}://{request.host}"
    scheme, rest = base.split(":", 1)
    return ("wss:" if scheme == "https" else "ws:") + rest + "/ws"


def static_url(public_url: str | None) -> str:
    return (public_url.rstrip("/") if public_url else "") + "/static/"


def index(request: web.Request, public_url: str | None) -> web.Response:
    body = _PAGE.substitute(
        static=html.escape(static_url(public_url)),
        websocket=html.escape(websocket_url(request, public_url)),
        font_size=font_size(request),
    )
    return web.Response(text=body, content_type="text/html", headers=_NO_STORE)


def full(limit: int) -> web.Response:
    return web.Response(
        text=_FULL.format(limit=limit), status=503, content_type="text/html", headers=_NO_STORE
    )


_NO_STORE = {"Cache-Control": "no-store"}
