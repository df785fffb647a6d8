"""App processes under `followup web` (the real command, real app processes): at most
N at once and a page saying so for one more; keys typed in two tabs both reach the
database through the store's lock; a closed tab's process gone within 5 s; every one
gone when the server stops. Counted from /proc, waited for with a bound."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import Env
from tests.paths import ROOT
from tests.web.server_proc import WebServer, alive, start, until
from tui.web.auth import COOKIE
from tui.web.sessions import END_WITHIN

pytestmark = pytest.mark.slow
FIRST_FRAME = 30.0  # seconds an app process may take to draw (a loaded 2-core machine)


@pytest.fixture
def server(tmp_store: Env) -> Iterator[WebServer]:
    web = start(tmp_store.path, "--sessions", "2")
    try:
        yield web
    finally:
        web.stop()


@pytest.fixture
async def http(server: WebServer) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Cookie": f"{COOKIE}={server.token}", "Origin": server.origin}
    async with aiohttp.ClientSession(headers=headers) as session:
        yield session


class Tab:
    """One browser tab's websocket, as textual.js speaks it."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.screen = b""

    async def shows(self, text: bytes, within: float = FIRST_FRAME) -> None:
        deadline = time.monotonic() + within
        while text not in self.screen:
            message = await self.socket.receive(timeout=max(0.1, deadline - time.monotonic()))
            assert message.type == aiohttp.WSMsgType.BINARY, message
            self.screen += message.data

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.socket.send_json(["stdin", key])


async def open_tab(http: aiohttp.ClientSession, server: WebServer) -> Tab:
    socket = await http.ws_connect(server.base + "/ws?width=100&height=30")
    tab = Tab(socket)
    await tab.shows(b"Anna Berg")
    return tab


async def test_capped_written_through_the_lock_and_ended(
    server: WebServer, http: aiohttp.ClientSession, tmp_store: Env
) -> None:
    first = await open_tab(http, server)
    (first_pid,) = server.app_pids()
    second = await open_tab(http, server)
    assert len(server.app_pids()) == 2

    # one more: a page that says so, and no third process
    page = await http.get(server.base + "/")
    assert page.status == 503 and "All 2 sessions are in use" in await page.text()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(server.base + "/ws")
    assert refused.value.status == 503
    assert len(server.app_pids()) == 2

    # a touch logged in each tab (t, e for email, enter): both are on disk
    anna = tmp_store.uid("Anna Berg")
    before = len(tmp_store.store.touches(anna))
    emails = sum(t.channel == "email" for t in tmp_store.store.touches(anna))
    await first.keys("t", "e", "\r")
    await second.keys("t", "e", "\r")

    def logged() -> bool:
        tmp_store.store.sync()
        return len(tmp_store.store.touches(anna)) == before + 2

    await until(logged, FIRST_FRAME, "both touches in the database")
    assert sum(t.channel == "email" for t in tmp_store.store.touches(anna)) == emails + 2

    # a closed tab: its process ended within END_WITHIN seconds, its place free again
    await first.socket.close()
    closed = time.monotonic()
    await until(lambda: not alive(first_pid), END_WITHIN + 1, "the closed tab's process ended")
    assert time.monotonic() - closed <= END_WITHIN
    assert len(server.app_pids()) == 1
    await until(lambda: _status(http, server.base + "/", 200), 5, "a place free for a new tab")

    # the server stopped: every app process with it
    (left,) = server.app_pids()
    assert server.stop() == 0
    assert not alive(left)


async def _status(http: aiohttp.ClientSession, url: str, expected: int) -> bool:
    async with http.get(url) as response:
        return response.status == expected


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "f.json"), "web",
             "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.startswith(f"followup: can't listen on 127.0.0.1:{port}")
    assert run.stderr.count("\n") == 1 and run.stdout == ""
