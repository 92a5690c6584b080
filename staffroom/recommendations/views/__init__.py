"""Pages of suggestions ("Grow your PLN"), educators like a teacher, and starter packs (a
package: `grow`, `similar` and `packs`). Each view checks its input, calls the
recommendations selectors or services, and renders; every action is a POST form that works
without JavaScript."""

from staffroom.recommendations.views.grow import (
    grow,
    proposal_save,
    suggestion_dismiss,
    suggestion_undismiss,
)
from staffroom.recommendations.views.packs import (
    pack_create,
    pack_delete,
    pack_detail,
    pack_edit,
    pack_follow,
    pack_list,
)
from staffroom.recommendations.views.similar import similar

__all__ = [
    "grow",
    "pack_create",
    "pack_delete",
    "pack_detail",
    "pack_edit",
    "pack_follow",
    "pack_list",
    "proposal_save",
    "similar",
    "suggestion_dismiss",
    "suggestion_undismiss",
]
