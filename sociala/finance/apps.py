from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "sociala.finance"
    label = "finance"
