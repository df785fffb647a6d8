"""The complete command line (DESIGN.md "Command line"): edit, unlog, config,
demo --remove, completion, --version, --json on every write; exit codes 0 / 2, one-line
errors, nothing written on bad input.

The fixture store: Tuesday 2026-11-24; Anna Berg (hot, two touches, the newest a reached
call yesterday), Marco Rossi, Jonas Weber, Lena Fischer (no touch), Omar Diaz.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from store.demo import SAMPLE_TAG
from store.model import CONTACT_FIELDS, TOUCH_FIELDS
from tests.cli.test_cli import fresh, stored
from tests.conftest import Env


def _one_line_error(result: Any) -> None:
    assert result.code == 2, result.err
    assert result.out == ""
    assert result.err.startswith("followup: ") and result.err.count("\n") == 1


def _raw(env: Env) -> bytes:
    return env.path.read_bytes()


# -- --version, --help ---------------------------------------------------------------


def test_version(cli: Any) -> None:
    from importlib.metadata import version

    result = cli("--version")
    assert (result.code, result.out) == (0, f"followup {version('followup')}\n")


def test_help_lists_every_command(cli: Any) -> None:
    from tui.cli.parser import COMMANDS

    result = cli("--help")
    assert result.code == 0
    for name in COMMANDS:
        assert f"    {name} " in result.out or f"    {name}\n" in result.out, name


# -- edit ----------------------------------------------------------------------------


def test_edit_changes_the_fields_given(cli: Any, tmp_store: Env) -> None:
    result = cli(
        "edit", "anna", "--company", "Northwind", "--role", "COO", "--value", "12k",
        "--tag", "vip", "--cadence", "10", "--via", "e", "--kind", "client",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith("saved Anna Berg: ")
    anna = stored(tmp_store, "Anna Berg")
    assert (anna.company, anna.role, anna.value, anna.cadence_days) == (
        "Northwind",
        "COO",
        12000.0,
        10,
    )
    assert (anna.channel, anna.kind, anna.tags) == ("email", "client", ("vip",))


def test_edit_untag_default_cadence_and_contact_flags(cli: Any, tmp_store: Env) -> None:
    assert cli("edit", "anna", "--tag", "a", "--tag", "b", "--cadence", "5").code == 0
    assert cli("edit", "anna", "--untag", "A", "--cadence", "default", "--do-not-contact").code == 0
    anna = stored(tmp_store, "Anna Berg")
    assert (anna.tags, anna.cadence_days, anna.do_not_contact) == (("b",), None, True)
    assert cli("edit", "anna", "--ok-to-contact", "--value", "none").code == 0
    anna = stored(tmp_store, "Anna Berg")
    assert (anna.do_not_contact, anna.value) == (False, None)


def test_edit_renames(cli: Any, tmp_store: Env) -> None:
    assert cli("edit", "jonas", "--name", "Jonas K. Weber").code == 0
    assert stored(tmp_store, "Jonas K. Weber").company == "Kaiser Logistik"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--value", "12,5"], "--value"),
        (["--value", "-3"], "--value"),
        (["--cadence", "often"], "--cadence"),
        (["--cadence", "0"], "--cadence"),
        (["--kind", "friend"], "--kind"),
        (["--via", "pigeon"], "--via"),
        (["--name", "  "], "--name"),
        ([], "at least one change"),
        (["--do-not-contact", "--ok-to-contact"], "not allowed"),
    ],
)
def test_edit_bad_input_writes_nothing(
    cli: Any, tmp_store: Env, argv: list[str], says: str
) -> None:
    before = _raw(tmp_store)
    result = cli("edit", "anna", "--company", "X", *argv) if argv else cli("edit", "anna")
    _one_line_error(result)
    assert says in result.err
    assert _raw(tmp_store) == before


def test_edit_json_is_the_contact(cli: Any) -> None:
    doc = cli("edit", "anna", "--role", "CEO", "--json").json()
    assert set(doc) == {"id", *CONTACT_FIELDS}
    assert (doc["name"], doc["role"], doc["id"]) == ("Anna Berg", "CEO", 1)


# -- unlog ---------------------------------------------------------------------------


def test_unlog_needs_yes_off_a_terminal(cli: Any, tmp_store: Env) -> None:
    before = _raw(tmp_store)
    result = cli("unlog", "anna")
    _one_line_error(result)
    assert "--yes" in result.err
    assert _raw(tmp_store) == before


def test_unlog_removes_the_newest_touch(cli: Any, tmp_store: Env) -> None:
    result = cli("unlog", "anna", "--yes")
    assert result.code == 0, result.err
    assert result.out.startswith("removed Anna Berg's touch of 2026-11-23")
    anna = stored(tmp_store, "Anna Berg")
    assert [t.outcome for t in fresh(tmp_store).touches(anna.uid)] == ["waiting"]


def test_unlog_json_is_the_touch(cli: Any, tmp_store: Env) -> None:
    doc = cli("unlog", "anna", "--yes", "--json").json()
    assert set(doc) == {"id", *TOUCH_FIELDS}
    assert (doc["outcome"], doc["note"]) == ("reached", "Liked the pilot idea")


def test_unlog_without_a_touch_is_an_error(cli: Any, tmp_store: Env) -> None:
    before = _raw(tmp_store)
    result = cli("unlog", "lena", "--yes")
    _one_line_error(result)
    assert "no touch" in result.err
    assert _raw(tmp_store) == before


# -- config --------------------------------------------------------------------------


def test_config_shows_every_setting_and_the_database(cli: Any, tmp_store: Env) -> None:
    result = cli("config")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == f"database: {tmp_store.path}"
    assert "cadence.hot   7" in lines and "rest-days     sat,sun" in lines
    doc = cli("config", "--json").json()
    assert doc["database"] == str(tmp_store.path)
    assert doc["settings"]["date-order"] == "day-first"
    assert cli("config", "cadence.warm").out == "21\n"


def test_config_sets_a_setting(cli: Any, tmp_store: Env) -> None:
    assert cli("config", "rest-days", "fri,sat").out == "rest-days = fri,sat\n"
    assert fresh(tmp_store).settings.rest_days == (4, 5)
    assert cli("config", "cadence.hot", "3", "--json").json() == {"cadence.hot": "3"}
    assert fresh(tmp_store).settings.cadence_for("hot") == 3
    assert cli("config", "date-order", "month-first").code == 0
    assert fresh(tmp_store).settings.day_first is False


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["bogus", "1"],
        ["cadence.hot", "0"],
        ["cadence.hot", "often"],
        ["rest-days", "funday"],
        ["date-order", "year-first"],
        ["daily-target", "9999"],
        ["high-value", "lots"],
    ],
)
def test_config_bad_key_or_value_writes_nothing(cli: Any, tmp_store: Env, argv: list[str]) -> None:
    before = _raw(tmp_store)
    _one_line_error(cli("config", *argv))
    assert _raw(tmp_store) == before


# -- demo --remove -------------------------------------------------------------------


def test_demo_remove_takes_back_the_untouched_samples(
    capsys: pytest.CaptureFixture[str], tmp_path: Any, clock: Any
) -> None:
    from tests.cli.test_cli import run_cli

    path = tmp_path / "demo.json"
    assert run_cli(capsys, path, clock, "demo").code == 0
    assert run_cli(capsys, path, clock, "edit", "anna", "--role", "Boss").code == 0
    assert run_cli(capsys, path, clock, "log", "priya", "--note", "mine").code == 0
    result = run_cli(capsys, path, clock, "demo", "--remove")
    assert result.code == 0, result.err
    from store.store import Store

    left = Store(path, clock=clock).contacts(include_dropped=True)
    assert sorted(c.name for c in left) == ["Anna Berg", "Priya Nair"]
    assert all(SAMPLE_TAG in c.tags for c in left)
    assert result.out == f"removed {25 - 2} sample contacts\n"


def test_demo_remove_leaves_contacts_of_ones_own(cli: Any, tmp_store: Env) -> None:
    before = _raw(tmp_store)
    assert cli("demo", "--remove").out == "removed 0 sample contacts\n"
    assert _raw(tmp_store) == before


# -- completion ----------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_name_the_commands(cli: Any, shell: str) -> None:
    result = cli("completion", shell)
    assert result.code == 0, result.err
    for word in ("unlog", "config", "do-not-contact"):
        assert word in result.out


def test_completion_of_an_unknown_shell_is_an_error(cli: Any) -> None:
    _one_line_error(cli("completion", "tcsh"))


# -- --json on every write -----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "name", "field", "value"),
    [
        (["add", "Ada Lovelace", "--company", "Engines"], "Ada Lovelace", "company", "Engines"),
        (["log", "jonas", "--outcome", "no-reply"], "Jonas Weber", "next_due", "2026-12-01"),
        (
            ["next", "lena", "Send the case study"],
            "Lena Fischer",
            "next_step",
            "Send the case study",
        ),
        (["snooze", "anna", "fri"], "Anna Berg", "next_due", "2026-11-27"),
        (["heat", "omar", "warm"], "Omar Diaz", "heat", "warm"),
        (["drop", "jonas", "--yes", "--reason", "gone"], "Jonas Weber", "drop_reason", "gone"),
        (["edit", "marco", "--goal", "Renew"], "Marco Rossi", "goal", "Renew"),
    ],
)
def test_every_write_prints_the_changed_contact_as_json(
    cli: Any, tmp_store: Env, argv: list[str], name: str, field: str, value: str
) -> None:
    result = cli(*argv, "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert set(doc) == {"id", *CONTACT_FIELDS}
    assert (doc["name"], doc[field]) == (name, value)
    assert doc["uid"] == stored(tmp_store, name).uid


def test_restore_json(cli: Any) -> None:
    assert cli("drop", "jonas", "--yes").code == 0
    doc = cli("restore", "jonas", "--json").json()
    assert (doc["status"], doc["dropped_on"], doc["drop_reason"]) == ("active", None, "")


def test_readme_shows_every_command() -> None:
    from tests.paths import ROOT
    from tui.cli.parser import COMMANDS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in COMMANDS if f"followup {name}" not in section]
    assert missing == []
    assert "followup --version" in section


def test_log_without_next_after_no_reply_keeps_the_step_a_week_out(
    cli: Any, tmp_store: Env
) -> None:
    """The log chain, as the dashboard's dialog: the step stays, dated a week out."""
    result = cli("log", "jonas", "--outcome", "no-reply")
    assert result.code == 0, result.err
    jonas = stored(tmp_store, "Jonas Weber")
    assert jonas.next_step == "Call about the vendor form"
    assert str(jonas.next_due) == "2026-12-01"
    assert "presumed done" not in result.err
