"""The accounts part of the demo community: the `demo` sign-in and a staffroom of teachers."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from staffroom.accounts.models import ApprovalState, User
from staffroom.accounts.services import account_create
from staffroom.core.demo import DemoContext, demo_part

FIRST_NAMES = (
    "Aisha", "Ben", "Carmen", "Dev", "Elena", "Farah", "Gabriel", "Hana", "Isaac", "Jia",
    "Kwame", "Lucia", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tess",
    "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego",
    "Esther", "Femi", "Grace", "Hugo", "Ines", "Jonah", "Keiko", "Leo", "Maya", "Niall",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Nguyen", "Garcia", "Patel", "Kowalski", "Haddad", "Schmidt", "Tanaka",
    "Mensah", "Rossi", "Silva", "Johansson", "Kim", "O'Brien", "Novak", "Diaz", "Mwangi",
    "Chen", "Dubois", "Ali", "Larsen", "Moreau", "Singh", "Baker", "Costa", "Yilmaz",
)  # fmt: skip
# Handles that reflect a purpose, as the brief suggests ("Teacherevolution").
HANDLE_THEMES = (
    "math", "science", "reads", "history", "art", "music", "pe", "ell", "sped", "stem",
    "coach", "library", "k2", "middle", "hs", "edtech", "inquiry", "sel", "phys", "chem",
)  # fmt: skip
TITLES = ("Ms.", "Mr.", "Mx.", "Dr.", "")


@dataclass(frozen=True)
class DemoTeacher:
    handle: str
    display_name: str


def _teacher(context: DemoContext, index: int, taken: set[str]) -> DemoTeacher:
    rng = context.rng
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    theme = rng.choice(HANDLE_THEMES)
    base = rng.choice(
        (f"{first}{theme}", f"{theme}_with_{first}", f"{first}_{last}", f"{last}{theme}")
    )
    handle = "".join(ch for ch in base if ch.isalnum() or ch == "_")[:26]
    while handle.lower() in taken:
        handle = f"{handle[:26]}{index}"
    taken.add(handle.lower())
    title = rng.choice(TITLES)
    display = f"{title} {last}" if title and rng.random() < 0.4 else f"{first} {last}"
    return DemoTeacher(handle=handle, display_name=display)


def _create(teacher: DemoTeacher, *, approval: str = ApprovalState.APPROVED) -> User:
    # No password here: hashing thousands of times with argon2 would take minutes, so every
    # demo account gets the one hash of the published password at the end.
    return account_create(
        email=f"{teacher.handle.lower()}@demo.staffroom.example",
        handle=teacher.handle,
        password=None,
        display_name=teacher.display_name,
        verified=True,
        approval=approval,
    )


def _create_teachers(context: DemoContext, taken: set[str]) -> tuple[list[User], list[int]]:
    """Approved teachers, plus the ids of every account made (pending sign-ups included)."""
    rng, count = context.rng, context.users
    pending = set(rng.sample(range(count), k=max(1, count // 20)))
    locked = set(rng.sample(range(count), k=max(1, count // 10)))
    hidden = set(rng.sample(range(count), k=max(1, count // 12)))
    teachers: list[User] = []
    created: list[int] = []
    for index in range(count):
        teacher = _teacher(context, index, taken)
        approval = ApprovalState.PENDING if index in pending else ApprovalState.APPROVED
        user = _create(teacher, approval=approval)
        created.append(user.pk)
        if index in locked or index in hidden:
            profile = user.profile
            profile.is_locked = index in locked
            profile.is_discoverable = index not in hidden
            profile.save(update_fields=["is_locked", "is_discoverable"])
        if index not in pending:
            teachers.append(user)
    return teachers, created


@demo_part(order=10, name="accounts")
def demo_accounts(context: DemoContext) -> None:
    """`demo` (a teacher to sign in as), `demo_admin` (staff), teachers and pending sign-ups.

    One in ten teachers is locked and one in twelve not discoverable, the way real people
    choose; one in twenty (at least one) is a sign-up waiting for an administrator.
    """
    demo = _create(DemoTeacher("demo", "Demo Teacher"))
    admin = account_create(
        email="demo_admin@demo.staffroom.example",
        handle="demo_admin",
        password=None,
        display_name="Demo Administrator",
        verified=True,
        is_staff=True,
        is_superuser=True,
    )
    teachers, created = _create_teachers(context, {"demo", "demo_admin"})
    User.objects.filter(pk__in=[demo.pk, admin.pk, *created]).update(
        password=make_password(settings.STAFFROOM_DEMO_PASSWORD)
    )
    context.add("demo_user", [demo])
    context.add("admin", [admin])
    context.add("teachers", teachers)
    context.log(f"demo: {len(teachers)} teachers, plus @demo and @demo_admin")
