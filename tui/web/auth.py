"""Who may use the web view: an aiohttp middleware in front of every route.

- `?token=T` with the right token (compared in constant time) is answered with an
  HttpOnly, SameSite=Strict cookie and a redirect to the same URL without the token,
  so it leaves the address bar and the history; a wrong token is 403.
- Every other request needs that cookie, else 403: the page, `/ws`, `/static` (never
  listed), the downloads. The calendar feed alone is let through: it checks its own key
  (a calendar app carries no cookie) and the key opens nothing else.
- `/ws` also needs an Origin that is the server's own (the address the browser used, or
  `--public-url`): a page on another site, or on another port of this host, can't open
  a session with the user's cookie (cross-site websocket hijacking).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

COOKIE = "followup_web"
FEED_PATH = "/calendar.ics"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def same(given: str, secret: str) -> bool:
    """Constant-time comparison of a secret the client sent with ours."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode())


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(request: web.Request, public_url: str | None) -> set[str]:
    """The origins of the server itself: as the browser reached it, and its public URL."""
    own = {f"{request.scheme}://{request.host}".lower()}
    if public_url:
        own.add(origin_of(public_url))
    return own


def forbidden(text: str = "forbidden") -> web.HTTPForbidden:
    return web.HTTPForbidden(text=f"{text}\n")


def middleware(token: str, public_url: str | None) -> Callable[..., Awaitable[web.StreamResponse]]:
    secure = (public_url or "").startswith("https:")  # the cookie then goes over TLS only

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == FEED_PATH:
            return await handler(request)  # the feed checks its own key
        given = request.query.get("token")
        if given is not None:
            if not same(given, token):
                raise forbidden("wrong token")
            raise _exchange(request, token, secure=secure)
        cookie = request.cookies.get(COOKIE)
        if cookie is None or not same(cookie, token):
            raise forbidden("open the address with ?token= that followup web printed")
        if request.path == "/ws":
            origin = request.headers.get("Origin", "").lower()
            if origin not in allowed_origins(request, public_url):
                raise forbidden("foreign origin")
        return await handler(request)

    return check


def _exchange(request: web.Request, token: str, *, secure: bool) -> web.HTTPFound:
    """The token for a cookie, and the same address without the token."""
    query = request.rel_url.query.copy()
    query.popall("token", None)
    target = request.rel_url.with_query(query)
    response = web.HTTPFound(location=str(target))
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="Strict", path="/", secure=secure or None
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
