from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff member does; the access policy reads it."""

    CASEWORKER = "caseworker", _("Handläggare")
    UNIT_MANAGER = "unit_manager", _("Enhetschef")
    PROVIDER_STAFF = "provider_staff", _("Utförarpersonal")
    OUT_OF_HOURS = "out_of_hours", _("Socialjour")
    LOCAL_ADMINISTRATOR = "local_administrator", _("Lokal administratör")
    LOG_REVIEWER = "log_reviewer", _("Loggranskare")
    CONTROLLER = "controller", _("Controller")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("Systemadministratör")


# Roles whose work needs personal data; the others never see a person.
PERSONAL_DATA_ROLES = frozenset({Role.CASEWORKER, Role.UNIT_MANAGER, Role.PROVIDER_STAFF, Role.OUT_OF_HOURS})
