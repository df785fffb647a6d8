"""An app process that won't quit when asked, ignores SIGTERM and has started a child of
its own is still gone, with that child, within END_WITHIN seconds of its websocket
closing (textual-serve alone only asks it to quit)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual_serve.download_manager import DownloadManager

from tests.web.server_proc import alive, until
from tui.web.sessions import END_WITHIN, AppProcess

STUBBORN = """
import pathlib, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
pathlib.Path(sys.argv[1]).write_text(str(child.pid))
print("__GANGLION__", flush=True)
time.sleep(60)
"""


async def _ignore(_data: object) -> None:
    return None


async def _nothing() -> None:
    return None


async def test_a_stubborn_app_process_and_its_child_are_ended(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    process = AppProcess(
        [sys.executable, "-c", STUBBORN, str(pid_file)],
        {},
        write_bytes=_ignore,
        write_str=_ignore,
        close=_nothing,
        download_manager=DownloadManager(),
    )
    await process.start(80, 24)
    await until(lambda: pid_file.exists() and pid_file.read_text() != "", 30, "the child")
    grandchild = int(pid_file.read_text())
    pid = process.pid
    assert pid is not None and alive(pid) and alive(grandchild)
    started = time.monotonic()
    await process.stop()
    took = time.monotonic() - started
    assert not alive(pid)
    await until(lambda: not alive(grandchild), 1.0, "the app process's own child ended")
    assert took <= END_WITHIN


async def test_an_app_process_that_ends_closes_its_websocket() -> None:
    closed: list[bool] = []

    async def close() -> None:
        closed.append(True)

    process = AppProcess(
        [sys.executable, "-c", "print('__GANGLION__', flush=True)"],
        {},
        write_bytes=_ignore,
        write_str=_ignore,
        close=close,
        download_manager=DownloadManager(),
    )
    await process.start(80, 24)
    await until(lambda: bool(closed), 30, "the websocket closed after the app ended")
    await process.stop()
