"""The store's promise, held by the running dashboard: a full disk is a notification
and the dashboard keeps running; a file deleted under it is written back; and an open
dashboard logging touches beside 20 `followup log` processes on the heavy database
loses nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.store import Store
from tests.conftest import Env
from tests.faults import DiskFull, not_a_backup
from tests.paths import ROOT
from tests.tui.waiting import idle, until
from tui.dashboard.screen import DashboardScreen

SIZE = (80, 24)


def toasts(app) -> list[str]:
    return [str(t.render()) for t in app.screen.query("Toast")]


def snapshot(folder: Path) -> dict[str, bytes]:
    found = [*folder.glob("followup*.json"), *folder.glob("followup*.jsonl")]
    return {p.name: p.read_bytes() for p in sorted(found)}


async def test_disk_full_in_the_dashboard_is_a_notification(app_factory, tmp_store: Env) -> None:
    before = snapshot(tmp_store.path.parent)
    disk = DiskFull(not_a_backup, keep=0.5, full=False)
    app = app_factory(Store(tmp_store.path, clock=tmp_store.clock, faults=disk))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        disk.full = True
        await pilot.press("t", "c", "enter", "enter")
        await until(pilot, lambda: any("disk is full" in t for t in toasts(app)), "the error")
        assert isinstance(app.screen, DashboardScreen), "the dashboard keeps running"
        assert snapshot(tmp_store.path.parent) == before, "the old files stay whole"

        disk.full = False
        await pilot.press("t", "c", "enter", "enter")
        await idle(pilot)
    reopened = Store(tmp_store.path, clock=tmp_store.clock)
    anna = tmp_store.uid("Anna Berg")
    assert len(reopened.touches(anna)) == 3, "the retry after the disk was freed is saved"


async def test_file_deleted_under_the_dashboard_is_written_back(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        tmp_store.path.unlink()
        await until(pilot, lambda: any("deleted or moved" in t for t in toasts(app)), "notice")
        assert any("deleted or moved" in t for t in toasts(app))
        column = app.screen.query_one("#col-hot")
        assert "Anna Berg" in str(column.render_line(0).text) or any(
            "Anna Berg" in str(row.name) for row in column.rows
        ), "the contacts stay on screen"
        await pilot.press("minus")  # cool Anna down: a change that writes the file back
        await idle(pilot)
    assert tmp_store.path.exists()
    back = Store(tmp_store.path, clock=tmp_store.clock)
    assert sorted(c.name for c in back.contacts()) == [
        "Anna Berg",
        "Jonas Weber",
        "Lena Fischer",
        "Marco Rossi",
        "Omar Diaz",
    ]
    assert back.contact(tmp_store.uid("Anna Berg")).heat == "warm"


async def test_folder_deleted_under_the_dashboard_gets_contacts_and_touches_back(
    app_factory, tmp_store: Env, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("followup.json", "followup.touches.jsonl"):
        shutil.copy(tmp_path / name, folder / name)
    store = Store(folder / "followup.json", clock=tmp_store.clock)
    app = app_factory(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        # the history in memory (the day counts come from the cache, which fits a copy of
        # the journal: read it as the stats screen does)
        store.touches()
        assert store.touches_loaded
        shutil.rmtree(folder)
        await until(pilot, lambda: any("deleted or moved" in t for t in toasts(app)), "notice")
        notice = " ".join(t for t in toasts(app) if "deleted or moved" in t)
        assert notice and "can't be written back" not in notice
        await pilot.press("minus")  # cool Anna down: a change that writes the files back
        await idle(pilot)
    back = Store(folder / "followup.json", clock=tmp_store.clock)
    assert len(back.contacts()) == 5
    assert back.contact(tmp_store.uid("Anna Berg")).heat == "warm"
    assert len(back.touches()) == 2, "the touch history is written back too"


@pytest.mark.slow
async def test_dashboard_and_twenty_processes_lose_nothing(tmp_path: Path, monkeypatch) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import make_db
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from tui.app import FollowupApp

    path = tmp_path / "followup.json"
    store = make_db.make(path)
    clock = store.clock
    before = len(store.touches())
    env = {**os.environ, "FOLLOWUP_LOCK_TIMEOUT": "120", "FOLLOWUP_NOW": clock.now().isoformat()}
    env.pop("FOLLOWUP_DB", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "log", f"#{n + 1}", "--via", "email",
             "--note", f"process {n}", "--db", str(path)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for n in range(20)
    ]  # fmt: skip
    app = FollowupApp(store=store, clock=clock, emoji=False)
    logged_here = 0
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while any(p.poll() is None for p in processes) or logged_here < 3:
            await pilot.press("t", "c", "enter", "enter")
            await idle(pilot)
            logged_here += 1
            if logged_here > 60:
                break
        results = [p.communicate(timeout=120) for p in processes]
    failures = [
        (p.returncode, err) for p, (_, err) in zip(processes, results, strict=True) if p.returncode
    ]
    assert not failures

    after = Store(path, clock=clock).touches()
    assert len(after) == before + 20 + logged_here
    assert len({t.uid for t in after}) == len(after)
    assert len({t.id for t in after}) == len(after)
    notes = [t.note for t in after if t.note.startswith("process ")]
    assert sorted(notes) == sorted(f"process {n}" for n in range(20))
    assert sum(Store(path, clock=clock).touch_days().values()) == len(after)


async def test_a_hand_edited_record_is_reported_and_kept(app_factory, tmp_store: Env) -> None:
    path = tmp_store.path
    path.write_text(path.read_text().replace('"name":"Jonas Weber"', '"name":42'))
    tmp_store.store.sync()
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("can't be read" in t for t in toasts(app)), "warning")
        warnings = [t for t in toasts(app) if "can't be read" in t]
        assert len(warnings) == 1 and "'name'" in warnings[0]
        await pilot.press("minus")  # a change to another contact
        await idle(pilot)
    assert '"name":42' in path.read_text(), "the bad record is kept as it was"
    names = {c.name for c in Store(path, clock=tmp_store.clock).contacts()}
    assert names == {"Anna Berg", "Marco Rossi", "Lena Fischer", "Omar Diaz"}


async def test_help_shows_the_cadence_from_the_settings(app_factory, tmp_store: Env) -> None:
    from store.model import Settings

    tmp_store.store.save_settings(Settings(cadence={"hot": 4, "warm": 18, "cool": 90}))
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(
            str(widget.render()) for widget in app.screen.query("Static") if widget.display
        )
    assert "every 4 days" in text and "every 18 days" in text and "every 90 days" in text
