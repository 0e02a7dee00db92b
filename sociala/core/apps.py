from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sociala.core"
    label = "core"

    def ready(self):
        from . import db  # noqa: F401 - registers the Swedish collation on SQLite connections
