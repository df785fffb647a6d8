"""The dashboard's writes on their own (no app): each outcome is one message, the same
whether the write was made at once or waited in a thread for another process's lock."""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.message import Message

from store import actions
from store.errors import DatabaseError
from store.store import Store
from tests.conftest import Env
from tui.dashboard import keys
from tui.dashboard.board import Board
from tui.dashboard.undo import Change
from tui.dashboard.writes import Pending, Writes


class Host:
    """What Writes needs of its screen: messages are kept, jobs run in real threads."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.threads: list[threading.Thread] = []

    def post_message(self, message: Message) -> bool:
        self.messages.append(message)
        return True

    def run_in_thread(self, job: Callable[[], None], group: str) -> object:
        thread = threading.Thread(target=job, name=group)
        thread.start()
        self.threads.append(thread)
        return thread


def cool_down(env: Env, name: str) -> Pending:
    contact = env.contact(name)
    return Pending(
        f"{name} cooled down",
        contact.uid,
        lambda store, on_conflict: actions.set_heat(
            store, contact, "cool", expect=True, on_conflict=on_conflict
        ),
    )


def test_a_write_made_at_once_answers_written(tmp_store: Env) -> None:
    host = Host()
    Writes(tmp_store.store, host).change(cool_down(tmp_store, "Anna Berg"))
    (message,) = host.messages
    assert isinstance(message, Writes.Written)
    assert not message.waited
    assert message.result.written["heat"] == ("hot", "cool")
    assert tmp_store.other_store().contact(tmp_store.uid("Anna Berg")).heat == "cool"


def test_a_write_that_waits_for_the_lock_answers_the_same_message(tmp_store: Env) -> None:
    host = Host()
    writes = Writes(tmp_store.store, host)
    other = tmp_store.other_store()
    with other.transaction():  # another process holds the lock
        writes.change(cool_down(tmp_store, "Anna Berg"))
        assert [type(m) for m in host.messages] == [Writes.Waiting]
    writes.wait(timeout=30)
    _waiting, written = host.messages
    assert isinstance(written, Writes.Written)
    assert written.waited
    assert written.result.written["heat"] == ("hot", "cool")
    assert Store(tmp_store.path, clock=tmp_store.clock).contact(written.pending.uid).heat == "cool"


def test_a_refused_write_answers_failed_and_writes_nothing(tmp_store: Env) -> None:
    host = Host()

    def refused(store: Store, on_conflict: str) -> None:
        raise DatabaseError("cannot write: disk full")

    pending = Pending("Refused", tmp_store.uid("Anna Berg"), refused)  # type: ignore[arg-type]
    Writes(tmp_store.store, host).change(pending)
    (message,) = host.messages
    assert isinstance(message, Writes.Failed)
    assert "disk full" in str(message.error)
    assert not message.undoing


def test_an_undo_answers_undone_with_the_fields_it_could_not_put_back(tmp_store: Env) -> None:
    host = Host()
    writes = Writes(tmp_store.store, host)
    writes.change(cool_down(tmp_store, "Anna Berg"))
    (written,) = host.messages
    assert isinstance(written, Writes.Written)
    change = Change(written.pending.label, written.pending.uid, dict(written.result.written))
    actions.set_heat(tmp_store.other_store(), tmp_store.contact("Anna Berg"), "warm")
    writes.undo(change)
    undone = host.messages[-1]
    assert isinstance(undone, Writes.Undone)
    assert undone.kept == ["heat"]  # changed elsewhere since: left as it is


def test_allowed_hides_contact_keys_without_a_contact(tmp_store: Env) -> None:
    board = Board(tmp_store.clock.now().date())
    anna = tmp_store.contact("Anna Berg")

    def allowed(action: str, contact=anna, **kw: bool) -> bool | None:
        state = {"can_undo": False, "filter_shown": False, **kw}
        return keys.allowed(action, board, contact, **state)

    assert allowed("log_touch") is True
    assert allowed("log_touch", contact=None) is False
    assert allowed("warm_up") is None  # Anna is hot: shown, disabled
    assert allowed("undo") is None
    assert allowed("undo", can_undo=True) is True
    assert allowed("demo") is True  # the board is empty
    assert allowed("clear_filter") is False
    assert allowed("clear_filter", filter_shown=True) is True
