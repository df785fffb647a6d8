"""A realistic sample database: 25 contacts and their touches over the last weeks.

Everything is placed relative to `now`, so the sample always looks current: a few
next steps overdue, some due today, a streak of ten working days that is at risk
until a touch is logged today. It shows every nudge: one contact without a next
step, one vague "touch base", one with five unanswered touches (four emails in a
row), and one high-value contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from store.errors import InputError
from store.model import Contact, Touch

if TYPE_CHECKING:
    from store.store import Store

# (workdays ago, channel, outcome, direction, note); workday 1 is the last one before today.
_TouchSpec = tuple[int, str, str, str, str]

# name, company, role, kind, heat, goal, channel, value, next step, due in days, tags, touches
_CONTACTS: tuple[tuple[Any, ...], ...] = (
    ("Anna Berg", "Northwind Traders", "Head of Operations", "prospect", "hot",
     "Book a demo for the ops team", "call", 8500, "Send the pricing deck", -2, ("pilot",),
     [(1, "call", "reached", "out", "Liked the pilot idea; wants pricing"),
      (7, "email", "waiting", "out", "Intro after the trade fair")]),
    ("Marco Rossi", "Bellavista Foods", "Founder", "client", "hot",
     "Renew the annual contract", "meeting", 9000, "Confirm the renewal terms", 0, ("renewal",),
     [(3, "meeting", "reached", "out", "Lunch; renewal likely, wants 5% off"),
      (14, "call", "reached", "in", "Asked about delivery times")]),
    ("Priya Nair", "Helix Labs", "CTO", "prospect", "hot",
     "Get the security review started", "email", 60000, "Send the SOC 2 report", -1,
     ("enterprise",),
     [(2, "email", "reached", "in", "Asked for the security documents"),
      (4, "call", "reached", "out", "Discovery call with her team")]),
    ("Jonas Weber", "Kaiser Logistik", "Procurement Lead", "prospect", "hot",
     "Get on the approved vendor list", "call", 7000, "Call about the vendor form", 1, (),
     [(5, "call", "no-reply", "out", "Voicemail"),
      (6, "email", "waiting", "out", "Sent the vendor form")]),
    ("Sofia Lindqvist", "Brightwave", "Engineering Manager", "employer", "hot",
     "Get the offer", "email", None, "Send the take-home project", 0, ("job",),
     [(1, "email", "reached", "in", "Invited me to the take-home"),
      (8, "meeting", "reached", "out", "First interview")]),
    ("Dana Ito", "Ito Design", "Owner", "client", "hot",
     "Sign off the website redesign", "text", 4200, "Share the second mockup", 3, (),
     [(2, "text", "reached", "out", "Approved the first mockup")]),
    ("Liam O'Connor", "Harbor Cafe", "Owner", "prospect", "warm",
     "Win the catering account", "call", 2500, "Drop by with the menu samples", 5, (),
     [(9, "call", "reached", "out", "Interested; wants samples")]),
    ("Chen Wei", "Lotus Analytics", "VP Sales", "referral", "warm",
     "Get an intro to their CFO", "email", None, "", None, (),
     [(10, "meeting", "reached", "out", "Coffee; happy to introduce")]),
    ("Fatima Zahra", "Atlas Consulting", "Partner", "partner", "warm",
     "Co-host the spring webinar", "meeting", None, "Touch base", 2, (),
     [(12, "email", "reached", "in", "Suggested a joint webinar")]),
    ("Tom Becker", "Becker & Sons", "Managing Director", "prospect", "warm",
     "Replace their old CRM", "email", 5000, "Send the case study", -4, (),
     [(3, "email", "waiting", "out", "Sent the demo recording"),
      (15, "call", "reached", "out", "Frustrated with their CRM")]),
    ("Greg Palmer", "Summit Outdoor", "Marketing Director", "prospect", "warm",
     "Pitch the summer campaign", "email", 3000, "Ask if the summer budget is approved", -1,
     (),
     [(5, "email", "waiting", "out", "Asked whether summer is still on"),
      (12, "email", "waiting", "out", "Shared a case study"),
      (16, "email", "waiting", "out", "Follow-up with examples"),
      (21, "email", "waiting", "out", "Summer campaign pitch"),
      (26, "call", "no-reply", "out", "Voicemail")]),
    ("Elena Petrova", "Petrova Law", "Associate", "referral", "warm",
     "Referral for the Miller case", "call", None, "Thank her for the referral", 10, (),
     [(4, "call", "reached", "in", "Referred the Miller case")]),
    ("Noah Kim", "Kim Ventures", "Associate", "partner", "warm",
     "Pitch for the seed round", "meeting", None, "Send the updated deck", 7, ("fundraising",),
     [(7, "meeting", "reached", "out", "Pitch meeting; wants updated numbers")]),
    ("Lucia Gomez", "", "Illustrator", "partner", "warm",
     "Team up on the children's book", "social", None, "Share the contract draft", 12, (),
     [(13, "social", "reached", "out", "Liked the sketches")]),
    ("Ahmed Hassan", "Delta Freight", "Operations Manager", "client", "warm",
     "Upsell the tracking add-on", "call", 6000, "Demo the tracking add-on", 4, (),
     [(6, "call", "reached", "out", "Happy with the service")]),
    ("Olivia Brown", "Greenleaf Schools", "IT Director", "prospect", "warm",
     "Get into next year's budget", "letter", 9500, "Mail the printed proposal", -6, (),
     [(8, "call", "no-reply", "out", "Left a message with her assistant"),
      (18, "letter", "waiting", "out", "Mailed the brochure")]),
    ("Kenji Sato", "Sato Robotics", "Hiring Manager", "employer", "warm",
     "Second-round interview", "email", None, "Ask about the interview date", 2, ("job",),
     [(3, "email", "reached", "in", "Passed the first round")]),
    ("Ben Carter", "Carter Plumbing", "Owner", "client", "warm",
     "Yearly maintenance contract", "call", 3200, "Send the maintenance quote", 8, (),
     [(4, "call", "reached", "out", "Wants a quote before spring")]),
    ("Hannah Fischer", "Alpen Media", "Editor", "prospect", "cool",
     "Pitch a guest article", "email", None, "Send two article ideas", 30, (),
     [(20, "email", "waiting", "out", "Introduced myself")]),
    ("Mateo Silva", "Silva Imports", "Buyer", "prospect", "cool",
     "Quote for the autumn order", "call", 1800, "Ask about autumn volumes", 45, (),
     [(30, "call", "reached", "out", "Spring order done")]),
    ("Grace Liu", "Vantage", "Former colleague", "other", "cool",
     "Keep in touch about openings", "social", None, "Congratulate her on the new role", 20,
     ("network",),
     [(40, "social", "reached", "in", "Said hello after the conference")]),
    ("Pierre Martin", "Martin Architects", "Principal", "prospect", "cool",
     "Bid for the office fit-out", "meeting", 7500, "Send the portfolio", -3, (),
     [(35, "meeting", "reached", "out", "Site visit")]),
    ("Ingrid Johansen", "Nordic Health", "Procurement", "prospect", "cool",
     "Get on the 2027 tender list", "email", None, "Ask for the tender calendar", 60, (),
     [(45, "email", "waiting", "out", "Asked about the tender")]),
    ("Sam Taylor", "Taylor Fitness", "Owner", "client", "cool",
     "Ask for a referral", "text", 1200, "Ask for two referrals", 25, (),
     [(25, "text", "reached", "out", "Thanked him for the renewal")]),
    ("Rosa Alvarez", "Alvarez Catering", "Owner", "prospect", "cool",
     "Offer the off-season discount", "call", 2000, "Send the off-season offer", 40, (),
     [(50, "call", "reached", "out", "Met at the food fair")]),
)  # fmt: skip


def workday_before(today: date, n: int) -> date:
    """The n-th Monday-to-Friday day before `today` (n = 1: the last one)."""
    day = today
    while n > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


SAMPLE_TAG = "sample"


def remove_samples(store: Store, contact_uids: Iterable[str], touch_uids: Iterable[str]) -> int:
    """Take back the sample contacts just loaded, in one transaction: each one still
    tagged `sample`, not edited since, with no touch but its own samples. Returns how
    many were removed; the others (a user's touch or edit on them) stay."""
    loaded = set(touch_uids)
    removed = 0
    with store.transaction():
        for uid in contact_uids:
            try:
                contact = store.contact(uid)
            except InputError:
                continue
            touches = store.touches(uid)
            if (
                SAMPLE_TAG not in contact.tags
                or contact.updated_at != contact.created_at
                or any(t.uid not in loaded for t in touches)
            ):
                continue
            for touch in touches:
                store.delete_touch(touch.uid)
            store.remove_new_contact(uid)
            removed += 1
    return removed


def sample(now: datetime) -> tuple[list[Contact], list[Touch]]:
    """The sample contacts and their touches, placed relative to `now` (timezone-aware)."""
    today = now.date()
    contacts: list[Contact] = []
    touches: list[Touch] = []
    for index, row in enumerate(_CONTACTS):
        (name, company, role, kind, heat, goal, channel, value, step, due, tags, specs) = row
        history: list[_TouchSpec] = specs
        oldest = max((spec[0] for spec in history), default=5)
        created = datetime.combine(workday_before(today, oldest + 2), time(9, 0), tzinfo=now.tzinfo)
        contact = Contact(
            name=name,
            company=company,
            role=role,
            kind=kind,
            heat=heat,
            goal=goal,
            channel=channel,
            value=None if value is None else float(value),
            next_step=step,
            next_due=None if due is None else today + timedelta(days=due),
            tags=tuple(dict.fromkeys((*tags, SAMPLE_TAG))),
            created_at=created,
            updated_at=created,
        )
        contacts.append(contact)
        for ago, via, outcome, direction, note in history:
            moment = datetime.combine(
                workday_before(today, ago), time(9 + (index + ago) % 8, 15), tzinfo=now.tzinfo
            )
            touches.append(
                Touch(
                    contact_uid=contact.uid,
                    at=moment,
                    channel=via,  # type: ignore[arg-type]
                    outcome=outcome,  # type: ignore[arg-type]
                    direction=direction,  # type: ignore[arg-type]
                    note=note,
                )
            )
    return contacts, touches


def _sample_touch_keys() -> dict[str, set[tuple[str, str, str, str]]]:
    keys: dict[str, set[tuple[str, str, str, str]]] = {}
    for row in _CONTACTS:
        keys[row[0]] = {(via, out, way, note) for _ago, via, out, way, note in row[-1]}
    return keys


def remove_untouched_samples(store: Store) -> int:
    """Take back the sample contacts still as loaded (`followup demo --remove`): each one
    tagged `sample`, not edited since, whose touches are all its own samples. Returns
    how many were removed; the others stay."""
    keys = _sample_touch_keys()
    with store.transaction():
        uids: list[str] = []
        touch_uids: list[str] = []
        for contact in store.contacts(include_dropped=True):
            if SAMPLE_TAG not in contact.tags or contact.name not in keys:
                continue
            touches = store.touches(contact.uid)
            if all(
                (t.channel, t.outcome, t.direction, t.note) in keys[contact.name] for t in touches
            ):
                uids.append(contact.uid)
                touch_uids.extend(t.uid for t in touches)
        return remove_samples(store, uids, touch_uids)
