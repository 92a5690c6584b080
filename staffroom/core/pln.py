"""The PLN vocabulary every capability shares (DESIGN.md, "Decisions every capability shares").

Every PLN addition to a Mastodon entity lives in one object named `pln`; the helpers here
build that object so all interfaces spell it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

PLN_KEY = "pln"


class Purpose(models.TextChoices):
    RESOURCES = "resources", _("Resources")
    PRACTICES = "practices", _("Best practices")
    INSPIRATION = "inspiration", _("Inspiration")
    SUPPORT = "support", _("Support")
    MENTORSHIP = "mentorship", _("Mentorship")


class InteractionStyle(models.TextChoices):
    RECIPROCAL = "reciprocal", _("A reciprocal relationship")
    QUIET = "quiet", _("Quietly following")


class Modality(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    LINK = "link", _("Link")
    DOCUMENT = "document", _("Document")
    RESOURCE = "resource", _("Resource")


class LearningStyle(models.TextChoices):
    VISUAL = "visual", _("Visual")
    AUDITORY = "auditory", _("Auditory")
    TEXTUAL = "textual", _("Textual")


# The brief's ways of learning, as the post modalities that serve each.
LEARNING_STYLE_MODALITIES: Mapping[str, frozenset[str]] = {
    LearningStyle.VISUAL: frozenset({Modality.IMAGE, Modality.VIDEO}),
    LearningStyle.AUDITORY: frozenset({Modality.AUDIO, Modality.VIDEO}),
    LearningStyle.TEXTUAL: frozenset({Modality.TEXT, Modality.LINK, Modality.DOCUMENT}),
}


class Mentorship(models.TextChoices):
    OFFERING = "offering", _("Offering mentorship")
    SEEKING = "seeking", _("Seeking a mentor")


class PlnVisibility(models.TextChoices):
    """Visibilities beyond Mastodon's enum; over the API they ride as `pln.visibility`."""

    CONNECTIONS = "connections", _("Connections only")
    COMMUNITY = "community", _("Community members")


def modalities_for_learning_styles(styles: list[str]) -> frozenset[str]:
    """The post modalities that serve a teacher's preferred ways of learning."""
    found: set[str] = set()
    for style in styles:
        found |= LEARNING_STYLE_MODALITIES.get(style, frozenset())
    return frozenset(found)


def with_pln(entity: dict[str, Any], extension: Mapping[str, Any]) -> dict[str, Any]:
    """Return `entity` with the PLN extension object attached under `pln`.

    Keys whose value is `None` are kept (clients can rely on the shape); keys are merged into
    an existing `pln` object rather than replacing it, so several builders can contribute.
    """
    merged = dict(entity.get(PLN_KEY) or {})
    merged.update(extension)
    return {**entity, PLN_KEY: merged}
