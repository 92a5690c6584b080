"""The built-in searchable kinds; each module registers its kind when imported."""

from staffroom.search.kinds import accounts, hashtags, statuses

__all__ = ["accounts", "hashtags", "statuses"]
