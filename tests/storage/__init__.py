"""The files on disk: atomic writes, locks, crashes, faults, the journal, migrations."""
