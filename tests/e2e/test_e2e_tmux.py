"""End-to-end: the real `followup` dashboard in a real terminal (tmux, 80x24), run
directly and over a real SSH session.

Keys go in as people type them: several at once in one send-keys (one read of the
terminal holds them all, as over SSH), phrases into the focused field with send-keys -l.
The screen comes back with capture-pane; what was written comes back from
`followup show NAME --json` on the same database. The clock is fixed with FOLLOWUP_NOW so
the dates on screen do not depend on today.

Over SSH: a private sshd on a loopback port (its own host key, one authorized key, no
passwords), started for these tests and stopped after. Without sshd the SSH runs skip
with one line; `FOLLOWUP_SSH_TESTS=required` (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import getpass
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store.clock import FixedClock
from store.store import Store
from tests.conftest import NOW, sample_contacts
from tests.paths import ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SSHD = "/usr/sbin/sshd"
BOUND = 15.0  # seconds: a loaded machine is slow, a broken feature never gets there


@dataclass(frozen=True)
class Ssh:
    """A running private sshd: how to log in to it."""

    port: int
    key: Path
    user: str

    def wrap(self, line: str) -> str:
        """`line` run on the other end of an SSH session with a terminal (ssh -tt)."""
        return shlex.join(
            ["ssh", "-tt", "-p", str(self.port), "-i", str(self.key),
             "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
             "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
             f"{self.user}@127.0.0.1", line]
        )  # fmt: skip


class Tmux:
    def __init__(self, socket: str, ssh: Ssh | None = None) -> None:
        self.socket = socket
        self.session = "followup"
        self.ssh = ssh

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )

    def start(self, command: list[str], env: dict[str, str], size: str = "80x24") -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        line = f"cd {shlex.quote(str(ROOT))} && env {exports} {shlex.join(command)}"
        if self.ssh is not None:
            line = self.ssh.wrap(line)
        width, height = size.split("x")
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", width,
                 "-y", height, line)  # fmt: skip

    def keys(self, *keys: str) -> None:
        """Keys sent together (one send-keys: they arrive in one read)."""
        self.run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        """A phrase typed into whatever has the focus."""
        self.run("send-keys", "-t", self.session, "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session).stdout

    def wait_for(self, check: Callable[[str], bool], timeout: float = BOUND) -> str:
        deadline = time.monotonic() + timeout
        text = self.screen()
        while not check(text):
            if time.monotonic() > deadline:
                raise AssertionError(f"screen never matched; last screen:\n{text}")
            time.sleep(0.05)
            text = self.screen()
        return text

    def wait_closed(self, timeout: float = BOUND) -> None:
        """Until the program has ended (its pane, and so the session, is gone)."""
        deadline = time.monotonic() + timeout
        while self.run("has-session", "-t", self.session).returncode == 0:
            if time.monotonic() > deadline:
                raise AssertionError(f"the program never ended; last screen:\n{self.screen()}")
            time.sleep(0.05)

    def kill(self) -> None:
        self.run("kill-server")


def _sshd_missing() -> str | None:
    if os.path.exists(SSHD) and shutil.which("ssh") and shutil.which("ssh-keygen"):
        return None
    return "SSH tests skipped: no sshd or ssh (apt-get install openssh-server openssh-client)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            return conn.recv(4).startswith(b"SSH")
    except OSError:
        return False


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ssh]:
    """A private sshd on a loopback port, for this module's tests."""
    missing = _sshd_missing()
    if missing is not None:
        if os.environ.get("FOLLOWUP_SSH_TESTS", "") == "required":
            pytest.fail(f"FOLLOWUP_SSH_TESTS=required, but {missing}", pytrace=False)
        pytest.skip(missing)
    home = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / name)],
                       check=True, timeout=30)  # fmt: skip
    (home / "authorized_keys").write_text((home / "client_key.pub").read_text())
    port = _free_port()
    config = home / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {home / 'host_key'}\n"
        f"AuthorizedKeysFile {home / 'authorized_keys'}\nPidFile {home / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nUsePAM no\n"
        "StrictModes no\nPrintMotd no\nPrintLastLog no\n"
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # its privilege separation
    server = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=(home / "sshd.log").open("w"),
    )
    try:
        deadline = time.monotonic() + BOUND
        while not _listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                log = (home / "sshd.log").read_text()
                pytest.fail(f"sshd did not start: {log.strip()}", pytrace=False)
            time.sleep(0.05)
        yield Ssh(port, home / "client_key", getpass.getuser())
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(params=["local", "ssh"])
def tmux(request: pytest.FixtureRequest) -> Iterator[Tmux]:
    """The terminal: tmux running the program directly, or over SSH."""
    ssh = request.getfixturevalue("sshd") if request.param == "ssh" else None
    session = Tmux(f"followup-test-{uuid.uuid4().hex[:8]}", ssh)
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


def _show(db: Path, name: str) -> dict[str, Any]:
    """What the database holds for `name`, as `followup show NAME --json` prints it."""
    out = subprocess.run(
        [*_command(db), "show", name, "--json"],
        cwd=ROOT,
        env={**os.environ, "FOLLOWUP_NOW": NOW.isoformat()},
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    shown: dict[str, Any] = json.loads(out.stdout)
    return shown


def test_log_a_touch_with_t_c_enter(tmux: Tmux, tmp_path: Path) -> None:
    """`tc` and Enter together: a reached call; Enter again saves it without a step."""
    db = _db(tmp_path)
    tmux.start(_command(db), _env())
    screen = tmux.wait_for(lambda s: "HOT 2" in s and "Anna Berg" in s)
    assert "0 logged today" in screen
    assert "2d overdue" in screen
    tmux.keys("tc", "Enter")
    tmux.wait_for(lambda s: "no next step?" in s)  # reached: the old step is done
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "1 logged today" in s)
    assert "0 overdue" in screen
    assert "in 7d" in screen
    tmux.keys("q")
    tmux.wait_closed()
    anna = _show(db, "Anna")
    assert [(t["channel"], t["outcome"], t["direction"]) for t in anna["touches"]] == [
        ("call", "reached", "out")
    ]
    assert (anna["next_step"], anna["next_due"]) == ("", "2026-12-01")


def test_the_next_step_typed_after_no_next_step_is_the_step(tmux: Tmux, tmp_path: Path) -> None:
    """`tc` Enter, then the next step typed as a phrase: it lands in Next step and the
    touch stays a reached call."""
    db = _db(tmp_path)
    tmux.start(_command(db), _env())
    tmux.wait_for(lambda s: "HOT 2" in s and "Anna Berg" in s)
    tmux.keys("tc", "Enter")
    tmux.wait_for(lambda s: "no next step?" in s)
    tmux.type("send the signed copy")
    tmux.wait_for(lambda s: "send the signed copy" in s)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "1 logged today" in s)
    tmux.keys("q")
    tmux.wait_closed()
    anna = _show(db, "Anna")
    assert [(t["channel"], t["outcome"], t["direction"]) for t in anna["touches"]] == [
        ("call", "reached", "out")
    ]
    assert (anna["next_step"], anna["next_due"]) == ("send the signed copy", "2026-12-01")


def test_escape_writes_nothing_and_plain_terminal_gets_ascii(tmux: Tmux, tmp_path: Path) -> None:
    """Escape and the next key sent together (one read: what Textual takes for
    alt+key) are two keys: the dialog or the filter closes, the key does its own thing."""
    db = _db(tmp_path)
    before = db.read_bytes()
    tmux.start(_command(db), _env(LANG="C", LC_ALL="C", TERM="xterm"))
    screen = tmux.wait_for(lambda s: "WARM 2" in s)
    assert "no streak yet" in screen and "|" in screen.splitlines()[0]
    tmux.keys("t")
    tmux.wait_for(lambda s: "Log a touch" in s)
    tmux.keys("e", "Escape", "s")  # an email picked, then: leave, and snooze instead
    screen = tmux.wait_for(lambda s: "- Snooze . Anna Berg" in s)
    assert "Log a touch" not in screen
    tmux.keys("Escape", "/")
    tmux.wait_for(lambda s: "filter: name or company" in s and "- Snooze" not in s)
    tmux.type("fis")
    screen = tmux.wait_for(lambda s: "WARM 1/2" in s)
    assert "Lena Fischer" in screen and "Jonas Weber" not in screen
    tmux.keys("Escape", "q")  # the filter cleared, and quit
    tmux.wait_closed()
    assert db.read_bytes() == before
    assert _show(db, "Lena")["touches"] == []


def test_another_terminal_logging_shows_up_live(tmux: Tmux, tmp_path: Path) -> None:
    db = _db(tmp_path)
    tmux.start(_command(db), _env())
    tmux.wait_for(lambda s: "0 logged today" in s)
    subprocess.run(
        [*_command(db), "log", "Marco", "--via", "meeting"],
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
    tmux.wait_closed()


def test_morning_review_of_the_demo_with_no_reply_logs(tmux: Tmux, tmp_path: Path) -> None:
    """`followup review` on the sample data: each due contact gets `tn` and Enter, sent
    together (a no-reply touch on its preferred channel); the review moves on by itself."""
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
        tmux.keys("tn", "Enter")
        pressed += 3
    screen = tmux.wait_for(lambda s: "Review done" in s and "Skipped" in s)
    assert f"Logged       {len(due)}" in screen, screen
    assert pressed == 3 * len(due)  # and no key to move between contacts
    tmux.keys("q")
    tmux.wait_for(lambda s: "0 overdue" in s)
    tmux.keys("q")
    tmux.wait_closed()
    for contact in due:
        shown = _show(db, contact.name)
        newest = shown["touches"][0]
        assert (newest["outcome"], newest["at"][:10]) == ("no-reply", NOW.date().isoformat())
        assert shown["next_step"] == contact.next_step  # the step stays
        assert shown["next_due"] > NOW.date().isoformat()


def test_plain_characters_everywhere_under_followup_ascii(tmux: Tmux, tmp_path: Path) -> None:
    db = _db(tmp_path)
    tmux.start(_command(db), _env(FOLLOWUP_ASCII="1"))
    screens = [tmux.wait_for(lambda s: "Anna Berg" in s and "Quit" in s)]
    tmux.keys("C-p")  # the palette: its magnifier and borders
    screens.append(tmux.wait_for(lambda s: "Search for commands" in s))
    tmux.keys("Escape", "t")  # the log dialog
    screens.append(tmux.wait_for(lambda s: "Log a touch" in s and "Search for" not in s))
    tmux.keys("Escape", "e")  # the form: its drop-downs' arrows
    screens.append(tmux.wait_for(lambda s: "Edit Anna Berg" in s and "Log a touch" not in s))
    tmux.keys("Escape", "q")
    tmux.wait_closed()
    for screen in screens:
        odd = sorted({ch for ch in screen if not ch.isascii()})
        assert not odd, f"not plain: {odd}\n{screen}"
    assert "+- HOT 2" in screens[0] and "|^p palette" in screens[0]


def test_a_name_typed_with_slash_goes_to_the_filter(tmux: Tmux, tmp_path: Path) -> None:
    """`/` and the name sent together (one read): every letter lands in the filter line,
    none reaches the board (`e` would open the edit form)."""
    db = _db(tmp_path)
    before = db.read_bytes()
    tmux.start(_command(db), _env())
    tmux.wait_for(lambda s: "WARM 2" in s and "Anna Berg" in s)
    tmux.keys("/lena")
    screen = tmux.wait_for(lambda s: "WARM 1/2" in s)
    assert "Lena Fischer" in screen and "Jonas Weber" not in screen
    assert "Edit" not in screen.splitlines()[1]  # no dialog opened over the board
    tmux.keys("Escape", "q")
    tmux.wait_closed()
    assert db.read_bytes() == before
