"""Pages of profiles: onboarding, the profile page, editing, goals, privacy, the directory.

Each view checks its form, calls the profile services or selectors, and renders; the
services raise DomainError with a message written for the teacher, shown on the page with
the error's status (422 for bad input, 413 for an image with too many bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import DomainError
from staffroom.core.images import delete_stored_image, media_url
from staffroom.core.pln import Mentorship
from staffroom.graph import views as graph_views
from staffroom.graph.selectors import endorsed_by
from staffroom.hashtags.selectors import featured_tags_with_uses
from staffroom.posts import views as post_views
from staffroom.profiles import taxonomy
from staffroom.profiles.completeness import profile_completeness
from staffroom.profiles.forms import (
    INTERACTION_HELP,
    LEARNING_HELP,
    LINK_COUNT,
    PURPOSE_HELP,
    GoalsForm,
    PracticeForm,
    PrivacyForm,
    ProfileForm,
    checkbox_groups,
)
from staffroom.profiles.models import Profile, TermKind
from staffroom.profiles.professional import (
    goals_update,
    onboarding_complete,
    privacy_update,
    professional_update,
    profile_terms,
)
from staffroom.profiles.selectors import (
    DirectoryFilters,
    directory_filtered,
    own_profile,
)
from staffroom.profiles.services import profile_update
from staffroom.profiles.viewer import viewer_profile
from staffroom.web.lookup import local_profile_or_404

DEFAULT_AVATAR = "web/default-avatar.png"
DEFAULT_HEADER = "web/default-header.png"
DIRECTORY_PAGE_SIZE = 20
DIRECTORY_MAX_OFFSET = 10_000


def _settings_context(section: str, **extra: Any) -> dict[str, Any]:
    return {"sections": settings_sections(), "current_section": section, **extra}


def _error(form: Any, error: DomainError) -> int:
    """Show the service's message on the form; returns the status to answer with."""
    # The services word errors for the API too ("Validation failed: ..."); the page
    # already says nothing was saved, so the prefix goes.
    message = error.message.removeprefix(_("Validation failed: ")).removeprefix(
        "Validation failed: "
    )
    form.add_error(None, message[:1].upper() + message[1:])
    return error.status_code


def _submit(
    request: HttpRequest, form: Any, save: Callable[[], HttpResponse]
) -> tuple[HttpResponse | None, int]:
    """Run `save` for a valid POST and return its response; otherwise the status to render
    the form with (200 for a GET, 422 for invalid input, the service's status on a
    DomainError, whose message is shown on the form)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 422
    try:
        return save(), 200
    except DomainError as error:
        return None, _error(form, error)


# --- How a profile is shown --------------------------------------------------------------


def _chips(kind: str, slugs: list[str], terms: Any) -> list[dict[str, str]]:
    return [{"kind": kind, "slug": slug, "label": taxonomy.label_of(terms, slug)} for slug in slugs]


def profile_display(profile: Profile) -> dict[str, Any]:
    """What the profile page and the directory cards show, with taxonomy labels."""
    terms = profile_terms(profile)
    mentorship = dict(Mentorship.choices).get(profile.mentorship, "")
    bands = [
        {"kind": "grade", "slug": band, "label": str(taxonomy.BANDS[band][0])}
        for band in taxonomy.bands_of(terms[TermKind.GRADE])
    ]
    return {
        "profile": profile,
        "name": profile.name_for_display,
        "address": f"@{profile.handle}@{profile.domain or settings.STAFFROOM_DOMAIN}",
        # Remote educators (federation) have their page on their own server.
        "url": reverse("profiles:profile-detail", args=[profile.handle])
        if profile.is_local
        else profile.uri,
        "avatar_url": media_url(profile.avatar) if profile.avatar else static(DEFAULT_AVATAR),
        "header_url": media_url(profile.header) if profile.header else static(DEFAULT_HEADER),
        "role": taxonomy.label_of(taxonomy.ROLES, profile.role) if profile.role else "",
        "subjects": _chips("subject", terms[TermKind.SUBJECT], taxonomy.SUBJECTS),
        "grades": _chips("grade", terms[TermKind.GRADE], taxonomy.GRADES),
        "bands": bands,
        "practices": _chips("practice", terms[TermKind.PRACTICE], taxonomy.PRACTICES),
        "languages": _chips("language", terms[TermKind.LANGUAGE], taxonomy.LANGUAGES),
        "tags": terms[TermKind.TAG],
        "mentorship": mentorship,
    }


# --- Onboarding ----------------------------------------------------------------------------


def _skip(profile: Profile) -> HttpResponse:
    onboarding_complete(profile=profile)
    return redirect("profiles:directory-list")


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_goals(request: HttpRequest) -> HttpResponse:
    """Step 1: what the teacher wants from a PLN. "Skip for now" ends onboarding."""
    profile = own_profile(request, with_terms=True)
    if request.method == "POST" and "skip" in request.POST:
        return _skip(profile)
    form = GoalsForm(request.POST or None, initial=_goals_initial(profile))

    def save() -> HttpResponse:
        goals_update(profile=profile, **form.cleaned_data)
        return redirect("profiles:onboarding-practice")

    done, status = _submit(request, form, save)
    if done is not None:
        return done
    context = {"form": form, "step": 1, **_goals_context(form)}
    return render(request, "profiles/onboarding_goals.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_practice(request: HttpRequest) -> HttpResponse:
    """Step 2: role, subjects, grades, practices; then "Grow your PLN", whose suggestions
    and starter packs use them at once (and link to the directory, filtered by them)."""
    profile = own_profile(request, with_terms=True)
    if request.method == "POST" and "skip" in request.POST:
        return _skip(profile)
    form = PracticeForm(request.POST or None, initial=_practice_initial(profile))

    def save() -> HttpResponse:
        updated = professional_update(profile=profile, changes=form.changes())
        onboarding_complete(profile=updated)
        return redirect("recommendations:grow")

    done, status = _submit(request, form, save)
    if done is not None:
        return done
    context = {"form": form, "step": 2, **checkbox_groups(form)}
    return render(request, "profiles/onboarding_practice.html", context, status=status)


def _goals_initial(profile: Profile) -> dict[str, Any]:
    return {
        "purposes": profile.goal_purposes,
        "interaction": profile.interaction_style,
        "learning": profile.learning_styles,
    }


def _goals_context(form: GoalsForm) -> dict[str, Any]:
    """The form's choices with the sentence that explains each, for the template."""

    def options(name: str, help_texts: Any) -> list[dict[str, Any]]:
        value = form[name].value()
        chosen = [value] if isinstance(value, str) else list(value or [])
        return [
            {"value": value, "label": label, "help": help_texts.get(value, ""),
             "checked": value in chosen, "id": f"id_{name}_{value or 'none'}"}
            for value, label in form.fields[name].choices  # type: ignore[attr-defined]
        ]  # fmt: skip

    return {
        "purpose_options": options("purposes", PURPOSE_HELP),
        "interaction_options": options("interaction", INTERACTION_HELP),
        "learning_options": options("learning", LEARNING_HELP),
    }


def _practice_initial(profile: Profile) -> dict[str, Any]:
    terms = profile_terms(profile)
    return {
        "role": profile.role,
        "subjects": terms[TermKind.SUBJECT],
        "grades": terms[TermKind.GRADE],
        "practices": terms[TermKind.PRACTICE],
    }


# --- The profile page ----------------------------------------------------------------------


@require_GET
def profile_detail(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle`: a local teacher's public profile with their posts as the viewer may see
    them (pinned first, then newest first, paged); 404 for unknown or hidden accounts."""
    return _profile_page(request, handle, tab="posts")


@require_GET
def profile_media(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/media`: the profile's Media tab, a grid of the attachments on their posts
    that the viewer may see, each linking to its post."""
    return _profile_page(request, handle, tab="media")


RECOMMENDED_SHOWN = 12  # "Recommended colleagues" on a profile: its latest endorsements


def _recommended(profile: Profile, viewer: Profile | None) -> list[dict[str, Any]]:
    """The accounts `profile` endorses, as `viewer` may see them (graph's rules)."""
    people = [
        edge.profile
        for edge in endorsed_by(profile=profile, viewer=viewer, limit=RECOMMENDED_SHOWN)
    ]
    prefetch_related_objects(people, "terms")
    return [profile_display(person) for person in people]


def _profile_page(request: HttpRequest, handle: str, *, tab: str) -> HttpResponse:
    profile = local_profile_or_404(handle, request.user)
    is_owner = request.user.is_authenticated and profile.user_id == request.user.pk
    viewer = viewer_profile(request)
    listing = post_views.profile_media if tab == "media" else post_views.profile_posts
    context = {
        "profile": profile,
        "card": profile_display(profile),
        "is_owner": is_owner,
        "tab": tab,
        "next": request.get_full_path(),
        **listing(request, profile, viewer),
        "featured_tags": featured_tags_with_uses(profile),
        "recommended": _recommended(profile, viewer),
    }
    if not is_owner:  # the follow control (graph): the viewer's relationship, in one batch
        context["rel"] = graph_views.relationships_by_id(viewer, [profile]).get(profile.pk)
        context.update(graph_views.control_options(viewer))
    return render(request, "profiles/profile_detail.html", context)


# --- Settings: profile, goals, privacy -----------------------------------------------------


def _profile_initial(profile: Profile) -> dict[str, Any]:
    terms = profile_terms(profile)
    initial: dict[str, Any] = {
        **_practice_initial(profile),
        "display_name": profile.display_name,
        "note": profile.note,
        "tags": ", ".join(terms[TermKind.TAG]),
        "experience_years": profile.experience_years,
        "mentorship": profile.mentorship,
        "languages": terms[TermKind.LANGUAGE],
        "timezone": profile.timezone,
    }
    for number, item in enumerate(profile.fields[:LINK_COUNT]):
        initial[f"link_name_{number}"] = item.get("name", "")
        initial[f"link_value_{number}"] = item.get("value", "")
    return initial


def _profile_save(profile: Profile, form: ProfileForm) -> None:
    """One transaction: the text and images, then the professional profile.

    profile_update stores new images before its own transaction and removes them if its
    save fails; if professional_update fails after it, the new files are removed here, and
    the images they were to replace stay (their deletion waits for the commit).
    """
    avatar, header = form.upload("avatar"), form.upload("header")
    with transaction.atomic():
        updated = profile_update(
            profile=profile,
            display_name=form.cleaned_data["display_name"],
            note=form.cleaned_data["note"],
            fields=form.links(),
            avatar=avatar,
            header=header,
        )
        try:
            professional_update(profile=updated, changes=form.changes())
        except BaseException:
            for name, upload in ((updated.avatar, avatar), (updated.header, header)):
                if upload is not None and name:
                    delete_stored_image(name)
            raise


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """`/settings/profile`: the whole profile in one form, saved all or nothing."""
    profile = own_profile(request, with_terms=True)
    form = ProfileForm(
        request.POST or None, request.FILES or None, initial=_profile_initial(profile)
    )

    def save() -> HttpResponse:
        _profile_save(profile, form)
        messages.success(request, _("Your profile is saved."))
        return redirect("profiles:profile-edit")

    done, status = _submit(request, form, save)
    if done is not None:
        return done
    profile = own_profile(request, with_terms=True)
    context = _settings_context(
        "profile",
        form=form,
        profile=profile,
        card=profile_display(profile),
        completeness=profile_completeness(profile),
        link_rows=[(form[f"link_name_{n}"], form[f"link_value_{n}"]) for n in range(LINK_COUNT)],
        **checkbox_groups(form),
    )
    return render(request, "profiles/settings_profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def goals_edit(request: HttpRequest) -> HttpResponse:
    """`/settings/goals`: the same questions as onboarding step 1."""
    profile = own_profile(request, with_terms=True)
    form = GoalsForm(request.POST or None, initial=_goals_initial(profile))

    def save() -> HttpResponse:
        goals_update(profile=profile, **form.cleaned_data)
        messages.success(request, _("Your PLN goals are saved."))
        return redirect("profiles:goals-edit")

    done, status = _submit(request, form, save)
    if done is not None:
        return done
    context = _settings_context("goals", form=form, **_goals_context(form))
    return render(request, "profiles/settings_goals.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def privacy_edit(request: HttpRequest) -> HttpResponse:
    """`/settings/privacy`: locked, discoverable, indexable, hidden follows, away."""
    profile = own_profile(request, with_terms=True)
    initial = {name: getattr(profile, name) for name in PrivacyForm.base_fields}
    form = PrivacyForm(request.POST or None, initial=initial)

    def save() -> HttpResponse:
        privacy_update(profile=profile, **form.cleaned_data)
        messages.success(request, _("Your privacy settings are saved."))
        return redirect("profiles:privacy-edit")

    done, status = _submit(request, form, save)
    if done is not None:
        return done
    context = _settings_context("privacy", form=form)
    return render(request, "profiles/settings_privacy.html", context, status=status)


# --- The directory -------------------------------------------------------------------------

_FILTER_VALUES: dict[str, frozenset[str]] = {
    "subject": taxonomy.SUBJECT_SLUGS,
    "grade": taxonomy.GRADE_SLUGS | frozenset(taxonomy.BANDS),
    "role": taxonomy.ROLE_SLUGS,
    "practice": taxonomy.PRACTICE_SLUGS,
    "language": taxonomy.LANGUAGE_SLUGS,
}


def _offset(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        return 0
    return min(max(value, 0), DIRECTORY_MAX_OFFSET)


def _page_url(filters: dict[str, str], offset: int) -> str:
    query = {key: value for key, value in filters.items() if value}
    if offset:
        query["offset"] = str(offset)
    return f"{reverse('profiles:directory-list')}?{urlencode(query)}"


@require_GET
def directory_list(request: HttpRequest) -> HttpResponse:
    """`/directory`: discoverable, present educators, filtered by the GET form.

    Unknown filter values give an empty list and a note, never an error.
    """
    raw = {key: request.GET.get(key, "").strip()[:100] for key in (*_FILTER_VALUES, "q")}
    unknown = [key for key in _FILTER_VALUES if raw[key] and raw[key] not in _FILTER_VALUES[key]]
    offset = _offset(request.GET.get("offset", "0"))
    profiles: list[Profile] = []
    if not unknown:
        filters = DirectoryFilters(
            subject=raw["subject"], grade=raw["grade"], role=raw["role"],
            practice=raw["practice"], language=raw["language"], query=raw["q"],
        )  # fmt: skip
        profiles = directory_filtered(
            filters, offset=offset, limit=DIRECTORY_PAGE_SIZE + 1, viewer=request.user
        )
    has_next = len(profiles) > DIRECTORY_PAGE_SIZE
    profiles = profiles[:DIRECTORY_PAGE_SIZE]
    # The follow control on each card: one relationships() batch for the whole page.
    viewer = viewer_profile(request)
    rels = graph_views.relationships_by_id(viewer, profiles)
    context = {
        "filters": raw,
        "is_filtered": any(raw.values()),
        "unknown": unknown,
        "cards": [{**profile_display(p), "rel": rels.get(p.pk)} for p in profiles],
        "offset": offset,
        "next_url": _page_url(raw, offset + DIRECTORY_PAGE_SIZE) if has_next else "",
        "previous_url": _page_url(raw, max(offset - DIRECTORY_PAGE_SIZE, 0)) if offset else "",
        "taxonomy": taxonomy,
        "band_choices": [(slug, label) for slug, (label, _members) in taxonomy.BANDS.items()],
        "next": request.get_full_path(),
        **(graph_views.control_options(viewer) if profiles else {}),
    }
    template = "profiles/directory.html"
    if getattr(request, "htmx", False):
        template = "profiles/_directory_results.html"
    return render(request, template, context)
