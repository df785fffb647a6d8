"""The `followup` command: the dashboard, or a quick command for logging and scripts.

    followup [--db PATH]            open the dashboard
    followup log NAME --via e ...   a quick command (see `followup --help`)

Quick commands never import Textual; only the dashboard branch does.

Exit codes: 0 done; 2 bad usage or input; 1 the database could not be used;
130 interrupted. Errors are one line on stderr starting with "followup: ".

Environment:
    FOLLOWUP_DB    the database file when --db is not given
    FOLLOWUP_NOW   an ISO datetime taken as "now" instead of the system clock
                   (for tests and demonstrations; a date alone means its noon)

Each command is one small `_add_<name>` function that declares its arguments and
points at the function that runs it; add a command by adding one to `COMMANDS`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any, NoReturn

from store.clock import Clock, FixedClock, SystemClock
from store.errors import FollowupError, InputError
from tui.cli.help_format import Formatter
from tui.cli.version import VersionAction

Subparsers = Any  # argparse's private _SubParsersAction
WRITE = "tui.cli.commands:"  # where the commands that change the database live
READ = "tui.cli.views:"  # and the ones that only read


class UsageError(InputError):
    """A command line argparse could not understand (exit code 2)."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2 through `main`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        message = " ".join(message.split())
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _db_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the database file (default: $FOLLOWUP_DB, else the user data folder)",
    )


def _command(sub: Subparsers, name: str, run: str, text: str) -> Parser:
    """A sub-command; `run` ("module:function") is imported only when it runs."""
    parser: Parser = sub.add_parser(name, help=text, description=text)
    _db_option(parser, argparse.SUPPRESS)  # --db also after the sub-command
    parser.set_defaults(run=run)
    return parser


def _name(parser: argparse.ArgumentParser, *, words: bool = True) -> None:
    help_text = "#id, full name, or a unique part of the name"
    if words:
        parser.add_argument("name", metavar="NAME", nargs="+", help=help_text)
    else:
        parser.add_argument("name", metavar="NAME", help=help_text)


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def _add_add(sub: Subparsers) -> None:
    p = _command(sub, "add", WRITE + "add", "add a contact (due tomorrow unless --due/--next)")
    _json(p)
    _name(p)
    p.add_argument("--heat", metavar="H", help="hot, warm (default) or cool")
    p.add_argument("--company", metavar="C", default="")
    p.add_argument("--role", metavar="R", default="")
    p.add_argument("--kind", metavar="K", help="prospect (default), client, referral, ...")
    p.add_argument("--goal", metavar="G", default="", help="what you follow up for")
    p.add_argument("--via", metavar="CH", help="preferred channel: call, email, ... or c e x m")
    p.add_argument("--email", metavar="E", default="")
    p.add_argument("--phone", metavar="P", default="")
    p.add_argument("--value", metavar="N", help="what the contact is worth (a number)")
    p.add_argument("--next", metavar="TEXT", help="the next step")
    p.add_argument("--due", metavar="DATE", help="when the next step is due")
    p.add_argument("--tag", metavar="T", action="append", default=[], help="repeatable")


def _add_log(sub: Subparsers) -> None:
    p = _command(
        sub,
        "log",
        WRITE + "log",
        "log a touch (a call, an email...) and set the next step",
    )
    _name(p)
    _json(p)
    p.add_argument("--via", metavar="CH", help="channel (default: the contact's, else call)")
    p.add_argument("--outcome", metavar="O", help="reached, no-reply or waiting")
    p.add_argument("--in", dest="inbound", action="store_true", help="they contacted you")
    p.add_argument("--note", metavar="TEXT", default="")
    p.add_argument("--at", metavar="WHEN", help="when it happened (default: now)")
    p.add_argument("--next", metavar="TEXT", help="the next step")
    p.add_argument("--due", metavar="DATE", help="when the next step is due")


def _add_next(sub: Subparsers) -> None:
    p = _command(sub, "next", WRITE + "next_step", "set the next step (due by the cadence)")
    _name(p, words=False)
    p.add_argument("text", metavar="TEXT", help="the next step")
    p.add_argument("--due", metavar="DATE", help="when it is due")
    _json(p)


def _add_snooze(sub: Subparsers) -> None:
    p = _command(sub, "snooze", WRITE + "snooze", "move the next step to a later date")
    _name(p, words=False)
    p.add_argument("date", metavar="DATE")
    _json(p)


def _add_heat(sub: Subparsers) -> None:
    p = _command(sub, "heat", WRITE + "heat", "move a contact to hot, warm or cool")
    _name(p, words=False)
    p.add_argument("heat", metavar="hot|warm|cool")
    _json(p)


def _add_drop(sub: Subparsers) -> None:
    p = _command(
        sub, "drop", WRITE + "drop", "stop following up (asks first; the archive keeps it)"
    )
    _name(p)
    p.add_argument("--reason", metavar="R", default="")
    p.add_argument("--yes", action="store_true", help="do not ask (needed off a terminal)")
    _json(p)


def _add_restore(sub: Subparsers) -> None:
    p = _command(sub, "restore", WRITE + "restore", "bring a dropped contact back")
    _name(p)
    _json(p)


def _add_edit(sub: Subparsers) -> None:
    p = _command(sub, "edit", WRITE + "edit", "change a contact's details")
    _name(p)
    p.add_argument("--name", dest="new_name", metavar="N", help="a new name")
    p.add_argument("--company", metavar="C")
    p.add_argument("--role", metavar="R")
    p.add_argument("--kind", metavar="K", help="prospect, client, referral, ...")
    p.add_argument("--goal", metavar="G", help="what you follow up for")
    p.add_argument("--via", metavar="CH", help="preferred channel: call, email, ... or c e x m")
    p.add_argument("--email", metavar="E")
    p.add_argument("--phone", metavar="P")
    p.add_argument("--value", metavar="N", help="what the contact is worth (12000, 12k; none)")
    p.add_argument("--tag", metavar="T", action="append", default=[], help="add a tag")
    p.add_argument("--untag", metavar="T", action="append", default=[], help="remove a tag")
    p.add_argument(
        "--cadence", metavar="DAYS|default", help="days between follow-ups, or the heat's"
    )
    contact = p.add_mutually_exclusive_group()
    contact.add_argument(
        "--do-not-contact", dest="dnc", action="store_const", const=True, help="never nudge"
    )
    contact.add_argument(
        "--ok-to-contact", dest="dnc", action="store_const", const=False, help="nudge again"
    )
    _json(p)


def _add_unlog(sub: Subparsers) -> None:
    p = _command(sub, "unlog", WRITE + "unlog", "remove a contact's newest touch (asks first)")
    _name(p)
    p.add_argument("--yes", action="store_true", help="do not ask (needed off a terminal)")
    _json(p)


def _add_config(sub: Subparsers) -> None:
    p = _command(sub, "config", WRITE + "config", "show or set a setting; shows the database")
    p.add_argument("key", metavar="KEY", nargs="?", help="cadence.hot, rest-days, ...")
    p.add_argument("value", metavar="VALUE", nargs="?", help="the new value")
    _json(p)


def _add_completion(sub: Subparsers) -> None:
    p = _command(sub, "completion", "tui.cli.run:completion", "print a shell completion script")
    p.add_argument("shell", metavar="bash|zsh|fish", choices=("bash", "zsh", "fish"))


def _add_check(sub: Subparsers) -> None:
    text = "verify both files, the pair, the derived files and the backups (exit 1: a problem)"
    _command(sub, "check", "tui.cli.integrity:check", text).set_defaults(store=False)


def _add_repair(sub: Subparsers) -> None:
    text = "after a backup: set damaged lines aside, accept an older journal, rebuild"
    p = _command(sub, "repair", "tui.cli.integrity:repair", text)
    p.add_argument("--yes", action="store_true", help="do not ask (needed off a terminal)")
    p.set_defaults(store=False)


def _add_today(sub: Subparsers) -> None:
    p = _command(sub, "today", READ + "today", "overdue and due today, by heat, and the streak")
    _json(p)


def _add_list(sub: Subparsers) -> None:
    p = _command(sub, "list", READ + "listing", "contacts in dashboard order")
    p.add_argument("--heat", metavar="H", help="only hot, warm or cool")
    p.add_argument("--all", action="store_true", help="include dropped contacts")
    _json(p)


def _add_show(sub: Subparsers) -> None:
    p = _command(sub, "show", READ + "show", "one contact: details, hints and history")
    _name(p)
    _json(p)


def _add_streak(sub: Subparsers) -> None:
    _json(_command(sub, "streak", READ + "streak", "the daily streak"))


def _add_stats(sub: Subparsers) -> None:
    _json(_command(sub, "stats", READ + "stats", "answer rate of each channel"))


def _add_demo(sub: Subparsers) -> None:
    p = _command(sub, "demo", WRITE + "demo", "fill an empty database with sample contacts")
    p.add_argument(
        "--remove", action="store_true", help="take back the untouched samples (tagged sample)"
    )


def _add_import(sub: Subparsers) -> None:
    from tui.cli.transfer import declare_import

    declare_import(
        _command(sub, "import", "tui.cli.transfer:run_import", "import CSV, vCard or followup JSON")
    )


def _add_export(sub: Subparsers) -> None:
    from tui.cli.transfer import declare_export

    declare_export(
        _command(sub, "export", "tui.cli.transfer:run_export", "export as JSON, CSV, ICS or vCard")
    )


def _add_review(sub: Subparsers) -> None:
    _command(sub, "review", "tui.cli.run:review", "open the dashboard in review mode")


COMMANDS: dict[str, Callable[[Subparsers], None]] = {
    "add": _add_add,
    "log": _add_log,
    "next": _add_next,
    "snooze": _add_snooze,
    "heat": _add_heat,
    "drop": _add_drop,
    "restore": _add_restore,
    "edit": _add_edit,
    "unlog": _add_unlog,
    "today": _add_today,
    "list": _add_list,
    "show": _add_show,
    "streak": _add_streak,
    "stats": _add_stats,
    "demo": _add_demo,
    "import": _add_import,
    "export": _add_export,
    "review": _add_review,
    "config": _add_config,
    "completion": _add_completion,
    "check": _add_check,
    "repair": _add_repair,
}


def _command_word(argv: Sequence[str]) -> str | None:
    """The sub-command named in `argv`, if one is and no top-level help is asked for."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in ("-h", "--help", "--version"):
            return None
        elif token == "--db":
            skip = True
        elif not token.startswith("-"):
            return token if token in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser; given `argv` naming a command, only that command is declared.

    Measured (2 cores, `followup today` on the 25-contact demo database, median of 60
    runs, CPU): declaring every one of the 20 commands costs about 6 ms of ~110 ms, so a
    quick command declares only its own."""
    parser = Parser(
        prog="followup",
        description="Who you owe a call, an email or a note today: hot, warm and cool.",
        epilog="Without a command, followup opens the dashboard.",
    )
    _db_option(parser, None)
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    word = _command_word(argv) if argv is not None else None
    for name, register in COMMANDS.items():
        if word is None or name == word:
            register(sub)
    return parser


def completion(args: argparse.Namespace) -> int:
    """`followup completion SHELL`: a completion script generated from the parser."""
    import shtab  # only this command pays for it

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0


def env_clock() -> Clock:
    """The system clock, or the moment in $FOLLOWUP_NOW."""
    raw = os.environ.get("FOLLOWUP_NOW", "").strip()
    if not raw:
        return SystemClock()
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(raw if "T" in raw or " " in raw else raw + "T12:00")
    except ValueError:
        raise InputError(f"FOLLOWUP_NOW is not an ISO date and time: {raw!r}") from None
    return FixedClock(moment if moment.tzinfo else moment.astimezone())


def _open_store(args: argparse.Namespace, clock: Clock) -> Any:
    from store.store import Store, database_path

    return Store(database_path(args.db), clock=clock)


def _on_a_terminal() -> bool:
    """Whether the keys come from a terminal and the screen goes to one."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _dashboard(store: Any, clock: Clock, *, review: bool = False) -> int:
    """Run the dashboard; an app that died of an error (Textual has shown its traceback)
    is a failure for the shell too."""
    from tui.app import FollowupApp  # Textual is imported here and only here

    app = FollowupApp(store, clock, review=True) if review else FollowupApp(store, clock)
    app.run()
    return app.return_code or 0


def review(store: Any, args: argparse.Namespace) -> int:
    """`followup review`: the dashboard, opened on the morning review."""
    return _dashboard(store, store.clock, review=True)


def _as_typed(arg: str) -> str:
    """An argument as the terminal sent it. Under an ASCII locale (LC_ALL=C without
    UTF-8 mode) Python keeps each non-ASCII byte as a lone surrogate, so "Zoë" would be
    stored as "Zo\ufffd\ufffd"; terminals send UTF-8, so read those bytes as UTF-8."""
    if not any("\udc80" <= ch <= "\udcff" for ch in arg):
        return arg
    try:
        return os.fsencode(arg).decode("utf-8", "surrogateescape")
    except UnicodeError:
        return arg


def _run(argv: Sequence[str] | None, clock: Clock | None) -> int:
    if argv is None:
        argv = [_as_typed(arg) for arg in sys.argv[1:]]
    try:
        args = build_parser(argv).parse_args(argv)
    except SystemExit as done:  # --help, --version
        return done.code if isinstance(done.code, int) else 0
    if args.command == "completion":
        return completion(args)
    clock = clock or env_clock()
    if args.command in (None, "review") and not _on_a_terminal():
        raise InputError("the dashboard needs a terminal; try followup today")
    if not getattr(args, "store", True):  # check, repair: the files without a Store
        from store.store import database_path
        from tui.cli.integrity import Target

        return _entry(args.run)(Target(database_path(args.db), clock), args)
    store = _open_store(args, clock)
    if args.command is None:
        return _dashboard(store, clock)
    return _entry(args.run)(store, args)


def _entry(where: str) -> Callable[[Any, argparse.Namespace], int]:
    """The function a command's "module:function" names, imported now."""
    module, function = where.split(":")
    run: Callable[[Any, argparse.Namespace], int] = getattr(import_module(module), function)
    return run


def _safe_stdout() -> None:
    """Characters the terminal cannot show become "?" instead of an error."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _say_error(message: str) -> None:
    from store.rules.text import clean

    line = " ".join(clean(str(message)).split()) or "unexpected error"
    try:
        sys.stderr.write(f"followup: {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run the command line; returns the exit code. `clock` replaces the system clock."""
    _safe_stdout()
    try:
        try:
            code = _run(argv, clock)
            sys.stdout.flush()
            return code
        except FollowupError as error:
            _say_error(str(error))
            return error.exit_code
        except KeyboardInterrupt:
            return 130
    except BrokenPipeError:
        # The reader went away (`followup list | head -1`): stop quietly. Point stdout
        # at /dev/null so that the interpreter's final flush does not fail again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 141
