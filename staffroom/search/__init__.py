"""Search: people, posts and hashtags (and any kind that registers itself), one function."""
