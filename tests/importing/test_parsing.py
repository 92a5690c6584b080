"""Reading Mastodon's CSV exports: headers, one-column files, broken rows, refused files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from staffroom.core.exceptions import ValidationFailed
from staffroom.importing.parsing import IMPORT_MAX_ROWS, FileTooLarge, parse_upload


def upload(text: str | bytes, name: str = "export.csv") -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_following_with_mastodons_header():
    text = (
        "Account address,Show boosts,Notify on new posts,Languages\n"
        'bo@staffroom.example,false,true,"en, fr"\n'
        "@cy@other.example,true,false,\n"
    )
    parsed = parse_upload(upload(text, "following_accounts.csv"), "following")
    assert parsed.has_header
    assert [(row.line, row.data) for row in parsed.rows] == [
        (
            2,
            {"acct": "bo@staffroom.example", "show_reblogs": False, "notify": True,
             "languages": ["en", "fr"]},
        ),
        (3, {"acct": "cy@other.example", "show_reblogs": True, "notify": False}),
    ]  # fmt: skip


def test_older_one_column_files_and_blank_lines():
    parsed = parse_upload(upload("bo@x.example\n\n  \ncy\n"), "blocks")
    assert not parsed.has_header
    assert [row.data for row in parsed.rows] == [{"acct": "bo@x.example"}, {"acct": "cy"}]
    # A following file of addresses alone (Mastodon's older export) works too.
    assert parse_upload(upload("bo\n"), "following").rows[0].data == {"acct": "bo"}


def test_lists_bookmarks_and_domains_without_header():
    lists = parse_upload(upload("Math resources,bo@x.example\nMentors,cy\n"), "lists")
    assert [row.data for row in lists.rows] == [
        {"list_name": "Math resources", "acct": "bo@x.example"},
        {"list_name": "Mentors", "acct": "cy"},
    ]
    bookmarks = parse_upload(upload("https://x.example/users/bo/statuses/1\n"), "bookmarks")
    assert bookmarks.rows[0].data == {"uri": "https://x.example/users/bo/statuses/1"}
    domains = parse_upload(upload("Spam.Example\nbücher.example\n"), "domain_blocks")
    assert [row.data["domain"] for row in domains.rows] == ["spam.example", "xn--bcher-kva.example"]


def test_mutes_hide_notifications_column():
    text = "Account address,Hide notifications\nbo,false\ncy,true\n"
    parsed = parse_upload(upload(text, "muted_accounts.csv"), "mutes")
    assert [row.data for row in parsed.rows] == [
        {"acct": "bo", "hide_notifications": False},
        {"acct": "cy", "hide_notifications": True},
    ]


def test_broken_rows_are_kept_with_their_reason():
    text = 'bo\nnot an address\n"a,b"@x\n,\nhttps://x.example/@bo\n'
    rows = parse_upload(upload(text), "following").rows
    assert [row.error == "" for row in rows] == [True, False, False, False]  # "," is blank
    assert "is not an account address" in rows[1].error
    assert rows[1].data == {"raw": "not an address"}
    lists = parse_upload(upload("Mentors\n,bo\n" + "x" * 300 + ",bo\n"), "lists").rows
    assert "no account address" in lists[0].error
    assert "no list name" in lists[1].error
    assert "longer than 256" in lists[2].error
    bookmarks = parse_upload(upload("ftp://x.example/1\nnot a url\n"), "bookmarks").rows
    assert all("not the address of a post" in row.error for row in bookmarks)
    domains = parse_upload(upload("https://x.example/\nok.example\n"), "domain_blocks").rows
    assert "not a valid domain" in domains[0].error
    assert domains[1].data == {"domain": "ok.example"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        ("bo\ncaf\u00e9\n".encode("latin-1"), "not UTF-8"),
        (b"bo\x00\n", "not a CSV text file"),
        (b'"unclosed\n' + b"x" * 140_000, "not valid CSV"),
    ],
)
def test_whole_file_problems_are_refused(content, message):
    with pytest.raises(ValidationFailed, match=message):
        parse_upload(upload(content), "following")


def test_a_utf8_byte_order_mark_is_fine():
    parsed = parse_upload(upload("\ufeffAccount address\nbo\n".encode()), "blocks")
    assert parsed.has_header
    assert parsed.rows[0].data == {"acct": "bo"}


def test_another_types_file_is_refused():
    following = "Account address,Show boosts,Notify on new posts,Languages\nbo,true,false,\n"
    with pytest.raises(ValidationFailed, match="does not look like Blocked accounts"):
        parse_upload(upload(following, "following_accounts.csv"), "blocks")
    with pytest.raises(ValidationFailed, match="looks like Muted accounts"):
        parse_upload(upload("Account address,Hide notifications\nbo,true\n"), "following")
    with pytest.raises(ValidationFailed, match="does not look like Blocked domains"):
        parse_upload(upload("Account address\nbo\n"), "domain_blocks")
    with pytest.raises(ValidationFailed, match="does not look like"):
        parse_upload(upload("bo\n", "bookmarks.csv"), "following")


def test_too_many_rows_are_refused():
    text = "".join(f"user{number}\n" for number in range(IMPORT_MAX_ROWS + 1))
    with pytest.raises(ValidationFailed, match="more than 20,000 rows"):
        parse_upload(upload(text), "blocks")
    assert len(parse_upload(upload(text.rsplit("user", 1)[0]), "blocks").rows) == IMPORT_MAX_ROWS


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    class Huge:
        name = "following_accounts.csv"
        size = 50 * 1024 * 1024

        def read(self, size=-1):
            raise AssertionError("a file over the limit must not be read")

    with pytest.raises(FileTooLarge, match="may have is 2 MB") as raised:
        parse_upload(Huge(), "following")
    assert raised.value.status_code == 413
