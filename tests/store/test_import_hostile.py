"""No input makes the importer raise: arbitrary bytes, and every truncation and some
corruptions of real-looking files. Whatever can't be read is a problem, not a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import importing
from store.importing import Reading
from tests.paths import IMPORT_FIXTURES as FIXTURES

SAMPLES = sorted(p.read_bytes() for p in FIXTURES.iterdir())


def _sound(reading: Reading) -> None:
    for person in reading.candidates:
        assert person.name.strip()
    for problem in reading.problems:
        assert str(problem)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    _sound(importing.read_bytes(data, "x"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_after_a_vcard_or_csv_head(tail: bytes) -> None:
    for head in (b"BEGIN:VCARD\r\nVERSION:2.1\r\n", b"Name,E-mail 1 - Value\n", b"{"):
        _sound(importing.read_bytes(head + tail, "x"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SAMPLES), st.data())
def test_truncations_and_corruptions_of_real_looking_files(
    sample: bytes, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(sample)))
    _sound(importing.read_bytes(sample[:cut], "cut"))
    at = data.draw(st.integers(0, max(0, len(sample) - 1)))
    junk = data.draw(st.binary(min_size=1, max_size=8))
    _sound(importing.read_bytes(sample[:at] + junk + sample[at + 1 :], "corrupt"))


def test_every_truncation_of_a_quoted_printable_card() -> None:
    sample = (FIXTURES / "vcard21-qp.vcf").read_bytes()
    for cut in range(len(sample) + 1):
        _sound(importing.read_bytes(sample[:cut], "cut.vcf"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_as_a_followup_file(text: str) -> None:
    _sound(
        importing.read_bytes(('{"format": "followup-export", "contacts": [' + text).encode(), "x")
    )


def test_a_nested_or_deep_json_file(tmp_path: Path) -> None:
    _sound(importing.read_bytes(b"[" * 100_000, "deep.json"))
    _sound(importing.read_bytes(b'{"contacts": {"1": 5}, "meta": 3}', "db.json"))
    _sound(importing.read_bytes(b'{"format": "followup-export", "contacts": 7}', "x.json"))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SAMPLES), st.binary(max_size=60), st.integers(0, 2000))
def test_what_is_read_from_damaged_files_imports_without_error(
    sample: bytes, junk: bytes, at: int
) -> None:
    import tempfile
    from datetime import UTC, datetime

    from store.clock import FixedClock
    from store.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(
            Path(folder) / "db.json", clock=FixedClock(datetime(2026, 11, 24, tzinfo=UTC))
        )
        reading = importing.read_bytes(sample[:at] + junk + sample[at:], "damaged")
        plan = importing.run(store, reading)
        assert len(store.contacts()) == len(plan.new)
