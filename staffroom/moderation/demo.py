"""The moderation part of the demo community: the server's rules and terms, a moderator to
sign in as (`demo_moderator`), a few open reports in the queue and one already handled.

Everything goes through the moderation services, so the demo shows what the product makes:
each report keeps the reported posts as they were (`ReportedPost`), the handled one closes
with an account limit, and the audit log records the rules, the role and the limit. Which
teachers report which posts is drawn from the demo's seeded generator over the posts the
posts part wrote, and only posts the reporter can see, by an author with no block between
the two, are ever chosen (`report_create` would refuse the others anyway).

Like the other parts it can run again over what it made: rules already there (by text),
terms already written, an existing `demo_moderator` account and reports already filed are kept
and nothing is made twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db.models import Q

from staffroom.accounts.models import StaffRole, User
from staffroom.accounts.selectors import site_configuration
from staffroom.accounts.services import account_create, user_password_hash_copy
from staffroom.core.demo import DemoContext, demo_part
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.graph.models import Block
from staffroom.moderation import services
from staffroom.moderation.models import Report, ReportCategory, Rule
from staffroom.posts.models import Status, Visibility
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles.models import Profile

# `moderator` itself is a reserved handle (nobody may pose as the staff), so the demo
# moderator is named like `demo_admin`.
MODERATOR_HANDLE = "demo_moderator"
RULES = (
    ("Be kind and professional with colleagues",
     "Disagree with ideas, never with people. No insults, pile-ons or mockery."),
    ("Never share students' personal data or photos",
     "No names, faces, grades or work that could identify a student."),
    ("No advertising or selling",
     "Share resources freely; do not post paid products, referral links or sales pitches."),
)  # fmt: skip
TERMS = (
    "Staffroom is a professional learning network for educators.\n\n"
    "* Follow the server's rules; moderators may remove posts, limit or suspend accounts "
    "that break them.\n"
    "* You own what you post; you can export it or delete your account at any time.\n"
    "* Reports go to the moderators only: the person reported never learns who reported "
    "them."
)
# (category, index of the rule cited or None, comment). The first report is @demo's, so
# the demo teacher has a report of their own to follow on /settings/reports.
OPEN_REPORTS = (
    (ReportCategory.VIOLATION, 0, "This reply reads as mocking a colleague's question."),
    (ReportCategory.VIOLATION, 1, "I think the linked page shows student work with names."),
    (ReportCategory.SPAM, 2, "Looks like a sales pitch for paid worksheets."),
    (ReportCategory.OTHER, None, "Not sure this breaks a rule, but it made me uneasy."),
)
HANDLED = (ReportCategory.SPAM, 2, "Keeps posting links to their paid resource shop.")
LIMIT_NOTE = (
    "Your account is limited after repeated posts advertising paid resources (rule: no "
    "advertising or selling). Your followers still see your posts; write to us to appeal."
)
# How many posts to try before giving up on one report (a small demo may have few).
TRIES = 200


@dataclass(frozen=True)
class DemoReports:
    open: list[Report]
    handled: Report | None


def _rules(admin: User) -> list[Rule]:
    """The three demo rules in their order, each made unless a live one has its text."""
    rules = []
    for text, hint in RULES:
        rule = Rule.objects.filter(text=text, deleted_at__isnull=True).first()
        rules.append(rule or services.rule_create(actor=admin, text=text, hint=hint))
    return rules


def _terms(admin: User) -> None:
    if not site_configuration().terms:
        services.terms_update(actor=admin, terms=TERMS)


def _moderator(admin: User, demo: User) -> User:
    """The `demo_moderator` account (made once, with the demo password), with the moderator
    role given by the administrator so the audit log shows who made them one."""
    profile = Profile.objects.filter(handle__iexact=MODERATOR_HANDLE, domain="").first()
    if profile is None or profile.user is None:
        user = account_create(
            email=f"{MODERATOR_HANDLE}@demo.staffroom.example",
            handle=MODERATOR_HANDLE,
            password=None,
            display_name="Demo Moderator",
            verified=True,
        )
        # The demo password, hashed once already for @demo (argon2 is slow on purpose).
        user_password_hash_copy(user=user, source=demo)
    else:
        user = profile.user
    if user.role == StaffRole.MEMBER and not user.is_superuser:
        services.role_set(actor=admin, account_id=user.profile.pk, role=StaffRole.MODERATOR)
        user.refresh_from_db()
    return user


def _blocked_pairs(profiles: list[Profile]) -> set[frozenset[int]]:
    pks = [p.pk for p in profiles]
    rows = Block.objects.filter(Q(blocker_id__in=pks) | Q(blocked_id__in=pks))
    return {frozenset(pair) for pair in rows.values_list("blocker_id", "blocked_id")}


def _candidates(context: DemoContext, staff: set[int]) -> list[Status]:
    """Originals (no reshares) by ordinary teachers, oldest id first, for a stable draw."""
    statuses = [
        s
        for s in context.get("statuses")
        if s.reblog_of_id is None
        and s.visibility in (Visibility.PUBLIC, Visibility.UNLISTED)
        and s.account_id not in staff
    ]
    return sorted(statuses, key=lambda s: s.pk)


def _file(
    rng: random.Random,
    reporter: Profile,
    posts: list[Status],
    taken: set[int],
    blocked: set[frozenset[int]],
    rules: list[Rule],
    spec: tuple[str, int | None, str],
) -> Report | None:
    """One report by `reporter` about a post they can see, never across a block and never
    about an account already reported here; None when no post fits."""
    category, rule_index, comment = spec
    for post in rng.sample(posts, k=min(TRIES, len(posts))):
        if post.account_id in taken or post.account_id == reporter.pk:
            continue
        if frozenset((reporter.pk, post.account_id)) in blocked:
            continue
        if not visible_statuses(reporter).filter(pk=post.pk).exists():
            continue
        try:
            report = services.report_create(
                reporter=reporter,
                target_id=post.account_id,
                status_ids=[post.pk],
                rule_ids=[] if rule_index is None else [rules[rule_index].pk],
                category=category,
                comment=comment,
            )
        except (NotFound, ValidationFailed, PermissionDenied):
            continue
        taken.add(post.account_id)
        return report
    return None


def _reports(context: DemoContext, moderator: User, demo: User, rules: list[Rule]) -> DemoReports:
    rng = context.rng
    staff = {p.pk for p in Profile.objects.filter(user__in=[*context.get("admin"), moderator])}
    staff.add(demo.profile.pk)  # @demo reports; nobody reports the account people sign in as
    posts = _candidates(context, staff)
    teachers = list(
        Profile.objects.filter(user__in=context.get("teachers"))
        .exclude(pk__in=staff)
        .order_by("pk")
    )
    if not posts or not teachers:
        return DemoReports(open=[], handled=None)
    blocked = _blocked_pairs([demo.profile, *teachers])
    standing = set(Profile.objects.in_good_standing().values_list("pk", flat=True))
    reporters = [demo.profile, *rng.sample(teachers, k=min(len(teachers), 6))]
    reporters = [p for p in reporters if p.pk in standing]
    taken: set[int] = set()
    # The handled report first: a small demo with few authors still shows one.
    handled = _file(rng, reporters[-1], posts, taken, blocked, rules, HANDLED)
    if handled is not None:
        services.account_limit(
            actor=moderator, account_id=handled.target_id, note=LIMIT_NOTE, report_id=handled.pk
        )
        handled.refresh_from_db()
    opened = []
    for index, spec in enumerate(OPEN_REPORTS):
        reporter = reporters[index % len(reporters)]
        report = _file(rng, reporter, posts, taken, blocked, rules, spec)
        if report is not None:
            opened.append(report)
    return DemoReports(open=opened, handled=handled)


@demo_part(order=70, name="moderation")
def demo_moderation(context: DemoContext) -> None:
    """Rules, terms, the `demo_moderator` account, open reports and one handled with a limit
    (see the module docstring)."""
    admin, demo = context.get("admin")[0], context.get("demo_user")[0]
    rules = _rules(admin)
    _terms(admin)
    moderator = _moderator(admin, demo)
    context.add("moderator", [moderator])
    if Report.objects.exists():
        context.log("demo: moderation rules and moderator ready; reports already filed")
        return
    made = _reports(context, moderator, demo, rules)
    context.add("reports", [*made.open, *([made.handled] if made.handled else [])])
    context.log(
        f"demo: {len(rules)} rules, @{MODERATOR_HANDLE}, {len(made.open)} open reports, "
        f"{int(made.handled is not None)} handled"
    )
