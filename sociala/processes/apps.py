from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _publish(sender, **kwargs):
    from .services import publish_bundled_definitions

    publish_bundled_definitions()


class ProcessesConfig(AppConfig):
    name = "sociala.processes"
    label = "processes"

    def ready(self):
        # The BPMN files shipped with the release are published (as a new version when changed).
        post_migrate.connect(_publish, sender=self)
