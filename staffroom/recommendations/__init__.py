"""Who-to-follow suggestions: `engine/` is pure numpy/scipy; `cli.py` holds the `recs` commands."""
