"""One account and every way sign-in accepts it, for the throttling tests of the web form
and of OAuth's password grant."""

from __future__ import annotations

from staffroom.accounts.models import User
from tests.factories import make_user

WRONG = "not the password"

# Every way sign-in accepts the same account: handle in any case, `@handle`, the e-mail
# address in any case, and any of them with surrounding spaces.
SPELLINGS = [
    "casey",
    "CASEY",
    "@casey",
    "@Casey",
    "casey@school.example",
    "CASEY@School.EXAMPLE",
    "  casey  ",
    " casey@school.example ",
]


def make_casey() -> User:
    return make_user(handle="casey", email="casey@school.example")
