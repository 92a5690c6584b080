"""The deletion parts of the foundation: exports, applications and tokens.

Every other app puts its part in its own `deletions.py` (profiles, posts, graph, media).
"""

from __future__ import annotations

from django.db import transaction

from staffroom.accounts.models import User
from staffroom.leaving.deletion import deletion_part
from staffroom.leaving.services import export_files_delete
from staffroom.oauth.services import applications_delete_all, tokens_revoke_all


@deletion_part(name="exports", order=800)
def exports_delete(user: User) -> None:
    """Archives and their rows (a build still running finds its row gone and stops)."""
    export_files_delete(user_id=user.pk)


@deletion_part(name="applications", order=850)
def applications_delete(user: User) -> None:
    """Apps the teacher made (with every token they hold) and any token left over."""
    with transaction.atomic():
        applications_delete_all(user=user)
        tokens_revoke_all(user=user)
