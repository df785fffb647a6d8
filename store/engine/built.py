"""What the Store builds from raw records, kept between reads: the contacts view, the
touches (all, and by contact), each object reused while its record is unchanged, so a
re-read after another process's change rebuilds only the records it changed."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from store.engine.files import Tables
from store.model import BadRecord, Contact, Touch
from store.rules.format import touch_order


class View(msgspec.Struct):
    """What was built from one version of the main file; rebuilt when it changes."""

    contacts: list[Contact]
    problems: list[str]


class Contacts:
    """The contacts view, and each contact by key with the record it was built from."""

    def __init__(self) -> None:
        self.view: View | None = None
        self._built: dict[str, tuple[Any, Contact]] = {}
        self._at: dict[str, int] = {}  # where each key's contact is in the view
        self._dirty: set[str] | None = set()  # the records changed since (None: any)

    def forget(self, keys: set[str] | None = None) -> None:
        """The records `keys` changed (None: any of them may have)."""
        if keys is None or self._dirty is None:
            self._dirty = None
        else:
            self._dirty |= keys

    def current(self, data: Tables) -> View:
        dirty, self._dirty = self._dirty, set()
        if self.view is not None and dirty is not None:
            if dirty:
                patched = self._patch(data.get("contacts") or {}, dirty)
                if patched is None:
                    self.view = self._build(data)
                else:
                    self.view = patched
            return self.view
        self.view = self._build(data)
        return self.view

    def _patch(self, records: dict[str, Any], keys: set[str]) -> View | None:
        """The view with the contacts of `keys` built again, when each is a record it
        shows that is still readable, with the same uid; None: build it all."""
        assert self.view is not None
        contacts = self.view.contacts  # in place: callers get copies (Store.contacts)
        for key in keys:
            doc, at, known = records.get(key), self._at.get(key), self._built.get(key)
            if doc is None or at is None or known is None:
                return None
            if known[0] == doc:
                continue
            try:
                contact = Contact.from_doc(doc, int(key))
            except (BadRecord, ValueError):
                return None
            if contact.uid != known[1].uid:
                return None
            self._built[key] = (doc, contact)
            contacts[at] = contact
        return View(contacts, self.view.problems)

    def _build(self, data: Tables) -> View:
        contacts: list[Contact] = []
        problems: list[str] = []
        built, self._built = self._built, {}
        for key, doc in (data.get("contacts") or {}).items():
            known = built.get(key)
            if known is not None and known[0] == doc:
                contact = known[1]
            else:
                try:
                    contact = Contact.from_doc(doc, int(key))
                except BadRecord as error:
                    problems.append(str(error))
                    continue
                except ValueError:
                    problems.append(f"contact {key!r}: its key is not a number")
                    continue
            self._built[key] = (doc, contact)
            contacts.append(contact)
        shared = Counter(c.uid for c in contacts)
        if len(shared) < len(contacts):  # two records with one uid: neither is trusted
            for contact in [c for c in contacts if shared[c.uid] > 1]:
                problems.append(
                    f"contact {contact.id} ({contact.name!r}): another record has the same "
                    f"uid {contact.uid}"
                )
            contacts = [c for c in contacts if shared[c.uid] == 1]
        self._at = {str(c.id): n for n, c in enumerate(contacts)}
        return View(contacts, problems)


class Touches(msgspec.Struct):
    """The touches built so far: all of them newest first (None: not built), those that
    can't be read, every contact's history, and each touch by key (sync() drops those
    whose record changed on disk; keeping their records too would hold two copies of
    50,000 records after every re-read)."""

    everything: list[Touch] | None = None
    problems: list[str] = msgspec.field(default_factory=list)
    by_contact: dict[str, list[Touch]] | None = None
    built: dict[str, Touch] = msgspec.field(default_factory=dict)

    def forget(self, *, keep_histories: bool = False) -> None:
        """Drop what was built (`keep_histories`: the per-contact histories stay, for
        sync() to rebuild only those of the contacts it changed)."""
        self.everything = None
        if not keep_histories:
            self.by_contact = None
            self.built.clear()

    def all(self, raw: dict[str, Any]) -> list[Touch]:
        if self.everything is None:
            problems: list[str] = []
            self.everything = self.build(raw.items(), problems)
            self.problems = problems
            for key in self.built.keys() - raw.keys():
                del self.built[key]
        return self.everything

    def of(self, uid: str, raw: dict[str, Any]) -> list[Touch]:
        if self.by_contact is not None:
            return list(self.by_contact.get(uid, ()))
        return self.build(
            (k, d) for k, d in raw.items() if d.__class__ is dict and d.get("contact_uid") == uid
        )

    def histories(self, raw: dict[str, Any]) -> dict[str, list[Touch]]:
        if self.by_contact is None:
            by_contact: dict[str, list[Touch]] = {}
            for touch in self.all(raw):
                by_contact.setdefault(touch.contact_uid, []).append(touch)
            self.by_contact = by_contact
        return self.by_contact

    def refresh(self, uids: set[str] | None, raw: dict[str, Any]) -> None:
        """Rebuild the per-contact histories of `uids` only (all of them if None)."""
        by_contact = self.by_contact
        if by_contact is None:
            return
        if uids is None:
            self.by_contact = None
            return
        if not uids:
            return
        found: dict[str, list[tuple[str, Any]]] = {uid: [] for uid in uids}
        for key, doc in raw.items():
            if doc.__class__ is dict:
                members = found.get(doc.get("contact_uid"))  # type: ignore[arg-type]
                if members is not None:
                    members.append((key, doc))
        for uid, items in found.items():
            touches = self.build(items)
            if touches:
                by_contact[uid] = touches
            else:
                by_contact.pop(uid, None)
        for key in [k for k in self.built if k not in raw]:
            del self.built[key]

    def apply(
        self, put: Mapping[str, Any], removed: Mapping[str, Any], uids: set[str] | None
    ) -> set[str] | None:
        """Update what was built from the records put and removed alone (a journal's
        change: a record replaced is in both); add their contacts' uids to `uids` (None
        when a record names none)."""
        for doc in (*put.values(), *removed.values()):
            uid = doc.get("contact_uid") if doc.__class__ is dict else None
            if uids is not None and isinstance(uid, str):
                uids.add(uid)
            else:
                uids = None
        if not put and not removed:
            return uids
        built = self.built
        gone = [built.pop(key) for key in removed if key in built]
        if len(gone) < len(removed) and self.everything is not None:
            self.everything = None  # a record that could not be read went: say so afresh
        new: list[Touch] = []
        problems: list[str] = []
        for key, doc in put.items():
            new.extend(self.build([(key, doc)], problems))
        if self.everything is not None:
            self.problems.extend(problems)
            _merge(self.everything, gone, new)
        if self.by_contact is not None:
            by_contact = self.by_contact
            for uid in {t.contact_uid for t in gone} | {t.contact_uid for t in new}:
                mine = [t for t in new if t.contact_uid == uid]
                kept = by_contact.get(uid, [])
                _merge(kept, gone, mine)
                if kept:
                    by_contact[uid] = kept
                else:
                    by_contact.pop(uid, None)
        return uids

    def build(
        self, items: Iterable[tuple[str, Any]], problems: list[str] | None = None
    ) -> list[Touch]:
        """The touches of these records newest first, reusing those built before
        (the records that can't be read are described in `problems`)."""
        touches = []
        built = self.built
        for key, doc in items:
            known = built.get(key)
            if known is not None:
                touches.append(known)
                continue
            try:
                touch = Touch.from_doc(doc, int(key))
            except BadRecord as error:
                if problems is not None:
                    problems.append(str(error))
                continue
            except ValueError:
                if problems is not None:
                    problems.append(f"touch {key!r}: its key is not a number")
                continue
            built[key] = touch
            touches.append(touch)
        touches.sort(key=touch_order, reverse=True)
        return touches


def _newest_first(touch: Touch) -> tuple[float, int]:
    return (-touch.at.timestamp(), -touch.id)


def _merge(touches: list[Touch], gone: list[Touch], new: list[Touch]) -> None:
    """Take `gone` out of `touches` (newest first) and put `new` in, in order, in place
    (what was built is handed out as copies: Store.touches, Store.histories)."""
    if gone:
        ids = {id(t) for t in gone}
        touches[:] = [t for t in touches if id(t) not in ids]
    for touch in new:
        bisect.insort(touches, touch, key=_newest_first)


def changed_uids(
    old: Tables | None,
    new: Tables | None,
    table: str,
    field: str,
    into: set[str] | None,
    keys: set[str] | None = None,
    only: set[str] | None = None,
) -> set[str] | None:
    """Add to `into` the `field` (a contact uid) of every record of `table` that differs
    between two versions of a file (and their keys to `keys`); None when that can't be
    told."""
    if into is None or old is None or new is None:
        return None
    before, after = old.get(table) or {}, new.get(table) or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    docs = []
    if only is not None:  # the keys known to differ (the lines that changed)
        docs = [d for key in only for d in (before.get(key), after.get(key)) if d is not None]
        after = {}
    found = len(before) if only is not None else 0
    get = before.get
    for key, doc in after.items():
        known = get(key)
        if known is not None:
            found += 1
            if known == doc:
                continue
            docs.append(known)
        docs.append(doc)
        if keys is not None:
            keys.add(key)
    if found < len(before):  # some records were removed
        removed = before.keys() - after.keys()
        docs.extend(before[key] for key in removed)
        if keys is not None:
            keys.update(removed)
    for doc in docs:
        uid = doc.get(field) if isinstance(doc, dict) else None
        if not isinstance(uid, str):
            return None
        into.add(uid)
    return into
