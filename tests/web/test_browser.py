"""`followup web` in a real browser: Debian's Chromium driven by Playwright (never a
downloaded browser). The page with the token shows the board, keys pressed in the page
log a touch the database then holds, no token / a wrong token / a foreign Origin are
refused, and closing the page ends its app process.

Without Chromium these tests are skipped with one line saying how to install it;
`FOLLOWUP_BROWSER_TESTS=required` (set by .ci/run) makes that a failure."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.conftest import Env
from tests.web.server_proc import CHROMIUM, WebServer, alive, start, until
from tests.web.server_proc import CHROMIUM_ARGS as ARGS
from tui.web.auth import COOKIE
from tui.web.sessions import END_WITHIN

FIRST_FRAME = 30.0


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"browser tests skipped: no {CHROMIUM} (install: apt-get install chromium)"
    return None


if (missing := _missing()) is not None:
    if os.environ.get("FOLLOWUP_BROWSER_TESTS", "") == "required":
        pytest.fail(f"FOLLOWUP_BROWSER_TESTS=required, but {missing}", pytrace=False)
    pytest.skip(missing, allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_store: Env) -> Iterator[WebServer]:
    web = start(tmp_store.path)
    try:
        yield web
    finally:
        web.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        chromium = await driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def test_the_board_in_a_browser_logs_a_touch_and_ends_with_the_page(
    server: WebServer, browser: Any, tmp_store: Env
) -> None:
    context = await browser.new_context(viewport={"width": 1000, "height": 700})
    page = await context.new_page()
    received: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", _keep(received)))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))

    await page.goto(f"{server.base}/?token={server.token}")
    assert page.url == f"{server.base}/"  # the token left the address bar
    await page.wait_for_selector("body.-first-byte", timeout=FIRST_FRAME * 1000)
    await until(lambda: b"Anna Berg" in b"".join(received), FIRST_FRAME, "the board drawn")
    (pid,) = server.app_pids()
    # offline-safe: every request went to the server itself, the bundled font among them
    assert asked and all(
        url.startswith((server.base, server.base.replace("http", "ws"))) for url in asked
    ), asked
    assert any(url.endswith("/static/fonts/RobotoMono-VariableFont_wght.ttf") for url in asked)
    assert await page.evaluate("document.fonts.check('16px \"Roboto Mono\"')")

    anna = tmp_store.uid("Anna Berg")
    emails = sum(t.channel == "email" for t in tmp_store.store.touches(anna))
    await page.focus(".xterm-helper-textarea")
    for key in ("t", "e", "Enter"):  # one after another, no wait for the dialog
        await page.keyboard.press(key)

    def logged() -> bool:
        tmp_store.store.sync()
        return sum(t.channel == "email" for t in tmp_store.store.touches(anna)) == emails + 1

    await until(logged, FIRST_FRAME, "the touch typed in the page is in the database")

    await page.close()
    await until(lambda: not alive(pid), END_WITHIN + 1, "the app process ended with its page")
    await context.close()


async def test_a_phone_gets_its_own_width(server: WebServer, browser: Any) -> None:
    """The viewport meta: a phone lays the page out at its width (without it, at 980 px:
    about 104 columns of tiny text); `?fontsize=` is kept through the token exchange."""
    context = await browser.new_context(
        viewport={"width": 390, "height": 760}, is_mobile=True, has_touch=True
    )
    page = await context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    await page.goto(f"{server.base}/?token={server.token}&fontsize=14")
    assert page.url == f"{server.base}/?fontsize=14"
    await until(lambda: bool(sockets), FIRST_FRAME, "the page opened its websocket")
    query = parse_qs(urlsplit(sockets[0]).query)
    assert 30 <= int(query["width"][0]) < 60, sockets[0]  # not 104
    await context.close()


async def test_refused_in_a_browser(server: WebServer, browser: Any) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    for url in (f"{server.base}/", f"{server.base}/?token=wrong"):
        response = await page.goto(url)
        assert response is not None and response.status == 403, url
    # the cookie (without opening the board), then a page of another origin on the same
    # host (the same site: the browser sends the cookie along) tries to open a session
    exchanged = await context.request.get(f"{server.base}/?token={server.token}", max_redirects=0)
    assert exchanged.status == 302
    assert any(c["name"] == COOKIE for c in await context.cookies(server.base))
    elsewhere = web.Application()
    elsewhere.router.add_get("/", _elsewhere)
    async with TestServer(elsewhere, host="127.0.0.1") as foreign:
        await page.goto(str(foreign.make_url("/")))
        opened = await page.evaluate(
            """url => new Promise(done => {
                const socket = new WebSocket(url);
                socket.onopen = () => { socket.close(); done("open"); };
                socket.onerror = () => done("refused");
            })""",
            server.base.replace("http:", "ws:") + "/ws",
        )
    assert opened == "refused"
    assert server.app_pids() == set()
    await context.close()


async def _elsewhere(_request: web.Request) -> web.Response:
    return web.Response(text="<html>another site on this host</html>", content_type="text/html")


def _keep(received: list[bytes]) -> Any:
    def on_frame(payload: bytes | str) -> None:
        received.append(payload if isinstance(payload, bytes) else payload.encode())

    return on_frame
