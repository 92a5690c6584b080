import pytest

import staffroom
from staffroom.accounts.selectors import site_configuration
from tests.factories import make_post


@pytest.mark.django_db
def test_well_known_nodeinfo_links_both_schema_versions(client):
    response = client.get("/.well-known/nodeinfo")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": "http://localhost:8000/nodeinfo/2.0",
            },
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                "href": "http://localhost:8000/nodeinfo/2.1",
            },
        ]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_nodeinfo_describes_software_usage_and_registrations(client, settings, ada, bo, version):
    make_post(ada, "one")
    make_post(bo, "two")
    make_post(bo, "only for you", visibility="direct")
    response = client.get(f"/nodeinfo/{version}")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        f'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/{version}#"'
    )
    body = response.json()
    assert body["version"] == version
    assert body["software"] == {"name": "staffroom", "version": staffroom.__version__}
    assert body["protocols"] == []
    assert body["usage"]["users"]["total"] == 2
    assert body["usage"]["localPosts"] == 2
    assert body["openRegistrations"] is True
    assert body["metadata"]["nodeName"] == settings.STAFFROOM_NAME


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "open_registrations"),
    [("open", True), ("approval", True), ("invitation", False), ("closed", False)],
)
def test_nodeinfo_open_registrations_follow_the_sign_up_setting(client, mode, open_registrations):
    config = site_configuration()
    config.registration_mode = mode
    config.save()
    assert client.get("/nodeinfo/2.1").json()["openRegistrations"] is open_registrations


@pytest.mark.django_db
def test_unknown_nodeinfo_versions_are_not_found(client):
    assert client.get("/nodeinfo/1.0").status_code == 404
    assert client.post("/nodeinfo/2.0").status_code == 405
