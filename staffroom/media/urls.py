"""The composer's upload routes (under /media-upload, the only pages that take big bodies)."""

from django.urls import path

from staffroom.media import views

app_name = "media"

urlpatterns = [
    path("media-upload", views.upload_create, name="upload-create"),
    path("media-upload/<str:media_id>", views.upload_detail, name="upload-detail"),
    path("media-upload/<str:media_id>/delete", views.upload_delete, name="upload-delete"),
    path("media-upload/<str:media_id>/captions", views.captions_upload, name="captions"),
    path(
        "media-upload/<str:media_id>/captions/delete",
        views.captions_delete,
        name="captions-delete",
    ),
]
