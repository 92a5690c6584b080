"""How domain events reach open streaming connections (filled in by the broker step)."""

from __future__ import annotations
