"""A contact named by "#id" on the command line is read alone, not with every contact;
what it says when that contact is dropped, active or missing stays as for a name."""

from __future__ import annotations

from typing import Any

import pytest

from store.store import Store
from tests.conftest import Env


def _no_full_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> Any:
        raise AssertionError("every contact was built for an #id")

    monkeypatch.setattr(Store, "contacts", refused)
    monkeypatch.setattr(Store, "contacts_named", refused)
    monkeypatch.setattr(Store, "dropped", refused)


def test_log_by_id_builds_only_that_contact(
    cli: Any, tmp_store: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_full_build(monkeypatch)
    result = cli("log", "# 2", "--via", "c")
    assert result.code == 0, result.err
    assert result.out.startswith("logged call with Marco Rossi ")
    uid = Store(tmp_store.path).contact_by_id(2).uid
    assert len(Store(tmp_store.path).touches(uid)) == 1


def test_restore_by_id_builds_only_that_contact(
    cli: Any, tmp_store: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_store.store.update_fields(tmp_store.uid("Omar Diaz"), {"status": "dropped"})
    _no_full_build(monkeypatch)
    result = cli("restore", "#5")
    assert result.code == 0, result.err
    assert Store(tmp_store.path).contact_by_id(5).status == "active"


@pytest.mark.parametrize(
    ("argv", "drop", "message"),
    [
        (["log", "#5"], True,
         "followup: Omar Diaz is dropped: followup restore '#5'\n"),
        (["restore", "#1"], False,
         "followup: Anna Berg (#1, Northwind Traders) is active, not dropped\n"),
        (["log", "#99"], False, "followup: no contact #99\n"),
    ],
)  # fmt: skip
def test_an_id_outside_the_pool_says_why_as_before(
    cli: Any, tmp_store: Env, argv: list[str], drop: bool, message: str
) -> None:
    if drop:
        tmp_store.store.update_fields(tmp_store.uid("Omar Diaz"), {"status": "dropped"})
    result = cli(*argv)
    assert (result.code, result.out, result.err) == (2, "", message)


def test_an_id_whose_record_cannot_be_read_is_not_found(cli: Any, tmp_store: Env) -> None:
    text = tmp_store.path.read_text().replace('"name":"Anna Berg"', '"name":7', 1)
    assert text != tmp_store.path.read_text()
    tmp_store.path.write_text(text)
    result = cli("log", "#1")
    assert result.code == 2
    assert result.err == "followup: no contact #1\n"
