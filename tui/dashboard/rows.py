"""The dashboard's three heat columns: the board drawn into them, and the focus.

`Columns` holds the HeatColumn widgets and which of them has the focus; it draws what
the board (tui.dashboard.board, no Textual) says: every row, one row's move after a
change, the markers once the thread has read them.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from typing import overload

from store.collector import no_gc
from store.model import HEATS, Contact, Heat, Settings
from tui.dashboard.board import Board, RowMove, insertion_index
from widgets.heat_column import HeatColumn, Row

FIRST_ROWS = 24  # rows per column drawn before the first paint; the rest right after


# Data that lives as long as the dashboard (5,000 contacts, 50,000 touches) is built
# without the cyclic collector running in the middle of it. The app freezes once, after
# its first frame (tui.app), and once more when the first full read of the markers has
# built the rest (`settle`); freezing after every change would keep every reference
# cycle of that moment (an old screen, an old reader's records) out of reach of the
# collector forever.
long_lived = no_gc


def settle() -> None:
    """Freeze what the first full read built (every row, every history): else every
    full collection walks it again (80-130 ms, now and then, in the middle of another
    process's change). Called once per dashboard (BoardView)."""
    gc.freeze()


class Columns:
    """The HOT / WARM / COOL columns showing `board`, and the one with the focus."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.by_heat: dict[Heat, HeatColumn] = {
            heat: HeatColumn(heat, id=f"col-{heat}", classes=f"heat-{heat}") for heat in HEATS
        }
        self._index = 0
        self._narrow = False

    @property
    def index(self) -> int:
        """Of the column with the focus (or that had it last): the one a narrow
        dashboard shows (its class `-current`, kept only while narrow: a class changed
        restyles its column, 8-14 ms a switch on the heavy database, for nothing on a
        wide board, which shows every column)."""
        return self._index

    @index.setter
    def index(self, index: int) -> None:
        if index == self._index:
            return
        if self._narrow:
            self.current.remove_class("-current")
        self._index = index
        if self._narrow:
            self.current.add_class("-current")

    def narrow(self, narrow: bool) -> None:
        """The dashboard became narrow (one column shown: the current one) or wide;
        called as its width's class changes, so in the same restyle."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        for index, column in enumerate(self.all):
            column.set_class(narrow and index == self._index, "-current")

    def counts(self) -> tuple[tuple[str, str], ...]:
        """Each heat and the count its column's title shows."""
        return tuple((heat, column.count) for heat, column in self.by_heat.items())

    # -- reading -------------------------------------------------------------------

    @property
    def all(self) -> list[HeatColumn]:
        return list(self.by_heat.values())

    def of(self, heat: Heat) -> HeatColumn:
        return self.by_heat[heat]

    @property
    def current(self) -> HeatColumn:
        return self.all[self.index]

    @property
    def current_uid(self) -> str | None:
        uid = self.current.highlighted_uid
        return uid if uid in self.board.contacts else None

    def first_with_rows(self) -> int:
        for index, column in enumerate(self.all):
            if column.rows:
                return index
        return 0

    def with_rows(self) -> int:
        """The current column if it has rows, else the first that has."""
        return self.index if self.current.rows else self.first_with_rows()

    # -- the focus -------------------------------------------------------------------

    def focus(self, index: int) -> None:
        self.index = index % len(HEATS)
        self.current.focus()

    def focused(self, column: HeatColumn) -> None:
        self.index = self.all.index(column)

    def follow(self, uid: str) -> None:
        """Put the focus on the column that holds contact `uid`."""
        contact = self.board.contacts.get(uid)
        if contact is None:
            return
        index = HEATS.index(contact.heat)
        if index != self.index and self.current.has_focus:
            self.focus(index)
        elif index != self.index:
            self.index = index
        self.of(contact.heat).select_uid(uid)

    def stay_at(self, column: HeatColumn, position: int) -> None:
        """Highlight row `position` of `column` (or its last); an emptied column hands
        the focus to the first column with rows."""
        if not column.rows:
            if column is self.current:
                self.focus(self.first_with_rows())
            return
        column.highlighted = min(position, len(column.rows) - 1)

    # -- drawing ---------------------------------------------------------------------

    def draw(
        self,
        ordered: Mapping[Heat, list[Row]],
        *,
        keep: str | None,
        first_paint: bool,
    ) -> None:
        """Every row of every column (at the first paint, the counts are of all contacts
        while only the first rows are known)."""
        counts = self.board.heat_counts
        for heat, rows in ordered.items():
            total = counts[heat]
            shown = total if first_paint else len(rows)
            self.of(heat).set_rows(rows, total=total, shown=shown, keep=keep, first=FIRST_ROWS)

    def move(self, move: RowMove, settings: Settings, *, follow: bool = True) -> None:
        """Make the row move of one change (`follow`: see HeatColumn.place)."""
        counts = self.board.heat_counts
        if move.old_heat is not None:
            self.of(move.old_heat).remove_row(move.uid, total=counts[move.old_heat])
        contact = move.contact
        if move.new_heat is None or contact is None:
            return
        column = self.of(move.new_heat)
        others = _Others(column.rows, column.index_of(contact.uid))
        index = insertion_index(others, contact, self.board.today, settings)
        row = Row.from_contact(contact, self.board.today, self.board.marker(contact))
        column.place(row, index, total=counts[move.new_heat], follow=follow)

    def mark(self, uid: str, marker: str) -> None:
        contact = self.board.contacts.get(uid)
        if contact is not None:
            self.of(contact.heat).set_marker(uid, marker)

    def mark_all(self, markers: dict[str, str]) -> None:
        for column in self.all:
            column.set_markers(markers)


class _Others(Sequence[Contact]):
    """The contacts of a column's rows without the one at `without` (None: all of
    them), for a binary search, without copying the column."""

    def __init__(self, rows: list[Row], without: int | None) -> None:
        self.rows = rows
        self.without = len(rows) if without is None else without

    def __len__(self) -> int:
        return len(self.rows) - (self.without < len(self.rows))

    @overload
    def __getitem__(self, index: int) -> Contact: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Contact]: ...
    def __getitem__(self, index: int | slice) -> Contact | Sequence[Contact]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self.rows[index + (index >= self.without)].contact
