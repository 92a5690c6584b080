"""What `/healthz` reports: can we reach the database, are the worker and scheduler alive."""

from __future__ import annotations

from typing import Any

from django.db import connection


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"status": "error", "vendor": connection.vendor, "error": type(error).__name__}
    return {"status": "ok", "vendor": connection.vendor}


def health_report() -> dict[str, Any]:
    """The JSON body of /healthz; `status` is "ok" only when the database answers."""
    database = database_status()
    return {"status": database["status"], "database": database}
