from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sociala.cases"
    label = "cases"
