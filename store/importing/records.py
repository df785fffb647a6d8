"""What the readers produce: candidates for new contacts, whole records to merge, problems."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from store.model import Contact, Settings, Touch
from store.rules.emails import email_problem

# Groups that every contact of an address book is in: not worth a tag.
NOT_TAGS = frozenset({"my contacts", "mycontacts", "starred", "meine kontakte", "favorites"})


@dataclass(frozen=True)
class Problem:
    """Something in a file that could not be read; `where` is "card 3" or "line 12"."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.message}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person read from a contact file (vCard or CSV), not yet a contact."""

    name: str
    company: str = ""
    role: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    where: str = ""  # "file: card 2", for messages

    @property
    def email(self) -> str:
        return self.emails[0] if self.emails else ""

    @property
    def phone(self) -> str:
        return self.phones[0] if self.phones else ""


@dataclass
class Reading:
    """Everything read from the files of one import. A large CSV is read as it goes: its
    people come from `streams` (each read once, by `people()`), and the problems and
    warnings of its rows are added here while they are read."""

    candidates: list[Candidate] = field(default_factory=list)
    streams: list[Iterator[Candidate]] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)  # followup records, merged by uid
    touches: list[Touch] = field(default_factory=list)
    # touches removed on the copy read (their uid, the day): removed here too
    removed: dict[str, date] = field(default_factory=dict)
    settings: Settings | None = None
    problems: list[Problem] = field(default_factory=list)  # unreadable cards, rows, files
    warnings: list[Problem] = field(default_factory=list)  # read, but repaired
    places: dict[str, str] = field(default_factory=dict)  # record uid: "file: contact 3"

    @property
    def has_people(self) -> bool:
        """Whether any person or record was read (or a file of people is being read)."""
        return bool(self.candidates or self.streams or self.contacts)

    def people(self) -> Iterator[Candidate]:
        """Every person read, the streams' read as they go (once)."""
        yield from self.candidates
        while self.streams:
            yield from self.streams.pop(0)

    def extend(self, other: Reading) -> None:
        self.candidates.extend(other.candidates)
        self.streams.extend(other.streams)
        self.contacts.extend(other.contacts)
        self.touches.extend(other.touches)
        for uid, day in other.removed.items():
            self.removed[uid] = min(day, self.removed.get(uid, day))
        self.settings = self.settings or other.settings
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)
        for uid, place in other.places.items():
            self.places.setdefault(uid, place)


_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def tag_list(values: list[str]) -> tuple[str, ...]:
    """Group and category names as tags: trimmed, "* " marks removed, the
    everyone-groups ("My Contacts", "Starred") left out, no repeats."""
    tags: dict[str, None] = {}
    for value in values:
        tag = one_line(value).lstrip("*").strip()
        if tag and tag.casefold() not in NOT_TAGS:
            tags.setdefault(tag, None)
    return tuple(tags)


def candidate(
    *,
    where: str,
    full_name: str = "",
    name_parts: tuple[str, ...] = (),
    company: str = "",
    role: str = "",
    emails: list[str] | tuple[str, ...] = (),
    phones: list[str] | tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> Candidate | None:
    """A candidate named by the first of: the full name, the name's parts, the
    company, the first email, the first phone; None when there is none of them."""
    # Every address is kept here; one that is not an email address is reported with its
    # row and left out when the import is planned (store/importing/apply.py).
    mails = tuple(dict.fromkeys(e for e in (one_line(m) for m in emails) if e))
    real = [e for e in mails if email_problem(e) is None]
    tels = tuple(dict.fromkeys(p for p in (one_line(t) for t in phones) if _digits(p)))
    company = one_line(company)
    name = (
        one_line(full_name)
        or one_line(" ".join(p for p in name_parts if p.strip()))
        or company
        or (real[0] if real else "")
        or (tels[0] if tels else "")
    )
    if not name:
        return None
    return Candidate(
        name=name,
        company=company,
        role=one_line(role),
        emails=mails,
        phones=tels,
        tags=tags,
        where=where,
    )


_NOT_DIGITS = re.compile(r"\D+")


def _digits(text: str) -> str:
    return _NOT_DIGITS.sub("", text)


def phone_key(text: str) -> str:
    """A phone number's digits, for matching; empty when too short to mean anything."""
    digits = _digits(text)
    return digits if len(digits) >= 5 else ""
