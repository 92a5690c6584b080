import pytest
from django.core.management import call_command

from staffroom.trends.models import Trend


@pytest.mark.django_db
def test_trends_refresh_command_says_what_it_found(teachers, post, capsys):
    for teacher in teachers[:3]:
        post(teacher, "Hi #edchat")
    call_command("trends_refresh")
    assert capsys.readouterr().out.strip() == ("trend candidates: 1 hashtags, 0 links, 0 posts")
    assert Trend.objects.get().tag is not None
