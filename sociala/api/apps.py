from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sociala.api"
    label = "api"
