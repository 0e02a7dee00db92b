from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sociala.audit"
    label = "audit"
