"""Choices of the retention app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    """What a culling rule does to a person's case file (personakt)."""

    BASE = "base", _("Gallras efter en tid")
    RESEARCH_MUNICIPALITY = "research_municipality", _("Forskningskommun: ingenting gallras")
    RESEARCH_SAMPLE = "research_sample", _("Forskningsurval av personer")
    PERMANENT_MATTER = "permanent_matter", _("Handlingar som aldrig gallras")
    AGE_LIMIT_MATTER = "age_limit_matter", _("Gallras först vid en ålder")


class DecisionReason(models.TextChoices):
    """Why the culling decision came out as it did (shown with the rule)."""

    LAST_ENTRY = "last_entry", _("Fem år efter sista anteckningen")
    CIRCUMSTANCES = "circumstances", _("Fem år efter att förhållandena upphörde")
    AGE_LIMIT = "age_limit", _("Åldersgräns")
    PERMANENT = "permanent", _("Bevaras för alltid")
    ONGOING = "ongoing", _("Pågående: förhållandena har inte upphört")


class CullingRunStatus(models.TextChoices):
    CREATED = "created", _("Väntar")
    RUNNING = "running", _("Pågår")
    COMPLETED = "completed", _("Klar")
    FAILED = "failed", _("Avbruten")


class ReceivedVia(models.TextChoices):
    """How a person's objection to a journal entry reached the social services."""

    CONVERSATION = "conversation", _("Vid samtal eller besök")
    PHONE = "phone", _("Per telefon")
    LETTER = "letter", _("Brev")
    EMAIL = "email", _("E-post")
    E_SERVICE = "e_service", _("E-tjänst")
    OTHER = "other", _("På annat sätt")


class IdentityCheck(models.TextChoices):
    """How the identity of a person asking for a register extract was checked before it was sent."""

    E_ID = "e_id", _("E-legitimation")
    ID_DOCUMENT = "id_document", _("Id-handling vid besök")
    SIGNED_REQUEST = "signed_request", _("Egenhändigt undertecknad begäran, svar till folkbokföringsadressen")
    REPRESENTATIVE = "representative", _("Företrädare med fullmakt eller förordnande")
