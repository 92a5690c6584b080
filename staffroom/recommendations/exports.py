"""The suggestions export part: `suggestions.json`.

- `dismissed`: the accounts the teacher marked "not for me" (addresses, with the date);
- `starter_packs`: the packs the teacher curates, each with its title, description,
  subjects, grade bands and member addresses in the curator's order.

Nothing about anyone else's choices is in it; pack members are written as the pack holds
them, since the teacher chose them and the pack page shows them to anyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffroom.graph.exports import address_of
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.profiles.models import Profile
from staffroom.recommendations.models import Dismissal, StarterPack, StarterPackMember

if TYPE_CHECKING:
    from staffroom.accounts.models import User


@export_part(name="suggestions", version=1, order=260)
def suggestions_export(user: User, writer: ExportWriter) -> None:
    """`suggestions.json`: `dismissed` and `starter_packs` (see the module docstring)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    dismissed = [
        {"account": address_of(row.dismissed), "created_at": row.created_at}
        for row in Dismissal.objects.filter(profile=profile)
        .select_related("dismissed")
        .order_by("created_at", "pk")
    ]
    packs = []
    for pack in StarterPack.objects.filter(curator=profile).order_by("created_at", "pk"):
        members = StarterPackMember.objects.filter(pack=pack).select_related("profile")
        packs.append(
            {
                "title": pack.title,
                "description": pack.description,
                "subjects": pack.subjects,
                "grade_bands": pack.grade_bands,
                "accounts": [address_of(member.profile) for member in members],
                "created_at": pack.created_at,
            }
        )
    writer.write_json("suggestions.json", {"dismissed": dismissed, "starter_packs": packs})
