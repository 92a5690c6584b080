"""Pages of profiles: onboarding, profile pages, editing, goals, privacy, the directory."""

from django.urls import path

app_name = "profiles"

urlpatterns: list[object] = []
