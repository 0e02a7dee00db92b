from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sociala.access"
    label = "access"
