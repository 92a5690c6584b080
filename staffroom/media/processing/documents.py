"""Documents: PDF, Office Open XML (DOCX, PPTX, XLSX) and OpenDocument (ODT, ODP, ODS).

The format is decided from the bytes alone: `%PDF-` is a PDF; a ZIP is an Office file when
its `[Content_Types].xml` names a main part we accept, an OpenDocument file when its first
entry is `mimetype` naming one; anything else (a plain ZIP, an EPUB, an old binary `.doc`)
is refused.

What is served is never the upload itself but a rewritten copy without the author:

- PDF: pypdf copies the document without the `/Info` dictionary, the XMP `/Metadata`
  streams (document, page, image and font level), `/PieceInfo`, the author of every markup
  annotation and the value of signature fields. JavaScript, launch and other active actions,
  attachments, rich media and 3D, and XFA forms are refused; so are sticky notes and replies
  (comments). Encrypted files are refused. pdfium renders the first page as the preview.
- Office and ODF: a new ZIP with the same parts, copied byte for byte, except the document
  properties (rewritten empty), the parts that only list people (custom properties, comment
  authors, people and persons lists, sensitivity labels: dropped with their relationships
  and content types), the folder Excel last saved the workbook in and the folder of Word's
  linked template (removed). Macros, tracked changes
  and comments are refused: removing them would change what the teacher wrote. Embedded OLE
  objects (where old exploits live) and DDE fields are refused as active content. The preview
  is the thumbnail the office suite saved, if any (a JPEG or PNG only).

Every ZIP is checked before anything is unpacked (entry count, declared sizes, compression
ratio, entry names), and the bytes actually unpacked are counted as they are read. Every XML
part is parsed by defusedxml with document type declarations forbidden (no entities, so no
billion laughs and no external entities), streamed into handlers without building a tree.
"""

from __future__ import annotations

import html
import io
import math
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote

import pypdfium2 as pdfium
from defusedxml.common import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import (  # type: ignore[import-untyped]
    DefusedXMLParser,
    ParseError,
    fromstring,
)
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from staffroom.media.processing.previews import Preview, dimensions, write_preview
from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    OutputFile,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # old binary Office, encrypted OOXML, OLE objects

CHUNK = 64 * 1024
# A page count as a document states it: ASCII digits, at most nine (no real document has
# more pages, and the number goes into an integer column).
_DIGITS = re.compile(r"[0-9]{1,9}")
# Parts read whole into memory (properties, relationships, content types, the manifest,
# thumbnails, the workbook): legitimately a few kilobytes.
WHOLE_PART_MAX = 16 * 1024 * 1024
# An entry this large may not be compressed more than RATIO_MAX times (a ZIP bomb's mark).
RATIO_MIN_SIZE = 1024 * 1024
RATIO_MAX = 200
# The first page is rendered with its long side this many pixels (write_preview then shrinks
# it); the scale comes from the page size, so a huge page box cannot allocate gigabytes.
RENDER_LONG_SIDE = 1000
# Objects a PDF may hold (each is walked once to find active content and metadata).
PDF_MAX_OBJECTS = 500_000


class _Target(Protocol):
    """What the streaming XML parser feeds: a handler that may raise MediaRejected."""

    def close(self) -> None: ...


def process_document(source: Path, out_dir: Path, limits: ProcessingLimits) -> ProcessedMedia:
    """Prove `source` is a document we accept and write a copy without its author.

    Raises MediaRejected.
    """
    with source.open("rb") as stream:
        head = stream.read(len(OLE_MAGIC))
    if not head:
        raise MediaRejected(RejectionCode.EMPTY)
    if head.startswith(PDF_MAGIC):
        return _process_pdf(source, out_dir, limits)
    if head.startswith(ZIP_MAGIC):
        return _process_package(source, out_dir, limits)
    if head.startswith(OLE_MAGIC):
        raise _ole_refusal(source)
    raise MediaRejected(RejectionCode.NOT_SUPPORTED, "not a PDF, Office or ODF file")


def _result(
    format_: str,
    pages: int | None,
    picture: Image.Image | None,
    out_dir: Path,
    limits: ProcessingLimits,
) -> ProcessedMedia:
    if pages is not None and pages > limits.max_document_pages:
        (out_dir / f"file.{format_}").unlink(missing_ok=True)
        raise MediaRejected(RejectionCode.TOO_MANY_PAGES, f"{pages} pages")
    preview: Preview | None = None
    meta: dict[str, Any] = {}
    if picture is not None:
        preview = write_preview(picture, out_dir)
        meta = {"original": dimensions(picture.width, picture.height), "small": preview.small}
    return ProcessedMedia(
        kind=MediaKind.DOCUMENT,
        mastodon_type="unknown",
        file=OutputFile(
            name=f"file.{format_}", extension=format_, content_type=CONTENT_TYPES[format_]
        ),
        preview=preview.file if preview else None,
        blurhash=preview.blurhash if preview else None,
        meta=meta,
        extra={"format": format_, "pages": pages},
    )


def _ole_refusal(source: Path) -> MediaRejected:
    """An OLE container is an old binary Office file or a password-protected Office Open XML
    one (its `EncryptedPackage` stream): either way refused, the latter with its own reason."""
    marker = "EncryptedPackage".encode("utf-16-le")
    tail = b""
    with source.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if marker in tail + chunk:
                return MediaRejected(RejectionCode.ENCRYPTED, "encrypted Office file")
            tail = chunk[-len(marker) :]
    return MediaRejected(RejectionCode.NOT_SUPPORTED, "old binary Office file (OLE)")


# --- PDF -----------------------------------------------------------------------------------

# Actions that run code, open other files or programs, or send data somewhere.
PDF_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/GoToR",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
    }
)
# Keys that only appear with scripts, attachments, rich media or XFA forms.
PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent", "/OnInstantiate"}
)
PDF_ACTIVE_SUBTYPES = frozenset({"/RichMedia", "/3D", "/FileAttachment"})
PDF_ACTIVE_URI_SCHEMES = ("javascript:", "vbscript:", "file:", "data:")
# Sticky notes and inserted-text marks are review comments.
PDF_COMMENT_SUBTYPES = frozenset({"/Text", "/Caret"})
# Markup annotations, whose /T is the name of whoever drew them.
PDF_MARKUP_SUBTYPES = frozenset(
    {
        "/Text",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Stamp",
        "/Caret",
        "/Ink",
        "/Redact",
    }
)
# Removed from every dictionary: XMP streams, applications' private data, dates.
PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified", "/Perms")


def _process_pdf(source: Path, out_dir: Path, limits: ProcessingLimits) -> ProcessedMedia:
    _require_pdf_end(source)
    output = out_dir / "file.pdf"
    try:
        pages = _rewrite_pdf(source, output, limits)
    except (MediaRejected, MemoryError):
        output.unlink(missing_ok=True)
        raise
    except Exception as error:  # pypdf raises all sorts on hostile input
        output.unlink(missing_ok=True)
        raise MediaRejected(RejectionCode.DAMAGED, f"pdf: {error!r}") from error
    return _result("pdf", pages, _render_first_page(output), out_dir, limits)


def _require_pdf_end(source: Path) -> None:
    """A PDF ends with `%%EOF` (give or take trailing junk); a truncated one does not, and
    pypdf's lenient mode would otherwise rebuild what it can of it."""
    size = source.stat().st_size
    with source.open("rb") as stream:
        stream.seek(max(0, size - 2048))
        if b"%%EOF" not in stream.read():
            raise MediaRejected(RejectionCode.DAMAGED, "pdf: no %%EOF (truncated?)")


def _rewrite_pdf(source: Path, output: Path, limits: ProcessingLimits) -> int:
    reader = PdfReader(source, strict=False)
    if reader.is_encrypted:
        raise MediaRejected(RejectionCode.ENCRYPTED, "pdf")
    pages = len(reader.pages)
    if pages == 0:
        raise MediaRejected(RejectionCode.DAMAGED, "pdf: no pages")
    if pages > limits.max_document_pages:
        raise MediaRejected(RejectionCode.TOO_MANY_PAGES, f"{pages} pages")
    # A fresh file from the document's root: earlier revisions (incremental updates) and
    # unreferenced objects are not copied.
    writer = PdfWriter(clone_from=reader)
    reachable = _clean_pdf_objects(writer)
    writer.metadata = None  # the /Info dictionary (author, creator, producer, dates)
    _drop_unreachable(writer, reachable)
    writer.write(output)
    return pages


def _pdf_value(dictionary: DictionaryObject, key: str) -> Any:
    """A dictionary entry, resolved if it is a reference (a name hidden behind one still
    counts)."""
    value = dictionary.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _uri_scheme_is_active(value: Any) -> bool:
    """Whether a link's address runs a script or opens a local file. Read the way browsers
    read it: controls and spaces before it, tabs and line breaks inside it, ignored."""
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value or "")
    text = re.sub(r"[\t\n\r]", "", text).lstrip("".join(map(chr, range(33))))
    return text.lower().startswith(PDF_ACTIVE_URI_SCHEMES)


def _clean_pdf_objects(writer: PdfWriter) -> set[int]:
    """Walk every object reachable from the catalog: refuse active content and comments,
    remove metadata. Returns the numbers of the objects reached."""
    root = writer.root_object
    reached: set[int] = set()
    if root.indirect_reference is not None:
        reached.add(root.indirect_reference.idnum)
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in reached:
                continue
            reached.add(item.idnum)
            if len(reached) > PDF_MAX_OBJECTS:
                raise MediaRejected(RejectionCode.TOO_COMPLEX, "pdf: too many objects")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            _clean_pdf_dictionary(item)
            stack.extend(item.values())  # raw values: references stay references
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return reached


def _clean_pdf_dictionary(dictionary: DictionaryObject) -> None:
    if not PDF_ACTIVE_KEYS.isdisjoint(dictionary.keys()):
        raise MediaRejected(RejectionCode.ACTIVE_CONTENT, "pdf: script, attachment or XFA")
    action = _pdf_value(dictionary, "/S")
    if action in PDF_ACTIVE_ACTIONS:
        raise MediaRejected(RejectionCode.ACTIVE_CONTENT, f"pdf: {action} action")
    if action == "/URI" and _uri_scheme_is_active(_pdf_value(dictionary, "/URI")):
        raise MediaRejected(RejectionCode.ACTIVE_CONTENT, "pdf: script or file link")
    if _pdf_value(dictionary, "/Type") == "/EmbeddedFile":
        raise MediaRejected(RejectionCode.ACTIVE_CONTENT, "pdf: embedded file")
    subtype = _pdf_value(dictionary, "/Subtype")
    if subtype in PDF_ACTIVE_SUBTYPES:
        raise MediaRejected(RejectionCode.ACTIVE_CONTENT, f"pdf: {subtype} annotation")
    if subtype in PDF_COMMENT_SUBTYPES or "/IRT" in dictionary:
        raise MediaRejected(RejectionCode.COMMENTS, "pdf: note or reply")
    for key in PDF_METADATA_KEYS:
        dictionary.pop(key, None)
    if subtype in PDF_MARKUP_SUBTYPES:
        dictionary.pop("/T", None)  # the annotation's author
    if _pdf_value(dictionary, "/FT") == "/Sig":
        dictionary.pop("/V", None)  # the signature (signer's name, certificate, date)


def _drop_unreachable(writer: PdfWriter, reachable: set[int]) -> None:
    """Forget the objects nothing points to any more (the XMP streams removed above), so the
    file written does not carry them. pypdf has no public way to do it in one pass
    (`compress_identical_objects` removes one level of orphans per call)."""
    objects = writer._objects
    for index, obj in enumerate(objects):
        if obj is not None and index + 1 not in reachable:
            objects[index] = None


def _render_first_page(path: Path) -> Image.Image | None:
    """The first page as a picture whose long side is RENDER_LONG_SIDE, or None when pdfium
    cannot draw it (the document itself is still served)."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        path.unlink(missing_ok=True)
        raise MediaRejected(RejectionCode.DAMAGED, f"pdfium: {error}") from error
    try:
        page = document[0]
        try:
            width, height = page.get_size()
            if not (math.isfinite(width) and math.isfinite(height)):
                return None
            if min(width, height) <= 0:
                return None
            scale = RENDER_LONG_SIDE / max(width, height)
            if min(width, height) * scale < 1:
                return None
            bitmap = page.render(scale=scale)
            try:
                picture: Image.Image = bitmap.to_pil().convert("RGB")  # a copy
            finally:
                bitmap.close()
            return picture
        finally:
            page.close()
    except pdfium.PdfiumError:
        return None
    finally:
        document.close()


# --- ZIP packages: Office Open XML and OpenDocument -------------------------------------------

_ZIP_READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
)


class _Budget:
    """The bytes the parts may still unpack to, counted as they are read: the declared sizes
    checked up front may lie."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise MediaRejected(RejectionCode.TOO_COMPLEX, "parts unpack past the limit")


@dataclass
class _Plan:
    """How a package is rewritten, decided before the pass that writes it."""

    format: str
    first: str  # the entry written first ([Content_Types].xml or mimetype)
    whole: dict[str, bytes]  # entries already read (some rewritten): written from here
    dropped: set[str] = field(default_factory=set)
    stored: set[str] = field(default_factory=set)  # written uncompressed
    pages: int | None = None
    thumbnail: bytes | None = None
    odf_scanners: list[_OdfScanner] = field(default_factory=list)

    def scanner(self, name: str) -> _Target:
        folded = name.casefold()
        if self.format == "docx" and folded.startswith("word/"):
            return _WordScanner()
        if self.format == "xlsx" and folded.startswith("xl/externallinks/"):
            return _ExcelLinkScanner()
        if self.format in ("odt", "odp", "ods"):
            scanner = _OdfScanner(count_pages=folded == "content.xml")
            self.odf_scanners.append(scanner)
            return scanner
        return _WellFormed()


def _process_package(source: Path, out_dir: Path, limits: ProcessingLimits) -> ProcessedMedia:
    _check_entry_count(source, limits)
    try:
        archive = zipfile.ZipFile(source)
    except _ZIP_READ_ERRORS as error:
        raise MediaRejected(RejectionCode.DAMAGED, f"zip: {error!r}") from error
    with archive:
        infos = archive.infolist()
        _check_directory(infos, limits)
        budget = _Budget(limits.max_unpacked_bytes)
        folded = {info.filename.casefold() for info in infos}
        is_odf = infos[0].filename == "mimetype"
        is_ooxml = "[content_types].xml" in folded
        if is_odf == is_ooxml:  # neither, or a package pretending to be both
            raise MediaRejected(RejectionCode.NOT_SUPPORTED, "zip: not an Office or ODF file")
        plan = _plan_odf(archive, infos, budget) if is_odf else _plan_ooxml(archive, infos, budget)
        output = out_dir / f"file.{plan.format}"
        try:
            _write_package(archive, infos, output, plan, budget)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
    if plan.format == "odp":
        plan.pages = sum(scanner.pages for scanner in plan.odf_scanners)
    return _result(plan.format, plan.pages, _thumbnail(plan.thumbnail, limits), out_dir, limits)


def _check_entry_count(source: Path, limits: ProcessingLimits) -> None:
    """The entry count from the end-of-central-directory record, before zipfile builds an
    object for each entry (a million tiny entries would exhaust memory first)."""
    size = source.stat().st_size
    with source.open("rb") as stream:
        stream.seek(max(0, size - 65_557))  # the record (22 bytes) and its longest comment
        tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise MediaRejected(RejectionCode.DAMAGED, "zip: no central directory (truncated?)")
    entries = struct.unpack_from("<H", tail, at + 10)[0]
    if entries != 0xFFFF and entries > limits.max_parts:  # 0xFFFF: the count is in ZIP64
        raise MediaRejected(RejectionCode.TOO_COMPLEX, f"zip: {entries} entries")


def _check_directory(infos: list[zipfile.ZipInfo], limits: ProcessingLimits) -> None:
    """Everything the central directory tells before a byte is unpacked."""
    if not infos:
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, "zip: empty")
    if len(infos) > limits.max_parts:
        raise MediaRejected(RejectionCode.TOO_COMPLEX, f"zip: {len(infos)} entries")
    seen: set[str] = set()
    declared = 0
    for info in infos:
        for name in (info.filename, info.orig_filename):
            if not _safe_name(name):
                raise MediaRejected(RejectionCode.DAMAGED, f"zip: entry name {name!r}")
        folded = info.filename.casefold()  # Office part names ignore case
        if folded in seen:
            raise MediaRejected(RejectionCode.DAMAGED, f"zip: {info.filename!r} twice")
        seen.add(folded)
        if info.flag_bits & 0x1:
            raise MediaRejected(RejectionCode.ENCRYPTED, "zip: encrypted entries")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise MediaRejected(RejectionCode.DAMAGED, f"zip: method {info.compress_type}")
        declared += info.file_size
        if info.file_size > RATIO_MIN_SIZE and (
            info.compress_size == 0 or info.file_size / info.compress_size > RATIO_MAX
        ):
            raise MediaRejected(RejectionCode.TOO_COMPLEX, f"zip: {info.filename} ratio")
    if declared > limits.max_unpacked_bytes:
        raise MediaRejected(RejectionCode.TOO_COMPLEX, f"zip: unpacks to {declared} bytes")


def _safe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return False
    if re.match(r"[A-Za-z]:", name):
        return False
    segments = name.split("/")
    if name.endswith("/"):
        segments = segments[:-1]
    return all(segment not in ("", ".", "..") for segment in segments)


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """An entry's bytes, counted against the budget; a corrupt entry is DAMAGED."""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                budget.spend(len(chunk))
                yield chunk
    except _ZIP_READ_ERRORS as error:
        raise MediaRejected(RejectionCode.DAMAGED, f"{info.filename}: {error!r}") from error


def _read_whole(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    if info.file_size > WHOLE_PART_MAX:
        raise MediaRejected(RejectionCode.TOO_COMPLEX, f"{info.filename}: too large")
    data = b"".join(_chunks(archive, info, budget))
    _refuse_ole(info.filename, data)
    return data


def _refuse_ole(name: str, head: bytes) -> None:
    """An embedded OLE object (a packaged program, an old equation editor object, a linked
    file): where Office exploits live. Macro storage is refused earlier, by name."""
    if head.startswith(OLE_MAGIC):
        raise MediaRejected(RejectionCode.ACTIVE_CONTENT, f"{name}: embedded OLE object")


def _write_package(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    output: Path,
    plan: _Plan,
    budget: _Budget,
) -> None:
    """Write the new package: the first entry first, rewritten parts from memory, the others
    copied byte for byte while their XML is scanned (and their bytes counted)."""
    ordered = [info for info in infos if info.filename == plan.first]
    ordered += [info for info in infos if info.filename != plan.first]
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in ordered:
            name = info.filename
            if name in plan.dropped:
                continue
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            if info.is_dir():
                entry.external_attr = (0o40755 << 16) | 0x10
                entry.CRC = entry.file_size = entry.compress_size = 0
                out.mkdir(entry)
                continue
            entry.external_attr = 0o644 << 16
            stored = name in plan.stored
            entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            if name in plan.whole:
                out.writestr(entry, plan.whole[name])
                continue
            entry.file_size = info.file_size  # lets zipfile choose ZIP64 up front if needed
            with out.open(entry, "w") as sink:
                chunks = _copied(name, _chunks(archive, info, budget), sink)
                if name.casefold().endswith((".xml", ".rels")):
                    _parse_xml(chunks, plan.scanner(name), name)
                else:
                    for _chunk in chunks:
                        pass


def _copied(name: str, chunks: Iterable[bytes], sink: Any) -> Iterator[bytes]:
    first = True
    for chunk in chunks:
        if first:
            _refuse_ole(name, chunk)
            first = False
        sink.write(chunk)
        yield chunk


def _parse_xml(chunks: Iterable[bytes], target: _Target, name: str) -> None:
    """Stream a part through defusedxml into `target` (no tree is built). A document type
    declaration (entities, external references) or malformed XML is DAMAGED: no office suite
    writes either."""
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    fed = False
    try:
        for chunk in chunks:
            parser.feed(chunk)
            fed = True
        if fed:  # LibreOffice writes some empty .xml files (Configurations2/)
            parser.close()
    except (ParseError, DefusedXmlException) as error:
        raise MediaRejected(RejectionCode.DAMAGED, f"{name}: {error!r}") from error


def _parse_whole(data: bytes, name: str) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise MediaRejected(RejectionCode.DAMAGED, f"{name}: {error!r}") from error
    return root


def _split(tag: str) -> tuple[str, str]:
    """`{namespace}local` -> (namespace, local)."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _thumbnail(data: bytes | None, limits: ProcessingLimits) -> Image.Image | None:
    """The thumbnail an office suite saved, decoded if it is a sane JPEG or PNG."""
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
            if image.width * image.height > limits.max_pixels:
                return None
            image.load()
            return image.convert("RGBA")  # write_preview flattens it onto white
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None


class _WellFormed:
    """Parses a part without looking inside (it still proves it is XML with no DTD)."""

    def close(self) -> None:
        return None


# --- Office Open XML ---------------------------------------------------------------------------

OOXML_FORMATS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
APP_PROPERTIES = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
SLIDE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
OLE_OBJECT = "application/vnd.openxmlformats-officedocument.oleobject"
TYPES_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/relationships"
APP_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
)
EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://'
    b'purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://'
    b'www.w3.org/2001/XMLSchema-instance"/>'
)

# Names (folded) and content-type words that mean VBA, ActiveX or Excel 4 macros.
MACRO_FILES = frozenset(
    {
        "vbaproject.bin",
        "vbadata.xml",
        "vbaprojectsignature.bin",
        "vbaprojectsignatureagile.bin",
        "vbaprojectsignaturev3.bin",
    }
)
MACRO_FOLDERS = frozenset({"activex", "macrosheets"})
MACRO_EXTENSIONS = frozenset(
    {".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppsm", ".ppam"}
)
MACRO_TYPE_WORDS = ("macroenabled", "vbaproject", "vbadata", "activex", "macrosheet")
# ODF keeps Basic macros and other scripts in these top-level folders.
ODF_MACRO_FOLDERS = frozenset({"basic", "scripts"})

COMMENT_PREFIXES = (
    "word/comments",
    "xl/comments",
    "xl/threadedcomments/",
    "ppt/comments/",
)
TRACKED_PREFIXES = ("xl/revisions/",)
TRACKED_TYPE_WORDS = ("revisionheaders", "revisionlog", "usernames")
# Parts that only list people (or the organisation): dropped, with their relationships.
DROPPED_NAMES = frozenset(
    {
        "docprops/custom.xml",
        "word/people.xml",
        "ppt/commentauthors.xml",
        "ppt/authors.xml",
        "docmetadata/labelinfo.xml",
    }
)
DROPPED_PREFIXES = ("xl/persons/",)
DROPPED_TYPE_SUFFIXES = (
    "custom-properties+xml",
    "people+xml",
    "person+xml",
    "authors+xml",  # presentationml.commentAuthors, ms-powerpoint.authors
    "classificationlabels+xml",
)

WORD_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    }
)
WORD_TRACKED = frozenset(
    {
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "moveFromRangeStart",
        "moveToRangeStart",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "tblGridChange",
        "trPrChange",
        "tcPrChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
        "customXmlInsRangeStart",
        "customXmlDelRangeStart",
        "customXmlMoveFromRangeStart",
        "customXmlMoveToRangeStart",
    }
)
WORD_COMMENT_MARKS = frozenset({"commentRangeStart", "commentRangeEnd", "commentReference"})
DDE_FIELD = re.compile(r"\bDDE(?:AUTO)?\b", re.IGNORECASE)
# Excel 2013 and later save the folder the workbook was last saved in (often a user's home).
EXCEL_ABSOLUTE_PATH = (
    re.compile(
        rb"<mc:AlternateContent\b[^>]*>\s*<mc:Choice\b[^>]*>\s*<x15ac:absPath\b[^>]*/>\s*"
        rb"</mc:Choice>\s*</mc:AlternateContent>"
    ),
    re.compile(rb"<[A-Za-z0-9]+:absPath\b[^>]*/>"),
)


@dataclass
class _ContentTypes:
    defaults: list[tuple[str, str]]  # (extension, content type)
    overrides: list[tuple[str, str]]  # (part name as written, content type)

    @classmethod
    def parse(cls, data: bytes) -> _ContentTypes:
        root = _parse_whole(data, "[Content_Types].xml")
        defaults: list[tuple[str, str]] = []
        overrides: list[tuple[str, str]] = []
        for child in root:
            local = _split(child.tag)[1]
            if local == "Default":
                defaults.append((child.get("Extension", ""), child.get("ContentType", "")))
            elif local == "Override":
                overrides.append((child.get("PartName", ""), child.get("ContentType", "")))
        return cls(defaults, overrides)

    def of(self, name: str) -> str:
        """The content type of a part (folded), by override or else by extension."""
        key = _part_key(name)
        for part, content_type in self.overrides:
            if _part_key(part) == key:
                return content_type.casefold()
        extension = posixpath.splitext(key)[1].lstrip(".")
        for default, content_type in self.defaults:
            if default.casefold() == extension:
                return content_type.casefold()
        return ""

    def without(self, dropped: set[str]) -> bytes | None:
        """The content types without the overrides of dropped parts, or None if unchanged."""
        keys = {_part_key(name) for name in dropped}
        kept = [(part, kind) for part, kind in self.overrides if _part_key(part) not in keys]
        if len(kept) == len(self.overrides):
            return None
        lines = [f'<Types xmlns="{TYPES_NAMESPACE}">']
        lines += [
            f"<Default Extension={_attribute(ext)} ContentType={_attribute(kind)}/>"
            for ext, kind in self.defaults
        ]
        lines += [
            f"<Override PartName={_attribute(part)} ContentType={_attribute(kind)}/>"
            for part, kind in kept
        ]
        lines.append("</Types>")
        return _xml_document(lines)


def _part_key(name: str) -> str:
    return unquote(name.lstrip("/")).casefold()


def _attribute(value: str) -> str:
    return f'"{html.escape(value, quote=True)}"'


def _xml_document(lines: list[str]) -> bytes:
    header = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    return (header + "".join(lines)).encode("utf-8")


def _is_macro(folded: str, content_type: str) -> bool:
    segments = folded.split("/")
    return (
        segments[-1] in MACRO_FILES
        or not MACRO_FOLDERS.isdisjoint(segments[:-1])
        or (len(segments) > 1 and segments[0] in ODF_MACRO_FOLDERS)
        or posixpath.splitext(segments[-1])[1] in MACRO_EXTENSIONS
        or any(word in content_type for word in MACRO_TYPE_WORDS)
    )


def _plan_ooxml(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], budget: _Budget) -> _Plan:
    files = [info for info in infos if not info.is_dir()]
    types_info = next(i for i in files if i.filename.casefold() == "[content_types].xml")
    types_data = _read_whole(archive, types_info, budget)
    types = _ContentTypes.parse(types_data)
    kinds = {info.filename: types.of(info.filename) for info in files}

    # Refusals, most specific first: macros, then what the format is, then review marks.
    for name, kind in kinds.items():
        if _is_macro(name.casefold(), kind):
            raise MediaRejected(RejectionCode.MACROS, name)
    formats = {OOXML_FORMATS[kind] for kind in kinds.values() if kind in OOXML_FORMATS}
    if len(formats) != 1:
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"ooxml: main parts {formats}")
    format_ = formats.pop()
    for name, kind in kinds.items():
        folded = name.casefold()
        if folded.startswith(TRACKED_PREFIXES) or any(w in kind for w in TRACKED_TYPE_WORDS):
            raise MediaRejected(RejectionCode.TRACKED_CHANGES, name)
        if folded.startswith(COMMENT_PREFIXES) or "comments" in kind:
            raise MediaRejected(RejectionCode.COMMENTS, name)
        if kind == OLE_OBJECT:
            raise MediaRejected(RejectionCode.ACTIVE_CONTENT, f"{name}: OLE object")

    dropped = {
        name
        for name, kind in kinds.items()
        if name.casefold() in DROPPED_NAMES
        or name.casefold().startswith(DROPPED_PREFIXES)
        or kind.endswith(DROPPED_TYPE_SUFFIXES)
    }
    folded_names = {info.filename.casefold(): info.filename for info in files}
    for name in list(dropped):  # and their own relationships
        folder, base = posixpath.split(name)
        rels = posixpath.join(folder, "_rels", f"{base}.rels").casefold()
        if rels in folded_names:
            dropped.add(folded_names[rels])

    plan = _Plan(format=format_, first=types_info.filename, whole={}, dropped=dropped)
    plan.whole[types_info.filename] = types.without(dropped) or types_data
    for info in files:
        name, kind = info.filename, kinds[info.filename]
        if name in dropped or info is types_info:
            continue
        if name.casefold().endswith(".rels"):
            data = _read_whole(archive, info, budget)
            plan.whole[name] = _rewrite_relationships(data, name, dropped) or data
        elif kind == CORE_PROPERTIES:
            _parse_whole(_read_whole(archive, info, budget), name)
            plan.whole[name] = EMPTY_CORE
        elif kind == APP_PROPERTIES:
            root = _parse_whole(_read_whole(archive, info, budget), name)
            if format_ == "docx":
                plan.pages = _app_pages(root)
            plan.whole[name] = _empty_app(root)
        elif format_ == "xlsx" and kind in OOXML_FORMATS:
            plan.whole[name] = _without_absolute_path(_read_whole(archive, info, budget), name)
        elif name.casefold().startswith("docprops/thumbnail.") and kind.startswith("image/"):
            plan.thumbnail = plan.whole[name] = _read_whole(archive, info, budget)
    if format_ == "pptx":
        plan.pages = sum(1 for kind in kinds.values() if kind == SLIDE)
    return plan


def _rewrite_relationships(data: bytes, name: str, dropped: set[str]) -> bytes | None:
    """The relationships without those to dropped parts, and with a linked template's path
    cut to its file name (Word saves where the template was, often in a user's folder).
    None if nothing changed."""
    root = _parse_whole(data, name)
    folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> word
    dropped_keys = {_part_key(part) for part in dropped}
    changed = False
    kept: list[dict[str, str]] = []
    for child in root:
        attributes = dict(child.attrib)
        target = attributes.get("Target", "")
        if attributes.get("TargetMode") == "External":
            if attributes.get("Type", "").endswith("/attachedTemplate"):
                short = re.split(r"[/\\]", target)[-1]
                changed = changed or short != target
                attributes["Target"] = short
        else:
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            if _part_key(posixpath.normpath(path)) in dropped_keys:
                changed = True
                continue
        kept.append(attributes)
    if not changed:
        return None
    lines = [f'<Relationships xmlns="{RELATIONSHIPS_NAMESPACE}">']
    for attributes in kept:
        pairs = " ".join(f"{key}={_attribute(value)}" for key, value in attributes.items())
        lines.append(f"<Relationship {pairs}/>")
    lines.append("</Relationships>")
    return _xml_document(lines)


def _app_pages(root: Element) -> int | None:
    for child in root:
        if _split(child.tag)[1] == "Pages" and _DIGITS.fullmatch((child.text or "").strip()):
            return int((child.text or "").strip())
    return None


def _empty_app(root: Element) -> bytes:
    namespace = _split(root.tag)[0]
    if namespace not in APP_NAMESPACES:
        namespace = APP_NAMESPACES[0]
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    return _xml_document([f'<Properties xmlns="{namespace}" xmlns:vt="{vt}"/>'])


def _without_absolute_path(data: bytes, name: str) -> bytes:
    for pattern in EXCEL_ABSOLUTE_PATH:
        data = pattern.sub(b"", data)
    _parse_whole(data, name)
    return data


class _WordScanner:
    """Reads a Word part: tracked changes, comment anchors and DDE fields."""

    def __init__(self) -> None:
        self._in_instruction = False
        self._instructions: list[str] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        namespace, local = _split(tag)
        if namespace not in WORD_NAMESPACES:
            return
        if local in WORD_TRACKED:
            raise MediaRejected(RejectionCode.TRACKED_CHANGES, f"w:{local}")
        if local in WORD_COMMENT_MARKS:
            raise MediaRejected(RejectionCode.COMMENTS, f"w:{local}")
        if local == "instrText":
            self._in_instruction = True
        elif local == "fldChar":
            self._instructions.append(" ")
        elif local == "fldSimple":
            self._instructions.append(f" {attrib.get(f'{{{namespace}}}instr', '')} ")

    def end(self, tag: str) -> None:
        if tag.endswith("}instrText"):
            self._in_instruction = False

    def data(self, text: str) -> None:
        if self._in_instruction:
            self._instructions.append(text)

    def close(self) -> None:
        # Field codes may be split over many runs; joined, "DDEAUTO" is whole again.
        if DDE_FIELD.search("".join(self._instructions)):
            raise MediaRejected(RejectionCode.ACTIVE_CONTENT, "DDE field")


class _ExcelLinkScanner:
    """Reads an Excel external link: DDE and OLE links run other programs."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if _split(tag)[1] in ("ddeLink", "oleLink"):
            raise MediaRejected(RejectionCode.ACTIVE_CONTENT, "DDE or OLE link")

    def close(self) -> None:
        return None


# --- OpenDocument -------------------------------------------------------------------------------

ODF_FORMATS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SCRIPT = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
PRESENTATION = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
ODF_TABLE_CHANGES = frozenset({"cell-content-change", "insertion", "deletion", "movement"})
ODF_MACRO_URLS = ("vnd.sun.star.script:", "macro:")


def _plan_odf(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], budget: _Budget) -> _Plan:
    mimetype = _read_whole(archive, infos[0], budget).decode("ascii", "replace").strip()
    format_ = ODF_FORMATS.get(mimetype)
    if format_ is None:  # EPUB, templates, drawings, formulas, ...
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"odf: {mimetype[:80]!r}")
    files = {info.filename: info for info in infos if not info.is_dir()}
    for name in files:
        if _is_macro(name.casefold(), ""):
            raise MediaRejected(RejectionCode.MACROS, name)
    manifest = files.get("META-INF/manifest.xml")
    if manifest is None:
        raise MediaRejected(RejectionCode.DAMAGED, "odf: no manifest")
    manifest_data = _read_whole(archive, manifest, budget)
    for element in _parse_whole(manifest_data, manifest.filename).iter():
        if element.tag == f"{{{MANIFEST}}}encryption-data":
            raise MediaRejected(RejectionCode.ENCRYPTED, "odf")

    plan = _Plan(format=format_, first="mimetype", whole={}, stored={"mimetype"})
    plan.whole["mimetype"] = mimetype.encode("ascii")
    plan.whole[manifest.filename] = manifest_data
    if "meta.xml" in files:
        root = _parse_whole(_read_whole(archive, files["meta.xml"], budget), "meta.xml")
        if format_ == "odt":
            plan.pages = _odf_pages(root)
        plan.whole["meta.xml"] = _empty_meta(root)
    thumbnail = files.get("Thumbnails/thumbnail.png")
    if thumbnail is not None:
        plan.thumbnail = plan.whole[thumbnail.filename] = _read_whole(archive, thumbnail, budget)
    return plan


def _odf_pages(root: Element) -> int | None:
    for element in root.iter(f"{{{META}}}document-statistic"):
        count = element.get(f"{{{META}}}page-count", "")
        if _DIGITS.fullmatch(count):
            return int(count)
    return None


def _empty_meta(root: Element) -> bytes:
    version = root.get(f"{{{OFFICE}}}version", "")
    version_attribute = (
        f" office:version={_attribute(version)}" if re.fullmatch(r"\d\.\d", version) else ""
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + f'<office:document-meta xmlns:office="{OFFICE}"{version_attribute}>'.encode()
        + b"<office:meta/></office:document-meta>"
    )


class _OdfScanner:
    """Reads an ODF part: annotations, tracked changes, macro bindings."""

    def __init__(self, *, count_pages: bool) -> None:
        self._count_pages = count_pages
        self.pages = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        namespace, local = _split(tag)
        if namespace == OFFICE and local in ("annotation", "annotation-end"):
            raise MediaRejected(RejectionCode.COMMENTS, f"office:{local}")
        if (namespace == TEXT and local == "changed-region") or (
            namespace == TABLE and local in ODF_TABLE_CHANGES
        ):
            raise MediaRejected(RejectionCode.TRACKED_CHANGES, local)
        if (
            (namespace == SCRIPT and local == "event-listener")
            or (namespace == OFFICE and local == "script")
            or (namespace == TEXT and local == "execute-macro")
        ):
            raise MediaRejected(RejectionCode.MACROS, local)
        if namespace == PRESENTATION and attrib.get(f"{{{PRESENTATION}}}action") == "execute":
            raise MediaRejected(RejectionCode.ACTIVE_CONTENT, "presentation: execute")
        for value in attrib.values():
            if value.lstrip()[:24].lower().startswith(ODF_MACRO_URLS):
                raise MediaRejected(RejectionCode.MACROS, "macro link")
        if self._count_pages and namespace == DRAW and local == "page":
            self.pages += 1

    def close(self) -> None:
        return None
