"""What is trending, computed every few minutes (`trends.refresh`), and the review state of
the links and posts that may trend (a hashtag's review is on `posts.Tag`).

`Trend` rows are candidates: items that enough distinct accounts used in the last days
(the floor). Whether a candidate is shown depends on its review, read when a list is
asked for, so a moderator's decision applies at once, without waiting for the next run.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from staffroom.posts.models import Status, Tag
from staffroom.profiles.models import Profile

LINK_URL_MAX_LENGTH = 1000
LINK_HOST_MAX_LENGTH = 255
LINK_TITLE_MAX_LENGTH = 200


class TrendKind(models.TextChoices):
    TAG = "tag", _("Hashtag")
    STATUS = "status", _("Post")
    LINK = "link", _("Link")


class Link(models.Model):
    """An external link found in public posts, normalised (`trends.links`): its card is
    the URL, the host as provider and a title made from the path; no page is fetched.
    `trendable` is a moderator's review, as on `posts.Tag`."""

    url = models.CharField(max_length=LINK_URL_MAX_LENGTH, unique=True)
    host = models.CharField(max_length=LINK_HOST_MAX_LENGTH)
    title = models.CharField(max_length=LINK_TITLE_MAX_LENGTH, blank=True, default="")
    trendable = models.BooleanField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    requested_review_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url


class StatusLink(models.Model):
    """A link a post carries; `created_at` is the post's, so a window reads one table."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="status_links")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "link"], name="trends_status_link_unique")
        ]
        indexes = [models.Index(fields=["created_at"], name="trends_status_link_created")]

    def __str__(self) -> str:
        return f"{self.link_id} in {self.status_id}"


class StatusReview(models.Model):
    """A moderator's review of a post as a trend (None: not reviewed yet)."""

    status = models.OneToOneField(
        Status, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    trendable = models.BooleanField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    requested_review_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"review of {self.status_id}"


class AuthorReview(models.Model):
    """A moderator's word on an author: True lets their posts trend without a review of
    each, False keeps every one of them out."""

    account = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    trendable = models.BooleanField()
    reviewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"trend review of {self.account_id}"


class Trend(models.Model):
    """One candidate of the last computation: its score, the distinct accounts that used
    it over the window, and its `history` (Mastodon's: newest day first, each
    `{"day": unix time of the UTC midnight, "uses": n, "accounts": n}` as strings)."""

    kind = models.CharField(max_length=8, choices=TrendKind.choices)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.ForeignKey(
        Status, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    link = models.ForeignKey(
        Link, on_delete=models.CASCADE, null=True, blank=True, related_name="trends"
    )
    score = models.FloatField()
    accounts = models.PositiveIntegerField()
    uses = models.PositiveIntegerField()
    history = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=TrendKind.TAG, tag__isnull=False, status=None, link=None)
                    | models.Q(kind=TrendKind.STATUS, status__isnull=False, tag=None, link=None)
                    | models.Q(kind=TrendKind.LINK, link__isnull=False, tag=None, status=None)
                ),
                name="trends_trend_one_object",
            ),
        ]
        indexes = [models.Index(fields=["kind", "-score"], name="trends_trend_kind_score")]

    def __str__(self) -> str:
        return f"{self.kind} {self.score:.2f}"
