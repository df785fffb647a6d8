"""`followup web` run as the user runs it, in a process of its own, for the tests that
need real app processes: its address, token and feed key as it printed them, and the
app processes it has started (its children, read from /proc)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import NOW
from tests.helpers_proc import read_line
from tests.paths import ROOT


@dataclass
class WebServer:
    proc: subprocess.Popen[bytes]
    base: str
    token: str
    key: str
    db: Path
    lines: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return self.base

    def app_pids(self) -> set[int]:
        return children(self.proc.pid)

    def stop(self, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise


def children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start(db: Path, *args: str, env: dict[str, str] | None = None) -> WebServer:
    """`followup --db DB web --port 0 ARGS...`, once it has printed both lines."""
    environ = {**os.environ, "FOLLOWUP_NOW": NOW.isoformat(), **(env or {})}
    environ.pop("TEXTUAL_DRIVER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(db), "web", "--port", "0", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
        bufsize=0,
    )
    lines = [read_line(proc, 30.0), read_line(proc, 5.0)]
    if lines[0] is None or lines[1] is None:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"followup web printed {lines!r}; stderr:\n{err.decode()}")
    opened, feed = lines
    assert opened.startswith("open: http://") and "/?token=" in opened, opened
    assert feed.startswith("calendar feed: http://") and "/calendar.ics?key=" in feed, feed
    url = opened.removeprefix("open: ")
    base, token = url.split("/?token=")
    return WebServer(proc, base, token, feed.split("?key=")[1], db, [opened, feed])


async def until(check: Callable[[], bool | Awaitable[bool]], within: float, what: str) -> None:
    """Wait (polling) until `check` holds; fail naming `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.05)


# Debian's Chromium as the browser tests and bench/web_bench.py start it (Playwright drives
# it; no browser is downloaded). The flags keep it off the network and out of the sandbox
# a root user can't have.
CHROMIUM = os.environ.get("FOLLOWUP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
