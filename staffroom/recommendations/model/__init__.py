"""The shipped suggestion ranker (ranker.json, made by scripts/fit_ranker.py)."""
