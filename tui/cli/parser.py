"""What the command line accepts: the parser, and one small `_add_<name>` function per
command that declares its arguments and names the function that runs it (a `Run`,
imported there, so a quick command loads only its own module). Add a command with one
such function and one line in `COMMANDS`; `tui.cli.run` runs what was parsed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from store.errors import InputError
from tui.cli.help_format import Formatter
from tui.cli.version import VersionAction

if TYPE_CHECKING:
    from store.store import Store
    from tui.cli.integrity import Target

Subparsers = Any  # argparse's private _SubParsersAction
Run = Callable[["Store", argparse.Namespace], int]
"""A command: runs on the open store with the parsed arguments, returns the exit code."""
FilesRun = Callable[["Target", argparse.Namespace], int]
"""A command on the database's files without a Store (check, repair: a Store refuses the
very damage they are for)."""


class UsageError(InputError):
    """A command line argparse could not understand (exit code 2)."""


class StoreValue(argparse.Action):
    """argparse's "store", except for a value that is "--" itself (`--note=--`, or `--`
    after the `--` that ends the options): Python 3.11's argparse takes it for the end of
    the options, drops it and stores an empty list. It is stored as typed; where the value
    must be of a type or one of some choices, "--" is none of them: a usage error."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if values == [] and self.nargs is None:
            if self.type is not None or self.choices is not None:
                parser.error(
                    f"argument {option_string or self.metavar or self.dest}: invalid value '--'"
                )
            values = "--"
        setattr(namespace, self.dest, values)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2 through `main`, and a
    value "--" is kept (`StoreValue`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if kwargs.get("action", "store") == "store":
            kwargs["action"] = StoreValue
        return super().add_argument(*args, **kwargs)

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


def _command(sub: Subparsers, name: str, run: Run | None, text: str) -> Parser:
    """A sub-command that `run` runs on the open store; None: a front end that needs
    Textual (the dashboard, the web server), handed to `main` by the entry point
    (`completion`, the one command that opens no database, is run by `_run`)."""
    parser: Parser = sub.add_parser(name, help=text, description=text)
    _db_option(parser, argparse.SUPPRESS)  # --db also after the sub-command
    parser.set_defaults(run=run)
    return parser


def _files_command(sub: Subparsers, name: str, run: FilesRun, text: str) -> Parser:
    """A sub-command that `run` runs on the database's files, no Store opened."""
    parser = _command(sub, name, None, text)
    parser.set_defaults(run_files=run)
    return parser


def _name(parser: argparse.ArgumentParser, *, words: bool = True) -> None:
    help_text = "#id, full name, or a unique part that starts a word (accents aside)"
    if words:
        parser.add_argument("name", metavar="NAME", nargs="+", help=help_text)
    else:
        parser.add_argument("name", metavar="NAME", help=help_text)


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def _add_add(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "add", commands.add, "add a contact (due tomorrow unless --due/--next)")
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
    from tui.cli import commands

    p = _command(
        sub,
        "log",
        commands.log,
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
    from tui.cli import commands

    p = _command(sub, "next", commands.next_step, "set the next step (due by the cadence)")
    _name(p, words=False)
    p.add_argument("text", metavar="TEXT", help="the next step")
    p.add_argument("--due", metavar="DATE", help="when it is due")
    _json(p)


def _add_snooze(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "snooze", commands.snooze, "move the next step to a later date")
    _name(p, words=False)
    p.add_argument("date", metavar="DATE")
    _json(p)


def _add_heat(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "heat", commands.heat, "move a contact to hot, warm or cool")
    _name(p, words=False)
    p.add_argument("heat", metavar="hot|warm|cool")
    _json(p)


def _add_drop(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "drop", commands.drop, "stop following up (asks first; the archive keeps it)")
    _name(p)
    p.add_argument("--reason", metavar="R", default="")
    p.add_argument("--yes", action="store_true", help="do not ask (needed off a terminal)")
    _json(p)


def _add_restore(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "restore", commands.restore, "bring a dropped contact back")
    _name(p)
    _json(p)


def _add_edit(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "edit", commands.edit, "change a contact's details")
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
    from tui.cli import commands

    p = _command(sub, "unlog", commands.unlog, "remove a contact's newest touch (asks first)")
    _name(p)
    p.add_argument("--yes", action="store_true", help="do not ask (needed off a terminal)")
    _json(p)


def _add_config(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "config", commands.config, "show or set a setting; shows the database")
    p.add_argument("key", metavar="KEY", nargs="?", help="cadence.hot, rest-days, ...")
    p.add_argument("value", metavar="VALUE", nargs="?", help="the new value")
    _json(p)


def _add_completion(sub: Subparsers) -> None:
    p = _command(sub, "completion", None, "print a shell completion script")
    p.add_argument("shell", metavar="bash|zsh|fish", choices=("bash", "zsh", "fish"))


def _add_today(sub: Subparsers) -> None:
    from tui.cli import views

    p = _command(sub, "today", views.today, "overdue and due today, by heat, and the streak")
    _json(p)


def _add_list(sub: Subparsers) -> None:
    from tui.cli import views

    p = _command(sub, "list", views.listing, "contacts in dashboard order")
    p.add_argument("--heat", metavar="H", help="only hot, warm or cool")
    p.add_argument("--all", action="store_true", help="include dropped contacts")
    _json(p)


def _add_show(sub: Subparsers) -> None:
    from tui.cli import views

    p = _command(sub, "show", views.show, "one contact: details, hints and history")
    _name(p)
    _json(p)


def _add_streak(sub: Subparsers) -> None:
    from tui.cli import views

    _json(_command(sub, "streak", views.streak, "the daily streak"))


def _add_stats(sub: Subparsers) -> None:
    from tui.cli import views

    _json(_command(sub, "stats", views.stats, "answer rate of each channel"))


def _add_demo(sub: Subparsers) -> None:
    from tui.cli import commands

    p = _command(sub, "demo", commands.demo, "fill an empty database with sample contacts")
    p.add_argument(
        "--remove", action="store_true", help="take back the untouched samples (tagged sample)"
    )


def _add_import(sub: Subparsers) -> None:
    from tui.cli.transfer import declare_import, run_import

    declare_import(_command(sub, "import", run_import, "import CSV, vCard or followup JSON"))


def _add_export(sub: Subparsers) -> None:
    from tui.cli.transfer import declare_export, run_export

    declare_export(_command(sub, "export", run_export, "export as JSON, CSV, ICS or vCard"))


def _add_check(sub: Subparsers) -> None:
    from tui.cli.integrity import check

    text = "verify both files, the pair, the derived files and the backups (exit 1: a problem)"
    _files_command(sub, "check", check, text)


def _add_repair(sub: Subparsers) -> None:
    from tui.cli.integrity import repair

    text = "after a backup: set damaged lines aside, accept an older journal, rebuild"
    p = _files_command(sub, "repair", repair, text)
    p.add_argument("--yes", action="store_true", help="do not ask (needed off a terminal)")


def _add_review(sub: Subparsers) -> None:
    _command(sub, "review", None, "open the dashboard in review mode")


def _add_web(sub: Subparsers) -> None:
    from tui.web.options import declare  # argparse only: the server is handed in (tui/entry.py)

    declare(_command(sub, "web", None, "the dashboard in a browser, an ICS feed"))


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
    "web": _add_web,
}


def _first_word(argv: Sequence[str]) -> str | None:
    """The word in the command's place in `argv` (known or not), if no top-level help is
    asked for."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in ("-h", "--help", "--version"):
            return None
        elif token == "--db":
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def command_word(argv: Sequence[str]) -> str | None:
    """The sub-command named in `argv`, if one is and no top-level help is asked for."""
    word = _first_word(argv)
    return word if word in COMMANDS else None


def check_command(argv: Sequence[str]) -> None:
    """An unknown command is one line with the nearest known one ("followup tody": did you
    mean today?), not argparse's list of every command."""
    word = _first_word(argv)
    if word is None or word in COMMANDS:
        return
    from difflib import get_close_matches

    near = get_close_matches(word.casefold(), COMMANDS, n=1, cutoff=0.6)
    hint = f"did you mean {near[0]}?" if near else "see 'followup --help'"
    raise InputError(f"unknown command {' '.join(word.split())[:40]!r}: {hint}")


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
    word = command_word(argv) if argv is not None else None
    for name, register in COMMANDS.items():
        if word is None or name == word:
            register(sub)
    return parser


def completion(args: argparse.Namespace) -> int:
    """`followup completion SHELL`: a completion script generated from the parser."""
    import shtab  # only this command pays for it

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0
