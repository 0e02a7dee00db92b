from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "sociala.fees"
    label = "fees"
