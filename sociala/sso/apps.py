from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sociala.sso"
    label = "sso"
    verbose_name = "Single sign-on for staff"
