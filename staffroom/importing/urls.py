"""Settings → Import: the upload form and list, one import's progress and report."""

from django.urls import path

from staffroom.importing import views

app_name = "importing"

urlpatterns = [
    path("settings/import", views.import_page, name="list"),
    path("settings/import/<str:import_id>", views.import_detail, name="detail"),
    path("settings/import/<str:import_id>/progress", views.import_progress, name="progress"),
    path("settings/import/<str:import_id>/retry", views.import_retry_view, name="retry"),
]
