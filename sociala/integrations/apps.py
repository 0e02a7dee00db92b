from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "sociala.integrations"
    label = "integrations"
