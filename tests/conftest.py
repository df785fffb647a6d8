"""Shared fixtures: a temporary store on a fixed clock, and the app on it.

The clock stands at Tuesday 2026-11-24 09:00 +01:00. The store holds five contacts,
one in each due state, and two touches (so the streak is one day, at risk today):

    hot   Anna Berg     Northwind Traders  2 days overdue  "Send the pricing deck"
    hot   Marco Rossi   Bellavista Foods   due today       "Confirm the renewal terms"
    warm  Jonas Weber   Kaiser Logistik    tomorrow        "Call about the vendor form"
    warm  Lena Fischer  Brightwave         no next step
    cool  Omar Diaz     Helix Labs         in 30 days      "touch base" (vague)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from store.clock import FixedClock
from store.model import Contact, Touch
from store.store import Store

CET = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=CET)
TODAY = NOW.date()
CREATED = datetime(2026, 11, 2, 9, 0, tzinfo=CET)


def _contact(name: str, company: str, heat: str, step: str, due: int | None, **kw: Any) -> Contact:
    return Contact(
        name=name,
        company=company,
        heat=heat,  # type: ignore[arg-type]
        next_step=step,
        next_due=None if due is None else TODAY + timedelta(days=due),
        created_at=CREATED,
        updated_at=CREATED,
        **kw,
    )


def sample_contacts() -> list[Contact]:
    return [
        _contact("Anna Berg", "Northwind Traders", "hot", "Send the pricing deck", -2,
                 channel="call"),
        _contact("Marco Rossi", "Bellavista Foods", "hot", "Confirm the renewal terms", 0,
                 channel="meeting"),
        _contact("Jonas Weber", "Kaiser Logistik", "warm", "Call about the vendor form", 1),
        _contact("Lena Fischer", "Brightwave", "warm", "", None, channel="email"),
        _contact("Omar Diaz", "Helix Labs", "cool", "touch base", 30),
    ]  # fmt: skip


@dataclass
class Env:
    """A store on a temporary file and the fixed clock it runs on."""

    store: Store
    clock: FixedClock
    path: Path

    def uid(self, name: str) -> str:
        return next(c.uid for c in self.store.contacts(include_dropped=True) if c.name == name)

    def contact(self, name: str) -> Contact:
        return self.store.contact(self.uid(name))

    def other_store(self) -> Store:
        """A second Store on the same file, as another process would open it."""
        return Store(self.path, clock=self.clock)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def empty_store(tmp_path: Path, clock: FixedClock) -> Store:
    return Store(tmp_path / "empty.json", clock=clock)


@pytest.fixture
def tmp_store(tmp_path: Path, clock: FixedClock) -> Iterator[Env]:
    path = tmp_path / "followup.json"
    store = Store(path, clock=clock)
    contacts = sample_contacts()
    anna = contacts[0]
    touches = [
        Touch(contact_uid=anna.uid, at=NOW - timedelta(days=1), channel="call",
              outcome="reached", note="Liked the pilot idea"),
        Touch(contact_uid=anna.uid, at=NOW - timedelta(days=8), channel="email",
              outcome="waiting"),
    ]  # fmt: skip
    store.add_many(contacts, touches)
    yield Env(store=store, clock=clock, path=path)


@pytest.fixture
def app_factory(tmp_store: Env) -> Callable[..., Any]:
    """Make a FollowupApp on the fixture store (create it inside the async test)."""

    def make(store: Store | None = None, **kwargs: Any) -> Any:
        from tui.app import FollowupApp

        kwargs.setdefault("emoji", True)
        return FollowupApp(store=store or tmp_store.store, clock=tmp_store.clock, **kwargs)

    return make


__all__ = ["CET", "NOW", "TODAY", "Env", "date"]


@pytest.fixture(autouse=True)
def _day_first_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Numeric dates follow the locale until the date-order setting is set: the tests run
    in a day-first one, whatever the machine's."""
    monkeypatch.setenv("LC_TIME", "C.UTF-8")
    if os.environ.get("LC_ALL"):
        monkeypatch.setenv("LC_ALL", "C.UTF-8")
