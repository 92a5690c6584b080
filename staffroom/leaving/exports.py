"""The export parts of the foundation: account, profile, media and applications.

They live here because the leaving app came after those apps; a capability built later
puts its own parts in its app's `exports.py` (posts, follows and the Mastodon CSV files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from staffroom.leaving.export import ExportWriter, export_part
from staffroom.oauth.selectors import authorized_applications, owned_applications
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import profile_terms

if TYPE_CHECKING:
    from staffroom.accounts.models import User


def _profile(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).prefetch_related("terms").first()


@export_part(name="account", version=1, order=10)
def account_export(user: User, writer: ExportWriter) -> None:
    """`account.json`: the sign-in identity. Never the password hash."""
    profile = _profile(user)
    writer.write_json(
        "account.json",
        {
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "handle": profile.handle if profile else None,
            "uri": profile.uri if profile else None,
            "joined_at": user.date_joined,
            "approval": user.approval,
            "signup_reason": user.signup_reason,
        },
    )


@export_part(name="profile", version=1, order=20)
def profile_export(user: User, writer: ExportWriter) -> None:
    """`profile.json`: the public and professional profile, PLN goals and privacy flags."""
    profile = _profile(user)
    if profile is None:
        return
    writer.write_json("profile.json", profile_document(profile))


def profile_document(profile: Profile) -> dict[str, Any]:
    return {
        "handle": profile.handle,
        "display_name": profile.display_name,
        "bio": {"source": profile.note, "html": profile.note_html},
        "fields": profile.fields,
        "role": profile.role,
        "terms": profile_terms(profile),
        "experience_years": profile.experience_years,
        "mentorship": profile.mentorship or None,
        "timezone": profile.timezone,
        "goals": {
            "purposes": profile.goal_purposes,
            "interaction": profile.interaction_style or None,
            "learning": profile.learning_styles,
        },
        "privacy": {
            "locked": profile.is_locked,
            "discoverable": profile.is_discoverable,
            "indexable": profile.is_indexable,
            "hide_follows": profile.hide_follows,
            "away": profile.is_away,
        },
        "created_at": profile.created_at,
        "onboarded_at": profile.onboarded_at,
    }


@export_part(name="media", version=1, order=30)
def media_export(user: User, writer: ExportWriter) -> None:
    """`media/avatar.<ext>` and `media/header.<ext>`: the stored images, byte for byte."""
    profile = _profile(user)
    if profile is None:
        return
    for label, name in (("avatar", profile.avatar), ("header", profile.header)):
        if name:
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
            writer.copy_stored_file(f"media/{label}.{extension}", name)


@export_part(name="applications", version=1, order=40)
def applications_export(user: User, writer: ExportWriter) -> None:
    """`applications.json`: apps the teacher authorized and apps they made.

    Names, websites and scopes only: never a token, client secret or client id.
    """
    authorized = [
        {
            "name": item.application.name,
            "website": item.application.website,
            "scopes": item.scopes,
            "authorized_at": item.authorized_at,
            "last_used_at": item.last_used_at,
        }
        for item in authorized_applications(user=user)
    ]
    owned = [
        {
            "name": app.name,
            "website": app.website,
            "scopes": app.scopes.split(),
            "redirect_uris": app.redirect_uri_list(),
            "created_at": app.created,
        }
        for app in owned_applications(user=user)
    ]
    writer.write_json("applications.json", {"authorized": authorized, "owned": owned})
