"""Pages of profiles: onboarding, profile pages, editing, goals, privacy, the directory."""

from django.urls import path

from staffroom.profiles import views

app_name = "profiles"

urlpatterns = [
    path("onboarding", views.onboarding_goals, name="onboarding-goals"),
    path("onboarding/practice", views.onboarding_practice, name="onboarding-practice"),
    path("@<str:handle>", views.profile_detail, name="profile-detail"),
    path("@<str:handle>/media", views.profile_media, name="profile-media"),
    path("settings/profile", views.profile_edit, name="profile-edit"),
    path("settings/goals", views.goals_edit, name="goals-edit"),
    path("settings/privacy", views.privacy_edit, name="privacy-edit"),
    path("directory", views.directory_list, name="directory-list"),
]
