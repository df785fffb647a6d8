"""The sample contacts: tagged `sample`, and `u` right after `D` takes them back."""

from __future__ import annotations

from store.demo import SAMPLE_TAG, remove_samples, sample
from store.store import Store
from tests.conftest import NOW


def test_every_sample_is_tagged() -> None:
    contacts, _ = sample(NOW)
    assert contacts and all(SAMPLE_TAG in c.tags for c in contacts)


def test_remove_samples_keeps_the_ones_the_user_touched(empty_store: Store) -> None:
    from dataclasses import replace

    from store.model import Touch

    contacts, touches = sample(NOW)
    empty_store.add_many(contacts, touches)
    mine = contacts[0]
    empty_store.log_fields(
        Touch(contact_uid=mine.uid, at=NOW, channel="call", outcome="reached"), {}
    )
    edited = contacts[1]
    empty_store.put_contact(replace(empty_store.contact(edited.uid), goal="my own goal",
                                    updated_at=NOW))  # fmt: skip
    removed = remove_samples(empty_store, [c.uid for c in contacts], [t.uid for t in touches])
    assert removed == len(contacts) - 2
    left = {c.uid for c in empty_store.contacts()}
    assert left == {mine.uid, edited.uid}
    assert {t.contact_uid for t in empty_store.touches()} <= left


async def test_u_after_d_takes_the_samples_back(empty_store: Store, clock) -> None:
    from tui.app import FollowupApp

    app = FollowupApp(empty_store, clock, emoji=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert len(Store(empty_store.path, clock=clock).contacts()) == 25
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.query_one("#empty").display
    reopened = Store(empty_store.path, clock=clock)
    assert reopened.contacts() == [] and reopened.touches() == []
