"""The query parser: words, phrases, hashtags and an author, and nothing read as syntax."""

import pytest

from staffroom.search.engine.postgres import ts_query
from staffroom.search.engine.sqlite import fts_query
from staffroom.search.query import QUERY_MAX_LENGTH, TOKENS_MAX, parse_query

BAD_INPUT = [
    "co-teaching",
    "#edchat",
    "C++",
    '"',
    "*",
    "NEAR(",
    "AND OR NOT",
    "x" * 10_000,
    "inquiry\x00ratios",
    "\x00",
    "'; DROP TABLE posts_status; --",
    "1 OR 1=1",
    "body:secret",
    "^start",
    "a:b:c",
    "from:",
    "#",
    "@",
    "%_%",
    "\\",
    "((()))",
    "word*",
    '"unclosed phrase',
    "{x} -y +z",
]


def test_parse_query_reads_words_lower_case():
    query = parse_query("Inquiry  RATIOS")
    assert query.terms == ("inquiry", "ratios")
    assert query.phrases == ()
    assert not query.is_empty


def test_parse_query_reads_a_quoted_phrase():
    query = parse_query('math "number talks" today')
    assert query.terms == ("math", "today")
    assert query.phrases == ("number talks",)


def test_parse_query_reads_a_lone_quote_as_a_phrase_to_the_end():
    assert parse_query('"number talks').phrases == ("number talks",)
    assert parse_query('"').is_empty


def test_parse_query_reads_a_hyphenated_word_as_a_phrase_of_its_parts():
    query = parse_query("co-teaching")
    assert query.terms == ()
    assert query.phrases == ("co teaching",)


def test_parse_query_reads_hashtags_in_normal_form():
    query = parse_query("#EdChat #Café math")
    assert query.tags == ("edchat", "cafe")
    assert query.terms == ("math",)


def test_parse_query_reads_from_an_author():
    assert parse_query("from:ada ratios").from_handle == "ada"
    assert parse_query("from:@ada@example.org x").from_handle == "ada@example.org"
    assert parse_query("from:ada").is_empty is False
    assert parse_query("from:ada").has_words is False


def test_parse_query_reads_operators_as_words():
    assert parse_query("AND OR NOT").terms == ("and", "or", "not")
    assert parse_query("NEAR(").terms == ("near",)
    assert parse_query("C++").terms == ("c",)
    assert parse_query("*").is_empty


def test_parse_query_drops_nul_and_caps_length_and_tokens():
    assert parse_query("inquiry\x00ratios").terms == ("inquiry", "ratios")
    assert len(parse_query("x" * 10_000).text) == QUERY_MAX_LENGTH
    many = parse_query(" ".join(f"w{number}" for number in range(100)))
    assert len(many.terms) == TOKENS_MAX


@pytest.mark.parametrize("text", BAD_INPUT)
def test_parse_query_never_raises_and_engines_only_get_quoted_words(text):
    """SECURITY-PLAN Z-2."""
    query = parse_query(text)
    match = fts_query(query)
    for word in query.words:
        assert f'"{word}"' in match
    expression, params = ts_query(query)
    assert expression.count("%s") == len(query.words)
    assert params == list(query.words)


def test_fts_query_doubles_quotes_and_joins_any_word_with_or():
    query = parse_query("inquiry ratios")
    assert fts_query(query) == '"inquiry" "ratios"'
    assert fts_query(query, any_word=True) == '"inquiry" OR "ratios"'
