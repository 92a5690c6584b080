from django.urls import path

from staffroom.moderation import views

app_name = "moderation"

urlpatterns = [
    path("settings/reports", views.my_reports, name="my-reports"),
    path("settings/moderation", views.my_notices, name="my-notices"),
]
