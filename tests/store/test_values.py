"""One value grammar (store/rules/values.py) for the form and the command line."""

from __future__ import annotations

from typing import Any

import pytest

from store.errors import InputError
from store.rules.values import VALUE_MAX, parse_value
from tui.cli.run import main
from tui.modals.contact_form import _value_text

READ = [
    ("12000", 12000.0),
    ("12,000", 12000.0),
    (" 12,000 ", 12000.0),
    ("12 000", 12000.0),
    ("12\u00a0000", 12000.0),
    ("12_000", 12000.0),
    ("1,250,000", 1_250_000.0),
    ("12k", 12000.0),
    ("12K", 12000.0),
    ("12 k", 12000.0),
    ("$12k", 12000.0),
    ("$ 12k", 12000.0),
    ("€12k", 12000.0),
    ("12k€", 12000.0),
    ("£750", 750.0),
    ("1.5m", 1_500_000.0),
    ("1.5M", 1_500_000.0),
    ("0.1k", 100.0),
    ("750.25", 750.25),
    ("1,250.50", 1250.5),
    ("12.000k", 12000.0),
    ("0.125", 0.125),
    (".5", 0.5),
    ("0", 0.0),
    ("1,000,000,000,000,000", VALUE_MAX),
    ("1000000000m", VALUE_MAX),
]

REFUSED = [
    ("12,5", "could be read two ways"),
    ("12,50", "could be read two ways"),
    ("1,2,3", "could be read two ways"),
    ("12.000,50", "could be read two ways"),
    ("12.000", "could be read two ways: write 12000 or 12"),
    ("1.250", "write 1250 or 1.25"),
    ("12,0000", "could be read two ways"),
    ("12 00", "a value is a number"),
    ("1,000 000", "a value is a number"),
    ("", "a value is a number"),
    ("abc", "a value is a number"),
    ("12kk", "a value is a number"),
    ("1e15", "a value is a number"),
    ("inf", "a value is a number"),
    ("nan", "a value is a number"),
    ("$", "a value is a number"),
    ("-", "can't be negative"),
    ("5.", "a value is a number"),
    ("$$5", "a value is a number"),
    ("1,000,000,000,000,001", "at most 1,000,000,000,000,000"),
    ("1000000001m", "at most"),
    ("-2,500", "can't be negative"),
    ("-0.5k", "can't be negative"),
    ("+5", "a value is a number"),
]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_a_value_is_read_as_people_type_it(text: str, expected: float) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_a_value_that_spells_no_number_or_two_is_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match="^.*" + message.replace("$", r"\$")):
        parse_value(text)


@pytest.mark.parametrize("value", [12000.0, 1250.5, 1.125, 0.125, 3.5, 0.00001, VALUE_MAX])
def test_the_form_shows_a_stored_value_in_a_spelling_it_reads_back(value: float) -> None:
    assert parse_value(_value_text(value)) == value


@pytest.mark.parametrize(("text", "expected"), [("12k", 12000.0), ("$1.5m", 1_500_000.0)])
def test_add_value_uses_the_same_grammar(tmp_store: Any, text: str, expected: float) -> None:
    db = str(tmp_store.path)
    assert main(["--db", db, "add", "Vera Lund", "--value", text], clock=tmp_store.clock) == 0
    [vera] = [c for c in tmp_store.other_store().contacts() if c.name == "Vera Lund"]
    assert vera.value == expected


@pytest.mark.parametrize("text", ["12,5", "1e18", "2,000,000,000,000,000", "twelve"])
def test_add_refuses_what_the_form_refuses_and_writes_nothing(
    tmp_store: Any, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    before = tmp_store.path.read_bytes()
    db = str(tmp_store.path)
    assert main(["--db", db, "add", "Vera Lund", "--value", text], clock=tmp_store.clock) == 2
    err = capsys.readouterr().err
    assert err.startswith("followup: --value: ") and err.count("\n") == 1
    with pytest.raises(InputError) as refused:
        parse_value(text)
    assert str(refused.value) in err
    assert tmp_store.path.read_bytes() == before
