"""Teachers and posting for the notifications tests (the posts tests' fixtures)."""

from tests.posts.conftest import ada, bo, cy, post, stranger

__all__ = ["ada", "bo", "cy", "post", "stranger"]
