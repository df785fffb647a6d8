"""Text from the data is never markup: names that look like Textual markup are shown as
typed on every screen and in every dialog, never parsed, never a link or an action.

Pilot at 80x24 on a store holding the hostile name in every text field, plus typing "[/"
into every input. A crash of the dashboard ends the real process with a non-zero status.
"""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widgets import Input

from store.clock import FixedClock
from store.model import Contact, Touch
from store.store import Store
from tests.conftest import NOW, TODAY
from tests.paths import ROOT
from tests.tui.test_screens import screen_text

SIZE = (80, 24)
NAMES = ["[/b] Broken", "Anna [Acme]", '[link="https://x"]L[/link]', "[@click=app.quit]Q[/]"]


def hostile_store(path: Path, name: str) -> Store:
    """A store whose one active and one dropped contact carry `name` in every text."""
    store = Store(path, clock=FixedClock(NOW))
    active = Contact(
        name=name,
        goal=name,
        next_step=name,
        tags=(name,),
        heat="hot",
        next_due=TODAY,
        created_at=NOW,
        updated_at=NOW,
    )
    dropped = replace(
        active, uid="dropped-one", status="dropped", dropped_on=TODAY, drop_reason=name
    )
    note = Touch(contact_uid=active.uid, at=NOW, channel="call", outcome="reached", note=name)
    store.add_many([active, dropped], [note])
    return store


def links_and_actions(app: App[Any]) -> list[str]:
    """Every link or click action in what the active screen renders."""
    found = []
    for widget in app.screen.query("*"):
        region = widget.region
        if not widget.display or not region.area:
            continue
        for strip in widget.render_lines(Region(0, 0, region.width, region.height)):
            for segment in strip:
                style = segment.style
                if style is None:
                    continue
                if style.link:
                    found.append(f"link {style.link} in {widget!r}")
                if any(str(key).startswith("@") for key in (style.meta or {})):
                    found.append(f"action {style.meta} in {widget!r}")
    return found


def make_app(store: Store) -> Any:
    from tui.app import FollowupApp

    return FollowupApp(store=store, clock=FixedClock(NOW), emoji=False)


# Each key opens a screen that shows the name in full: (keys, what it is).
SCREENS = [
    (["t"], "log a touch"),
    (["n"], "next step"),
    (["s"], "snooze"),
    (["e"], "edit form"),
    (["d"], "drop dialog"),
    (["enter"], "contact screen"),
    (["A"], "archive"),
]


@pytest.mark.parametrize("name", NAMES)
async def test_a_name_that_looks_like_markup_is_shown_as_typed_everywhere(
    tmp_path: Path, name: str
) -> None:
    app = make_app(hostile_store(tmp_path / "followup.json", name))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert links_and_actions(app) == []
        for keys, what in SCREENS:
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            assert name in text, f"{what}: {name!r} not shown as typed:\n{text}"
            assert links_and_actions(app) == [], what
            await pilot.press("escape")
            await pilot.pause()
        for key in ("question_mark", "S"):  # help and stats: no data, but no crash either
            await pilot.press(key)
            await pilot.pause()
            assert links_and_actions(app) == []
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("t", "c", "enter", "enter")  # "Logged call (reached) with NAME"
        await pilot.pause()
        assert len(app.store.touches()) == 2  # logged, and told in a toast with the name
        assert links_and_actions(app) == []
        await pilot.press("u")  # "Undone: Logged call ... with NAME"
        await pilot.pause()
        assert links_and_actions(app) == []
        assert app.is_running
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("name", NAMES)
async def test_the_dashboard_row_shows_a_markup_name_as_typed(tmp_path: Path, name: str) -> None:
    app = make_app(hostile_store(tmp_path / "followup.json", name))
    async with app.run_test(size=(160, 24)) as pilot:  # wide: the whole name fits a row
        await pilot.pause()
        assert name in screen_text(app)
        assert links_and_actions(app) == []


async def test_typing_an_open_tag_in_the_add_form_name_is_harmless(tmp_path: Path) -> None:
    app = make_app(hostile_store(tmp_path / "followup.json", "Anna Berg"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Joe [/")
        await pilot.pause()
        assert app.focused is not None and isinstance(app.focused, Input)
        assert app.focused.value == "Joe [/"
        assert "Add Joe [/" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
    names = {c.name for c in Store(tmp_path / "followup.json").contacts()}
    assert "Joe [/" in names


@pytest.mark.parametrize("key", ["slash", "n", "t"])
async def test_typing_an_open_tag_in_the_filter_and_the_step_dialogs_is_harmless(
    tmp_path: Path, key: str
) -> None:
    app = make_app(hostile_store(tmp_path / "followup.json", "Anna Berg"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        if key == "t":
            await pilot.press("tab")  # from the channel letters to the note
        await pilot.press(*"x [/b] [/")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert app.focused.value.endswith("x [/b] [/")
        assert app.is_running
        assert links_and_actions(app) == []


# -- a crash is a failure, for the shell too --------------------------------------


def run_in_terminal(
    code: str, env: dict[str, str], keys: list[bytes], wait: float = 30.0
) -> tuple[int, bytes]:
    """Run `python -c code` on a pseudo-terminal (stdin, stdout and stderr), send each of
    `keys` once the screen has been still for a moment; return the exit status and every
    byte it wrote to the terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-c", code], {**os.environ, **env})
    output = b""
    pending = list(keys)
    quiet_since = time.monotonic()
    deadline = time.monotonic() + wait
    status = None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if chunk:
                output += chunk
                quiet_since = time.monotonic()
        done, code_or_status = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code_or_status
            break
        if pending and len(output) > 1000 and time.monotonic() - quiet_since > 0.8:
            os.write(fd, pending.pop(0))
            quiet_since = time.monotonic()
    if status is None:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    try:
        while chunk := os.read(fd, 65536):
            output += chunk
    except OSError:
        pass
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output


@pytest.fixture
def terminal_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    hostile_store(tmp_path / "followup.json", '[link="https://x"]L[/link] [/b]')
    yield {
        "FOLLOWUP_DB": str(tmp_path / "followup.json"),
        "FOLLOWUP_NOW": NOW.isoformat(),
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
    }


@pytest.mark.slow
def test_the_real_dashboard_writes_no_link_to_the_terminal(terminal_env: dict[str, str]) -> None:
    code = "import sys; from tui.entry import main; sys.exit(main())"
    status, output = run_in_terminal(code, terminal_env, keys=[b"t", b"\x1b", b"q"])
    assert status == 0, output[-2000:]
    assert b'[link="https://x"]L[/link] [/b]' in output  # the dialog's title, as typed
    assert b"\x1b]8;" not in output  # OSC 8: a hyperlink


@pytest.mark.slow
def test_a_dashboard_that_dies_of_an_error_exits_non_zero(terminal_env: dict[str, str]) -> None:
    code = (
        "import sys\n"
        "from tui.dashboard.screen import DashboardScreen\n"
        "def boom(self): raise RuntimeError('boom')\n"
        "DashboardScreen.action_log_touch = boom\n"
        "from tui.entry import main\n"
        "sys.exit(main())\n"
    )
    status, output = run_in_terminal(code, terminal_env, keys=[b"t"])
    assert status != 0, output[-2000:]
    assert b"boom" in output
