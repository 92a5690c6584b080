"""`/api/directory` routes (filled in below)."""

from ninja import Router

router = Router(tags=["directory"])
