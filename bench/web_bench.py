"""`followup web` budgets, side by side in one run (2 cores; Debian's Chromium, headless).

    python bench/web_bench.py [--rounds N] [--sessions N]

1. First frame: the time from opening the page in Chromium to the first frame drawn in
   it (textual.js marks the page `-first-byte` when the app's first output arrives),
   for the dashboard under `followup web` (the demo database; the token exchanged for
   the cookie on the way) against a bare Textual app (Header, Footer, three empty
   OptionLists) served by stock textual-serve. A fresh browser context each time; the
   two alternate; medians. Stock textual-serve's page asks an outside host for its
   font; that request is aborted at once (no network here), so it costs nothing.
   Budget: at most 1.5x.
2. Server memory over many sessions: websocket sessions (as textual.js opens them)
   opened, drawn and closed one after another; the server's resident memory after the
   first 5 and after all. Budget: flat (grows by under 10 % or 10 MB, the larger).
3. An app process against a terminal dashboard: resident memory of the app process of
   a session at 80x24, two seconds after its first frame, against `followup` on the same
   database in a tmux pane of 80x24, same settle time. Budget: at most 1.2x.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web.server_proc import CHROMIUM  # noqa: E402
from tests.web.server_proc import CHROMIUM_ARGS as ARGS  # noqa: E402

SETTLE = 2.0  # seconds after the first frame before memory is read


def _bare_app() -> None:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal
    from textual.widgets import Footer, Header, OptionList

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                yield OptionList()
                yield OptionList()
                yield OptionList()
            yield Footer()

    Bare().run()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def _stock_server(port: int) -> subprocess.Popen[bytes]:
    command = f"{sys.executable} {Path(__file__).resolve()} --bare-app"
    code = (
        "import sys\n"
        "from textual_serve.server import Server\n"
        f"Server({command!r}, host='127.0.0.1', port={port}).serve()\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _wait_http(url: str, within: float = 30.0) -> None:
    import aiohttp

    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(url) as response:
                    if response.status in (200, 403):
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} never answered")
            await asyncio.sleep(0.1)


async def _first_frame(browser: object, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1000, "height": 620})  # type: ignore[attr-defined]
    page = await context.new_page()
    await page.route("**/fonts.googleapis.com/**", lambda route: route.abort())
    started = time.perf_counter()
    await page.goto(url, wait_until="commit")
    await page.wait_for_selector("body.-first-byte", timeout=60_000, state="attached")
    took = time.perf_counter() - started
    await context.close()
    return took


async def first_frames(web: object, rounds: int) -> tuple[list[float], list[float]]:
    from playwright.async_api import async_playwright

    port = _free_port()
    stock = _stock_server(port)
    ours: list[float] = []
    bare: list[float] = []
    try:
        await _wait_http(f"http://127.0.0.1:{port}/")
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=ARGS
            )
            url = f"{web.base}/?token={web.token}"  # type: ignore[attr-defined]
            await _first_frame(browser, url)  # warm both (the OS's file cache, Chromium)
            await _first_frame(browser, f"http://127.0.0.1:{port}/")
            for _ in range(rounds):
                ours.append(await _first_frame(browser, url))
                await asyncio.sleep(1.0)  # the last app process ended
                bare.append(await _first_frame(browser, f"http://127.0.0.1:{port}/"))
                await asyncio.sleep(1.0)
            await browser.close()
    finally:
        stock.send_signal(signal.SIGINT)
        try:
            stock.wait(10)
        except subprocess.TimeoutExpired:
            stock.kill()
    return ours, bare


class Tab:
    def __init__(self, http: object, web: object) -> None:
        self.http, self.web = http, web

    async def open_and_draw(self, width: int = 80, height: int = 24) -> object:
        base = self.web.base  # type: ignore[attr-defined]
        socket_ = await self.http.ws_connect(f"{base}/ws?width={width}&height={height}")  # type: ignore[attr-defined]
        screen = b""
        while b"HOT" not in screen:
            message = await socket_.receive(timeout=60)
            screen += message.data if isinstance(message.data, bytes) else b""
        return socket_


async def sessions_memory(web: object, count: int) -> tuple[int, int]:
    import aiohttp

    from tests.web.server_proc import until

    headers = {"Cookie": f"followup_web={web.token}", "Origin": web.base}  # type: ignore[attr-defined]
    pid = web.proc.pid  # type: ignore[attr-defined]
    after_five = 0
    async with aiohttp.ClientSession(headers=headers) as http:
        for n in range(1, count + 1):
            socket_ = await Tab(http, web).open_and_draw()
            await socket_.close()  # type: ignore[attr-defined]
            await until(lambda: not web.app_pids(), 10, "the session's process ended")  # type: ignore[attr-defined]
            if n == 5:
                after_five = _rss_kb(pid)
    return after_five, _rss_kb(pid)


async def app_memory(web: object) -> int:
    import aiohttp

    headers = {"Cookie": f"followup_web={web.token}", "Origin": web.base}  # type: ignore[attr-defined]
    async with aiohttp.ClientSession(headers=headers) as http:
        socket_ = await Tab(http, web).open_and_draw(80, 24)
        await asyncio.sleep(SETTLE)
        (pid,) = web.app_pids()  # type: ignore[attr-defined]
        rss = _rss_kb(pid)
        await socket_.close()  # type: ignore[attr-defined]
    return rss


def terminal_memory(db: Path) -> int:
    """`followup` in a tmux pane of 80x24: its resident memory after its first screen."""
    name = f"webbench{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color"}
    command = f"{sys.executable} -m tui.cli --db {db}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", "-c", str(ROOT),
         command],
        check=True, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            shown = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            if "HOT" in shown:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the terminal dashboard never drew:\n{shown}")
            time.sleep(0.05)
        time.sleep(SETTLE)
        pane_pid = subprocess.run(
            ["tmux", "display-message", "-p", "-t", name, "#{pane_pid}"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        return _rss_kb(_python_of(int(pane_pid)))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)


def _python_of(pid: int) -> int:
    """The dashboard's own process: the pane's, or its child if a shell runs it."""
    from tests.web.server_proc import children

    if b"python" in Path(f"/proc/{pid}/cmdline").read_bytes():
        return pid
    (child,) = children(pid)
    return child


async def main(rounds: int, sessions: int) -> int:
    from tests.web.server_proc import start

    if not os.path.exists(CHROMIUM) or shutil.which("tmux") is None:
        print("web bench skipped: needs /usr/bin/chromium and tmux (apt-get install chromium tmux)")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "followup.json"
        _demo(db)
        web = start(db)
        try:
            ours, bare = await first_frames(web, rounds)
            five, after = await sessions_memory(web, sessions)
            app_kb = await app_memory(web)
        finally:
            web.stop()
        terminal_kb = terminal_memory(db)
    first_ours, first_bare = statistics.median(ours), statistics.median(bare)
    ratio = first_ours / first_bare
    grown = after - five
    flat = grown <= max(five * 0.10, 10 * 1024)
    memory_ratio = app_kb / terminal_kb
    print(f"first frame in Chromium, median of {rounds} (ours / stock textual-serve, bare app):")
    print(f"  followup web  {first_ours * 1000:7.0f} ms   {_list(ours)}")
    print(f"  bare, stock   {first_bare * 1000:7.0f} ms   {_list(bare)}")
    print(f"  ratio {ratio:.2f}x (budget 1.5x): {'ok' if ratio <= 1.5 else 'OVER'}")
    print(f"server memory over {sessions} sessions opened, drawn and closed:")
    print(f"  after 5: {five / 1024:.1f} MB, after {sessions}: {after / 1024:.1f} MB, "
          f"grown {grown / 1024:+.1f} MB: {'flat' if flat else 'GROWING'}")  # fmt: skip
    print("app process at 80x24 against the terminal dashboard (resident, after the first frame):")
    print(f"  web {app_kb / 1024:.1f} MB, terminal {terminal_kb / 1024:.1f} MB, "
          f"ratio {memory_ratio:.2f}x (budget 1.2x): "
          f"{'ok' if memory_ratio <= 1.2 else 'OVER'}")  # fmt: skip
    return 0 if ratio <= 1.5 and flat and memory_ratio <= 1.2 else 1


def _demo(db: Path) -> None:
    subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), "demo"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip


def _list(values: list[float]) -> str:
    return " ".join(f"{v * 1000:.0f}" for v in values)


if __name__ == "__main__":
    if sys.argv[1:] == ["--bare-app"]:
        _bare_app()
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=50)
    options = parser.parse_args()
    sys.exit(asyncio.run(main(options.rounds, options.sessions)))
