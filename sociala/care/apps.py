from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "sociala.care"
    label = "care"
