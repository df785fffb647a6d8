"""An import's plan (what it would change) and its one write.

`plan` is a pure function of what was read and of the Store's read API; `run`
builds the plan inside the Store's transaction (so no other process changes the
database between the plan and the write) and writes it, unless it is a dry run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from store.errors import InputError
from store.importing.dedupe import Index, filled_in
from store.importing.records import Candidate, Problem, Reading
from store.importing.stagger import stagger
from store.model import FIELD_LIMITS, NAME_MAX, TAG_MAX, Contact, Heat, Settings, Touch
from store.rules.emails import email_problem
from store.rules.stamps import merged
from store.rules.text import check_name, check_text, clean, clean_block

if TYPE_CHECKING:
    from store.store import Store


@dataclass
class Plan:
    new: list[Contact] = field(default_factory=list)
    updated: list[Contact] = field(default_factory=list)
    same: int = 0
    touches: list[Touch] = field(default_factory=list)
    removed: dict[str, date] = field(default_factory=dict)  # touches removed on the copy
    removed_here: int = 0  # of those, the touches here (removed by the import)
    settings: Settings | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    undated: int = 0  # new contacts without a first follow-up (the daily target was full)

    def summary(self) -> dict[str, Any]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "already_here": self.same,
            "unreadable": len(self.problems),
            "touches": len(self.touches),
            "without_first_follow_up": self.undated,
            "touches_removed": self.removed_here,
        }

    def summary_line(self) -> str:
        s = self.summary()
        line = (
            f"{s['new']} new, {s['updated']} updated, {s['already_here']} already here, "
            f"{s['unreadable']} unreadable"
        )
        if self.touches:
            line += f" ({len(self.touches)} touches joined)"
        if self.removed_here:
            line += f" ({self.removed_here} touches removed, as on the copy imported)"
        if self.undated:
            line += f"; {self.undated:,} without a first follow-up (the daily target is full)"
        return line


def plan(
    store: Store,
    reading: Reading,
    *,
    today: date,
    heat: Heat = "warm",
    tags: tuple[str, ...] = (),
) -> Plan:
    """What importing `reading` into `store` would change; writes nothing."""
    now = store.clock.now()
    existing = store.contacts(include_dropped=True)
    result = Plan()
    _merge_records(store, existing, reading, result, today)
    replaced = {u.uid for u in result.updated}
    index = Index(c for c in existing if c.uid not in replaced)
    for contact in (*result.updated, *result.new):
        index.add(contact)
    pending: dict[str, Contact] = {}  # new contacts from people, by uid
    merged_uids = {c.uid for c in result.new}
    # The same tags (and roles) on many rows are held once (a large import: memory).
    shared: dict[object, Any] = {}
    for person in reading.people():
        try:
            person = _fitted(person, result.warnings)
        except InputError as error:
            result.problems.append(_problem(person.where, str(error)))
            continue
        person = _real_emails(person, result.warnings)
        match = index.match(person)
        if match is None:
            contact = Contact(
                name=person.name,
                company=person.company,
                role=shared.setdefault(person.role, person.role),
                email=person.email,
                phone=person.phone,
                heat=heat,
                tags=shared.setdefault(person.tags, tuple(dict.fromkeys((*person.tags, *tags)))),
                created_at=now,
                updated_at=now,
            )
            pending[contact.uid] = contact
            index.add(contact)
            continue
        changed = filled_in(match, person, now)
        # Each person read counts once: new, updated, or already here (a second
        # card of someone this import adds counts as already here).
        if changed is None or match.uid in pending or match.uid in merged_uids:
            result.same += 1
        if changed is None or match.uid in merged_uids:
            continue
        index.contacts[match.uid] = changed
        if match.uid in pending:
            pending[match.uid] = changed
        else:
            if any(c.uid == match.uid for c in result.updated):
                result.same += 1  # counted once, as updated, by the first person
            result.updated = [c for c in result.updated if c.uid != match.uid] + [changed]
    # What the files' rows reported while they were read comes first.
    result.problems[:0] = reading.problems
    result.warnings[:0] = reading.warnings
    del index  # each new contact is held once (a large import: memory)
    if pending:
        due = Counter(c.next_due for c in existing if c.active and c.next_due is not None)
        people = list(pending.values())
        pending.clear()
        days = stagger([c.heat for c in people], today, store.settings, dict(due))
        for number, day in enumerate(days):
            people[number] = replace(people[number], next_due=day)
        result.undated = days.count(None)
        result.new.extend(people)
    return result


def _merge_records(
    store: Store, existing: list[Contact], reading: Reading, result: Plan, today: date
) -> None:
    """followup records join by uid, field by field: the newer edit of each field wins
    (store.rules.stamps); touches are added when their uid is new and was not removed
    on either copy, and a touch removed on the copy is removed here; settings come
    along only into an empty database. A record the store would refuse (a date past the
    horizon among them) is reported by its file and number, and left out."""
    now = store.clock.now()
    by_uid = {c.uid: c for c in existing}
    incoming: dict[str, Contact] = {}
    for contact in reading.contacts:
        known = incoming.get(contact.uid)
        incoming[contact.uid] = contact if known is None else merged(known, contact, now) or known
    for contact in incoming.values():
        problem = _unfit(contact, today)
        if problem:
            where = reading.places.get(contact.uid) or f"contact {contact.name[:40]!r}"
            result.problems.append(_problem(where, problem))
            continue
        bad_email = email_problem(contact.email)
        if bad_email:
            where = reading.places.get(contact.uid) or f"contact {contact.name[:40]!r}"
            result.warnings.append(_problem(where, _not_email(contact.email, bad_email)))
            contact = replace(contact, email="")
        current = by_uid.get(contact.uid)
        if current is None:
            result.new.append(replace(contact, id=0))
        else:
            changed = merged(current, contact, now)
            if changed is not None and _differs(changed, current):
                result.updated.append(changed)
            else:
                result.same += 1
    removed = store.removed_touches()
    result.removed = {u: d for u, d in reading.removed.items() if u not in removed}
    removed.update(reading.removed)
    if not reading.touches and not reading.removed:
        if reading.settings and not existing:
            result.settings = reading.settings
        return
    here = store.touches()
    result.removed_here = sum(1 for t in here if t.uid in reading.removed)
    known_touches = {t.uid for t in here} | set(removed)
    people = set(by_uid) | {c.uid for c in result.new}
    for touch in reading.touches:
        if touch.uid in known_touches or touch.contact_uid not in people:
            continue
        if touch.at.tzinfo is None or len(touch.note) > 10_000:
            continue
        known_touches.add(touch.uid)
        result.touches.append(replace(touch, id=0))
    if reading.settings and not existing:
        result.settings = reading.settings


def _differs(a: Contact, b: Contact) -> bool:
    return a.to_doc() != b.to_doc()


def _problem(where: str, message: str) -> Problem:
    file, _, place = where.partition(": ")
    return Problem(file, place, message)


def _fitted(person: Candidate, notes: list[Problem]) -> Candidate:
    """A person's text as the store keeps it: cleaned and cut to each field's limit; each
    field cut (or an email or phone left out) is a note naming the file and row."""
    for what, text, limit in (
        ("name", " ".join(clean(person.name).split()), NAME_MAX),
        ("company", clean_block(person.company).strip(), FIELD_LIMITS["company"]),
        ("role", clean_block(person.role).strip(), FIELD_LIMITS["role"]),
        *(("tag", clean_block(t).strip(), TAG_MAX) for t in person.tags),
    ):
        if len(text) > limit:
            notes.append(
                _problem(person.where, f"{what} cut to {limit} characters (it had {len(text)})")
            )
    for what, values, limit in (
        ("email", person.emails, FIELD_LIMITS["email"]),
        ("phone", person.phones, FIELD_LIMITS["phone"]),
    ):
        for value in values:
            if len(value) > limit:
                notes.append(
                    _problem(person.where, f"an {what} over {limit} characters left out")
                    if what == "email"
                    else _problem(person.where, f"a {what} over {limit} characters left out")
                )
    name = check_name(person.name[: NAME_MAX * 2][:NAME_MAX])
    emails = tuple(e for e in person.emails if len(e) <= FIELD_LIMITS["email"])
    phones = tuple(p for p in person.phones if len(p) <= FIELD_LIMITS["phone"])
    tags = tuple(
        dict.fromkeys(
            t for t in (check_text(t[:TAG_MAX], "tag", TAG_MAX) for t in person.tags) if t
        )
    )
    return replace(
        person,
        name=name,
        company=check_text(person.company[: FIELD_LIMITS["company"]], "company"),
        role=check_text(person.role[: FIELD_LIMITS["role"]], "role"),
        emails=tuple(check_text(e, "email") for e in emails),
        phones=tuple(check_text(p, "phone") for p in phones),
        tags=tags,
    )


def _real_emails(person: Candidate, warnings: list[Problem]) -> Candidate:
    """The person with only the addresses that are email addresses; each one left out
    is a note with its row (the rest of the row is imported)."""
    kept = []
    for address in person.emails:
        problem = email_problem(address)
        if problem is None:
            kept.append(address)
        else:
            warnings.append(_problem(person.where, _not_email(address, problem)))
    return person if len(kept) == len(person.emails) else replace(person, emails=tuple(kept))


def _not_email(address: str, problem: str) -> str:
    shown = address if len(address) <= 60 else address[:57] + "..."
    return f"{shown!r} is not an email address ({problem}); left out"


def _unfit(contact: Contact, today: date) -> str | None:
    """Why the store would refuse a merged record, or None."""
    from store.rules.dates import HORIZON_YEARS, horizon
    from store.rules.values import VALUE_MAX

    latest = horizon(today)
    if contact.next_due is not None and contact.next_due > latest:
        return (
            f"its next step date {contact.next_due.isoformat()} is more than {HORIZON_YEARS} "
            f"years away (the latest is {latest.isoformat()}); left out"
        )
    try:
        check_name(contact.name)
        for name, limit in FIELD_LIMITS.items():
            check_text(getattr(contact, name), name, limit)
    except InputError as error:
        return str(error)
    if contact.cadence_days is not None and not 0 < contact.cadence_days <= 3650:
        return "a cadence must be from 1 to 3650 days"
    if contact.value is not None and not abs(contact.value) <= VALUE_MAX:
        return "its value is too large"
    return None


def run(
    store: Store,
    reading: Reading,
    *,
    heat: Heat = "warm",
    tags: tuple[str, ...] = (),
    dry_run: bool = False,
) -> Plan:
    """Plan the import and, unless `dry_run`, write it in one transaction."""
    today = store.clock.now().date()
    if dry_run:
        return plan(store, reading, today=today, heat=heat, tags=tags)
    with store.transaction():
        result = plan(store, reading, today=today, heat=heat, tags=tags)
        apply(store, result)
    return result


def apply(store: Store, result: Plan) -> None:
    """Write a plan through the Store's write API, in one transaction."""
    with store.transaction():
        if result.new or result.touches:
            store.add_many(result.new, result.touches)
        if result.removed:
            store.remove_touches(result.removed)
        for contact in result.updated:
            store.put_contact(contact)
        if result.settings is not None:
            store.save_settings(result.settings)
