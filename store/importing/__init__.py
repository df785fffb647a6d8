"""Import: contact files read by content, matched against the database, and applied.

    read_files(paths)                  -> Reading (candidates, merges, problems)
    plan(store, reading, today, ...)   -> Plan (what would change; writes nothing)
    apply(store, plan)                 -> writes the plan in one transaction

The readers (vcard, csv_formats, followup_json) are pure functions from bytes to
`Candidate`s; `dedupe` and `stagger` are pure functions over model objects; only
`apply` writes, through the Store's public write API.
"""

from store.importing.apply import Plan, apply, plan, run
from store.importing.detect import read_bytes, read_files
from store.importing.records import Candidate, Problem, Reading

__all__ = [
    "Candidate",
    "Plan",
    "Problem",
    "Reading",
    "apply",
    "plan",
    "read_bytes",
    "read_files",
    "run",
]
