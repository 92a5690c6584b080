"""Documents: the format is decided from the bytes, the copy served has no author, and what
cannot be cleaned (macros, tracked changes, comments, scripts, encryption) is refused.

Every fixture is built here: PDFs with Pillow and pypdf, Office and ODF packages by hand
with zipfile (a few parts are enough for the checks).
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path
from typing import cast

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import Text
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from staffroom.media.processing.documents import process_document
from staffroom.media.processing.pipeline import process
from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    ProcessingLimits,
    RejectionCode,
)

LIMITS = ProcessingLimits()
SECRET = b"Ms Secret"
# pypdf may escape a string's spaces and punctuation, never its letters.
PDF_SECRET = b"Secret"
COMPANY = b"Springfield School"


def run(source: Path, limits: ProcessingLimits = LIMITS):
    out_dir = source.parent / "out"
    out_dir.mkdir(exist_ok=True)
    return process_document(source, out_dir, limits), out_dir


def refused(source: Path, limits: ProcessingLimits = LIMITS) -> RejectionCode:
    out_dir = source.parent / "out"
    out_dir.mkdir(exist_ok=True)
    with pytest.raises(MediaRejected) as caught:
        process_document(source, out_dir, limits)
    assert list(out_dir.iterdir()) == []  # nothing half-written is left behind
    return caught.value.code


# --- PDF fixtures ------------------------------------------------------------------------------

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Ms Secret</rdf:li></rdf:Seq></dc:creator>"
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def pdf_writer(pages: int = 1, size: tuple[int, int] = (200, 300)) -> PdfWriter:
    """A PDF from Pillow (each page a coloured picture), with an author everywhere."""
    pictures = [Image.new("RGB", size, (200, 40 * index % 256, 20)) for index in range(pages)]
    raw = io.BytesIO()
    pictures[0].save(raw, "PDF", save_all=True, append_images=pictures[1:])
    writer = PdfWriter(clone_from=PdfReader(raw))
    writer.add_metadata({"/Author": "Ms Secret", "/Creator": "Ms Secret's laptop"})
    writer.xmp_metadata = XMP
    page_metadata = StreamObject()
    page_metadata.set_data(XMP)
    writer.pages[0][NameObject("/Metadata")] = writer._add_object(page_metadata)
    return writer


def write_pdf(writer: PdfWriter, path: Path) -> Path:
    writer.write(path)
    return path


def annotation(subtype: str, **entries: str) -> DictionaryObject:
    values = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 60, 60)]),
        }
    )
    for key, value in entries.items():
        values[NameObject(f"/{key}")] = TextStringObject(value)
    return values


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_copy_has_no_metadata_and_a_first_page_preview(tmp_path):
    source = write_pdf(pdf_writer(), tmp_path / "worksheet.pdf")
    assert SECRET in source.read_bytes()

    result, out_dir = run(source)

    assert result.kind is MediaKind.DOCUMENT
    assert result.mastodon_type == "unknown"
    assert result.file.name == "file.pdf"
    assert result.file.content_type == "application/pdf"
    assert result.extra == {"format": "pdf", "pages": 1}
    written = (out_dir / "file.pdf").read_bytes()
    assert PDF_SECRET not in written
    reader = PdfReader(out_dir / "file.pdf")
    assert not reader.metadata
    assert "/Info" not in reader.trailer
    assert "/Metadata" not in reader.root_object
    assert "/Metadata" not in reader.pages[0]
    # The preview: page 1 rendered with its long side at 1000 px, then shrunk to a JPEG.
    assert result.preview is not None
    assert result.preview.name == "preview.jpg"
    assert result.blurhash
    assert result.meta["original"]["height"] == 1000
    assert result.meta["small"]["height"] == 640
    with Image.open(out_dir / "preview.jpg") as preview:
        assert preview.format == "JPEG"
        assert preview.size == (result.meta["small"]["width"], 640)
        pixel = preview.convert("RGB").getpixel((50, 50))
        assert isinstance(pixel, tuple)
        assert pixel[0] > 150  # the page's colour, not a blank render


def test_pdf_pages_are_counted(tmp_path):
    result, out_dir = run(write_pdf(pdf_writer(pages=3), tmp_path / "slides.pdf"))

    assert result.extra["pages"] == 3
    assert len(PdfReader(out_dir / "file.pdf").pages) == 3


def test_pdf_with_too_many_pages_is_refused(tmp_path):
    source = write_pdf(pdf_writer(pages=3), tmp_path / "long.pdf")

    code = refused(source, ProcessingLimits(max_document_pages=2))

    assert code is RejectionCode.TOO_MANY_PAGES


def test_pdf_annotation_authors_are_removed(tmp_path):
    writer = pdf_writer()
    writer.add_annotation(0, annotation("/Square", T="Ms Secret", Contents="Look here"))
    source = write_pdf(writer, tmp_path / "boxed.pdf")

    _result, out_dir = run(source)

    written = (out_dir / "file.pdf").read_bytes()
    assert PDF_SECRET not in written
    annots = cast(ArrayObject, PdfReader(out_dir / "file.pdf").pages[0]["/Annots"])
    assert [a.get_object()["/Contents"] for a in annots] == ["Look here"]


def test_pdf_signature_value_is_removed(tmp_path):
    writer = pdf_writer()
    signature = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Name"): TextStringObject("Ms Secret"),
        }
    )
    field = annotation("/Widget", T="Signature1")
    field[NameObject("/FT")] = NameObject("/Sig")
    field[NameObject("/V")] = writer._add_object(signature)
    writer.add_annotation(0, field)
    source = write_pdf(writer, tmp_path / "signed.pdf")

    _result, out_dir = run(source)

    assert PDF_SECRET not in (out_dir / "file.pdf").read_bytes()


def link(action: str, **entries: str) -> DictionaryObject:
    """A link annotation running an action (`/URI`, `/Launch`, ...)."""
    act = DictionaryObject({NameObject("/S"): NameObject(action)})
    for key, value in entries.items():
        act[NameObject(f"/{key}")] = TextStringObject(value)
    values = annotation("/Link")
    values[NameObject("/A")] = act
    return values


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda w: w.add_open_action(JavaScript("app.alert('hi')")),
            RejectionCode.ACTIVE_CONTENT,
        ),
        (lambda w: w.add_attachment("answers.exe", b"MZ..."), RejectionCode.ACTIVE_CONTENT),
        (lambda w: w.add_annotation(0, link("/Launch", F="cmd.exe")), RejectionCode.ACTIVE_CONTENT),
        (
            lambda w: w.add_annotation(0, link("/URI", URI="javascript:alert(1)")),
            RejectionCode.ACTIVE_CONTENT,
        ),
        (
            lambda w: w.add_annotation(0, link("/URI", URI=" \x01JavA\tscript:alert(1)")),
            RejectionCode.ACTIVE_CONTENT,
        ),
        (
            lambda w: w.add_annotation(0, link("/URI", URI="file:///C:/Windows/calc.exe")),
            RejectionCode.ACTIVE_CONTENT,
        ),
        (
            lambda w: w.add_annotation(0, Text(rect=(10, 10, 30, 30), text="Fix this")),
            RejectionCode.COMMENTS,
        ),
        (lambda w: w.encrypt("secret"), RejectionCode.ENCRYPTED),
    ],
    ids=[
        "javascript",
        "attachment",
        "launch",
        "javascript-link",
        "disguised-javascript-link",
        "file-link",
        "sticky-note",
        "encrypted",
    ],
)
def test_pdf_refusals(tmp_path, change, expected):
    writer = pdf_writer()
    change(writer)
    source = write_pdf(writer, tmp_path / "upload.pdf")

    assert refused(source) is expected


def test_pdf_web_links_are_kept(tmp_path):
    writer = pdf_writer()
    writer.add_annotation(0, link("/URI", URI="https://example.org/fractions"))

    _result, out_dir = run(write_pdf(writer, tmp_path / "linked.pdf"))

    (kept,) = cast(ArrayObject, PdfReader(out_dir / "file.pdf").pages[0]["/Annots"])
    assert kept.get_object()["/A"]["/URI"] == "https://example.org/fractions"


def test_truncated_pdf_is_damaged(tmp_path):
    whole = write_pdf(pdf_writer(pages=3), tmp_path / "whole.pdf").read_bytes()
    source = tmp_path / "cut" / "cut.pdf"
    source.parent.mkdir()
    source.write_bytes(whole[: len(whole) // 2])

    assert refused(source) is RejectionCode.DAMAGED


def test_garbage_after_a_pdf_header_is_damaged(tmp_path):
    source = tmp_path / "fake.pdf"
    source.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")

    assert refused(source) is RejectionCode.DAMAGED


def test_huge_page_box_renders_a_bounded_preview(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=14400, height=7200)  # 200 x 100 inches
    source = write_pdf(writer, tmp_path / "poster.pdf")

    result, _out_dir = run(source)

    assert result.meta["original"]["width"] == 1000
    assert result.meta["original"]["height"] == 500


# --- Office Open XML fixtures -------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument"
DOCX_MAIN = f"{CT}.wordprocessingml.document.main+xml"
PPTX_MAIN = f"{CT}.presentationml.presentation.main+xml"
XLSX_MAIN = f"{CT}.spreadsheetml.sheet.main+xml"
XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CORE_XML = (
    XML_HEADER + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Fractions</dc:title><dc:creator>Ms Secret</dc:creator>"
    "<cp:lastModifiedBy>Ms Secret</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-09-01T08:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
APP_XML = (
    XML_HEADER + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    'docPropsVTypes"><Application>Microsoft Office Word</Application><Pages>2</Pages>'
    "<Company>Springfield School</Company><Manager>Ms Secret</Manager></Properties>"
)
CUSTOM_XML = (
    XML_HEADER + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
    'name="Owner"><vt:lpwstr>Ms Secret</vt:lpwstr></property></Properties>'
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties">&lol9;</cp:coreProperties>'
)


def content_types(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> str:
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
        **(defaults or {}),
    }
    body = "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults.items())
    body += "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in overrides.items())
    return (
        XML_HEADER
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + body
        + "</Types>"
    )


def relationships(*targets: tuple[str, str], external: tuple[str, str] | None = None) -> str:
    """(type suffix, target) pairs."""
    items = [
        f'<Relationship Id="rId{n}" Type="{REL}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    ]
    if external:
        kind, target = external
        items.append(
            f'<Relationship Id="rIdX" Type="{REL}/{kind}" Target="{target}" TargetMode="External"/>'
        )
    return XML_HEADER + f'<Relationships xmlns="{PKG_REL}">' + "".join(items) + "</Relationships>"


def document_xml(body: str = "<w:p><w:r><w:t>Fractions: 1/2 + 1/4</w:t></w:r></w:p>") -> str:
    return XML_HEADER + f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'


def office_parts(
    main: str, main_type: str, main_xml: str, parts: dict[str, tuple[str | None, str | bytes]]
) -> dict[str, str | bytes]:
    """A package: the main part, the three property parts, and `parts` (name -> (content
    type override or None, data)), the main part related to each of them."""
    overrides = {
        main: main_type,
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "docProps/app.xml": f"{CT}.extended-properties+xml",
        "docProps/custom.xml": f"{CT}.custom-properties+xml",
    }
    overrides.update({name: kind for name, (kind, _data) in parts.items() if kind})
    folder, _, base = main.rpartition("/")
    main_rels = relationships(
        *(("part", name.removeprefix(f"{folder}/")) for name in parts if name.startswith(folder))
    )
    return {
        "[Content_Types].xml": content_types(overrides, {"jpeg": "image/jpeg", "bin": "x/y"}),
        "_rels/.rels": relationships(
            ("officeDocument", main),
            ("metadata/core-properties", "docProps/core.xml"),
            ("extended-properties", "docProps/app.xml"),
            ("custom-properties", "docProps/custom.xml"),
        ),
        main: main_xml,
        f"{folder}/_rels/{base}.rels": main_rels,
        "docProps/core.xml": CORE_XML,
        "docProps/app.xml": APP_XML,
        "docProps/custom.xml": CUSTOM_XML,
        **{name: data for name, (_kind, data) in parts.items()},
    }


def docx_parts(
    body: str | None = None,
    parts: dict[str, tuple[str | None, str | bytes]] | None = None,
    main_type: str = DOCX_MAIN,
) -> dict[str, str | bytes]:
    main_xml = document_xml() if body is None else document_xml(body)
    return office_parts("word/document.xml", main_type, main_xml, parts or {})


def write_zip(path: Path, parts: dict[str, str | bytes], stored: tuple[str, ...] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            compression = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return path


def read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def thumbnail_jpeg() -> bytes:
    raw = io.BytesIO()
    Image.new("RGB", (256, 362), (30, 90, 200)).save(raw, "JPEG")
    return raw.getvalue()


# --- DOCX --------------------------------------------------------------------------------------


def test_docx_copy_has_no_author_and_the_same_document(tmp_path):
    source = write_zip(tmp_path / "worksheet.docx", docx_parts())

    result, out_dir = run(source)

    assert result.file.name == "file.docx"
    assert result.file.content_type == f"{CT}.wordprocessingml.document"
    assert result.extra == {"format": "docx", "pages": 2}
    assert result.preview is None
    assert result.blurhash is None
    assert result.meta == {}
    original = read_parts(source)
    written = read_parts(out_dir / "file.docx")
    assert next(iter(written)) == "[Content_Types].xml"
    for name, data in written.items():
        assert SECRET not in data, name
        assert COMPANY not in data, name
    assert written["word/document.xml"] == original["word/document.xml"]
    assert written["word/_rels/document.xml.rels"] == original["word/_rels/document.xml.rels"]
    assert b"coreProperties" in written["docProps/core.xml"]
    assert b"Properties" in written["docProps/app.xml"]
    # Custom properties go, and so do their relationship and content type.
    assert "docProps/custom.xml" not in written
    assert b"custom" not in written["_rels/.rels"]
    assert b"custom" not in written["[Content_Types].xml"]
    assert b"docProps/core.xml" in written["_rels/.rels"]
    with zipfile.ZipFile(out_dir / "file.docx") as archive:
        assert archive.testzip() is None


def test_docx_thumbnail_becomes_the_preview(tmp_path):
    parts = docx_parts()
    parts["docProps/thumbnail.jpeg"] = thumbnail_jpeg()
    source = write_zip(tmp_path / "worksheet.docx", parts)

    result, out_dir = run(source)

    assert result.preview is not None
    assert result.blurhash
    assert result.meta["original"] == {
        "width": 256,
        "height": 362,
        "size": "256x362",
        "aspect": round(256 / 362, 6),
    }
    with Image.open(out_dir / result.preview.name) as preview:
        assert preview.format == "JPEG"


def test_docx_thumbnail_that_is_not_a_picture_gives_no_preview(tmp_path):
    parts = docx_parts()
    parts["docProps/thumbnail.jpeg"] = b"GIF89a not really"
    source = write_zip(tmp_path / "worksheet.docx", parts)

    result, _out_dir = run(source)

    assert result.preview is None


def test_docx_people_list_and_template_path_are_removed(tmp_path):
    people = (
        XML_HEADER + '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/'
        'wordml"><w15:person w15:author="Ms Secret"/></w15:people>'
    )
    parts = docx_parts(
        parts={
            "word/people.xml": (f"{CT}.wordprocessingml.people+xml", people),
            "word/settings.xml": (
                f"{CT}.wordprocessingml.settings+xml",
                f'<w:settings xmlns:w="{W}"/>',
            ),
        }
    )
    parts["word/_rels/settings.xml.rels"] = relationships(
        external=("attachedTemplate", "file:///C:/Users/Ms Secret/Templates/School.dotx")
    )
    source = write_zip(tmp_path / "worksheet.docx", parts)

    _result, out_dir = run(source)

    written = read_parts(out_dir / "file.docx")
    assert "word/people.xml" not in written
    assert b"people" not in written["word/_rels/document.xml.rels"]
    assert b"settings.xml" in written["word/_rels/document.xml.rels"]
    assert b'Target="School.dotx"' in written["word/_rels/settings.xml.rels"]
    for name, data in written.items():
        assert SECRET not in data, name


@pytest.mark.parametrize(
    "parts",
    [
        docx_parts(parts={"word/vbaProject.bin": ("application/vnd.ms-office.vbaProject", b"x")}),
        docx_parts(parts={"word/vbaProject.bin": (None, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")}),
        docx_parts(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        docx_parts(parts={"word/activeX/activeX1.xml": (None, "<ax/>")}),
        docx_parts(parts={"word/embeddings/Sheet.xlsm": (None, b"PK")}),
    ],
    ids=["vba-project", "vba-project-by-name", "macro-enabled-type", "activex", "embedded-xlsm"],
)
def test_docx_with_macros_is_refused(tmp_path, parts):
    source = write_zip(tmp_path / "upload.docx", parts)

    assert refused(source) is RejectionCode.MACROS


@pytest.mark.parametrize(
    "body",
    [
        '<w:p><w:ins w:id="1" w:author="Ms Secret"><w:r><w:t>new</w:t></w:r></w:ins></w:p>',
        '<w:p><w:del w:id="1" w:author="Ms Secret"><w:r><w:delText>old</w:delText></w:r>'
        "</w:del></w:p>",
        '<w:p><w:moveFrom w:id="1" w:author="Ms Secret"/></w:p>',
        '<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="1" w:author="Ms Secret"><w:rPr/>'
        "</w:rPrChange></w:rPr></w:r></w:p>",
    ],
    ids=["insertion", "deletion", "move", "formatting"],
)
def test_docx_with_tracked_changes_is_refused(tmp_path, body):
    source = write_zip(tmp_path / "upload.docx", docx_parts(body))

    assert refused(source) is RejectionCode.TRACKED_CHANGES


def test_docx_tracked_change_in_a_footer_is_refused(tmp_path):
    footer = f'<w:ftr xmlns:w="{W}"><w:p><w:ins w:id="1" w:author="Ms Secret"/></w:p></w:ftr>'
    parts = docx_parts(parts={"word/footer1.xml": (f"{CT}.wordprocessingml.footer+xml", footer)})
    source = write_zip(tmp_path / "upload.docx", parts)

    assert refused(source) is RejectionCode.TRACKED_CHANGES


@pytest.mark.parametrize(
    "parts",
    [
        docx_parts(
            parts={
                "word/comments.xml": (
                    f"{CT}.wordprocessingml.comments+xml",
                    f'<w:comments xmlns:w="{W}"/>',
                )
            }
        ),
        docx_parts('<w:p><w:r><w:commentReference w:id="0"/></w:r></w:p>'),
    ],
    ids=["comments-part", "comment-anchor"],
)
def test_docx_with_comments_is_refused(tmp_path, parts):
    source = write_zip(tmp_path / "upload.docx", parts)

    assert refused(source) is RejectionCode.COMMENTS


@pytest.mark.parametrize(
    "parts",
    [
        docx_parts(
            parts={
                "word/embeddings/oleObject1.bin": (
                    f"{CT}.oleObject",
                    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
                )
            }
        ),
        docx_parts(
            parts={
                "word/embeddings/object.dat": (
                    None,
                    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 9,
                )
            }
        ),
        docx_parts(
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            "<w:r><w:instrText> DD</w:instrText></w:r><w:r><w:instrText>EAUTO c:\\\\windows"
            "\\\\system32\\\\cmd.exe </w:instrText></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        ),
    ],
    ids=["ole-object", "ole-by-content", "dde-field"],
)
def test_docx_with_active_content_is_refused(tmp_path, parts):
    source = write_zip(tmp_path / "upload.docx", parts)

    assert refused(source) is RejectionCode.ACTIVE_CONTENT


def test_docx_ordinary_fields_are_kept(tmp_path):
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    result, _out_dir = run(write_zip(tmp_path / "fields.docx", docx_parts(body)))

    assert result.extra["format"] == "docx"


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    parts = docx_parts()
    parts["docProps/core.xml"] = BILLION_LAUGHS
    source = write_zip(tmp_path / "lol.docx", parts)

    started = time.perf_counter()
    assert refused(source) is RejectionCode.DAMAGED
    # Measured 1.5-3 ms here; expanding the entities would take seconds (far past 5x).
    assert time.perf_counter() - started < 1


def test_external_entity_is_refused(tmp_path):
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>'
        "</w:document>"
    )
    parts = docx_parts()
    parts["word/document.xml"] = xxe

    assert refused(write_zip(tmp_path / "xxe.docx", parts)) is RejectionCode.DAMAGED


def test_malformed_xml_is_damaged(tmp_path):
    parts = docx_parts()
    parts["word/document.xml"] = "<w:document><w:body>"

    assert refused(write_zip(tmp_path / "bad.docx", parts)) is RejectionCode.DAMAGED


def test_truncated_docx_is_damaged(tmp_path):
    whole = write_zip(tmp_path / "whole.docx", docx_parts()).read_bytes()
    source = tmp_path / "cut" / "cut.docx"
    source.parent.mkdir()
    source.write_bytes(whole[: len(whole) - 200])

    assert refused(source) is RejectionCode.DAMAGED


def test_lying_declared_size_is_damaged_not_overread(tmp_path):
    big = document_xml("<w:p/>" * 20_000)
    parts = docx_parts()
    parts["word/document.xml"] = big
    data = bytearray(write_zip(tmp_path / "whole.docx", parts).read_bytes())
    # Declare 100 bytes for word/document.xml in its local header and central directory.
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = 30 if signature == b"PK\x03\x04" else 46
            if data[at + name_at : at + name_at + len(name)] == name:
                struct.pack_into("<I", data, at + size_at, 100)
            at += 4
    source = tmp_path / "lie" / "lie.docx"
    source.parent.mkdir()
    source.write_bytes(bytes(data))

    assert refused(source) is RejectionCode.DAMAGED


# --- PPTX and XLSX -------------------------------------------------------------------------------


def pptx_parts(extra: dict[str, tuple[str | None, str | bytes]] | None = None):
    slide = '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    presentation = (
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    )
    parts = {
        "ppt/slides/slide1.xml": (f"{CT}.presentationml.slide+xml", slide),
        "ppt/slides/slide2.xml": (f"{CT}.presentationml.slide+xml", slide),
        "ppt/slides/slide3.xml": (f"{CT}.presentationml.slide+xml", slide),
        **(extra or {}),
    }
    return office_parts("ppt/presentation.xml", PPTX_MAIN, presentation, parts)


def test_pptx_slides_are_counted_and_comment_authors_dropped(tmp_path):
    authors = (
        '<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        '<p:cmAuthor id="0" name="Ms Secret" initials="MS" lastIdx="1" clrIdx="0"/>'
        "</p:cmAuthorLst>"
    )
    parts = pptx_parts(
        {"ppt/commentAuthors.xml": (f"{CT}.presentationml.commentAuthors+xml", authors)}
    )
    source = write_zip(tmp_path / "lesson.pptx", parts)

    result, out_dir = run(source)

    assert result.extra == {"format": "pptx", "pages": 3}
    assert result.file.content_type == f"{CT}.presentationml.presentation"
    written = read_parts(out_dir / "file.pptx")
    assert "ppt/commentAuthors.xml" not in written
    assert b"commentAuthors" not in written["ppt/_rels/presentation.xml.rels"]
    assert b"commentAuthors" not in written["[Content_Types].xml"]
    for name, data in written.items():
        assert SECRET not in data, name


def test_pptx_with_comments_is_refused(tmp_path):
    comment = '<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    parts = pptx_parts(
        {"ppt/comments/comment1.xml": (f"{CT}.presentationml.comments+xml", comment)}
    )

    assert refused(write_zip(tmp_path / "lesson.pptx", parts)) is RejectionCode.COMMENTS


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = (
    XML_HEADER + f'<workbook xmlns="{SHEET_NS}" xmlns:mc="http://schemas.openxmlformats.org/'
    'markup-compatibility/2006" xmlns:x15ac="http://schemas.microsoft.com/office/'
    'spreadsheetml/2010/11/ac" mc:Ignorable="x15ac"><fileVersion appName="xl"/>'
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/'
    '2006"><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\Ms Secret\\Documents\\"'
    ' xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/>'
    '</mc:Choice></mc:AlternateContent><sheets><sheet name="Marks" sheetId="1" r:id="rId1" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
    "</sheets></workbook>"
)


def xlsx_parts(extra: dict[str, tuple[str | None, str | bytes]] | None = None):
    sheet = f'<worksheet xmlns="{SHEET_NS}"><sheetData/></worksheet>'
    parts = {
        "xl/worksheets/sheet1.xml": (f"{CT}.spreadsheetml.worksheet+xml", sheet),
        **(extra or {}),
    }
    return office_parts("xl/workbook.xml", XLSX_MAIN, WORKBOOK, parts)


def test_xlsx_saved_folder_is_removed(tmp_path):
    source = write_zip(tmp_path / "marks.xlsx", xlsx_parts())

    result, out_dir = run(source)

    assert result.extra == {"format": "xlsx", "pages": None}
    written = read_parts(out_dir / "file.xlsx")
    assert b"absPath" not in written["xl/workbook.xml"]
    assert b'<sheet name="Marks"' in written["xl/workbook.xml"]
    for name, data in written.items():
        assert SECRET not in data, name


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {
                "xl/comments1.xml": (
                    f"{CT}.spreadsheetml.comments+xml",
                    f'<comments xmlns="{SHEET_NS}"/>',
                )
            },
            RejectionCode.COMMENTS,
        ),
        (
            {"xl/threadedComments/threadedComment1.xml": (None, "<ThreadedComments/>")},
            RejectionCode.COMMENTS,
        ),
        (
            {"xl/revisions/revisionHeaders.xml": (None, "<headers/>")},
            RejectionCode.TRACKED_CHANGES,
        ),
        (
            {
                "xl/externalLinks/externalLink1.xml": (
                    None,
                    f'<externalLink xmlns="{SHEET_NS}"><ddeLink ddeService="cmd" ddeTopic="x"/>'
                    "</externalLink>",
                )
            },
            RejectionCode.ACTIVE_CONTENT,
        ),
        ({"xl/macrosheets/sheet2.xml": (None, "<xm/>")}, RejectionCode.MACROS),
    ],
    ids=["notes", "threaded-comments", "shared-workbook-revisions", "dde-link", "excel4-macros"],
)
def test_xlsx_refusals(tmp_path, extra, expected):
    source = write_zip(tmp_path / "marks.xlsx", xlsx_parts(extra))

    assert refused(source) is expected


# --- OpenDocument ----------------------------------------------------------------------------

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
ODT = "application/vnd.oasis.opendocument.text"


def odf_content(body: str = "<text:p>Fractions</text:p>", kind: str = "text") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} '
        f'office:version="1.3"><office:scripts/><office:body><office:{kind}>{body}'
        f"</office:{kind}></office:body></office:document-content>"
    )


def odf_parts(
    content: str | None = None,
    mimetype: str = ODT,
    extra: dict[str, str | bytes] | None = None,
    manifest_extra: str = "",
) -> dict[str, str | bytes]:
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS} '
        'office:version="1.3"><office:meta><meta:initial-creator>Ms Secret</meta:initial-creator>'
        "<dc:creator>Ms Secret</dc:creator><meta:generator>LibreOffice</meta:generator>"
        '<meta:document-statistic meta:page-count="4" meta:word-count="2"/>'
        "</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        f"{manifest_extra}</manifest:manifest>"
    )
    return {
        "mimetype": mimetype,
        "content.xml": content or odf_content(),
        "meta.xml": meta,
        "Configurations2/": b"",
        **(extra or {}),
        "META-INF/manifest.xml": manifest,
    }


def write_odf(path: Path, parts: dict[str, str | bytes]) -> Path:
    return write_zip(path, parts, stored=("mimetype",))


def test_odt_copy_has_no_author_and_keeps_mimetype_first_and_stored(tmp_path):
    thumbnail = io.BytesIO()
    Image.new("RGBA", (181, 256), (0, 128, 0, 255)).save(thumbnail, "PNG")
    parts = odf_parts(extra={"Thumbnails/thumbnail.png": thumbnail.getvalue()})
    source = write_odf(tmp_path / "worksheet.odt", parts)

    result, out_dir = run(source)

    assert result.file.name == "file.odt"
    assert result.file.content_type == ODT
    assert result.extra == {"format": "odt", "pages": 4}
    assert result.preview is not None
    assert result.meta["original"]["size"] == "181x256"
    with zipfile.ZipFile(out_dir / "file.odt") as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read(first) == ODT.encode()
        written = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, data in written.items():
        assert SECRET not in data, name
    assert written["content.xml"] == odf_content().encode()
    assert b"office:meta" in written["meta.xml"]
    assert b'office:version="1.3"' in written["meta.xml"]
    assert "Configurations2/" in written


def test_odp_pages_are_counted(tmp_path):
    mimetype = "application/vnd.oasis.opendocument.presentation"
    content = odf_content("<draw:page/><draw:page/>", kind="presentation")
    source = write_odf(tmp_path / "lesson.odp", odf_parts(content, mimetype=mimetype))

    result, _out_dir = run(source)

    assert result.extra == {"format": "odp", "pages": 2}


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            odf_parts(
                odf_content(
                    "<text:p>Hi<office:annotation><dc:creator>Ms Secret</dc:creator>"
                    "<text:p>Check</text:p></office:annotation></text:p>"
                )
            ),
            RejectionCode.COMMENTS,
        ),
        (
            odf_parts(
                odf_content(
                    '<text:tracked-changes><text:changed-region text:id="c1"><text:insertion>'
                    "<office:change-info><dc:creator>Ms Secret</dc:creator></office:change-info>"
                    "</text:insertion></text:changed-region></text:tracked-changes>"
                )
            ),
            RejectionCode.TRACKED_CHANGES,
        ),
        (
            odf_parts(extra={"Basic/Standard/Module1.xml": "<module/>"}),
            RejectionCode.MACROS,
        ),
        (
            odf_parts(
                odf_content(
                    '<text:p><script:event-listener script:language="ooo:script" '
                    'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic"/>'
                    "</text:p>"
                )
            ),
            RejectionCode.MACROS,
        ),
        (
            odf_parts(
                odf_content(
                    '<text:p><text:a xlink:href="macro:///Standard.Module1.Main">go</text:a>'
                    "</text:p>"
                )
            ),
            RejectionCode.MACROS,
        ),
        (
            odf_parts(
                manifest_extra='<manifest:file-entry manifest:full-path="styles.xml">'
                "<manifest:encryption-data/></manifest:file-entry>"
            ),
            RejectionCode.ENCRYPTED,
        ),
        (odf_parts(mimetype="application/epub+zip"), RejectionCode.NOT_SUPPORTED),
    ],
    ids=[
        "annotation",
        "tracked-changes",
        "basic-folder",
        "event-listener",
        "macro-link",
        "encrypted",
        "epub",
    ],
)
def test_odf_refusals(tmp_path, parts, expected):
    assert refused(write_odf(tmp_path / "upload.odt", parts)) is expected


def test_odf_mimetype_must_come_first(tmp_path):
    parts = odf_parts()
    mimetype = parts.pop("mimetype")
    parts["mimetype"] = mimetype

    assert refused(write_zip(tmp_path / "late.odt", parts)) is RejectionCode.NOT_SUPPORTED


# --- Not documents, and ZIP bombs --------------------------------------------------------------


def test_plain_zip_named_pdf_is_not_supported(tmp_path):
    source = write_zip(tmp_path / "worksheet.pdf", {"notes.txt": "hello", "a.png": b"\x89PNG"})

    assert refused(source) is RejectionCode.NOT_SUPPORTED


def test_zip_that_is_both_odf_and_office_is_not_supported(tmp_path):
    parts = {"mimetype": ODT, **docx_parts()}

    assert refused(write_odf(tmp_path / "both.docx", parts)) is RejectionCode.NOT_SUPPORTED


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, RejectionCode.NOT_SUPPORTED),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 600
            + "EncryptedPackage".encode("utf-16-le"),
            RejectionCode.ENCRYPTED,
        ),
        (b"MZ\x90\x00 an executable", RejectionCode.NOT_SUPPORTED),
        (b"<html><script>alert(1)</script></html>", RejectionCode.NOT_SUPPORTED),
        (b"", RejectionCode.EMPTY),
    ],
    ids=["old-word", "encrypted-office", "exe", "html", "empty"],
)
def test_other_files_are_refused(tmp_path, data, expected):
    """SECURITY-PLAN U-2."""
    source = tmp_path / "upload.doc"
    source.write_bytes(data)

    assert refused(source) is expected


def zip_with_zeros(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types({}))
        with archive.open("zeros.xml", "w") as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(size // len(block)):
                entry.write(block)
    return path


def test_zip_bomb_past_the_unpacked_limit_is_refused_quickly(tmp_path):
    source = zip_with_zeros(tmp_path / "bomb.docx", 5 * 1024 * 1024)
    limits = ProcessingLimits(max_unpacked_bytes=1024 * 1024)

    started = time.perf_counter()
    assert refused(source, limits) is RejectionCode.TOO_COMPLEX
    # 0.1 to 1 ms here (it stops at the limit); unpacking the whole entry would not.
    assert time.perf_counter() - started < 0.5


def test_parts_declaring_more_than_the_unpacked_limit_are_refused(tmp_path):
    parts = docx_parts()
    parts["word/media/noise.bin"] = bytes(range(256)) * 4096 * 2  # 2 MB, barely compressible
    source = write_zip(tmp_path / "big.docx", parts)

    code = refused(source, ProcessingLimits(max_unpacked_bytes=1024 * 1024))

    assert code is RejectionCode.TOO_COMPLEX


def test_zip_bomb_compression_ratio_is_refused(tmp_path):
    source = zip_with_zeros(tmp_path / "bomb.docx", 5 * 1024 * 1024)  # within 200 MB, 1000:1

    assert refused(source) is RejectionCode.TOO_COMPLEX


def test_too_many_parts_are_refused(tmp_path):
    parts = docx_parts()
    parts.update({f"word/media/image{n}.png": b"x" for n in range(20)})
    source = write_zip(tmp_path / "many.docx", parts)

    assert refused(source, ProcessingLimits(max_parts=10)) is RejectionCode.TOO_COMPLEX


@pytest.mark.parametrize(
    "name",
    ["../evil.xml", "word/../../evil.xml", "/etc/evil.xml", "word\\evil.xml", "C:/evil.xml"],
)
def test_unsafe_entry_names_are_damaged(tmp_path, name):
    parts = docx_parts()
    parts[name] = "<x/>"

    assert refused(write_zip(tmp_path / "names.docx", parts)) is RejectionCode.DAMAGED


def test_duplicate_entry_names_are_damaged(tmp_path):
    source = write_zip(tmp_path / "twice.docx", docx_parts())
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr("Word/Document.xml", document_xml())  # part names ignore case

    assert refused(source) is RejectionCode.DAMAGED


def test_pipeline_dispatches_documents(tmp_path):
    source = write_zip(tmp_path / "worksheet.docx", docx_parts())
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    result = process(MediaKind.DOCUMENT, source, out_dir, LIMITS)

    assert result.extra["format"] == "docx"
