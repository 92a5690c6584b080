"""`staffroom token`: a token for scripts, from the one command-line application."""

import pytest
from django.core.management import CommandError, call_command

from staffroom.oauth.models import OAuthApplication
from tests.factories import make_user


@pytest.mark.django_db
def test_token_command_prints_only_a_working_token(client, capsys):
    make_user(handle="demo")
    call_command("token", "demo", "--scopes", "read write")
    out, err = capsys.readouterr()
    token = out.strip()
    assert "\n" not in token
    assert len(token) > 20
    assert "demo" in err
    response = client.get("/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    call_command("token", "@demo")
    assert OAuthApplication.objects.count() == 1  # one local application, reused


@pytest.mark.django_db
def test_token_command_refuses_unknown_handles_and_scopes():
    make_user(handle="demo")
    with pytest.raises(CommandError, match="No active local account"):
        call_command("token", "nobody")
    with pytest.raises(CommandError, match="unknown"):
        call_command("token", "demo", "--scopes", "read sudo")
