"""Settings → Filters."""

from django.urls import path

from staffroom.filters import views

app_name = "filters"

urlpatterns = [
    path("settings/filters", views.filters_settings, name="settings"),
    path("settings/filters/new", views.filter_new, name="new"),
    path("settings/filters/<str:filter_id>/edit", views.filter_edit, name="edit"),
    path("settings/filters/<str:filter_id>/delete", views.filter_remove, name="delete"),
]
