"""The data model: plain dataclasses, and their JSON documents.

A record's `uid` (uuid4) is stable forever; `id` is its TinyDB document id (`#12`). `from_doc`
checks every field, `BadRecord` names a wrong one: the other records still open.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal, get_args

from store.doc_reader import REPLACEABLE as REPLACEABLE
from store.doc_reader import BadRecord as BadRecord
from store.doc_reader import DocReader as _Reader
from store.doc_reader import read_replaced as _replaced

SCHEMA_VERSION = 3

Heat = Literal["hot", "warm", "cool"]
Kind = Literal["prospect", "client", "referral", "partner", "employer", "other"]
Channel = Literal["call", "email", "text", "meeting", "letter", "social", "other"]
Direction = Literal["out", "in"]
Outcome = Literal["reached", "no-reply", "waiting"]
Status = Literal["active", "dropped"]
DateOrder = Literal["day-first", "month-first"]

HEATS: tuple[Heat, ...] = get_args(Heat)
KINDS: tuple[Kind, ...] = get_args(Kind)
EXPORT_FORMATS = ("json", "csv", "ics", "vcf")  # here: the CLI's parser needs no exporter
CHANNELS: tuple[Channel, ...] = get_args(Channel)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
STATUSES: tuple[Status, ...] = get_args(Status)
DATE_ORDERS: tuple[DateOrder, ...] = get_args(DateOrder)

# One key per channel, for the keyboard chain and for `--via c`.
CHANNEL_KEYS: dict[str, Channel] = {
    "c": "call", "e": "email", "x": "text", "m": "meeting", "l": "letter", "s": "social",
    "o": "other",
}  # fmt: skip

# What a touch on each channel most likely was, before the user says otherwise.
DEFAULT_OUTCOME: dict[Channel, Outcome] = {
    "call": "reached",
    "meeting": "reached",
    "email": "waiting",
    "text": "waiting",
    "letter": "waiting",
    "social": "waiting",
    "other": "reached",
}

NAME_MAX = 200
TEXT_MAX = 10_000  # a touch's note
# The longest text each contact field takes; the store and the forms use these.
FIELD_LIMITS: dict[str, int] = {
    "company": 200,
    "role": 200,
    "goal": 1000,
    "email": 320,
    "phone": 64,
    "next_step": 1000,
    "drop_reason": 1000,
}
TAG_MAX = 60


def new_uid() -> str:
    import uuid  # imported on first use: the read-only commands never need it

    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    created_at: datetime
    updated_at: datetime
    uid: str = field(default_factory=new_uid)
    id: int = 0
    company: str = ""
    role: str = ""
    kind: Kind = "prospect"
    heat: Heat = "warm"
    goal: str = ""
    channel: Channel | None = None
    email: str = ""
    phone: str = ""
    value: float | None = None
    cadence_days: int | None = None
    tags: tuple[str, ...] = ()
    next_step: str = ""
    next_due: date | None = None
    status: Status = "active"
    dropped_on: date | None = None
    drop_reason: str = ""
    do_not_contact: bool = False
    # When each field was last changed, for merging two copies field by field
    # (store.rules.stamps): (field, ISO moment) pairs sorted by field; a field without
    # one was last changed when the contact was made (or, with none at all, at updated_at)
    field_stamps: tuple[tuple[str, str], ...] = ()

    @property
    def active(self) -> bool:
        return self.status == "active"

    def to_doc(self) -> dict[str, Any]:
        doc = _shallow(self)
        doc["tags"] = list(self.tags)
        for key in ("next_due", "dropped_on", "created_at", "updated_at"):
            value = doc[key]
            doc[key] = value.isoformat() if value is not None else None
        if self.field_stamps:
            doc["field_stamps"] = dict(self.field_stamps)
        else:
            del doc["field_stamps"]
        return doc

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON object: the model's fields plus `id`."""
        return {"id": self.id, **self.to_doc(), "field_stamps": dict(self.field_stamps)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any], doc_id: int = 0) -> Contact:
        """The contact a stored document describes; `BadRecord` names a wrong field."""
        try:
            fast = cls._from_good_doc(doc, doc_id)
        except (KeyError, TypeError, ValueError, AttributeError):
            fast = None
        return fast if fast is not None else cls._from_any_doc(doc, doc_id)

    @classmethod
    def _from_good_doc(cls, doc: dict[str, Any], doc_id: int) -> Contact | None:
        """The quick path for a well-formed document; None sends it to the careful one."""
        get = doc.get
        for key in _CONTACT_TEXT:
            value = get(key)
            if value is not None and value.__class__ is not str:
                return None
        value = get("value")
        cadence = get("cadence_days")
        tags = get("tags") or []
        if (
            (value is not None and value.__class__ not in (int, float))
            or (cadence is not None and (cadence.__class__ is not int or cadence <= 0))
            or tags.__class__ is not list
            or any(t.__class__ is not str for t in tags)
            or get("do_not_contact", False).__class__ is not bool
            or get("kind", "prospect") not in KINDS
            or get("heat", "warm") not in HEATS
            or get("status", "active") not in STATUSES
            or get("channel") not in _OPTIONAL_CHANNELS
            or not doc["name"].strip()
            or not doc["uid"].strip()
        ):
            return None
        created = datetime.fromisoformat(doc["created_at"])
        updated = datetime.fromisoformat(doc["updated_at"])
        if created.tzinfo is None or updated.tzinfo is None:
            return None
        due = get("next_due")
        dropped = get("dropped_on")
        stamps = get("field_stamps")
        if stamps is not None:
            if stamps.__class__ is not dict or any(v.__class__ is not str for v in stamps.values()):
                return None
            stamps = tuple(sorted(stamps.items()))
        return cls(
            id=doc_id,
            uid=doc["uid"],
            name=doc["name"],
            company=get("company") or "",
            role=get("role") or "",
            kind=get("kind") or "prospect",
            heat=get("heat") or "warm",
            goal=get("goal") or "",
            channel=get("channel") or None,
            email=get("email") or "",
            phone=get("phone") or "",
            value=None if value is None else float(value),
            cadence_days=cadence,
            tags=tuple(tags),
            next_step=get("next_step") or "",
            next_due=None if due is None else date.fromisoformat(due),
            status=get("status") or "active",
            dropped_on=None if dropped is None else date.fromisoformat(dropped),
            drop_reason=get("drop_reason") or "",
            do_not_contact=get("do_not_contact", False),
            created_at=created,
            updated_at=updated,
            field_stamps=stamps or (),
        )

    @classmethod
    def _from_any_doc(cls, doc: dict[str, Any], doc_id: int) -> Contact:
        r = _Reader(doc, "contact", doc_id)
        return cls(
            id=doc_id,
            uid=r.text("uid", required=True),
            name=r.text("name", required=True),
            company=r.text("company"),
            role=r.text("role"),
            kind=r.choice("kind", KINDS, "prospect"),
            heat=r.choice("heat", HEATS, "warm"),
            goal=r.text("goal"),
            channel=r.optional_choice("channel", CHANNELS),
            email=r.text("email"),
            phone=r.text("phone"),
            value=r.number("value"),
            cadence_days=r.whole("cadence_days"),
            tags=r.tags("tags"),
            next_step=r.text("next_step"),
            next_due=r.day("next_due"),
            status=r.choice("status", STATUSES, "active"),
            dropped_on=r.day("dropped_on"),
            drop_reason=r.text("drop_reason"),
            do_not_contact=r.flag("do_not_contact"),
            created_at=r.moment("created_at", required=True),
            updated_at=r.moment("updated_at", required=True),
            field_stamps=r.stamps("field_stamps"),
        )


@dataclass(frozen=True, slots=True)
class Touch:
    contact_uid: str
    at: datetime
    channel: Channel
    outcome: Outcome
    direction: Direction = "out"
    note: str = ""
    uid: str = field(default_factory=new_uid)
    id: int = 0
    # What logging this touch replaced on its contact, so unlog can put it back: each
    # field written (next_step, next_due) as (before, after) in document form. Not part
    # of the touch's identity; absent from the document when empty.
    replaced: tuple[tuple[str, str | None, str | None], ...] = field(default=(), compare=False)

    @property
    def answered(self) -> bool:
        """A two-way exchange or an inbound touch: the contact answered."""
        return self.outcome == "reached" or self.direction == "in"

    def to_doc(self) -> dict[str, Any]:
        doc = _shallow(self)
        doc["at"] = self.at.isoformat()
        if self.replaced:
            doc["replaced"] = {name: [before, after] for name, before, after in self.replaced}
        else:
            del doc["replaced"]
        return doc

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON object: the touch fields plus `id` (what a log
        replaced is the store's, for unlog)."""
        doc = self.to_doc()
        doc.pop("replaced", None)
        return {"id": self.id, **doc}

    @classmethod
    def from_doc(cls, doc: dict[str, Any], doc_id: int = 0) -> Touch:
        """The touch a stored document describes; `BadRecord` names a wrong field."""
        try:
            fast = cls._from_good_doc(doc, doc_id)
        except (KeyError, TypeError, ValueError, AttributeError):
            fast = None
        return fast if fast is not None else cls._from_any_doc(doc, doc_id)

    @classmethod
    def _from_good_doc(cls, doc: dict[str, Any], doc_id: int) -> Touch | None:
        """The quick path for a well-formed document; None sends it to the careful one."""
        get = doc.get
        note = get("note") or ""
        at = datetime.fromisoformat(doc["at"])
        if (
            doc["channel"] in CHANNELS
            and doc["outcome"] in OUTCOMES
            and get("direction", "out") in DIRECTIONS
            and note.__class__ is str
            and doc["uid"].__class__ is str
            and doc["uid"].strip()
            and doc["contact_uid"].__class__ is str
            and doc["contact_uid"].strip()
            and at.tzinfo is not None
        ):
            return cls(
                id=doc_id,
                uid=doc["uid"],
                contact_uid=doc["contact_uid"],
                at=at,
                channel=doc["channel"],
                direction=get("direction") or "out",
                outcome=doc["outcome"],
                note=note,
                replaced=_replaced(get("replaced")),
            )
        return None

    @classmethod
    def _from_any_doc(cls, doc: dict[str, Any], doc_id: int) -> Touch:
        r = _Reader(doc, "touch", doc_id)
        channel = r.optional_choice("channel", CHANNELS)
        outcome = r.optional_choice("outcome", OUTCOMES)
        if channel is None or outcome is None:
            raise BadRecord(f"touch #{doc_id}: channel and outcome are required")
        return cls(
            id=doc_id,
            uid=r.text("uid", required=True),
            contact_uid=r.text("contact_uid", required=True),
            at=r.moment("at", required=True),
            channel=channel,
            direction=r.choice("direction", DIRECTIONS, "out"),
            outcome=outcome,
            note=r.text("note"),
            replaced=_replaced(doc.get("replaced")),
        )


@dataclass(frozen=True)
class Settings:
    """The user's settings, kept in the `settings` table."""

    cadence: dict[str, int] = field(default_factory=lambda: {"hot": 7, "warm": 21, "cool": 75})
    rest_days: tuple[int, ...] = (5, 6)  # Monday is 0: Saturday and Sunday
    high_value: float = 10_000.0
    # How numeric dates are read: "day-first" or "month-first"; None follows the locale.
    date_order: DateOrder | None = None
    daily_target: int = 15  # contacts a day, for review and for staggering imports

    def cadence_for(self, heat: str) -> int:
        return self.cadence.get(heat, 21)

    @property
    def day_first(self) -> bool:
        """Whether 3/12 is 3 December: as set, else as the locale writes dates."""
        if self.date_order is None:
            from store.locale import locale_day_first

            return locale_day_first()
        return self.date_order == "day-first"

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "cadence": dict(self.cadence),
            "rest_days": list(self.rest_days),
            "high_value": self.high_value,
            "daily_target": self.daily_target,
        }
        if self.date_order is not None:
            doc["date_order"] = self.date_order
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Settings:
        default = cls()
        if not doc:
            return default
        r = _Reader(doc, "settings", 0)
        cadence = dict(default.cadence)
        raw = doc.get("cadence")
        if isinstance(raw, dict):
            for heat in HEATS:
                days = raw.get(heat)
                if isinstance(days, int) and not isinstance(days, bool) and days > 0:
                    cadence[heat] = days
        rest = doc.get("rest_days")
        rest_days = (
            tuple(sorted({d for d in rest if isinstance(d, int) and 0 <= d <= 6}))
            if isinstance(rest, list)
            else default.rest_days
        )
        high = r.number("high_value")
        target = doc.get("daily_target")
        if not isinstance(target, int) or isinstance(target, bool) or not 0 < target <= 1000:
            target = default.daily_target
        return cls(
            cadence=cadence,
            rest_days=rest_days,
            high_value=default.high_value if high is None else high,
            date_order=order if (order := doc.get("date_order")) in DATE_ORDERS else None,
            daily_target=target,
        )


_CONTACT_TEXT = (
    "uid", "name", "company", "role", "goal", "email", "phone", "next_step", "drop_reason",
    "next_due", "dropped_on", "created_at", "updated_at",
)  # fmt: skip
_OPTIONAL_CHANNELS = (None, "", *CHANNELS)

CONTACT_FIELDS = tuple(f.name for f in fields(Contact))
# The touch fields of the data model (what a log replaced is kept for unlog alone).
TOUCH_FIELDS = tuple(f.name for f in fields(Touch) if f.name != "replaced")


def _shallow(record: Contact | Touch) -> dict[str, Any]:
    """The fields of a record but its id (all immutable: no deep copy needed)."""
    return {f.name: getattr(record, f.name) for f in fields(record) if f.name != "id"}
