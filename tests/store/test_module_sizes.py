"""Each module does one job: none in store/, widgets/ or tui/ grows past 450 lines."""

from __future__ import annotations

from tests.paths import ROOT

LIMIT = 450


def test_no_module_is_over_450_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for folder in ("store", "widgets", "tui")
        for path in sorted((ROOT / folder).rglob("*.py"))
    }
    assert len(sizes) > 60, "store/, widgets/ or tui/ was not found"
    over = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert not over, f"split these by job: {over}"
