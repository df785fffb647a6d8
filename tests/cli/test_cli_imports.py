"""The command line's import contract, read from the source (beside the runtime check of
tests/cli/test_no_textual.py and pyproject's import-linter contracts): no module in
tui/cli/ imports Textual, rich, widgets/, the dashboard (tui.dashboard, tui.screens,
tui.modals, tui.app) or the entry point that starts it, at the top or inside a function,
except `python -m tui.cli` (tui/cli/__main__.py), which is the program itself; the entry
point (tui/entry.py) imports the dashboard only inside its `dashboard`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

CLI = ROOT / "tui" / "cli"
FORBIDDEN = (
    "textual",
    "rich",
    "widgets",
    "tui.dashboard",
    "tui.screens",
    "tui.modals",
    "tui.app",
    "tui.entry",
)
# (module file, enclosing function, imported module): the only allowed exception.
ALLOWED = {("__main__.py", "", "tui.entry")}


def _imports(path: Path) -> list[tuple[str, str]]:
    """(enclosing function or "", module) of every import in `path`, relative ones
    resolved against the tui.cli package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if isinstance(child, ast.Import):
                found.extend((inner, alias.name) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = ["tui", "cli"][: max(0, 3 - child.level)]
                    base = ".".join([*package, base] if base else package)
                found.append((inner, base))
                found.extend((inner, f"{base}.{alias.name}") for alias in child.names)
            elif (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name | ast.Attribute)
                and getattr(child.func, "id", getattr(child.func, "attr", "")) == "import_module"
                and child.args
                and isinstance(child.args[0], ast.Constant)
                and isinstance(child.args[0].value, str)
            ):
                found.append((inner, child.args[0].value))
            visit(child, inner)

    visit(tree, "")
    return found


def _allowed(file: str, function: str, module: str) -> bool:
    return any(
        (file, function) == (f, fn) and (module == m or module.startswith(m + "."))
        for f, fn, m in ALLOWED
    )


def _forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


MODULES = sorted(CLI.glob("*.py"))


def test_every_module_is_checked() -> None:
    names = {p.name for p in MODULES}
    assert {"run.py", "args.py", "commands.py", "views.py", "output.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_cli_module_imports_the_interface(path: Path) -> None:
    bad = [
        (function, module)
        for function, module in _imports(path)
        if _forbidden(module) and not _allowed(path.name, function, module)
    ]
    assert bad == []


def test_the_program_is_the_one_exception() -> None:
    found = [(f, m) for path in MODULES for f, m in _imports(path) if _forbidden(m)]
    assert found == [("", "tui.entry"), ("", "tui.entry.run")]


def test_the_entry_point_imports_the_dashboard_only_when_it_runs() -> None:
    found = [(f, m) for f, m in _imports(ROOT / "tui" / "entry.py") if _forbidden(m)]
    assert found == [("dashboard", "tui.app"), ("dashboard", "tui.app.FollowupApp")]


def test_the_checker_sees_imports_everywhere(tmp_path: Path) -> None:
    """The checker itself: a forbidden import at the top, in a function, relative or
    through import_module is found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import textual.app\n"
        "from rich import print\n"
        "def f():\n"
        "    from ..dashboard import screen\n"
        "    import_module('widgets.heat_column')\n",
        encoding="utf-8",
    )
    modules = {m for _f, m in _imports(sample)}
    assert {"textual.app", "rich", "tui.dashboard", "widgets.heat_column"} <= modules
    assert all(_forbidden(m) for m in ("textual.app", "rich", "tui.dashboard", "widgets.x"))
