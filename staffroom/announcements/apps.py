from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "staffroom.announcements"
    label = "announcements"
    verbose_name = "Announcements"
