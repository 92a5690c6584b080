"""The scheduled posts page, and changing the time of one or cancelling it."""

from django.urls import path

from staffroom.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("scheduled", views.scheduled_list, name="list"),
    path("scheduled/<str:scheduled_id>/time", views.scheduled_reschedule, name="reschedule"),
    path("scheduled/<str:scheduled_id>/cancel", views.scheduled_cancel, name="cancel"),
]
