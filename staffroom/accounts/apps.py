from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "staffroom.accounts"
    label = "accounts"
    verbose_name = "Accounts"
