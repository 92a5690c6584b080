"""`/api/accounts` routes (filled in below)."""

from ninja import Router

router = Router(tags=["accounts"])
