"""The feeds tests use the posts tests' teachers (ada, bo, cy, stranger) and `post`."""

from tests.posts.conftest import ada, bo, cy, post, stranger

__all__ = ["ada", "bo", "cy", "post", "stranger"]
