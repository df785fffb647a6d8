"""The app processes behind the browser tabs: at most N at once, each ended for sure.

textual-serve's `AppService` starts one app process per websocket and, when the
websocket closes, only asks the app to quit; an app that doesn't (busy, or its input
gone) was seen to outlive its tab and the server. Here each app process is started
in a process group of its own and, when its websocket closes, asked to quit, then
terminated, then killed with its whole group: gone within `END_WITHIN` seconds. The
server ends every one when it stops; and on Linux an app process whose server died
is sent SIGTERM by the kernel (PR_SET_PDEATHSIG).

textual-serve's names used here that are not its public API (pinned to 1.1.x in
pyproject.toml; tests/web/test_supervision.py and test_sessions.py fail if they move):
`AppService._open_app_process` (replaced: exec without a shell, own process group),
`_build_environment` (extended), and the attributes it sets, `_process`, `_stdin`,
`_task`, `_download_manager`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from textual_serve.app_service import AppService

QUIT_WAIT = 2.0  # seconds the app has to quit when asked
TERM_WAIT = 1.5  # then after SIGTERM, before SIGKILL to the group
END_WITHIN = 5.0  # the promise: an app process is gone this long after its tab closed


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """In the new process: get SIGTERM when the server dies (Linux), in a group of its own."""
    os.setsid()
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class AppProcess(AppService):
    """One app process for one websocket, started as `argv` (no shell)."""

    def __init__(self, argv: Sequence[str], environ: dict[str, str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.environ = environ

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.update(self.environ)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            preexec_fn=_die_with_parent,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output; when it ends (the app quit or died), close the tab's
        websocket too, so the page says the session ended instead of freezing."""
        try:
            await super().run()
        finally:
            with contextlib.suppress(Exception):
                await self.remote_close()

    async def send_meta(self, data: dict[str, str | int | bool | None]) -> bool:
        try:
            return await super().send_meta(data)
        except (OSError, AssertionError):  # the process is gone already
            return False

    async def stop(self) -> None:
        """Ask the app to quit; terminate it if it doesn't; kill its group if that fails."""
        process, task = self._process, self._task
        if process is None:
            return
        self._task = None
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            if not await _exited(process, QUIT_WAIT):
                _signal_group(process.pid, signal.SIGTERM)
                if not await _exited(process, TERM_WAIT):
                    _signal_group(process.pid, signal.SIGKILL)
                    await process.wait()
        _signal_group(process.pid, signal.SIGKILL)  # whatever it started goes too
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _exited(process: Any, within: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), within)
    except TimeoutError:
        return False
    return True


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


class Sessions:
    """The running app processes, at most `limit`; a place is held from the moment a
    websocket is accepted until its process has ended."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.running: set[AppProcess] = set()
        self._held = 0

    @property
    def full(self) -> bool:
        return self._held >= self.limit

    def hold(self) -> bool:
        if self.full:
            return False
        self._held += 1
        return True

    def release(self) -> None:
        self._held -= 1

    def pids(self) -> list[int]:
        return [p.pid for p in self.running if p.pid is not None]

    async def stop_all(self) -> None:
        await asyncio.gather(*(p.stop() for p in list(self.running)), return_exceptions=True)
