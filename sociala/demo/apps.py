from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sociala.demo"
    label = "demo"
