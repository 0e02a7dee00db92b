from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_rules(sender, **kwargs):
    from .models import CaseType, DeadlineRule
    from .rules_data import load_initial_rules

    # After a flush (test databases) the migration's rows are gone; put back only what is missing.
    if not CaseType.objects.exists():
        load_initial_rules(CaseType, DeadlineRule)


class CasesConfig(AppConfig):
    name = "sociala.cases"
    label = "cases"

    def ready(self):
        post_migrate.connect(_ensure_rules, sender=self)
