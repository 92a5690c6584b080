"""Pages of suggestions and starter packs: "Grow your PLN" with its actions, educators like
a teacher, and starter packs."""

from django.urls import path

from staffroom.recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("grow", views.grow, name="grow"),
    path("grow/accounts/<int:profile_id>/dismiss", views.suggestion_dismiss, name="dismiss"),
    path("grow/accounts/<int:profile_id>/undismiss", views.suggestion_undismiss, name="undismiss"),
    path("grow/proposals", views.proposal_save, name="proposal-save"),
    path("grow/like/<str:handle>", views.similar, name="similar"),
    path("packs", views.pack_list, name="pack-list"),
    path("packs/new", views.pack_create, name="pack-create"),
    path("packs/<int:pack_id>", views.pack_detail, name="pack"),
    path("packs/<int:pack_id>/edit", views.pack_edit, name="pack-edit"),
    path("packs/<int:pack_id>/delete", views.pack_delete, name="pack-delete"),
    path("packs/<int:pack_id>/follow", views.pack_follow, name="pack-follow"),
]
