from django.urls import path

from staffroom.web import views

app_name = "web"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home", views.home, name="home"),
    path("about", views.about, name="about"),
]
