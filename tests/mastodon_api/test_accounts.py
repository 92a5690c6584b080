"""`/api/v1/accounts`: own account, editing it (JSON, form, multipart), lookup, search, by id."""

import io
from urllib.parse import urlencode, urlsplit

import pytest
from django.test.client import encode_multipart
from PIL import Image

from staffroom.accounts.models import ApprovalState
from staffroom.oauth.services import personal_token_create
from staffroom.profiles.models import Profile
from tests.factories import make_remote_profile, make_user

BOUNDARY = "BoUnDaRyStRiNg"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
FORM = "application/x-www-form-urlencoded"

ACCOUNT_KEYS = {
    "id": str,
    "username": str,
    "acct": str,
    "url": str,
    "uri": str,
    "display_name": str,
    "note": str,
    "avatar": str,
    "avatar_static": str,
    "header": str,
    "header_static": str,
    "locked": bool,
    "fields": list,
    "emojis": list,
    "bot": bool,
    "group": bool,
    "discoverable": bool,
    "indexable": bool,
    "noindex": bool,
    "hide_collections": bool,
    "roles": list,
    "created_at": str,
    "last_status_at": type(None),
    "statuses_count": int,
    "followers_count": int,
    "following_count": int,
    "pln": dict,
}
PLN_KEYS = {
    "role",
    "subjects",
    "grades",
    "grade_bands",
    "practices",
    "tags",
    "experience_years",
    "mentorship",
    "away",
}


def bearer(user, scopes="read write"):
    raw = personal_token_create(user=user, scopes=scopes).raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def png_bytes(size=(64, 64), color=(20, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


def assert_account_shape(entity):
    for key, kind in ACCOUNT_KEYS.items():
        assert key in entity, key
        assert isinstance(entity[key], kind), (key, entity[key])
    assert set(entity["pln"]) >= PLN_KEYS
    assert entity["pln"]["away"] is False
    assert entity["id"].isdigit()
    assert entity["created_at"].endswith("T00:00:00.000Z")
    for url in ("url", "uri", "avatar", "avatar_static", "header", "header_static"):
        assert urlsplit(entity[url]).scheme in {"http", "https"}, url


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ana(db):
    return make_user(handle="Ana", display_name="Ana Lima")


# --- verify_credentials ------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_credentials_returns_the_credential_account(client, ana):
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(ana))
    assert response.status_code == 200, response.content
    body = response.json()
    assert_account_shape(body)
    assert body["id"] == str(ana.profile.pk)
    assert body["username"] == "Ana"
    assert body["acct"] == "Ana"
    assert body["display_name"] == "Ana Lima"
    assert body["url"] == "http://localhost:8000/@Ana"
    assert body["uri"] == "http://localhost:8000/users/Ana"
    assert body["avatar"] == "http://localhost:8000/static/web/default-avatar.png"
    assert body["header"] == "http://localhost:8000/static/web/default-header.png"
    assert body["note"] == ""
    assert body["source"] == {
        "privacy": "public",
        "sensitive": False,
        "language": "",
        "note": "",
        "fields": [],
        "follow_requests_count": 0,
        "discoverable": True,
        "indexable": True,
        "hide_collections": False,
    }
    assert set(body["role"]) == {"id", "name", "color", "permissions", "highlighted"}
    assert body["role"]["highlighted"] is False
    assert body["pln"]["goals"] == {"purposes": [], "interaction": None, "learning": []}


@pytest.mark.django_db
def test_verify_credentials_gives_staff_an_admin_role(client):
    admin = make_user(handle="head", is_staff=True)
    body = client.get("/api/v1/accounts/verify_credentials", **bearer(admin)).json()
    assert body["role"]["name"] == "Admin"
    assert body["roles"] == [{"id": body["role"]["id"], "name": "Admin", "color": ""}]


@pytest.mark.django_db
@pytest.mark.parametrize("scopes", ["profile", "read:accounts", "read"])
def test_verify_credentials_accepts_profile_or_read_accounts(client, ana, scopes):
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(ana, scopes))
    assert response.status_code == 200


@pytest.mark.django_db
def test_verify_credentials_refuses_other_scopes(client, ana):
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(ana, "write"))
    assert response.status_code == 403
    assert "error" in response.json()


@pytest.mark.django_db
def test_verify_credentials_without_token_is_401(client):
    response = client.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


@pytest.mark.django_db
def test_verify_credentials_accepts_a_trailing_slash(client, ana):
    response = client.get("/api/v1/accounts/verify_credentials/", **bearer(ana))
    assert response.status_code == 200
    assert response.json()["username"] == "Ana"


# --- update_credentials ------------------------------------------------------------------


@pytest.mark.django_db
def test_update_credentials_with_json(client, ana):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data={
            "display_name": "Ms. Lima",
            "note": "Grade 7 math.\n\nInquiry & <b>play</b>.",
            "locked": True,
            "discoverable": False,
            "fields_attributes": [
                {"name": "Subject", "value": "Math <3"},
                {"name": "School", "value": "Riverside"},
            ],
        },
        content_type="application/json",
        **bearer(ana),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Ms. Lima"
    assert body["note"] == "<p>Grade 7 math.</p>\n<p>Inquiry &amp; &lt;b&gt;play&lt;/b&gt;.</p>"
    assert body["locked"] is True
    assert body["discoverable"] is False
    assert body["fields"] == [
        {"name": "Subject", "value": "Math &lt;3", "verified_at": None},
        {"name": "School", "value": "Riverside", "verified_at": None},
    ]
    assert body["source"]["note"] == "Grade 7 math.\n\nInquiry & <b>play</b>."
    assert body["source"]["fields"][0] == {
        "name": "Subject",
        "value": "Math <3",
        "verified_at": None,
    }
    profile = Profile.objects.get(pk=ana.profile.pk)
    assert profile.is_locked
    assert not profile.is_discoverable
    assert profile.fields == [
        {"name": "Subject", "value": "Math <3"},
        {"name": "School", "value": "Riverside"},
    ]


@pytest.mark.django_db
def test_update_credentials_with_a_form_encoded_patch_as_mastodon_py_sends_it(client, ana):
    body = urlencode(
        {
            "display_name": "Ana L.",
            "locked": "True",
            "discoverable": "0",
            "fields_attributes[0][name]": "Subject",
            "fields_attributes[0][value]": "Science",
            "fields_attributes[1][name]": "Pronouns",
            "fields_attributes[1][value]": "she/her",
        }
    )
    response = client.patch(
        "/api/v1/accounts/update_credentials", data=body, content_type=FORM, **bearer(ana)
    )
    assert response.status_code == 200, response.content
    account = response.json()
    assert account["display_name"] == "Ana L."
    assert account["locked"] is True
    assert account["discoverable"] is False
    assert [(f["name"], f["value"]) for f in account["fields"]] == [
        ("Subject", "Science"),
        ("Pronouns", "she/her"),
    ]


@pytest.mark.django_db
def test_update_credentials_accepts_fields_as_an_indexed_object(client, ana):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data={"fields_attributes": {"1": {"name": "B", "value": "2"}, "0": {"name": "A"}}},
        content_type="application/json",
        **bearer(ana),
    )
    assert response.status_code == 200, response.content
    assert [f["name"] for f in response.json()["fields"]] == ["A", "B"]


@pytest.mark.django_db
def test_update_credentials_leaves_absent_parts_unchanged(client, ana):
    Profile.objects.filter(pk=ana.profile.pk).update(note="Keep me", is_locked=True)
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data=urlencode({"display_name": "New"}),
        content_type=FORM,
        **bearer(ana),
    )
    assert response.status_code == 200
    assert response.json()["source"]["note"] == "Keep me"
    assert response.json()["locked"] is True


@pytest.mark.django_db
def test_update_credentials_with_a_multipart_avatar(client, ana, media_root):
    body = encode_multipart(
        BOUNDARY,
        {"display_name": "Pictured", "avatar": upload("me.png", png_bytes((600, 500)))},
    )
    response = client.patch(
        "/api/v1/accounts/update_credentials", data=body, content_type=MULTIPART, **bearer(ana)
    )
    assert response.status_code == 200, response.content
    account = response.json()
    assert account["display_name"] == "Pictured"
    profile = Profile.objects.get(pk=ana.profile.pk)
    assert profile.avatar.startswith("avatars/")
    assert (media_root / profile.avatar).is_file()
    assert account["avatar"] == f"http://localhost:8000/media/{profile.avatar}"
    assert account["avatar_static"] == account["avatar"]
    served = client.get(urlsplit(account["avatar"]).path)
    assert served.status_code == 200
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.size == (400, 400)  # the avatar preset's square crop


@pytest.mark.django_db
def test_update_credentials_with_a_header(client, ana, media_root):
    body = encode_multipart(BOUNDARY, {"header": upload("h.png", png_bytes((900, 300)))})
    response = client.patch(
        "/api/v1/accounts/update_credentials", data=body, content_type=MULTIPART, **bearer(ana)
    )
    assert response.status_code == 200, response.content
    profile = Profile.objects.get(pk=ana.profile.pk)
    assert profile.header.startswith("headers/")
    assert response.json()["header"].endswith(profile.header)


@pytest.mark.django_db
def test_update_credentials_rejects_a_non_image_avatar_and_changes_nothing(client, ana, media_root):
    body = encode_multipart(
        BOUNDARY, {"display_name": "Changed", "avatar": upload("x.png", b"not an image at all")}
    )
    response = client.patch(
        "/api/v1/accounts/update_credentials", data=body, content_type=MULTIPART, **bearer(ana)
    )
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed: Avatar")
    profile = Profile.objects.get(pk=ana.profile.pk)
    assert profile.display_name == "Ana Lima"
    assert profile.avatar == ""
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


@pytest.mark.django_db
def test_update_credentials_rejects_a_display_name_of_101_characters(client, ana):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data={"display_name": "x" * 101, "note": "unchanged?"},
        content_type="application/json",
        **bearer(ana),
    )
    assert response.status_code == 422
    assert response.json()["error"] == (
        "Validation failed: Display name is too long (maximum is 100 characters)"
    )
    profile = Profile.objects.get(pk=ana.profile.pk)
    assert profile.display_name == "Ana Lima"
    assert profile.note == ""


@pytest.mark.django_db
def test_update_credentials_rejects_five_fields(client, ana):
    fields = {f"fields_attributes[{i}][name]": f"n{i}" for i in range(5)}
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data=urlencode(fields),
        content_type=FORM,
        **bearer(ana),
    )
    assert response.status_code == 422
    assert "maximum is 4" in response.json()["error"]
    assert Profile.objects.get(pk=ana.profile.pk).fields == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["maybe", ""])
def test_update_credentials_rejects_a_bad_boolean(client, ana, value):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data=urlencode({"locked": value}),
        content_type=FORM,
        **bearer(ana),
    )
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed:")


@pytest.mark.django_db
def test_update_credentials_without_token_is_401(client, ana):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data={"display_name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_update_credentials_with_a_read_only_token_is_403(client, ana):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data={"display_name": "x"},
        content_type="application/json",
        **bearer(ana, "read"),
    )
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert Profile.objects.get(pk=ana.profile.pk).display_name == "Ana Lima"


@pytest.mark.django_db
def test_update_credentials_accepts_write_accounts_scope(client, ana):
    response = client.patch(
        "/api/v1/accounts/update_credentials/",
        data={"display_name": "Scoped"},
        content_type="application/json",
        **bearer(ana, "write:accounts"),
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Scoped"


# --- lookup -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("acct", ["Ana", "ana", "@ANA", "ana@localhost:8000"])
def test_lookup_finds_a_local_account_without_a_token(client, ana, acct):
    response = client.get("/api/v1/accounts/lookup", {"acct": acct})
    assert response.status_code == 200, response.content
    body = response.json()
    assert_account_shape(body)
    assert body["id"] == str(ana.profile.pk)
    assert "goals" not in body["pln"]
    assert "source" not in body


@pytest.mark.django_db
def test_lookup_finds_a_known_remote_account(client):
    remote = make_remote_profile("Kim")
    body = client.get("/api/v1/accounts/lookup", {"acct": "kim@Mastodon.Example"}).json()
    assert body["id"] == str(remote.pk)
    assert body["acct"] == "Kim@mastodon.example"
    assert body["url"] == "https://mastodon.example/users/Kim"


@pytest.mark.django_db
@pytest.mark.parametrize("acct", ["nobody", "ana@elsewhere.example", "", "@", "x" * 500])
def test_lookup_of_an_unknown_account_is_404(client, ana, acct):
    response = client.get("/api/v1/accounts/lookup", {"acct": acct})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


@pytest.mark.django_db
def test_lookup_reaches_a_profile_that_is_not_discoverable(client, ana):
    Profile.objects.filter(pk=ana.profile.pk).update(is_discoverable=False)
    response = client.get("/api/v1/accounts/lookup", {"acct": "ana"})
    assert response.status_code == 200
    assert response.json()["discoverable"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"is_active": False}, {"approval": ApprovalState.PENDING}])
def test_lookup_and_detail_hide_inactive_or_unapproved_accounts(client, change):
    hidden = make_user(handle="hidden")
    for name, value in change.items():
        setattr(hidden, name, value)
    hidden.save()
    assert client.get("/api/v1/accounts/lookup", {"acct": "hidden"}).status_code == 404
    assert client.get(f"/api/v1/accounts/{hidden.profile.pk}").status_code == 404


@pytest.mark.django_db
def test_several_accounts_by_id_in_the_order_asked_leaving_out_hidden_and_unknown(client, ana):
    bo = make_user(handle="bo")
    hidden = make_user(handle="hidden")
    hidden.is_active = False
    hidden.save()
    ids = [bo.profile.pk, hidden.profile.pk, 999999, ana.profile.pk, "junk"]
    response = client.get("/api/v1/accounts", {"id[]": ids})
    assert response.status_code == 200
    assert [a["acct"] for a in response.json()] == ["bo", "Ana"]
    assert_account_shape(response.json()[0])


@pytest.mark.django_db
def test_several_accounts_refuses_more_ids_than_the_limit(client, ana):
    response = client.get("/api/v1/accounts", {"id[]": [ana.profile.pk] * 41})
    assert response.status_code == 422
    assert "at most" in response.json()["error"]


# --- removing the avatar and header ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("attribute", "size"), [("avatar", (600, 500)), ("header", (900, 300))])
def test_removing_an_image_brings_back_the_default_and_deletes_the_file(
    client, ana, media_root, attribute, size, django_capture_on_commit_callbacks
):
    body = encode_multipart(BOUNDARY, {attribute: upload("i.png", png_bytes(size))})
    client.patch(
        "/api/v1/accounts/update_credentials", data=body, content_type=MULTIPART, **bearer(ana)
    )
    stored = getattr(Profile.objects.get(pk=ana.profile.pk), attribute)
    assert (media_root / stored).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"/api/v1/profile/{attribute}", **bearer(ana))
    assert response.status_code == 200, response.content
    assert getattr(Profile.objects.get(pk=ana.profile.pk), attribute) == ""
    assert stored not in response.json()[attribute]
    assert not (media_root / stored).exists()
    # Removing it again is fine and changes nothing.
    assert client.delete(f"/api/v1/profile/{attribute}", **bearer(ana)).status_code == 200


@pytest.mark.django_db
def test_removing_an_image_needs_write_accounts(client, ana):
    assert client.delete("/api/v1/profile/avatar").status_code == 401
    response = client.delete("/api/v1/profile/avatar", **bearer(ana, scopes="read"))
    assert response.status_code == 403


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def people(db):
    return {
        "ana": make_user(handle="Ana", display_name="Ana Lima"),
        "anatole": make_user(handle="anatole", display_name="Mr. A"),
        "maria": make_user(handle="maria", display_name="Maria Santana"),
        "bo": make_user(handle="bo", display_name="Bo"),
    }


def search(client, user, **params):
    return client.get("/api/v1/accounts/search", params, **bearer(user, "read:accounts"))


@pytest.mark.django_db
def test_search_matches_handle_prefix_and_display_name_best_first(client, people):
    response = search(client, people["bo"], q="ana")
    assert response.status_code == 200, response.content
    found = [a["username"] for a in response.json()]
    assert found == ["Ana", "anatole", "maria"]
    assert_account_shape(response.json()[0])


@pytest.mark.django_db
def test_search_accepts_an_address(client, people):
    found = search(client, people["bo"], q="@anat@localhost:8000").json()
    assert [a["username"] for a in found] == ["anatole"]
    remote = make_remote_profile("anatoly", "social.example")
    found = search(client, people["bo"], q="anat@social.example").json()
    assert [a["id"] for a in found] == [str(remote.pk)]


@pytest.mark.django_db
def test_search_finds_a_non_discoverable_account_only_by_exact_handle(client, people):
    Profile.objects.filter(handle="anatole").update(is_discoverable=False)
    assert "anatole" not in [a["username"] for a in search(client, people["bo"], q="ana").json()]
    exact = search(client, people["bo"], q="Anatole").json()
    assert [a["username"] for a in exact] == ["anatole"]


@pytest.mark.django_db
def test_search_never_shows_inactive_or_unapproved_accounts(client, people):
    make_user(handle="anapending", approval=ApprovalState.PENDING)
    gone = make_user(handle="anagone")
    gone.is_active = False
    gone.save()
    names = [a["username"] for a in search(client, people["bo"], q="ana").json()]
    assert "anapending" not in names
    assert "anagone" not in names
    assert not search(client, people["bo"], q="anapending").json()


@pytest.mark.django_db
def test_search_pages_with_limit_and_offset(client, people):
    first = search(client, people["bo"], q="ana", limit=2).json()
    second = search(client, people["bo"], q="ana", limit=2, offset=2).json()
    assert [a["username"] for a in first] == ["Ana", "anatole"]
    assert [a["username"] for a in second] == ["maria"]


@pytest.mark.django_db
def test_search_clamps_a_negative_limit(client, people):
    response = search(client, people["bo"], q="ana", limit=-1)
    assert response.status_code == 200
    assert len(response.json()) == 1


@pytest.mark.django_db
def test_search_rejects_a_limit_that_is_not_a_number(client, people):
    response = search(client, people["bo"], q="ana", limit="abc")
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed: limit")


@pytest.mark.django_db
def test_search_needs_a_query(client, people):
    assert search(client, people["bo"]).status_code == 422
    assert search(client, people["bo"], q="  ").json() == []


@pytest.mark.django_db
def test_search_needs_read_accounts(client, people):
    assert client.get("/api/v1/accounts/search", {"q": "ana"}).status_code == 401
    response = client.get("/api/v1/accounts/search", {"q": "ana"}, **bearer(people["bo"], "write"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_search_treats_wildcards_as_text(client, people):
    assert search(client, people["bo"], q="%").json() == []
    assert search(client, people["bo"], q="_").json() == []


@pytest.mark.django_db
def test_search_query_count_does_not_grow_with_results(
    client, people, django_assert_max_num_queries
):
    for number in range(10):
        make_user(handle=f"anabel{number}")
    headers = bearer(people["bo"], "read:accounts")
    # the token lookup and the search itself (users joined); never one per account
    with django_assert_max_num_queries(6):  # page, terms, two follow counts, status counts
        response = client.get("/api/v1/accounts/search", {"q": "ana"}, **headers)
    assert len(response.json()) == 13


# --- by id --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_account_by_id(client, ana):
    response = client.get(f"/api/v1/accounts/{ana.profile.pk}")
    assert response.status_code == 200
    body = response.json()
    assert_account_shape(body)
    assert body["acct"] == "Ana"
    assert "goals" not in body["pln"]


@pytest.mark.django_db
def test_account_by_id_shows_goals_to_the_owner_only(client, ana):
    other = make_user(handle="other")
    own = client.get(f"/api/v1/accounts/{ana.profile.pk}", **bearer(ana)).json()
    theirs = client.get(f"/api/v1/accounts/{ana.profile.pk}", **bearer(other)).json()
    assert own["pln"]["goals"] == {"purposes": [], "interaction": None, "learning": []}
    assert "goals" not in theirs["pln"]


@pytest.mark.django_db
@pytest.mark.parametrize("account_id", ["123", "abc", "-5", "99999999999999999999999"])
def test_unknown_account_id_is_404(client, ana, account_id):
    response = client.get(f"/api/v1/accounts/{account_id}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


@pytest.mark.django_db
def test_account_paths_are_not_taken_for_ids(client, ana):
    assert client.get("/api/v1/accounts/lookup/", {"acct": "ana"}).status_code == 200
    assert client.get("/api/v1/accounts/search", {"q": "ana"}).status_code == 401
    assert client.get(f"/api/v1/accounts/{ana.profile.pk}/").status_code == 200


@pytest.mark.django_db
def test_openapi_documents_the_account_schemas(client):
    schema = client.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    assert "pln" in components["Account"]["properties"]
    assert "source" in components["CredentialAccount"]["properties"]
    assert "/api/v1/accounts/update_credentials" in schema["paths"]


@pytest.mark.django_db
def test_hide_collections_follows_the_hidden_follow_lists_setting(client, ada):
    response = client.get(f"/api/v1/accounts/{ada.pk}")
    assert response.json()["hide_collections"] is False
    ada.hide_follows = True
    ada.save(update_fields=["hide_follows"])
    assert client.get(f"/api/v1/accounts/{ada.pk}").json()["hide_collections"] is True
