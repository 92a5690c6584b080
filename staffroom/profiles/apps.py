from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "staffroom.profiles"
    label = "profiles"
    verbose_name = "Profiles"
