"""Reading Mastodon's CSV exports: headers, the older one-column files, and broken rows.

Mastodon writes (and reads back) these files (its `Form::Import`):

- following, `following_accounts.csv`:
  `Account address,Show boosts,Notify on new posts,Languages`;
- lists, `lists.csv`: `list name,account address` (no header);
- blocks, `blocked_accounts.csv`: `Account address` (no header in its exports);
- mutes, `muted_accounts.csv`: `Account address,Hide notifications`;
- bookmarks, `bookmarks.csv`: a post URI a line (no header);
- domain_blocks, `blocked_domains.csv`: a domain a line (no header).

A first row is a header when its first cell is one of Mastodon's known first headers;
otherwise the columns are the type's defaults (so one-column files of addresses work for
follows, blocks and mutes). A whole-file problem (too large, too many rows, not UTF-8, not
CSV, empty, another type's file) raises a DomainError before anything is stored; a broken
row becomes a row that failed, with its reason, and the rest are imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from staffroom.core.exceptions import DomainError, ValidationFailed
from staffroom.graph.models import LIST_TITLE_MAX_LENGTH
from staffroom.graph.services import domain_normalize
from staffroom.importing.models import ImportType

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
URI_MAX_LENGTH = 2048
ACCT_MAX_LENGTH = 350
_ACCT = re.compile(r"[\w.-]+(@[\w.-]+(:\d{1,5})?)?")
_FALSE = frozenset({"false", "f", "0", "off", "no", "n"})

HEADER_ATTRIBUTES = {
    "account address": "acct",
    "show boosts": "show_reblogs",
    "notify on new posts": "notify",
    "languages": "languages",
    "hide notifications": "hide_notifications",
    "#domain": "domain",
    "#uri": "uri",
    "list name": "list_name",
}
KNOWN_FIRST_HEADERS = frozenset({"account address", "#domain", "#uri", "list name"})
DEFAULT_COLUMNS = {
    ImportType.FOLLOWING: ["acct"],
    ImportType.BLOCKS: ["acct"],
    ImportType.MUTES: ["acct"],
    ImportType.DOMAIN_BLOCKS: ["domain"],
    ImportType.BOOKMARKS: ["uri"],
    ImportType.LISTS: ["list_name", "acct"],
}
# What a file chosen as each type must have (a header naming other columns is another type).
REQUIRED = {key: set(columns) for key, columns in DEFAULT_COLUMNS.items()}
# Mastodon's guess from the file name, to refuse e.g. follows uploaded as blocks.
_NAME_GUESSES = [
    (("muted_accounts", "mutes"), ImportType.MUTES),
    (("following_accounts", "follows"), ImportType.FOLLOWING),
    (("blocked_accounts", "blocks"), ImportType.BLOCKS),
    (("blocked_domains", "domain_blocks"), ImportType.DOMAIN_BLOCKS),
    (("bookmarks",), ImportType.BOOKMARKS),
    (("lists",), ImportType.LISTS),
]


class FileTooLarge(DomainError):
    status_code = 413


class Upload(Protocol):
    """What the import reads of an uploaded file (Django's UploadedFile has it)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass
class ParsedRow:
    line: int
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass
class ParsedFile:
    rows: list[ParsedRow]
    has_header: bool


def _read_text(upload: Upload) -> str:
    size = upload.size if upload.size is not None else 0
    if size > IMPORT_MAX_BYTES:
        raise FileTooLarge(_too_large())
    raw = upload.read(IMPORT_MAX_BYTES + 1)
    if len(raw) > IMPORT_MAX_BYTES:
        raise FileTooLarge(_too_large())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationFailed(
            _(
                "The file is not UTF-8 text (a problem at byte %(at)d). Save it as CSV with "
                "UTF-8 encoding and upload it again."
            )
            % {"at": error.start}
        ) from error
    if "\x00" in text:
        raise ValidationFailed(_("The file is not a CSV text file."))
    return text


def _too_large() -> str:
    return _("The file is too large: the most an import may have is %(size)d MB.") % {
        "size": IMPORT_MAX_BYTES // (1024 * 1024)
    }


def guess_type(file_name: str, header: list[str] | None) -> str | None:
    """The type the file looks like (Mastodon's guess), or None when it cannot tell."""
    names = {cell.strip().lower() for cell in header or []}
    if "hide notifications" in names:
        return ImportType.MUTES
    if names & {"show boosts", "notify on new posts", "languages"}:
        return ImportType.FOLLOWING
    base = file_name.rsplit("/", 1)[-1].lower()
    for prefixes, guessed in _NAME_GUESSES:
        if base.startswith(prefixes):
            return guessed
    return None


def _bool(value: str) -> bool | None:
    cleaned = value.strip().lower()
    if not cleaned:
        return None
    return cleaned not in _FALSE


def _acct(value: str) -> str:
    acct = value.strip().removeprefix("@")
    if not acct or len(acct) > ACCT_MAX_LENGTH or not _ACCT.fullmatch(acct):
        raise ValidationFailed(
            _("“%(value)s” is not an account address (like name@example.org).")
            % {"value": value.strip()[:80]}
        )
    return acct


def _uri(value: str) -> str:
    uri = value.strip()
    parts = urlsplit(uri) if len(uri) <= URI_MAX_LENGTH else None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationFailed(
            _("“%(value)s” is not the address of a post (an https:// link).") % {"value": uri[:80]}
        )
    return uri


def _list_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationFailed(_("The list name is missing."))
    if len(name) > LIST_TITLE_MAX_LENGTH:
        raise ValidationFailed(
            _("The list name is longer than %(max)d characters.") % {"max": LIST_TITLE_MAX_LENGTH}
        )
    return name


def _row_data(columns: list[str], cells: list[str], kind: str) -> dict[str, Any]:
    values = dict(zip(columns, cells, strict=False))
    missing = [name for name in DEFAULT_COLUMNS[ImportType(kind)] if not values.get(name, "")]
    if missing:
        what = {"acct": _("account address"), "list_name": _("list name")}
        names = ", ".join(str(what.get(name, name)) for name in missing)
        raise ValidationFailed(_("This line has no %(what)s.") % {"what": names})
    data: dict[str, Any] = {}
    for name, value in values.items():
        match name:
            case "acct":
                data["acct"] = _acct(value)
            case "show_reblogs" | "notify" | "hide_notifications":
                flag = _bool(value)
                if flag is not None:
                    data[name] = flag
            case "languages":
                languages = [part.strip() for part in value.split(",") if part.strip()]
                if languages:
                    data["languages"] = languages
            case "domain":
                data["domain"] = domain_normalize(value)
            case "uri":
                data["uri"] = _uri(value)
            case "list_name":
                data["list_name"] = _list_name(value)
    return data


def _columns(kind: str, first: list[str], file_name: str) -> tuple[list[str], bool]:
    """The attribute of each column, and whether `first` is a header row. Raises
    ValidationFailed when the file is another type's."""
    has_header = first[0].strip().lower() in KNOWN_FIRST_HEADERS if first else False
    header = first if has_header else None
    guessed = guess_type(file_name, header)
    columns = (
        [HEADER_ATTRIBUTES.get(cell.strip().lower(), "") for cell in first]
        if has_header
        else DEFAULT_COLUMNS[ImportType(kind)]
    )
    if (guessed is not None and guessed != kind) or not REQUIRED[ImportType(kind)] <= set(columns):
        looks_like = ImportType(guessed).label if guessed else _("another kind of file")
        raise ValidationFailed(
            _(
                "This file does not look like %(chosen)s: it looks like %(guessed)s. Choose "
                "the matching type, or another file."
            )
            % {"chosen": ImportType(kind).label, "guessed": looks_like}
        )
    return columns, has_header


def parse_upload(upload: Upload, kind: str) -> ParsedFile:
    """Read `upload` as a Mastodon CSV export of type `kind`: its rows, each with its line
    number and parsed values, or the reason it is broken.

    Raises FileTooLarge (413) past IMPORT_MAX_BYTES, without reading more than that; and
    ValidationFailed for a file that is not UTF-8, not CSV, empty, over IMPORT_MAX_ROWS
    rows, or another type's export.
    """
    text = _read_text(upload)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[ParsedRow] = []
    columns: list[str] | None = None
    has_header = False
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns, has_header = _columns(kind, cells, upload.name or "")
                if has_header:
                    continue
            if len(rows) >= IMPORT_MAX_ROWS:
                raise ValidationFailed(
                    _("The file has more than %(max)s rows; split it and import each part.")
                    % {"max": f"{IMPORT_MAX_ROWS:,}"}
                )
            rows.append(_parse_row(reader.line_num, columns, cells, kind))
    except csv.Error as error:
        raise ValidationFailed(
            _("The file is not valid CSV (line %(line)d: %(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise ValidationFailed(_("The file is empty: there is nothing to import."))
    return ParsedFile(rows=rows, has_header=has_header)


def _parse_row(line: int, columns: list[str], cells: list[str], kind: str) -> ParsedRow:
    try:
        return ParsedRow(line=line, data=_row_data(columns, cells, kind))
    except ValidationFailed as error:
        raw = ",".join(cells)[:200]
        return ParsedRow(line=line, data={"raw": raw}, error=error.message)
