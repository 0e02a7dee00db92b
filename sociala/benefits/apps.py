from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "sociala.benefits"
    label = "benefits"
