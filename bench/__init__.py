"""Benchmarks of the Staffroom server (`python -m bench feeds`).

See docs/development/benchmarks.md.
"""
