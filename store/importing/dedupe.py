"""Who is already here: a person matches a contact by email (case-folded), else by
phone digits, else by name and company (case-folded)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from store.importing.records import Candidate, phone_key
from store.model import Contact


class Index:
    """The contacts of a database (and those an import adds), found by their keys.

    The keys are kept as their hashes, and a match is checked against the contact
    itself: an import of a large file holds one small number a key, not a second copy
    of every email, phone and name."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.by_email: dict[int, str] = {}
        self.by_phone: dict[int, str] = {}
        self.by_name: dict[int, str] = {}
        self.contacts: dict[str, Contact] = {}
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        uid = contact.uid
        self.contacts[uid] = contact
        if contact.email:
            self.by_email.setdefault(hash(contact.email.casefold()), uid)
        if key := phone_key(contact.phone):
            self.by_phone.setdefault(hash(key), uid)
        self.by_name.setdefault(hash(_name_key(contact.name, contact.company)), uid)

    def match(self, person: Candidate) -> Contact | None:
        for email in person.emails:
            key = email.casefold()
            found = self._found(self.by_email, key)
            if found is not None and found.email.casefold() == key:
                return found
        for phone in person.phones:
            if key := phone_key(phone):
                found = self._found(self.by_phone, key)
                if found is not None and phone_key(found.phone) == key:
                    return found
        key = _name_key(person.name, person.company)
        found = self._found(self.by_name, key)
        if found is not None and _name_key(found.name, found.company) == key:
            return found
        return None

    def _found(self, keys: dict[int, str], key: str) -> Contact | None:
        uid = keys.get(hash(key))
        return None if uid is None else self.contacts[uid]


def _name_key(name: str, company: str) -> str:
    return f"{name.casefold()}\x00{company.casefold()}"


def filled_in(contact: Contact, person: Candidate, now: datetime) -> Contact | None:
    """The contact with its empty fields filled from `person` and its groups added as
    tags; None when that changes nothing. Nothing the user wrote is overwritten."""
    changes: dict[str, object] = {}
    for field, value in (
        ("company", person.company),
        ("role", person.role),
        ("email", person.email),
        ("phone", person.phone),
    ):
        if value and not getattr(contact, field):
            changes[field] = value
    known = {t.casefold() for t in contact.tags}
    extra = tuple(t for t in person.tags if t.casefold() not in known)
    if extra:
        changes["tags"] = contact.tags + extra
    if not changes:
        return None
    return replace(contact, **changes, updated_at=now)  # type: ignore[arg-type]
