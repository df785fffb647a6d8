"""The sample contacts loaded from the dashboard (`D` on an empty database), and `u`
right after, which takes back the ones left untouched (the same as `followup demo`
and `followup demo --remove`)."""

from __future__ import annotations

from store.clock import Clock
from store.store import Store
from tui.dashboard.undo import Change


class SampleChange(Change, frozen=True):
    """Loading the sample contacts: undone by taking back the untouched ones."""

    contact_uids: tuple[str, ...] = ()
    touch_uids: tuple[str, ...] = ()


def load(store: Store, clock: Clock) -> SampleChange:
    """Add the sample contacts and their touches; the change that takes them back."""
    from store.demo import sample

    contacts, touches = sample(clock.now())
    added = store.add_many(contacts, touches)
    return SampleChange(
        f"Loaded {added} sample contacts",
        "",
        None,
        contact_uids=tuple(c.uid for c in contacts),
        touch_uids=tuple(t.uid for t in touches),
    )


def take_back(store: Store, change: SampleChange) -> str:
    """Remove the samples nobody changed since; what to tell the user."""
    from store.demo import remove_samples

    removed = remove_samples(store, change.contact_uids, change.touch_uids)
    kept = len(change.contact_uids) - removed
    note = f" ({kept} you changed are kept)" if kept else ""
    return f"Undone: removed {removed} sample contacts{note}"
