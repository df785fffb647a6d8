"""Who is already here: a person matches a contact by email (case-folded), else by
phone digits, else by name and company (case-folded)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from store.importing.records import Candidate, phone_key
from store.model import Contact


class Index:
    """The contacts of a database (and those an import adds), found by their keys."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.by_email: dict[str, str] = {}
        self.by_phone: dict[str, str] = {}
        self.by_name: dict[tuple[str, str], str] = {}
        self.contacts: dict[str, Contact] = {}
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        uid = contact.uid
        self.contacts[uid] = contact
        if contact.email:
            self.by_email.setdefault(contact.email.casefold(), uid)
        if key := phone_key(contact.phone):
            self.by_phone.setdefault(key, uid)
        self.by_name.setdefault((contact.name.casefold(), contact.company.casefold()), uid)

    def match(self, person: Candidate) -> Contact | None:
        for email in person.emails:
            if uid := self.by_email.get(email.casefold()):
                return self.contacts[uid]
        for phone in person.phones:
            if (key := phone_key(phone)) and (uid := self.by_phone.get(key)):
                return self.contacts[uid]
        uid = self.by_name.get((person.name.casefold(), person.company.casefold()))
        return self.contacts[uid] if uid else None


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
