from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "sociala.retention"
    label = "retention"
