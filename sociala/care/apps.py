from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_code_lists(sender, **kwargs):
    from .code_lists import load_code_lists
    from .models import IcfCode, InterventionKind, LifeArea

    # After a flush (test databases) the migration's rows are gone; put back only what is missing.
    if not LifeArea.objects.exists():
        load_code_lists(LifeArea, IcfCode, InterventionKind)
    from sociala.cases.models import CaseType, DeadlineRule

    from .case_types import load_care_case_types

    if not CaseType.objects.filter(code="residential_care_application").exists():
        load_care_case_types(CaseType, DeadlineRule)


class CareConfig(AppConfig):
    name = "sociala.care"
    label = "care"

    def ready(self):
        post_migrate.connect(_ensure_code_lists, sender=self)
