"""The suggestions benchmark's data set: the network of `bench/suggestions_network.py`
written by `bench/suggestions_rows.py`, cached per size, network and schema by
`bench/databases.py` (SQLite `cache/suggestions-<teachers>-<key>.sqlite3`, or a PostgreSQL
database) and copied fresh for each run."""

from __future__ import annotations

import time

from bench.databases import DataSpec, Log, Writer, source_key
from bench.suggestions_network import SuggestionParams, generate

# Secondary indexes dropped while these are loaded, rebuilt after.
LOADED_TABLES = ("graph_follow", "profiles_profileterm", "posts_status")
SOURCES = ("network.py", "rows.py", "suggestions_network.py", "suggestions_rows.py")


def suggestions_spec(params: SuggestionParams) -> DataSpec:
    def load(writer: Writer, domain: str, log: Log) -> None:
        from bench.suggestions_rows import SuggestionRows

        started = time.monotonic()
        data = generate(params)
        log(f"  network drawn: {time.monotonic() - started:.1f}s")
        SuggestionRows(data, domain=domain).write(writer, log)

    key = source_key(params.key(), SOURCES)
    return DataSpec(f"suggestions-{params.teachers}", key, LOADED_TABLES, load)
