from django.urls import path

from staffroom.web import views
from staffroom.web.manifest import web_manifest

app_name = "web"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home", views.home, name="home"),
    path("about", views.about, name="about"),
    path("manifest.webmanifest", web_manifest, name="manifest"),
]
