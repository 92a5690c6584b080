"""`python -m bench feeds [...]`, `python -m bench suggestions [...]`,
`python -m bench media [...]`, `python -m bench search [...]` or
`python -m bench streaming [...]`; with no arguments
(`make bench`), `feeds --write`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command")
    from bench import feeds, media, search, streaming, suggestions

    feeds.add_arguments(commands.add_parser("feeds", help="stored home feeds vs the naive query"))
    one = commands.add_parser("feeds-run", help="one database's part (run by `feeds`)")
    feeds.add_arguments(one)
    one.add_argument("--out", required=True)
    suggestions.add_arguments(
        commands.add_parser("suggestions", help="who-to-follow vs recomputing per request")
    )
    suggestions.add_run_arguments(
        commands.add_parser("suggestions-run", help="one size's part (run by `suggestions`)")
    )
    media.add_arguments(
        commands.add_parser("media", help="upload to ready, worker memory, timeline with media")
    )
    search.add_arguments(commands.add_parser("search", help="full-text search vs LIKE"))
    search.add_run_arguments(
        commands.add_parser("search-run", help="one database's part (run by `search`)")
    )
    streaming.add_arguments(
        commands.add_parser("streaming", help="1,000 streaming connections: delivery, memory")
    )
    args = parser.parse_args(argv or ["feeds", "--write"])
    if args.command in ("feeds-run", "suggestions-run", "search-run"):
        if args.command == "feeds-run":
            from bench.feeds_run import run_one
        elif args.command == "search-run":
            from bench.search_run import run_one
        else:
            from bench.suggestions_run import run_one
        Path(args.out).write_text(json.dumps(run_one(args), indent=2))
        return 0
    if args.command == "suggestions":
        return suggestions.main(args)
    if args.command == "media":
        return media.main(args)
    if args.command == "search":
        return search.main(args)
    if args.command == "streaming":
        return streaming.main(args)
    return feeds.main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
