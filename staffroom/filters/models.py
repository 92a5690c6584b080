"""A teacher's filters (Mastodon's CustomFilter): a title, the contexts it applies in, an
optional expiry, what to do with a match (warn or hide), and what matches: keywords
(`FilterKeyword`) and single posts (`FilterStatus`). How posts are matched is in
`selectors.py`; docs/subsystems/filters.md tells the whole story."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from staffroom.core.fields import SnowflakeIdField
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

# Limits (Mastodon has none this tight on keywords; a filter with thousands of keywords is a
# regular expression nobody should have to run on every post).
FILTERS_MAX = 100
KEYWORDS_MAX = 1_000
STATUSES_MAX = 1_000
TITLE_MAX_LENGTH = 256
KEYWORD_MAX_LENGTH = 512


class FilterContext(models.TextChoices):
    HOME = "home", "Home and lists"
    NOTIFICATIONS = "notifications", "Notifications"
    PUBLIC = "public", "Public timelines"
    THREAD = "thread", "Conversations"
    ACCOUNT = "account", "Profiles"


class FilterAction(models.TextChoices):
    WARN = "warn", "Hide behind a warning"
    HIDE = "hide", "Hide completely"
    BLUR = "blur", "Hide media behind a warning"


CONTEXTS = tuple(choice.value for choice in FilterContext)


class Filter(models.Model):
    """One of `account`'s filters. `context` is a list of FilterContext values (never
    empty); `expires_at` None never expires."""

    id = SnowflakeIdField()
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    context = models.JSONField(default=list)
    expires_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(max_length=8, choices=FilterAction.choices, default=FilterAction.WARN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["account", "id"], name="filters_account")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.title}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class FilterKeyword(models.Model):
    """A word or phrase of a filter; `whole_word` matches it only between word boundaries."""

    id = SnowflakeIdField()
    filter = models.ForeignKey(Filter, on_delete=models.CASCADE, related_name="keywords")
    keyword = models.CharField(max_length=KEYWORD_MAX_LENGTH)
    whole_word = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.keyword


class FilterStatus(models.Model):
    """One post a filter matches whatever its words (and the reshares of it)."""

    id = SnowflakeIdField()
    filter = models.ForeignKey(Filter, on_delete=models.CASCADE, related_name="statuses")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filter", "status"], name="filters_status_unique")
        ]

    def __str__(self) -> str:
        return f"{self.filter_id} filters {self.status_id}"
