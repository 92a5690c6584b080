import pytest

from staffroom.posts.models import Visibility
from staffroom.posts.services import PostText, status_delete, status_edit
from staffroom.trends.links import link_card, links_in, normalize_url
from staffroom.trends.models import LINK_URL_MAX_LENGTH, StatusLink


def test_normalize_url_lowercases_the_host_and_drops_fragment_and_default_port():
    assert normalize_url("HTTPS://Example.ORG:443/Path/Page?q=1#top") == (
        "https://example.org/Path/Page?q=1"
    )
    assert normalize_url("http://example.org") == "http://example.org/"
    assert normalize_url("http://example.org:8080/a") == "http://example.org:8080/a"


def test_normalize_url_refuses_other_schemes_own_pages_and_long_urls(settings):
    settings.STAFFROOM_DOMAIN = "staff.example"
    assert normalize_url("mailto:someone@example.org") is None
    assert normalize_url("javascript:alert(1)") is None
    assert normalize_url("https://staff.example/@ada") is None
    assert normalize_url("https://[::1") is None
    assert normalize_url("https://example.org/" + "a" * LINK_URL_MAX_LENGTH) is None
    assert normalize_url("https://example.org/" + "é" * (LINK_URL_MAX_LENGTH // 2)) is None
    assert normalize_url("https://" + "a" * 254 + "/") is None


def test_links_in_skips_mentions_and_hashtags_and_repeats():
    content = (
        '<p><a href="https://staff.example/@ada" class="u-url mention">@ada</a> '
        '<a href="https://staff.example/tags/edchat" class="mention hashtag">#edchat</a> '
        '<a href="https://Blog.example/post#x">blog</a> '
        '<a href="https://blog.example/post">again</a> '
        '<a href="https://other.example/a">other</a></p>'
    )
    assert links_in(content) == ["https://blog.example/post", "https://other.example/a"]


def test_link_card_titles_the_last_path_segment():
    card = link_card("https://blog.example/posts/exit-tickets_that-work.html")
    assert (card.host, card.title) == ("blog.example", "Exit tickets that work")
    assert link_card("https://blog.example/").title == "blog.example"


@pytest.mark.django_db
def test_a_public_post_stores_its_links_and_an_edit_replaces_them(ada, post):
    status = post(ada, "Read https://blog.example/one and @nobody #edchat")
    assert list(StatusLink.objects.filter(status=status).values_list("link__url", flat=True)) == [
        "https://blog.example/one"
    ]
    status_edit(editor=ada, status=status, draft=PostText(text="Now https://blog.example/two"))
    assert list(StatusLink.objects.filter(status=status).values_list("link__url", flat=True)) == [
        "https://blog.example/two"
    ]


@pytest.mark.django_db
def test_a_private_post_stores_no_link(ada, post):
    status = post(ada, "Read https://blog.example/secret", visibility=Visibility.FOLLOWERS)
    assert not StatusLink.objects.filter(status=status).exists()


@pytest.mark.django_db
def test_a_deleted_post_takes_its_links_along(ada, post):
    status = post(ada, "Read https://blog.example/gone")
    status_delete(actor=ada, status=status)
    assert not StatusLink.objects.exists()
