"""The fast and the careful record parsers of store/model.py agree on every document."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from store.model import (
    CHANNELS,
    DIRECTIONS,
    HEATS,
    KINDS,
    OUTCOMES,
    STATUSES,
    BadRecord,
    Contact,
    Touch,
)

# Values near the edges of each field: good ones, blank ones, wrong types.
_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", " ", "\t", "x", "2026-11-30", "2026-11-30T09:00:00+01:00",
                     "2026-11-30T09:00:00", "not a date", "call", "hot", "active"]),
    st.lists(st.sampled_from(["a", "", " ", 1]), max_size=3),
)  # fmt: skip
_MOMENT = st.sampled_from(
    ["2026-11-30T09:00:00+01:00", "2026-11-30T09:00:00Z", "2026-11-30T09:00:00", "x", ""]
)
_TEXT = st.sampled_from(["Anna", "", " ", "  \n", "a-uid"])


def _field(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(good, _ANY)


_CONTACT = st.fixed_dictionaries(
    {
        "uid": _field(_TEXT),
        "name": _field(_TEXT),
        "created_at": _field(_MOMENT),
        "updated_at": _field(_MOMENT),
    },
    optional={
        "company": _field(_TEXT),
        "kind": _field(st.sampled_from(KINDS)),
        "heat": _field(st.sampled_from(HEATS)),
        "status": _field(st.sampled_from(STATUSES)),
        "channel": _field(st.sampled_from(CHANNELS)),
        "value": _ANY,
        "cadence_days": _ANY,
        "tags": _ANY,
        "next_due": _field(st.sampled_from(["2026-12-01", "2026-13-01"])),
        "dropped_on": _ANY,
        "do_not_contact": _ANY,
        "next_step": _field(_TEXT),
    },
)
_TOUCH = st.fixed_dictionaries(
    {
        "uid": _field(_TEXT),
        "contact_uid": _field(_TEXT),
        "at": _field(_MOMENT),
        "channel": _field(st.sampled_from(CHANNELS)),
        "outcome": _field(st.sampled_from(OUTCOMES)),
    },
    optional={"direction": _field(st.sampled_from(DIRECTIONS)), "note": _field(_TEXT)},
)


def _careful(parse: Any, doc: dict[str, Any]) -> Any:
    try:
        return parse(doc, 7)
    except BadRecord as error:
        return ("refused", str(error))


def _either(cls: Any, doc: dict[str, Any]) -> Any:
    try:
        return cls.from_doc(doc, 7)
    except BadRecord as error:
        return ("refused", str(error))


@settings(max_examples=600, deadline=None)
@given(_CONTACT)
def test_the_fast_and_careful_contact_parsers_agree(doc: dict[str, Any]) -> None:
    assert _either(Contact, doc) == _careful(Contact._from_any_doc, doc)


@settings(max_examples=600, deadline=None)
@given(_TOUCH)
def test_the_fast_and_careful_touch_parsers_agree(doc: dict[str, Any]) -> None:
    assert _either(Touch, doc) == _careful(Touch._from_any_doc, doc)


def test_a_blank_uid_is_refused_by_both_paths() -> None:
    good = {"uid": " ", "name": "Anna", "created_at": "2026-11-30T09:00:00+00:00",
            "updated_at": "2026-11-30T09:00:00+00:00"}  # fmt: skip
    for parse in (Contact.from_doc, Contact._from_any_doc):
        try:
            parse(good, 1)
        except BadRecord as error:
            assert "'uid' is empty" in str(error)
        else:
            raise AssertionError("a blank uid was accepted")
