"""SECURITY-PLAN H-2: no HTML reaches a page unescaped except fields sanitized at write.

A grep gate over `staffroom/**/templates` and `staffroom/**/*.py`. It fails on `|safe` and
`|safeseq`, `{% filter safe %}`, `{% autoescape off %}` in HTML templates, and in Python on
`mark_safe`, `SafeString`/`SafeText`, `html_safe`, `autoescape=False` and `format_html` with
a format string that is not a plain literal, unless the use is allow-listed below.

The allow-list is keyed on the expression, not on a file or line: `post.content|safe` is
fine in any template because `Status.content` is rendered and sanitized on write
(core/html.render_markdown), while `post.text|safe` or `card.html|safe` fails wherever it
appears. Adding an entry means showing that the field is sanitized where it is written.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "staffroom"

# Template expressions that may carry |safe: each names a field that only ever holds the
# output of core/html.render_markdown or sanitize_html.
SAFE_EXPRESSIONS = frozenset(
    {
        # Status.content: posts.services renders and sanitizes it in status_create/edit.
        "status.content|safe",
        "post.content|safe",
        "status.reblog_of.content|safe",
        "post.reblog_of.content|safe",
        "card.original.content|safe",
        # StatusEdit.content: a copy of Status.content at the time of the edit.
        "edit.content|safe",
        "version.content|safe",
        # Profile.note_html: profiles.services renders and sanitizes the bio on save.
        "profile.note_html|safe",
        # ReportedPost.content: a copy of Status.content when reported (moderation.services).
        "row.snapshot.content|safe",
        # The server's terms, rendered by core/html.render_markdown in the views that pass
        # it (web.views.about, accounts.views.signup).
        "terms_html|safe",
        # `emojify` (emojis/templatetags) trusts its input as `safe` does, so it is gated the
        # same way: only on fields sanitized at write. `emojify_text` escapes first.
        "post.content|emojify",
        "profile.note_html|emojify",
        # Announcement.content: announcements.services renders it with render_markdown.
        "announcement.content|emojify",
    }
)
# Python calls that may mark a value safe, as `ast.unparse` writes them: `emojify_html`
# (emojis/templatetags) marks HTML its callers vouch for, with only its own `<img>` tags
# added; its template filter `emojify` is gated like `|safe` above.
SAFE_PYTHON_CALLS: frozenset[str] = frozenset({"mark_safe(html)", "mark_safe(''.join(parts))"})
MARKING_CALLS = {"mark_safe", "SafeString", "SafeText", "html_safe"}
# Plain-text templates (e-mail bodies) are not HTML: turning escaping off there is right.
TEXT_TEMPLATE_SUFFIXES = (".txt",)

_SAFE_FILTER = re.compile(r"\|\s*(?:safe(?:seq)?|emojify)\b")
_TOKEN_START = re.compile(r"[\s{=(,]")
_FILTER_TAG = re.compile(r"\{%-?\s*filter\s[^%]*\bsafe(?:seq)?\b")
_AUTOESCAPE_OFF = re.compile(r"\{%-?\s*autoescape\s+off\b")


@dataclass(frozen=True)
class Finding:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _expression_at(text: str, end: int) -> str:
    """The whole `a.b|filter:x|safe` token whose `|safe` ends at `end`."""
    start = end
    while start > 0 and not _TOKEN_START.match(text[start - 1]):
        start -= 1
    return text[start:end].strip()


def template_findings(text: str, where: str) -> list[Finding]:
    text = re.sub(r"\s*\|\s*", "|", text)
    findings = []
    for match in _SAFE_FILTER.finditer(text):
        expression = _expression_at(text, match.end())
        if expression not in SAFE_EXPRESSIONS:
            findings.append(Finding(where, expression))
    findings += [Finding(where, m[0]) for m in _FILTER_TAG.finditer(text)]
    if not where.endswith(TEXT_TEMPLATE_SUFFIXES):
        findings += [Finding(where, m[0]) for m in _AUTOESCAPE_OFF.finditer(text)]
    return findings


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _call_finding(call: ast.Call) -> str | None:
    name = _called_name(call)
    source = ast.unparse(call)
    if source in SAFE_PYTHON_CALLS:
        return None
    if name in MARKING_CALLS and not all(_is_literal(arg) for arg in call.args):
        return source
    if name in ("format_html", "format_html_join"):
        template_arg = call.args[0] if name == "format_html" and call.args else None
        if name == "format_html_join" and len(call.args) > 1:
            template_arg = call.args[1]
        if template_arg is None or not _is_literal(template_arg):
            return source
        if name == "format_html" and len(call.args) == 1 and not call.keywords:
            return source  # nothing to escape: a literal needs no format_html
    if any(kw.arg == "autoescape" and _is_false(kw.value) for kw in call.keywords):
        return source
    return None


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def python_findings(source: str, where: str) -> list[Finding]:
    findings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            found = _call_finding(node)
            if found is not None:
                findings.append(Finding(f"{where}:{node.lineno}", found))
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            decorators = [ast.unparse(d) for d in node.decorator_list]
            if "html_safe" in decorators or node.name == "__html__":
                findings.append(Finding(f"{where}:{node.lineno}", f"{node.name} marks safe"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # Templates written inline in Python.
            findings += template_findings(node.value, f"{where}:{node.lineno}")
    return findings


def _templates() -> list[Path]:
    return sorted(
        path for folder in ROOT.glob("**/templates") for path in folder.rglob("*") if path.is_file()
    )


def _python_files() -> list[Path]:
    return sorted(path for path in ROOT.rglob("*.py") if "migrations" not in path.parts)


def test_no_template_marks_untrusted_text_safe():
    templates = _templates()
    assert len(templates) > 20
    findings = [
        finding
        for path in templates
        for finding in template_findings(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert [str(f) for f in findings] == []


def test_no_python_marks_untrusted_text_safe():
    files = _python_files()
    assert len(files) > 50
    findings = [
        finding
        for path in files
        for finding in python_findings(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert [str(f) for f in findings] == []


# The gate itself: what it must catch and what it must let through.
@pytest.mark.parametrize(
    "template",
    [
        "{{ post.text|safe }}",
        "{{ profile.display_name | safe }}",
        "{{ card.html|safe }}",
        "{{ post.content|linebreaks|safe }}",
        "{{ tags|join:', '|safeseq }}",
        "{% with x=post.spoiler_text|safe %}{{ x }}{% endwith %}",
        "{% filter safe %}{{ post.text }}{% endfilter %}",
        "{% autoescape off %}{{ post.text }}{% endautoescape %}",
        "{%autoescape off%}{{ post.text }}{%endautoescape%}",
        "<p>{{post.content|safe}}{{ post.text|safe }}</p>",
        "{{ post.text|emojify }}",
        "{{ profile.display_name|emojify }}",
    ],
)
def test_gate_catches_unsafe_template(template):
    assert template_findings(template, "x.html")


@pytest.mark.parametrize(
    "template",
    [
        "{{ post.content|safe }}",
        "<div>{{profile.note_html | safe}}</div>",
        "{{ version.content|safe }} {{ post.safe_word }} {{ post.text|safer_words }}",
        "{{ post.text }}",
        "{{ post.content|emojify }} {{ profile.display_name|emojify_text }}",
    ],
)
def test_gate_lets_sanitized_fields_and_escaped_text_through(template):
    assert template_findings(template, "x.html") == []


def test_gate_allows_autoescape_off_only_in_text_templates():
    text = "{% autoescape off %}Hello {{ handle }}{% endautoescape %}"
    assert template_findings(text, "accounts/email/approved.txt") == []
    assert template_findings(text, "accounts/email/approved.html")


@pytest.mark.parametrize(
    "source",
    [
        "mark_safe(user_text)",
        "django.utils.safestring.mark_safe(f'<b>{name}</b>')",
        "SafeString(profile.display_name)",
        "format_html(f'<b>{name}</b>')",
        "format_html('<b>' + name + '</b>', x)",
        "format_html(template, x)",
        "format_html('<b>x</b>')",
        "format_html_join('\\n', '<li>{}</li>'.replace('li', tag), rows)",
        "Template(source).render(Context(data, autoescape=False))",
        "x = '{{ post.text|safe }}'",
        "@html_safe\nclass Card:\n    pass",
        "class Card:\n    def __html__(self):\n        return self.html",
    ],
)
def test_gate_catches_unsafe_python(source):
    assert python_findings(source, "x.py")


@pytest.mark.parametrize(
    "source",
    [
        "format_html('<time datetime=\"{}\">{}</time>', iso, shown)",
        "format_html_join('\\n', '<li>{}</li>', rows)",
        "SafeString('')",
        "mark_safe('<br>')",
        "Context(data, autoescape=True)",
    ],
)
def test_gate_lets_escaping_python_through(source):
    assert python_findings(source, "x.py") == []
