"""Finding a contact by #id, exact name, unique prefix or unique substring."""

from __future__ import annotations

import pytest

from store.errors import Ambiguous, InputError, NotFound
from store.model import Contact
from store.rules.names import describe, match_contact
from tests.factories import make_contact

CONTACTS = [
    make_contact(id=1, name="Anna Berg", company="Acme"),
    make_contact(id=2, name="Anna Bergström", company="Nordic AB"),
    make_contact(id=3, name="Hannah Lee"),
    make_contact(id=4, name="Dan  Brown"),
    make_contact(id=12, name="Chris", company="Globex"),
    make_contact(id=13, name="Christine Ortiz"),
    make_contact(id=14, name="Joanna Smith"),
    make_contact(id=15, name="Zoë Ducroix"),
    make_contact(id=16, name="Łódź Office"),
]


def by_id(number: int) -> Contact:
    return next(c for c in CONTACTS if c.id == number)


@pytest.mark.parametrize(
    ("query", "expected_id"),
    [
        pytest.param("#12", 12, id="by-id"),
        pytest.param(" # 3 ", 3, id="by-id-spaced"),
        pytest.param("Anna Berg", 1, id="exact-also-a-prefix-of-another"),
        pytest.param("  anna   BERG ", 1, id="exact-case-and-whitespace"),
        pytest.param("dan brown", 4, id="stored-name-whitespace-collapsed"),
        pytest.param("anna bergs", 2, id="unique-prefix"),
        pytest.param("Hann", 3, id="prefix"),
        pytest.param("chris", 12, id="exact-beats-prefix-of-christine"),
        pytest.param("christ", 13, id="unique-prefix-christine"),
        pytest.param("ortiz", 13, id="unique-substring"),
        pytest.param("SMITH", 14, id="substring-case-insensitive"),
        pytest.param("berg", 1, id="a-word-of-the-name"),
        pytest.param("bergstr", 2, id="the-start-of-a-word"),
        pytest.param("zoe", 15, id="accents-folded"),
        pytest.param("ZOË duc", 15, id="accents-kept-in-the-query"),
        pytest.param("lodz", 16, id="a-letter-with-a-stroke"),
    ],
)
def test_match_contact(query: str, expected_id: int) -> None:
    assert match_contact(query, CONTACTS) is by_id(expected_id)


def test_prefix_beats_substring() -> None:
    contacts = [make_contact(id=1, name="Annika"), make_contact(id=2, name="Joanna")]
    assert match_contact("ann", contacts).id == 1  # "ann" is also inside "Joanna"


def test_ambiguous_with_three_names() -> None:
    contacts = [
        make_contact(id=3, name="Annika Lund"),
        make_contact(id=1, name="Anna Berg", company="Acme"),
        make_contact(id=7, name="Dan Brown"),
        make_contact(id=2, name="Anne Kim"),
    ]
    with pytest.raises(Ambiguous) as caught:
        match_contact("an", contacts)  # a prefix of three; "Dan Brown" only contains it
    assert str(caught.value) == (
        "'an' matches 3 contacts: Anna Berg (#1, Acme), Anne Kim (#2), Annika Lund (#3)"
    )
    assert caught.value.candidates == ["Anna Berg (#1, Acme)", "Anne Kim (#2)", "Annika Lund (#3)"]
    assert caught.value.exit_code == 2


def test_ambiguous_prefix_and_substring() -> None:
    with pytest.raises(Ambiguous) as caught:
        match_contact("anna", CONTACTS)
    assert caught.value.candidates == ["Anna Berg (#1, Acme)", "Anna Bergström (#2, Nordic AB)"]
    with pytest.raises(NotFound):  # inside words only: no part of a name starts so
        match_contact("nna", CONTACTS)


@pytest.mark.parametrize("query", ["tine", "nna", "annah", "rtiz", "oanna"])
def test_a_part_inside_a_word_matches_nothing(query: str) -> None:
    with pytest.raises(NotFound):
        match_contact(query, CONTACTS)


def test_anna_does_not_find_hannah() -> None:
    contacts = [make_contact(id=1, name="Hannah Fischer"), make_contact(id=2, name="Lena Berg")]
    with pytest.raises(NotFound):
        match_contact("anna", contacts)
    assert match_contact("berg", contacts).id == 2
    assert match_contact("fisch", contacts).id == 1


def test_a_word_after_a_hyphen_or_apostrophe_starts_a_word() -> None:
    contacts = [make_contact(id=1, name="Anna-Lena Voss"), make_contact(id=2, name="Sean O'Brien")]
    assert match_contact("lena", contacts).id == 1
    assert match_contact("brien", contacts).id == 2


def test_fold_takes_off_case_spaces_and_accents() -> None:
    from store.rules.names import fold

    assert fold("  Zoë   Ducroix ") == "zoe ducroix"
    assert fold("Søren Kierkegaard") == "soren kierkegaard"
    assert fold("STRAßE") == "strasse"
    assert fold("Ａｎｎａ") == "anna"  # full-width letters
    assert fold("Anna Berg") == "anna berg"


def test_two_contacts_with_the_same_name_are_ambiguous() -> None:
    twins = [make_contact(id=5, name="Sam Lee"), make_contact(id=6, name="sam lee")]
    with pytest.raises(Ambiguous) as caught:
        match_contact("Sam Lee", twins)
    assert caught.value.candidates == ["Sam Lee (#5)", "sam lee (#6)"]


def test_many_matches_are_listed_up_to_ten() -> None:
    many = [make_contact(id=i, name=f"Person {i:02d}") for i in range(1, 26)]
    with pytest.raises(Ambiguous) as caught:
        match_contact("person", many)
    assert len(caught.value.candidates) == 10
    assert str(caught.value).endswith("and 15 more")


@pytest.mark.parametrize(
    ("query", "message", "closest"),
    [
        ("#99", "no contact #99", None),
        ("Zelda", "no contact matches 'Zelda'", None),
        ("Anan Berg", "no contact matches 'Anan Berg'", "Anna Berg (#1, Acme)"),
        ("Hanna Lea", "no contact matches 'Hanna Lea'", "Hannah Lee (#3)"),
        ("ortis", "no contact matches 'ortis'", "Christine Ortiz (#13)"),
        ("smyth", "no contact matches 'smyth'", "Joanna Smith (#14)"),
    ],
)
def test_not_found_lists_close_names(query: str, message: str, closest: str | None) -> None:
    with pytest.raises(NotFound) as caught:
        match_contact(query, CONTACTS)
    assert str(caught.value) == message
    assert caught.value.exit_code == 2
    candidates = caught.value.candidates
    if closest is None:
        assert candidates == []
    else:
        assert candidates[0] == closest  # the closest first
        assert "Dan Brown (#4)" not in candidates  # nothing alike


def test_not_found_lists_at_most_five() -> None:
    many = [make_contact(id=i, name=f"Alex Mayer{i}") for i in range(1, 9)]
    with pytest.raises(NotFound) as caught:
        match_contact("Alex Meyer", many)
    assert len(caught.value.candidates) == 5


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_query_is_an_input_error(query: str) -> None:
    with pytest.raises(InputError) as caught:
        match_contact(query, CONTACTS)
    assert not isinstance(caught.value, NotFound | Ambiguous)


def test_no_contacts_at_all() -> None:
    with pytest.raises(NotFound):
        match_contact("anna", [])


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"id": 12, "name": "Anna Berg", "company": "Acme"}, "Anna Berg (#12, Acme)"),
        ({"id": 3, "name": "Hannah Lee", "company": ""}, "Hannah Lee (#3)"),
        ({"id": 7, "name": " Dan   Brown ", "company": " Big  Co "}, "Dan Brown (#7, Big Co)"),
        ({"id": 0, "name": "New Person", "company": ""}, "New Person"),
    ],
)
def test_describe(fields: dict[str, object], text: str) -> None:
    assert describe(make_contact(**fields)) == text
