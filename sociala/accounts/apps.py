from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sociala.accounts"
    label = "accounts"
