from staffroom.search.highlight import highlight
from staffroom.search.query import parse_query


def test_highlight_marks_every_match_and_escapes_html():
    shown = highlight("<b>Inquiry</b> & ratios: inquiry again", parse_query("inquiry"))
    assert str(shown) == (
        "&lt;b&gt;<mark>Inquiry</mark>&lt;/b&gt; &amp; ratios: <mark>inquiry</mark> again"
    )


def test_highlight_marks_a_phrase_across_punctuation():
    shown = highlight("We tried co-teaching this term", parse_query("co-teaching"))
    assert "<mark>co-teaching</mark>" in shown


def test_highlight_cuts_around_the_first_match():
    text = "filler " * 100 + "the ratios word " + "tail " * 100
    shown = str(highlight(text, parse_query("ratios"), length=60))
    assert shown.startswith("…")
    assert shown.endswith("…")
    assert "<mark>ratios</mark>" in shown
    assert len(shown) < 120


def test_highlight_without_a_match_shows_the_start():
    shown = str(highlight("a <script>x</script> post", parse_query("absent"), length=240))
    assert shown == "a &lt;script&gt;x&lt;/script&gt; post"


def test_highlight_matches_whole_words_only():
    assert "<mark>" not in highlight("ratiosity", parse_query("ratios"))
