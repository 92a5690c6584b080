"""The index: kept in step by events, rebuilt by the command and after bulk loads, and open
to kinds registered by other apps."""

import io

import pytest
from django.core.management import CommandError, call_command

from staffroom.core.events import BulkLoaded, emit
from staffroom.posts.removal import status_remove
from staffroom.posts.services import reblog_create
from staffroom.profiles.professional import ProfessionalChanges, professional_update
from staffroom.search import engine
from staffroom.search.query import parse_query
from staffroom.search.registry import SearchKind, kind_named, register_kind, unregister_kind
from staffroom.search.selectors import search
from staffroom.search.services import index_rebuild
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db


def matches(kind, text):
    return [pk for pk, _ in engine.newest_matches(kind, parse_query(text), limit=100)]


def test_the_rebuild_command_fills_the_index_again():
    ada = make_profile("ada", display_name="Ada Zephyrine")
    status = make_post(ada, "zephyrine lesson")
    engine.clear("statuses")
    engine.clear("accounts")
    assert matches("statuses", "zephyrine") == []
    out = io.StringIO()
    call_command("search_rebuild", "--batch", "1", stdout=out)
    assert matches("statuses", "zephyrine") == [status.pk]
    assert matches("accounts", "zephyrine") == [ada.pk]
    assert "statuses: 1 indexed" in out.getvalue()
    assert "statuses: 1 documents in" in out.getvalue()


def test_the_rebuild_command_rejects_an_unknown_kind():
    with pytest.raises(CommandError, match="not indexed kinds: hashtags"):
        call_command("search_rebuild", "hashtags")


def test_a_rebuild_leaves_out_reshares_and_removed_posts():
    ada, bo = make_profile("ada"), make_profile("bo")
    kept = make_post(ada, "zephyrine kept")
    reshare = reblog_create(actor=bo, status=kept)
    status_remove(status=make_post(ada, "zephyrine removed"))
    assert index_rebuild("statuses") == 1
    assert matches("statuses", "zephyrine") == [kept.pk]
    assert reshare.pk != kept.pk


def test_a_bulk_load_rebuilds_the_kinds_it_names():
    status = make_post(make_profile("ada"), "zephyrine lesson")
    engine.clear("statuses")
    emit(BulkLoaded(models=frozenset({"graph.Follow"})))
    assert matches("statuses", "zephyrine") == []
    emit(BulkLoaded(models=frozenset({"posts.Status"})))
    assert matches("statuses", "zephyrine") == [status.pk]


def test_the_demo_leaves_a_searchable_index():
    call_command("demo", "--users", "12", "--seed", "5", stdout=io.StringIO())
    demo = make_profile("viewer")
    results = search(demo, "math teacher students")
    assert results.accounts


def test_professional_changes_reindex_the_account():
    ada = make_profile("ada")
    professional_update(
        profile=ada, changes=ProfessionalChanges(practices=["inquiry-based-learning"])
    )
    assert matches("accounts", "inquiry") == [ada.pk]


def test_a_new_kind_registers_itself_without_touching_the_search_module():
    def communities(viewer, query, options):
        return [f"community about {word}" for word in query.terms][: options.limit]

    register_kind(SearchKind(name="communities", search=communities, order=50))
    try:
        results = search(None, "ratios", kinds=["communities"])
        assert results.by_kind == {"communities": ["community about ratios"]}
        assert "communities" in search(None, "ratios").by_kind
        assert kind_named("communities") is not None
    finally:
        unregister_kind("communities")
