"""Reads of imports: a teacher's own only (another person's import is NotFound)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from staffroom.core.exceptions import NOT_FOUND, NotFound
from staffroom.importing.models import ImportJob, ImportRow, RowOutcome
from staffroom.profiles.models import Profile

IMPORTS_SHOWN = 50
ISSUES_SHOWN = 200


@dataclass(frozen=True)
class Report:
    """How far an import came: rows processed of `total`, and each outcome's count."""

    total: int
    imported: int = 0
    already: int = 0
    not_found: int = 0
    remote: int = 0
    failed: int = 0

    @property
    def processed(self) -> int:
        return self.imported + self.already + self.not_found + self.remote + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.processed / self.total)


def import_list_for(*, owner: Profile, limit: int = IMPORTS_SHOWN) -> list[ImportJob]:
    """The teacher's imports, newest first. One query."""
    return list(ImportJob.objects.filter(owner=owner).order_by("-id")[:limit])


def import_get(*, owner: Profile, import_id: int | str) -> ImportJob:
    """One of the teacher's imports; NotFound for another person's, an unknown or a
    malformed id alike."""
    try:
        pk = int(str(import_id))
    except ValueError as error:
        raise NotFound(NOT_FOUND) from error
    job = ImportJob.objects.filter(owner=owner, pk=pk).first() if 0 < pk < 2**63 else None
    if job is None:
        raise NotFound(NOT_FOUND)
    return job


def import_report(job: ImportJob) -> Report:
    """Counts of the job's rows by outcome. One query."""
    counts = dict(
        job.rows.exclude(outcome=RowOutcome.PENDING)
        .values_list("outcome")
        .annotate(count=Count("id"))
        .values_list("outcome", "count")
    )
    return Report(
        total=job.total_rows,
        imported=counts.get(RowOutcome.IMPORTED, 0),
        already=counts.get(RowOutcome.ALREADY, 0),
        not_found=counts.get(RowOutcome.NOT_FOUND, 0),
        remote=counts.get(RowOutcome.REMOTE, 0),
        failed=counts.get(RowOutcome.FAILED, 0),
    )


def import_issues(job: ImportJob, *, limit: int = ISSUES_SHOWN) -> list[ImportRow]:
    """The rows that were not imported (failed, not found, not on this server yet), in
    line order, with their reasons. One query."""
    issues = job.rows.filter(
        outcome__in=[RowOutcome.FAILED, RowOutcome.NOT_FOUND, RowOutcome.REMOTE]
    )
    return list(issues.order_by("line")[:limit])


def row_value(row: ImportRow) -> str:
    """What the row named, for the report: the address, list and address, URI or domain."""
    data = row.data
    if "list_name" in data and "acct" in data:
        return f"{data['list_name']}: {data['acct']}"
    for name in ("acct", "uri", "domain", "raw"):
        if name in data:
            return str(data[name])
    return ""
