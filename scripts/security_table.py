"""Write docs/security.md, the security plan's coverage table, from the tests that cite it.

A test declares which items of the security and reliability test plan (SECURITY-PLAN.md,
part (b)) it checks by citing them in its module, class or function docstring:

    def test_a_blocked_user_gets_404():
        \"\"\"... (SECURITY-PLAN P-3, P-8).\"\"\"

The citations are read with `ast`, so no test module is imported. Run after citing an item,
or after the plan changes:

    STAFFROOM_SECURITY_PLAN=../shared/SECURITY-PLAN.md .venv/bin/python scripts/security_table.py

The plan is read from `STAFFROOM_SECURITY_PLAN`, else from `../shared/SECURITY-PLAN.md` beside
the checkout. Its ids and titles are copied to docs/security-plan-ids.txt, which is what the
table is built from when the plan is not there (a clone on its own, as in CI).
`tests/test_security_table.py` fails while either file is out of date, when a citation names
an id the plan does not have, and when an id is neither cited nor explained below.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE_DOC = ROOT / "docs" / "security.md"
IDS_SNAPSHOT = ROOT / "docs" / "security-plan-ids.txt"
PLAN_ENV = "STAFFROOM_SECURITY_PLAN"
DEFAULT_PLAN = ROOT.parent / "shared" / "SECURITY-PLAN.md"
TESTS = ROOT / "tests"

PLAN_ID = r"[A-Z]{1,2}-\d{1,2}"
# "SECURITY-PLAN P-3", "SECURITY-PLAN H-1 and H-4", "SECURITY-PLAN P-2, P-3, P-8": one or
# more ids after the plan's name, joined by commas, "and" or slashes (line breaks allowed).
CITATION = re.compile(
    rf"SECURITY-PLAN\s+(?P<ids>{PLAN_ID}(?:\s*(?:,|/|\band\b)\s*{PLAN_ID})*)(?![\w-])"
)
# Part (b) items: a paragraph opening with the bold id and title ("**F-1 Unsigned ...**"),
# or a list entry with the bold id alone ("- **C-1** `manage.py check --deploy` ...").
_PARAGRAPH_ITEM = re.compile(rf"^\*\*(?P<id>{PLAN_ID})\s+(?P<title>.+?)\*\*")
_LIST_ITEM = re.compile(rf"^- \*\*(?P<id>{PLAN_ID})\*\*\s+(?P<title>.+)$")

NOT_YET_FEDERATION = "not yet: comes with federation (there is no ActivityPub code yet)"

# Items the citing tests check only in part: what is left. Every key must be cited.
PARTLY: dict[str, str] = {
    "P-2": (
        "Here: a direct post reaches only the people it mentions (timelines, search, hashtags, "
        "streams). Delivery to personal inboxes comes with federation"
    ),
    "P-3": (
        "Web pages and the Mastodon API answer a hidden post as an unknown id. The signed "
        "ActivityPub GET comes with federation"
    ),
    "P-6": (
        "A suspended remote account's posts, reshares included, leave every timeline and "
        "lookup. Inbound activities and deliveries come with federation"
    ),
    "P-8": (
        "Blocks, mutes and who reads a report, here. The federated `Block` and a forwarded "
        "`Flag` come with federation"
    ),
    "H-1": (
        "The sanitizer with the XSS corpus and seeded tag soup (no hypothesis). Remote names, "
        "notes and fields come with federation"
    ),
    "H-2": (
        "Post text, content warnings and display names in pages and the API, plus the `|safe` "
        "grep gate; not e-mail or RSS"
    ),
    "H-5": (
        "The headers on the home page, not a crawl of every route; `form-action`, `base-uri` "
        "and a report endpoint are not checked"
    ),
    "S-1": (
        "Web Push endpoints only (the one outbound request today): private, loopback and "
        "link-local addresses refused when subscribing and again before each delivery"
    ),
    "S-3": "Web Push: a redirect is never followed",
    "S-4": "Web Push: only https endpoints (http only where a setting allows it)",
    "S-7": (
        "Web Push: loopback and http only through settings (`PUSH_ALLOWED_ADDRESSES`, "
        "`PUSH_ALLOW_HTTP`); no test loads the production settings for them"
    ),
    "U-4": "Body and per-file limits and the storage quota; no parallel uploads",
    "U-5": (
        "Types and headers of served media, raw uploads never served. Fetching a media URL "
        "as an actor comes with federation"
    ),
    "U-6": (
        "Server-made names, playlists refused unread, the sandboxed child's environment and "
        "memory ceiling; no test of a processing timeout"
    ),
    "A-2": "No test of the common-passwords list",
    "A-3": "No check of `SameSite` or of GETs with side effects",
    "A-5": (
        "Password change and reset, deactivation and suspension. Streams close at the next "
        "check (every 60 s), not within 2 s; there is no 2FA"
    ),
    "A-6": "Streams close at the next check (every 60 s), not within 2 s",
    "A-7": "One test per kind of object, not a matrix generated from the URL resolver",
    "A-8": (
        "The password grant is on, as Mastodon has it (docs/subsystems/mastodon-api.md); "
        "the code lifetime is not tested"
    ),
    "A-9": "Redirect URIs and the rate limit; the consent screen's warning is not tested",
    "A-10": "A foreign `next=` on action forms; no table of `//`, `%5C` or double encoding",
    "A-11": "The domain allow-list is checked, not a canonical-domain comparison",
    "R-1": (
        "Sign-in (web and the password grant), sign-up, password reset, app registration and "
        "the API; no TOTP (there is none)"
    ),
    "R-3": (
        "Body size before reading and JSON depth, on every route. Per-host limits and the "
        "inbox come with federation"
    ),
    "R-4": "Local limits through forms and the API. Remote objects come with federation",
    "R-6": "`limit` clamped to 40 and query budgets; no latency run with 100k posts",
    "D-4": "Local purge and the reserved handle. The `Delete(actor)` comes with federation",
    "Q-1": (
        "The job queue's backoff (grows fourfold, jitter, a cap). The delivery schedule and "
        "`Retry-After` come with federation"
    ),
    "Q-3": (
        "A live worker renews its job's lease and an expired one is taken back within a "
        "minute; no worker is killed in a test"
    ),
    "Q-4": (
        "Background jobs: the job row commits with the change, wake-ups after commit, lost "
        "wake-ups swept. Delivery rows come with federation"
    ),
    "Q-7": "Jobs are marked dead after the last try with their error; no replay or admin view",
    "DB-5": (
        "`.ci/run` runs the whole suite again on PostgreSQL and Redis; here, concurrent "
        "claims on PostgreSQL"
    ),
    "Z-1": (
        "Schemathesis in-process with its checks, 3 examples per operation (the plan asks "
        "25), and a junk sweep of every operation; no response-time or stateful checks"
    ),
    "Z-2": (
        "The sanitizer, Markdown and the search query parser. The signature and webfinger "
        "parsers come with federation"
    ),
}

# Notes on items the citing tests cover whole.
NOTES: dict[str, str] = {
    "H-4": "There is no translation; emojis and mentions are tested",
    "U-1": "The memory ceiling of the sandboxed child stands in for an RSS measurement",
    "D-3": "An import carries its own file; another teacher's import is a 404",
    "I-4": (
        "Mastodon.py 2.3.3 against `staffroom serve`: apps, OAuth, posts, media, feeds and "
        "notifications"
    ),
}

# Items that are all about federation, and have nothing to check before it.
# fmt: off
WAIT_FOR_FEDERATION = (
    "F-1", "F-2", "F-3", "F-4", "F-5", "F-6", "F-7", "F-8", "F-9", "F-10", "F-11", "F-12",
    "F-13", "P-1", "P-4", "S-5", "S-6", "U-7", "R-5", "D-5", "Q-2", "Q-5", "Q-6", "Q-8",
    "L-2", "I-1", "I-2", "I-3",
)
# fmt: on

UNCOVERED_STATUSES = ("in CI", "not yet", "does not apply")

# Items no test cites: "not yet: comes with <capability>", "in CI: <where>" for a gate
# that `.ci/run` holds rather than a test, or "does not apply: <why>".
UNCOVERED: dict[str, str] = {
    **dict.fromkeys(WAIT_FOR_FEDERATION, NOT_YET_FEDERATION),
    "S-2": (
        "not yet: comes with federation's SSRF-safe client (Web Push resolves the host "
        "again when it connects)"
    ),
    "P-5": "not yet: comes with private groups (there are none)",
    "P-7": "not yet: comes with quotes or reply policies (there are none)",
    "H-3": (
        "not yet: comes with link previews (a link's card is made from its URL; nothing is fetched)"
    ),
    "A-1": (
        "in CI: `.ci/run` runs `check --deploy --fail-level WARNING` with the production settings"
    ),
    "A-12": "does not apply: there is no single sign-on",
    "DB-2": "not yet: no SQLite contention run (IMMEDIATE transactions are checked by DB-1)",
    "DB-3": "not yet: no crash test of acknowledged writes",
    "DB-4": "not yet: no long-reader and checkpoint test",
    "L-1": (
        "not yet: the benchmarks (BENCHMARKS.md) measure feeds, search, streaming and "
        "suggestions by hand; no load run with thresholds"
    ),
    "L-3": "not yet: no static and media load baseline",
    "Z-3": "not yet: A-7 is checked per kind of object; no generated two-user sweep",
    "Z-4": "not yet: no fuzzing harness (its parsers come with federation)",
    "C-1": (
        "in CI: `.ci/run` runs `check --deploy` with the production settings and "
        "`makemigrations --check`"
    ),
    "C-2": (
        "in CI: ruff's `S` (bandit) rules in `.ci/run`; pip-audit is not run (it needs the network)"
    ),
    "C-3": "not yet: no inventory of binaries in the CI log",
    "C-4": (
        "not yet: pytest-timeout is on (120 s a test); pytest-socket is not installed, tests "
        "keep to 127.0.0.1 by convention"
    ),
}


@dataclass(frozen=True)
class Citation:
    """One place in the tests that cites a plan id."""

    item: str
    path: str  # relative to the repository root, with forward slashes
    target: str  # "" for a module docstring, else "Class", "test_name" or "Class::test_name"
    line: int

    @property
    def label(self) -> str:
        return f"{self.path}::{self.target}" if self.target else self.path


def citations_in_text(text: str) -> list[str]:
    """The plan ids that `text` cites, in order (an id cited twice is listed twice)."""
    return [
        item
        for match in CITATION.finditer(text)
        for item in re.findall(PLAN_ID, match.group("ids"))
    ]


def citations_in_source(source: str, path: str) -> list[Citation]:
    """The citations in a module's, its classes' and its test functions' docstrings."""
    tree = ast.parse(source)
    found: list[Citation] = []

    def add(node: ast.AST, target: str, line: int) -> None:
        docstring = ast.get_docstring(node, clean=False)  # type: ignore[arg-type]
        items = citations_in_text(docstring or "")
        found.extend(Citation(item, path, target, line) for item in items)

    add(tree, "", 1)

    def visit(body: Iterable[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                name = f"{prefix}{node.name}"
                add(node, name, node.lineno)
                visit(node.body, f"{name}::")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                add(node, f"{prefix}{node.name}", node.lineno)

    visit(tree.body, "")
    return found


def suite_citations(tests: Path = TESTS) -> list[Citation]:
    """Every citation in the test suite: test modules, and the helpers and fixtures beside them."""
    found: list[Citation] = []
    for file in sorted(tests.rglob("*.py")):
        relative = file.relative_to(tests.parent).as_posix()
        found.extend(citations_in_source(file.read_text(encoding="utf-8"), relative))
    return found


def covering(citations: Iterable[Citation]) -> dict[str, list[Citation]]:
    """The citations that count as covering an id: those in test modules, on the module, a
    test class or a test function (a helper citing an item is checked for the id, not listed)."""
    by_item: dict[str, list[Citation]] = {}
    for citation in citations:
        if not Path(citation.path).name.startswith("test_"):
            continue
        last = citation.target.rsplit("::", 1)[-1]
        if citation.target and not (last.startswith("test_") or last.startswith("Test")):
            continue
        entries = by_item.setdefault(citation.item, [])
        if citation not in entries:
            entries.append(citation)
    return by_item


def plan_items(plan_text: str) -> dict[str, str]:
    """Id → title of every item in part (b) of the plan, in the plan's order."""
    items: dict[str, str] = {}
    in_part_b = False
    for line in plan_text.splitlines():
        if line.startswith("## "):
            in_part_b = line.startswith("## (b)")
            continue
        if not in_part_b:
            continue
        match = _PARAGRAPH_ITEM.match(line) or _LIST_ITEM.match(line)
        if match is None:
            continue
        title = match.group("title").strip()
        # A list entry is a whole sentence: its first clause is the title.
        title = title.split(";")[0].strip().rstrip(".").strip()
        if match.group("id") in items:
            raise ValueError(f"the plan lists {match.group('id')} twice")
        items[match.group("id")] = title
    return items


def render_snapshot(items: Mapping[str, str]) -> str:
    lines = [
        "# The security plan's ids and titles (part (b)), copied by scripts/security_table.py.",
        "# Used when SECURITY-PLAN.md is not beside the checkout. Do not edit by hand.",
    ]
    lines.extend(f"{item}\t{title}" for item, title in items.items())
    return "\n".join(lines) + "\n"


def read_snapshot(text: str) -> dict[str, str]:
    items: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item, _, title = line.partition("\t")
        items[item] = title
    return items


def plan_path() -> Path | None:
    """The plan file, where it can be found: `STAFFROOM_SECURITY_PLAN`, else beside the checkout."""
    configured = os.environ.get(PLAN_ENV)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FileNotFoundError(f"{PLAN_ENV}={configured} is not a file")
        return path
    return DEFAULT_PLAN if DEFAULT_PLAN.is_file() else None


def current_items() -> dict[str, str]:
    """The plan's ids and titles: from the plan when it is there, else from the snapshot."""
    path = plan_path()
    if path is not None:
        return plan_items(path.read_text(encoding="utf-8"))
    return read_snapshot(IDS_SNAPSHOT.read_text(encoding="utf-8"))


def problems(
    items: Mapping[str, str],
    citations: Iterable[Citation],
    partly: Mapping[str, str] = PARTLY,
    notes: Mapping[str, str] = NOTES,
    uncovered: Mapping[str, str] = UNCOVERED,
) -> list[str]:
    """What keeps the table from being true: unknown ids cited, ids neither covered nor
    explained, and explanations that no longer fit."""
    citations = list(citations)
    found = [
        f"{citation.path}:{citation.line} cites {citation.item}, which the plan does not have"
        for citation in citations
        if citation.item not in items
    ]
    covered = covering(citations)
    for item in items:
        if item not in covered and item not in uncovered:
            found.append(
                f"{item} is neither cited by a test nor explained in UNCOVERED "
                "(scripts/security_table.py)"
            )
        if item in covered and item in uncovered:
            found.append(
                f"{item} is cited by {covered[item][0].label}: drop its UNCOVERED entry "
                "(scripts/security_table.py)"
            )
        if item in partly and item not in covered:
            found.append(f"{item} is in PARTLY but no test cites it")
    for item, explanation in uncovered.items():
        if explanation.partition(":")[0] not in UNCOVERED_STATUSES:
            found.append(
                f"UNCOVERED[{item!r}] must start with one of "
                + ", ".join(f'"{status}:"' for status in UNCOVERED_STATUSES)
            )
    for name, table in (("PARTLY", partly), ("NOTES", notes), ("UNCOVERED", uncovered)):
        found.extend(
            f"{name} in scripts/security_table.py names {item}, which the plan does not have"
            for item in table
            if item not in items
        )
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(
    items: Mapping[str, str],
    citations: Iterable[Citation],
    partly: Mapping[str, str] = PARTLY,
    notes: Mapping[str, str] = NOTES,
    uncovered: Mapping[str, str] = UNCOVERED,
) -> str:
    """docs/security.md: the introduction, then one row per plan id."""
    covered = covering(citations)
    counts = dict.fromkeys(("covered", "partly", *UNCOVERED_STATUSES), 0)
    rows: list[str] = []
    for item, title in items.items():
        cited = covered.get(item, [])
        if cited:
            status = "partly" if item in partly else "covered"
            note = partly.get(item) or notes.get(item, "")
            tests = "<br>".join(f"[{citation.label}](../{citation.path})" for citation in cited)
        else:
            explanation = uncovered.get(item, "")
            status, _, note = explanation.partition(":")
            if status not in UNCOVERED_STATUSES:
                status, note = "not yet", explanation
            note = note.strip()
            tests = ""
        counts[status] += 1
        rows.append(f"| {item} | {_cell(title)} | {tests} | {status} | {_cell(note)} |")
    summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    intro = f"""# Security plan coverage

The security and reliability test plan (`SECURITY-PLAN.md`, part (b), kept beside the
project) names {len(items)} checks: federation authentication (F), privacy (P), HTML (H),
outbound HTTP (S), uploads (U), authentication (A), limits (R), export and deletion (D),
queues (Q), the database (DB), load (L), fuzzing (Z), interoperability (I) and CI gates (C).
This table says which tests check each one. "Partly" says what is left; "in CI" is a gate
`.ci/run` holds rather than a test. Federation (ActivityPub: the inbox, signatures,
fetching, delivery) is a later piece of work, so most F, S, Q and I items wait for it.

Today: {summary}.

A test claims an item by citing it in its module, class or function docstring
(`SECURITY-PLAN P-3, P-8`); see [testing.md](development/testing.md). This page is generated
by `scripts/security_table.py` (do not edit it by hand), and `tests/test_security_table.py`
fails when it is out of date, when a test cites an id the plan does not have, and when an id
is neither covered nor explained.

| Id | Item | Tests | Status | Note |
|---|---|---|---|---|
"""
    return intro + "\n".join(rows) + "\n"


def main() -> int:
    path = plan_path()
    if path is None:
        print(
            f"SECURITY-PLAN.md not found: set {PLAN_ENV} or put it at {DEFAULT_PLAN}; "
            f"building from {IDS_SNAPSHOT.relative_to(ROOT)}",
            file=sys.stderr,
        )
    else:
        IDS_SNAPSHOT.write_text(render_snapshot(plan_items(path.read_text(encoding="utf-8"))))
        print(f"wrote {IDS_SNAPSHOT.relative_to(ROOT)}")
    items = current_items()
    citations = suite_citations()
    found = problems(items, citations)
    for problem in found:
        print(problem, file=sys.stderr)
    TABLE_DOC.write_text(render(items, citations))
    print(f"wrote {TABLE_DOC.relative_to(ROOT)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
