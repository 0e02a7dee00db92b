from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sociala.web"
    label = "web"
