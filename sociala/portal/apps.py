from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sociala.portal"
    label = "portal"
