"""End-to-end: the real `followup` dashboard in a real terminal (tmux, 80x24).

Keys go in with send-keys, the screen comes back with capture-pane, and a Store
opened on the file afterwards shows what was written. The clock is fixed with
FOLLOWUP_NOW so the dates on screen do not depend on today.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.store import Store
from tests.conftest import NOW, sample_contacts
from tests.paths import ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.session = "followup"

    def run(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return out.stdout

    def start(self, command: list[str], env: dict[str, str]) -> None:
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        line = f"cd {ROOT} && env {exports} {' '.join(command)}"
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", "80", "-y",
                 "24", line)  # fmt: skip

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, check: Callable[[str], bool], timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        text = self.screen()
        while not check(text):
            if time.monotonic() > deadline:
                raise AssertionError(f"screen never matched; last screen:\n{text}")
            time.sleep(0.2)
            text = self.screen()
        return text

    def kill(self) -> None:
        self.run("kill-server")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(f"followup-test-{uuid.uuid4().hex[:8]}")
    yield session
    session.kill()


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "followup.json"
    Store(path, clock=FixedClock(NOW)).add_many(sample_contacts())
    return path


def _env(**extra: str) -> dict[str, str]:
    return {
        "FOLLOWUP_NOW": NOW.isoformat(),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "LC_CTYPE": "",
        "HOME": os.environ.get("HOME", "/tmp"),
        **extra,
    }


def _command(db: Path) -> list[str]:
    return [sys.executable, "-m", "tui.cli", "--db", str(db)]


def test_log_a_touch_with_t_c_enter(tmux: Tmux, tmp_path: Path) -> None:
    db = _db(tmp_path)
    tmux.start(_command(db), _env())
    screen = tmux.wait_for(lambda s: "HOT 2" in s and "Anna Berg" in s)
    assert "0 logged today" in screen
    assert "2d overdue" in screen
    tmux.keys("t")
    tmux.wait_for(lambda s: "Log a touch" in s)
    tmux.keys("c", "Enter")
    tmux.wait_for(lambda s: "no next step?" in s)  # reached: the old step is done
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "1 logged today" in s)
    assert "0 overdue" in screen
    assert "in 7d" in screen
    tmux.keys("q")
    store = Store(db, clock=FixedClock(NOW))
    anna = next(c for c in store.contacts() if c.name == "Anna Berg")
    touches = store.touches(anna.uid)
    assert [(t.channel, t.outcome) for t in touches] == [("call", "reached")]
    assert str(anna.next_due) == "2026-12-01"


def test_escape_writes_nothing_and_plain_terminal_gets_ascii(tmux: Tmux, tmp_path) -> None:
    db = _db(tmp_path)
    before = db.read_bytes()
    tmux.start(_command(db), _env(LANG="C", LC_ALL="C", TERM="xterm"))
    screen = tmux.wait_for(lambda s: "WARM 2" in s)
    assert "no streak yet" in screen and "|" in screen.splitlines()[0]
    tmux.keys("t")
    tmux.wait_for(lambda s: "Log a touch" in s)
    tmux.keys("e", "Escape")
    tmux.wait_for(lambda s: "Log a touch" not in s)  # an escape right before / is alt+/
    tmux.keys("/")
    tmux.wait_for(lambda s: "filter: name or company" in s)
    tmux.keys("f", "i", "s")
    screen = tmux.wait_for(lambda s: "WARM 1/2" in s)
    assert "Lena Fischer" in screen and "Jonas Weber" not in screen
    tmux.keys("Escape", "q")
    time.sleep(0.5)
    assert db.read_bytes() == before
    assert Store(db, clock=FixedClock(NOW)).touches() == []


def test_another_terminal_logging_shows_up_live(tmux: Tmux, tmp_path: Path) -> None:
    db = _db(tmp_path)
    tmux.start(_command(db), _env())
    tmux.wait_for(lambda s: "0 logged today" in s)
    subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(db), "log", "Marco", "--via", "meeting"],
        cwd=ROOT,
        env={**os.environ, "FOLLOWUP_NOW": NOW.isoformat()},
        check=True,
        capture_output=True,
        timeout=30,
    )
    started = time.monotonic()
    tmux.wait_for(lambda s: "1 logged today" in s, timeout=10)
    assert time.monotonic() - started < 3.5
    tmux.keys("q")


def test_morning_review_of_the_demo_with_no_reply_logs(tmux: Tmux, tmp_path: Path) -> None:
    """`followup review` on the sample data: each due contact gets t, n, enter (a no-reply
    touch on its preferred channel); the review moves on by itself."""
    from store.demo import sample

    db = tmp_path / "followup.json"
    store = Store(db, clock=FixedClock(NOW))
    store.add_many(*sample(NOW))
    due = [c for c in store.contacts() if c.next_due is not None and c.next_due <= NOW.date()]
    tmux.start([*_command(db), "review"], _env())
    screen = tmux.wait_for(lambda s: f"1 / {len(due)}" in s)
    pressed = 0
    for number in range(1, len(due) + 1):
        tmux.wait_for(lambda s, n=number: f"{n} / {len(due)}" in s or "Review done" in s)
        tmux.keys("t")
        tmux.wait_for(lambda s: "Log a touch" in s)
        tmux.keys("n", "Enter")
        pressed += 3
    screen = tmux.wait_for(lambda s: "Review done" in s)
    assert f"Logged       {len(due)}" in screen
    assert pressed == 3 * len(due)  # and no key to move between contacts
    tmux.keys("q")
    tmux.wait_for(lambda s: "0 overdue" in s)
    tmux.keys("q")
    after = Store(db, clock=FixedClock(NOW))
    for contact in due:
        newest = after.touches(contact.uid)[0]
        assert (newest.outcome, newest.at.date()) == ("no-reply", NOW.date())
        assert after.contact(contact.uid).next_step == contact.next_step  # the step stays
        assert after.contact(contact.uid).next_due > NOW.date()


def test_plain_characters_everywhere_under_followup_ascii(tmux: Tmux, tmp_path: Path) -> None:
    db = _db(tmp_path)
    tmux.start(_command(db), _env(FOLLOWUP_ASCII="1"))
    screens = [tmux.wait_for(lambda s: "Anna Berg" in s and "Quit" in s)]
    tmux.keys("C-p")  # the palette: its magnifier and borders
    screens.append(tmux.wait_for(lambda s: "Search for commands" in s))
    tmux.keys("Escape", "t")  # the log dialog
    screens.append(tmux.wait_for(lambda s: "Log a touch" in s))
    tmux.keys("Escape", "e")  # the form: its drop-downs' arrows
    screens.append(tmux.wait_for(lambda s: "Edit Anna Berg" in s))
    tmux.keys("Escape", "q")
    for screen in screens:
        odd = sorted({ch for ch in screen if not ch.isascii()})
        assert not odd, f"not plain: {odd}\n{screen}"
    assert "+- HOT 2" in screens[0] and "|^p palette" in screens[0]
