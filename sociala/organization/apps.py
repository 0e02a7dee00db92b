from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "sociala.organization"
    label = "organization"
