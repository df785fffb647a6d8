"""The storage engine: the files, the lock, the journal, the layout, the derived files
(index, day counts), backups and migration. Reached only through the `Store` facade."""
