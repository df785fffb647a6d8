"""Pausing Python's cycle collector around bulk parsing (the engine's reads, the
dashboard's rows)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Without the cycle collector: parsing 50,000 records would run it dozens of times
    over objects that hold no cycles (a third of the time of a full read)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
