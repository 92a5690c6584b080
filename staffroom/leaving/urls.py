"""Settings pages for export and account deletion, and the goodbye page."""

from django.urls import path

from staffroom.leaving import views

app_name = "leaving"

urlpatterns = [
    path("settings/export", views.export_page, name="export"),
    path("settings/export/list", views.export_list_partial, name="export-list"),
    path(
        "settings/export/<int:export_id>/download",
        views.export_download,
        name="export-download",
    ),
    path("settings/delete", views.delete_page, name="delete"),
    path("goodbye", views.goodbye, name="goodbye"),
]
