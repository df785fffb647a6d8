"""An email that is not one is refused by the store (add, edit) as a one-line InputError;
an empty email is no email."""

from __future__ import annotations

import pytest

from store import actions
from store.errors import InputError
from store.model import Contact
from store.rules.emails import email_problem
from tests.conftest import NOW, Env


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("anna@example.com", None),
        ("a.b+tag@sub.example.co.uk", None),
        ("zoë@bücher.de", None),
        ("", None),
        ("anna.example.com", "it has no @"),
        ("anna @example.com", "it has a space in it"),
        ("anna@example", "its domain has no dot (like example.com)"),
        ("a@b@example.com", "it has more than one @"),
        ("@example.com", "nothing before the @"),
        ("anna@", "nothing after the @"),
        ("anna..berg@example.com", "what comes before the @ can't be an address"),
        ("anna@exa_mple.com", "what comes after the @ is not a domain"),
        ("anna@10.0.0.1", "what comes after the @ is not a domain"),
    ],
)
def test_email_problem(text: str, problem: str | None) -> None:
    assert email_problem(text) == problem


def test_add_refuses_an_email_that_is_not_one(tmp_store: Env) -> None:
    dave = Contact(name="Dave", email="dave at example", created_at=NOW, updated_at=NOW)
    with pytest.raises(InputError, match="'dave at example' is not an email address"):
        actions.add(tmp_store.store, dave)
    assert all(c.name != "Dave" for c in tmp_store.other_store().contacts())


def test_edit_refuses_an_email_that_is_not_one(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    with pytest.raises(InputError, match="not an email address"):
        actions.edit(tmp_store.store, anna, {"email": "anna"})
    assert tmp_store.other_store().contact(anna.uid).email == anna.email
