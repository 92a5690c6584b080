"""One gate for every text that enters: characters no page or route could store are refused.

PostgreSQL cannot store U+0000 in a text column (SQLite can, so the trouble shows only in
production), and Python cannot encode a lone surrogate (U+D800..U+DFFF, which a JSON `\\ud800`
escape produces) for the database at all. Either one, anywhere a view passes it to a query,
used to end in a 500. Rather than ask every field of every form and route to remember,
`InputGateMiddleware` refuses such a request with a 400 before any view, session or token
lookup sees it.

What is refused, wherever it appears (the path, the query string, an urlencoded body, the
text fields and file names of a multipart body, every key and string of a JSON body at any
depth, and any header):

- U+0000 (NUL);
- lone surrogates, U+D800..U+DFFF (they can only come from JSON escapes: the UTF-8 decoder
  refuses encoded surrogates);
- the noncharacters U+FFFE and U+FFFF: PostgreSQL would store them, but XML 1.0 cannot hold
  them and no text a person writes contains them, so they are refused with the rest;
- bytes that are not UTF-8, in the query string and in urlencoded and JSON bodies (Django
  would otherwise turn them into U+FFFD silently, or fail on them).

Other control characters are let through: PostgreSQL stores them and the services that
care (post text, display names) already strip them. File contents are never looked at.

Why a Django middleware and not an ASGI layer: it runs the same under WSGI, ASGI and the
test client; multipart bodies are read by Django's own streaming parser (an ASGI layer
would need a second one); and under /api the body is read through `core.api.input`, whose
cached result the routes use, so a JSON body is decoded once per request. It sits right
after RequestSizeLimitMiddleware (an oversized body is refused before it is read) and
before ApiMiddleware and the session and authentication middleware (a NUL in a token or a
session cookie never reaches a query).

Cost: the common case is one regular-expression scan of the text; a JSON body is only
walked value by value when its raw text holds a `\\u` escape that could decode to one of
the refused characters (`\\u0000`, `\\ud83d`, `\\uffff`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from staffroom.core.api.input import request_data
from staffroom.core.middleware import wants_json

# The characters refused (see the module docstring).
FORBIDDEN = re.compile("[\x00\ud800-\udfff\ufffe\uffff]")
# A JSON escape that may decode to one of them; a hit means the parsed body gets walked.
_SUSPICIOUS_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F]|[fF]{3}[eEfF])")
_JSON_PATHS = ("/api/", "/oauth/", "/nodeinfo", "/.well-known/")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_NAME_MAX = 60


class Refused(Exception):
    """The request carries input the gate refuses; the message says what and where."""


def forbidden_in(text: str) -> str | None:
    """The first refused character in `text`, or None when there is none."""
    match = FORBIDDEN.search(text)
    return match.group() if match is not None else None


def _describe(char: str) -> str:
    point = f"U+{ord(char):04X}"
    if char == "\x00":
        return _("a NUL character (%(point)s)") % {"point": point}
    if "\ud800" <= char <= "\udfff":
        return _("a lone surrogate (%(point)s)") % {"point": point}
    return _("the noncharacter %(point)s") % {"point": point}


def _shown(name: str) -> str:
    """A field name fit for a message: shortened, refused characters written as escapes."""
    return FORBIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", name[:_NAME_MAX])


# Where a refused character was, for the message; a callable, so that the common case (no
# refused character) never pays for a translation lookup.
Where = Callable[[], str]


def _check(text: str, where: Where) -> None:
    char = forbidden_in(text)
    if char is not None:
        raise Refused(
            _("%(where)s contains %(what)s, which this server does not accept.")
            % {"where": where(), "what": _describe(char)}
        )


def _decoded(raw: bytes, where: Where) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(_("%(where)s is not valid UTF-8.") % {"where": where()}) from None


def _raw_bytes(text: str) -> bytes:
    """The bytes behind a WSGI/ASGI string (Django keeps the query string as latin-1);
    a string that is not latin-1 (only the test client makes them) is taken as UTF-8."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _check_urlencoded(raw: bytes, kind: Where) -> None:
    """A query string or urlencoded body, percent-decoded as Django will decode it. The
    whole is scanned at once; only when something is wrong is it split to name the field."""
    if not raw:
        return
    try:
        _check(_decoded(unquote_to_bytes(raw), kind), kind)
    except Refused:
        for pair in raw.split(b"&"):
            key, _sep, value = pair.replace(b"+", b" ").partition(b"=")
            name = _shown(unquote_to_bytes(key).decode("utf-8", "replace"))

            def where(name: str = name) -> str:
                return _("The %(kind)s parameter “%(name)s”") % {"kind": kind(), "name": name}

            _check(_decoded(unquote_to_bytes(key), where), where)
            _check(_decoded(unquote_to_bytes(value), where), where)
        raise


def _strings(data: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for every key and string in a parsed body, at any depth (iteratively:
    a body nested hundreds deep must not exhaust the stack), and every file's name."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{path}.{key}" if path else str(key)
                yield child, str(key)
                stack.append((child, value))
        elif isinstance(node, list):
            stack.extend((f"{path}.{index}", item) for index, item in enumerate(node))
        elif isinstance(node, str):
            yield path, node
        elif isinstance(node, UploadedFile):
            yield path, node.name or ""


def _check_parsed(data: Any) -> None:
    for path, text in _strings(data):

        def where(path: str = path) -> str:
            return _("The body field “%(name)s”") % {"name": _shown(path or "(body)")}

        _check(text, where)


def _the_body() -> str:
    return _("The request body")


def _the_address() -> str:
    return _("The address")


def _query() -> str:
    return _("query")


def _form() -> str:
    return _("form")


def _check_json(request: HttpRequest) -> None:
    text = _decoded(request.body, _the_body)
    _check(text, _the_body)
    if _SUSPICIOUS_ESCAPE.search(text) is None:
        return
    if request.path_info.startswith("/api/"):
        # The API's own reading, cached for the routes: the body is decoded once.
        _check_parsed(request_data(request))
        return
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return  # not JSON after all: the view refuses it in its own words
    _check_parsed(parsed)


def _check_multipart(request: HttpRequest) -> None:
    if request.path_info.startswith("/api/"):
        _check_parsed(request_data(request))  # read once, streamed, cached for the route
    elif request.method == "POST":
        _check_parsed(_by_name(request.POST.lists()))
        _check_parsed(_by_name(request.FILES.lists()))


def _by_name(items: Iterable[tuple[str, list[Any]]]) -> dict[str, Any]:
    """Form fields by name: a field sent once as its value, so a message names `title`,
    not `title.0`."""
    return {key: values[0] if len(values) == 1 else values for key, values in items}


def _check_body(request: HttpRequest) -> None:
    if request.method not in _BODY_METHODS:
        return
    content_type = request.content_type or ""
    if content_type == _MULTIPART:
        _check_multipart(request)
    elif content_type == _FORM:
        _check_urlencoded(request.body, _form)
    elif (
        content_type == "application/json"
        or content_type.endswith("+json")
        or (request.path_info.startswith("/api/") and request.body)
    ):
        # Under /api every other body is read as JSON (core.api.input), so it is checked so.
        _check_json(request)


def _check_headers(request: HttpRequest) -> None:
    for key, value in request.META.items():
        is_header = key.startswith("HTTP_") or key in {"CONTENT_TYPE", "CONTENT_LENGTH"}
        if is_header and isinstance(value, str) and FORBIDDEN.search(value):
            header = key.removeprefix("HTTP_").replace("_", "-").title()

            def where(header: str = header) -> str:
                return _("The header “%(name)s”") % {"name": header}

            _check(value, where)


def inspect(request: HttpRequest) -> None:
    """Raise Refused when any part of the request holds a refused character (see above);
    BadRequest or SuspiciousOperation when the body cannot be read at all."""
    _check(request.path, _the_address)
    _check_urlencoded(_raw_bytes(request.META.get("QUERY_STRING", "")), _query)
    _check_headers(request)
    _check_body(request)


def refusal(request: HttpRequest, message: str) -> HttpResponse:
    """400 with `message`: Mastodon's `{"error": ...}` for API clients, a page for people."""
    if request.path.startswith(_JSON_PATHS) or wants_json(request):
        return JsonResponse({"error": message}, status=400)
    context = {"status": 400, "title": _("Bad request"), "message": message}
    return HttpResponse(render_to_string("errors/error.html", context, request=request), status=400)


class InputGateMiddleware:
    """Refuse, with a 400 naming what and where, a request carrying text no database
    column or document could hold (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            inspect(request)
        except Refused as refused:
            return refusal(request, str(refused))
        except (BadRequest, SuspiciousOperation) as error:
            # A body that cannot be read at all (too large, malformed) holds no text to
            # check; it is answered as before the gate: under /api as ApiMiddleware would,
            # on the site's 400 page for people, and by the OAuth views in their own words
            # (`invalid_request`: reading the body again raises the same error there).
            if request.path_info.startswith("/api/"):
                return refusal(request, str(error) or _("The request is malformed."))
            if not request.path.startswith(_JSON_PATHS):
                raise
        return self.get_response(request)
