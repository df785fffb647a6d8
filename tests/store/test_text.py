"""Safe text: nothing that can drive a terminal survives `clean`; names and notes are checked."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import InputError
from store.model import NAME_MAX, TEXT_MAX
from store.rules.text import check_name, check_text, clean, clean_block

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Pieces that hypothesis mixes into text: escape-sequence openers and terminators.
NASTY = [
    "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b\\", "\x07", "\x9b", "\x9c", "\x9d", "\x90",
    "\r", "\n", "\t", "\x00", "\x7f", "\x85", "\u2028", "\ufeff", "[2J", "31m", ";", *BIDI,
]  # fmt: skip
nasty_text = st.lists(st.sampled_from(NASTY) | st.text(max_size=4), max_size=12).map("".join)
any_text = st.text() | nasty_text


def terminal_unsafe(text: str, *, allow_newline: bool = False) -> list[str]:
    """The characters of `text` that must never reach a terminal."""
    return [
        ch
        for ch in text
        if (unicodedata.category(ch) in ("Cc", "Cs") and not (allow_newline and ch == "\n"))
        or ch in BIDI
        or ch == "\ufeff"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anna Berg", "Anna Berg"),
        ("Zoë Ångström-Øre 山田", "Zoë Ångström-Øre 山田"),
        ("\x1b[2Jwiped", "wiped"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[?25lhidden cursor", "hidden cursor"),
        ("\x1b]0;title\x07Anna", "Anna"),
        ("\x1b]0;title\x1b\\Anna", "Anna"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b31mred", "red"),
        ("\x9d0;title\x9cAnna", "Anna"),
        ("\x1bPq#0;2;0;0;0\x1b\\sixel", "sixel"),
        ("\x1b(Bplain", "plain"),
        ("\x1bcreset", "reset"),
        ("\x1b]0;never closed", ""),
        ("trailing escape\x1b", "trailing escape"),
        ("half a CSI \x1b[31", "half a CSI 31"),
        ("bell\x07 null\x00 del\x7f nel", "bell null del nel"),
        ("a\rb", "a b"),
        ("over\rwrite", "over write"),
        ("one\ntwo", "one two"),
        ("one\r\n\r\ntwo", "one two"),
        ("tab\t\tbed", "tab bed"),
        ("a \n b", "a b"),
        ("line\u2028sep", "line sep"),
        ("\u202eevil\u202c name", "evil name"),
        ("\u2066iso\u2069late", "isolate"),
        ("\ufeffBOM", "BOM"),
        ("bad \udcff byte", "bad \ufffd byte"),
        ("", ""),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\ntwo", "one\ntwo"),
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("para\n\nbreak", "para\n\nbreak"),
        ("tab\t\there", "tab here"),
        ("\x1b[2J\x1b]0;t\x07note\x00", "note"),
        ("a\x0bb\x0cc\x85d\u2029e", "a\nb\nc\nd\ne"),
        ("\u202eevil", "evil"),
    ],
)
def test_clean_block(raw: str, expected: str) -> None:
    assert clean_block(raw) == expected


@pytest.mark.parametrize("sequence", ["\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\"])
@pytest.mark.parametrize("function", [clean, clean_block])
def test_no_escape_survives(sequence: str, function: Callable[[str], str]) -> None:
    for where in (f"{sequence}x", f"x{sequence}", f"x{sequence}y", sequence * 3):
        result = function(where)
        assert "\x1b" not in result
        assert "]0;" not in result and "[2J" not in result and "http" not in result


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_clean_leaves_nothing_for_the_terminal(text: str) -> None:
    result = clean(text)
    assert terminal_unsafe(result) == []
    assert "\x1b" not in result
    assert clean(result) == result  # idempotent


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_clean_block_keeps_only_newlines(text: str) -> None:
    result = clean_block(text)
    assert terminal_unsafe(result, allow_newline=True) == []
    assert clean_block(result) == result
    assert "\n" not in clean(result)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"])))
def test_clean_keeps_printable_text(text: str) -> None:
    if "\ufeff" not in text and not any(ch in BIDI for ch in text):
        assert clean(text) == text
        assert clean_block(text) == text


def test_clean_is_fast() -> None:
    names = [f"Contact {i} at Company {i % 97}" for i in range(5_000)]
    names[::50] = [f"\x1b[31mBad {i}\x1b[0m\n" for i in range(100)]
    start = time.perf_counter()
    for name in names:
        clean(name)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.25  # a few ms in practice; generous for a loaded CI machine


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anna Berg", "Anna Berg"),
        ("  Anna   Berg  ", "Anna Berg"),
        ("Anna\tBerg\n", "Anna Berg"),
        ("\x1b[31mAnna\x1b[0m Berg", "Anna Berg"),
        ("An\x00na", "Anna"),
        ("\u202eAnna", "Anna"),
        ("x" * NAME_MAX, "x" * NAME_MAX),
        (" " + "x" * NAME_MAX + " ", "x" * NAME_MAX),
    ],
)
def test_check_name(raw: str, expected: str) -> None:
    assert check_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", "\x1b[2J", "\x00\x07"])
def test_check_name_requires_a_name(raw: str) -> None:
    with pytest.raises(InputError, match=r"^a name is required$"):
        check_name(raw)


def test_check_name_limits_length() -> None:
    with pytest.raises(InputError) as caught:
        check_name("x" * 500)
    assert str(caught.value) == "a name can be at most 200 characters (got 500)"
    with pytest.raises(InputError, match=r"\(got 201\)"):
        check_name("x" * (NAME_MAX + 1))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_check_name_stores_only_clean_names(text: str) -> None:
    try:
        name = check_name(text)
    except InputError as error:
        assert str(error).startswith("a name ")
        return
    assert name == name.strip() and 1 <= len(name) <= NAME_MAX
    assert "  " not in name
    assert terminal_unsafe(name) == []
    assert check_name(name) == name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  call back on Friday  ", "call back on Friday"),
        ("line one\r\nline two\n", "line one\nline two"),
        ("\x1b]0;x\x07said \x1b[1myes\x1b[0m", "said yes"),
        ("tab\tstop", "tab stop"),
        ("", ""),
    ],
)
def test_check_text(raw: str, expected: str) -> None:
    assert check_text(raw, "note") == expected


def test_check_text_limits_length_naming_the_field() -> None:
    assert check_text("x" * TEXT_MAX, "note") == "x" * TEXT_MAX
    with pytest.raises(InputError) as caught:
        check_text("x" * (TEXT_MAX + 1), "note")
    assert str(caught.value) == "the note can be at most 10000 characters (got 10001)"
    with pytest.raises(InputError, match=r"^the goal can be at most 5 characters \(got 6\)$"):
        check_text("abcdef", "goal", limit=5)
    assert check_text("  abcde  ", "goal", limit=5) == "abcde"
