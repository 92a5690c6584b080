"""`/api/v1/pln/...`: taxonomy, professional profile, goals and the PLN directory."""

import pytest

from staffroom.oauth.services import personal_token_create
from staffroom.profiles.models import ProfileTerm
from tests.factories import make_profile, make_user


def auth(user, scopes="read write"):
    raw = personal_token_create(user=user, scopes=scopes).raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def patch(client, path, data, headers):
    return client.patch(path, data=data, content_type="application/json", **headers)


@pytest.fixture
def teacher(db):
    return make_user(handle="mathmsk", display_name="Ms. K")


@pytest.mark.django_db
def test_taxonomy_has_the_curated_terms_with_bands(client):
    body = client.get("/api/v1/pln/taxonomy").json()
    assert len(body["subjects"]) >= 40
    assert len(body["practices"]) >= 40
    assert {band["slug"] for band in body["grade_bands"]} >= {"k-2", "3-5", "6-8", "9-12"}
    assert next(b for b in body["grade_bands"] if b["slug"] == "6-8")["grades"] == [
        "g6", "g7", "g8",
    ]  # fmt: skip
    algebra = next(s for s in body["subjects"] if s["slug"] == "algebra")
    assert algebra["parent"] == "math"
    assert {"slug": "sel", "label": "Social-emotional learning", "parent": None} in body[
        "practices"
    ]


@pytest.mark.django_db
def test_patch_profile_sets_terms_and_the_account_shows_them(client, teacher):
    headers = auth(teacher)
    response = patch(
        client,
        "/api/v1/pln/profile",
        {"role": "teacher", "subjects": ["math", "algebra"], "grades": ["g8", "g7"],
         "practices": ["inquiry-based-learning"], "tags": ["#Desmos", "Number Talks"],
         "experience_years": 9, "mentorship": "offering", "timezone": "Europe/Dublin"},
        headers,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["grades"] == ["g7", "g8"]
    assert body["grade_bands"] == ["6-8"]
    assert body["tags"] == ["desmos", "number-talks"]
    account = client.get("/api/v1/accounts/verify_credentials", **headers).json()
    assert account["pln"]["subjects"] == ["math", "algebra"]
    assert account["pln"]["grade_bands"] == ["6-8"]
    assert account["pln"]["experience_years"] == 9
    assert account["pln"]["mentorship"] == "offering"


@pytest.mark.django_db
def test_patch_profile_changes_only_what_is_sent_and_null_clears(client, teacher):
    headers = auth(teacher)
    patch(client, "/api/v1/pln/profile", {"subjects": ["science"], "experience_years": 3}, headers)
    body = patch(client, "/api/v1/pln/profile", {"experience_years": None}, headers).json()
    assert body["subjects"] == ["science"]
    assert body["experience_years"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"subjects": ["math", "underwater-basketweaving"]},
        {"grades": ["g13"]},
        {"role": "wizard"},
        {"practices": [f"p{i}" for i in range(500)]},
        {"tags": ["<script>"]},
        {"timezone": "Mars/Olympus"},
        {"experience_years": 300},
        {"mentorship": "always"},
    ],
)
def test_patch_profile_refuses_bad_values_and_changes_nothing(client, teacher, data):
    headers = auth(teacher)
    patch(client, "/api/v1/pln/profile", {"subjects": ["math"], "role": "coach"}, headers)
    response = patch(client, "/api/v1/pln/profile", {"role": "librarian", **data}, headers)
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed")
    after = client.get("/api/v1/pln/profile", **headers).json()
    assert after["subjects"] == ["math"]
    assert after["role"] == "coach"


@pytest.mark.django_db
def test_patch_profile_sets_privacy_flags(client, teacher):
    headers = auth(teacher)
    body = patch(
        client,
        "/api/v1/pln/profile",
        {"away": True, "hide_follows": True, "indexable": False},
        headers,
    ).json()
    assert body["away"] is True
    assert body["hide_follows"] is True
    assert body["indexable"] is False
    account = client.get(f"/api/v1/accounts/{teacher.profile.pk}").json()
    assert account["pln"]["away"] is True


@pytest.mark.django_db
def test_goals_round_trip_and_are_shown_only_to_the_owner(client, teacher):
    headers = auth(teacher)
    response = patch(
        client,
        "/api/v1/pln/goals",
        {"purposes": ["resources", "inspiration"], "interaction": "quiet", "learning": ["visual"]},
        headers,
    )
    assert response.json() == {
        "purposes": ["resources", "inspiration"],
        "interaction": "quiet",
        "learning": ["visual"],
    }
    own = client.get(f"/api/v1/accounts/{teacher.profile.pk}", **headers).json()
    assert own["pln"]["goals"]["interaction"] == "quiet"
    other = client.get(f"/api/v1/accounts/{teacher.profile.pk}", **auth(make_user(handle="peer")))
    assert "goals" not in other.json()["pln"]
    anonymous = client.get(f"/api/v1/accounts/{teacher.profile.pk}").json()
    assert "goals" not in anonymous["pln"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"purposes": ["fame"]}, {"interaction": "loud"}, {"learning": ["smell"]}]
)
def test_goals_refuse_unknown_values(client, teacher, data):
    response = patch(client, "/api/v1/pln/goals", data, auth(teacher))
    assert response.status_code == 422


@pytest.mark.django_db
def test_pln_routes_need_the_right_scope(client, teacher):
    read_only = auth(teacher, "read")
    assert client.get("/api/v1/pln/profile").status_code == 401
    assert client.get("/api/v1/pln/profile", **read_only).status_code == 200
    response = patch(client, "/api/v1/pln/profile", {"role": "coach"}, read_only)
    assert response.status_code == 403
    assert (
        patch(client, "/api/v1/pln/goals", {"interaction": "quiet"}, read_only).status_code == 403
    )


@pytest.mark.django_db
def test_pln_directory_filters_by_band_grade_subject_area_and_role(client):
    alg7 = make_profile("alg7", subjects=["algebra"], grades=["g7"], role="teacher")
    math4 = make_profile("math4", subjects=["math"], grades=["g4"], role="teacher")
    sci7 = make_profile("sci7", subjects=["science"], grades=["g7"], role="coach")

    def handles(**query):
        return {a["username"] for a in client.get("/api/v1/pln/directory", query).json()}

    assert handles(subject="math", grade="6-8") == {alg7.handle}
    assert handles(subject="math") == {alg7.handle, math4.handle}
    assert handles(grade="g7") == {alg7.handle, sci7.handle}
    assert handles(role="coach") == {sci7.handle}
    unknown = client.get("/api/v1/pln/directory", {"subject": "astrology", "grade": "g99"})
    assert unknown.status_code == 422
    assert "astrology" in unknown.json()["error"]
    assert "g99" in unknown.json()["error"]


@pytest.mark.django_db
def test_pln_directory_leaves_out_away_and_undiscoverable_teachers(client):
    present = make_profile("present", subjects=["math"], grades=["g7"])
    away = make_profile("summer", subjects=["math"], grades=["g7"])
    hidden = make_profile("hidden", subjects=["math"], grades=["g7"])
    type(away).objects.filter(pk=away.pk).update(is_away=True)
    type(hidden).objects.filter(pk=hidden.pk).update(is_discoverable=False)
    found = {a["username"] for a in client.get("/api/v1/pln/directory?subject=math").json()}
    assert found == {present.handle}
    assert away.handle not in {a["username"] for a in client.get("/api/v1/directory").json()}


@pytest.mark.django_db
def test_pln_directory_query_count_is_constant(client, django_assert_max_num_queries):
    for index in range(12):
        make_profile(f"t{index}", subjects=["math"], grades=["g7"])
    with django_assert_max_num_queries(5):  # page, terms, two count queries
        response = client.get("/api/v1/pln/directory?subject=math&grade=6-8")
    assert len(response.json()) == 12
    assert ProfileTerm.objects.count() == 24


@pytest.mark.django_db
def test_bio_markdown_is_rendered_and_sanitized_on_the_account(client, teacher):
    headers = auth(teacher)
    client.patch(
        "/api/v1/accounts/update_credentials",
        data={"note": "I teach *algebra*. <script>alert(1)</script> [x](javascript:alert(1))"},
        content_type="application/json",
        **headers,
    )
    note = client.get(f"/api/v1/accounts/{teacher.profile.pk}").json()["note"]
    assert "<em>algebra</em>" in note
    assert "<script>" not in note
    assert 'href="javascript' not in note


@pytest.mark.django_db
def test_directory_leaves_out_the_teacher_looking(client_for):
    me = make_profile("me", subjects=["math"], grades=["g7"])
    other = make_profile("other", subjects=["math"], grades=["g7"])
    page = client_for(me.user).get("/directory?subject=math").content.decode()
    assert "@other@" in page
    assert "@me@" not in page
    assert other.handle == "other"
