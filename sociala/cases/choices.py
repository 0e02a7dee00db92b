from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeKind(models.TextChoices):
    """How a case starts (aktualisering)."""

    APPLICATION = "application", _("Ansökan")
    REPORT_OF_CONCERN = "report_of_concern", _("Anmälan")
    REQUEST = "request", _("Begäran")
    OTHER = "other", _("Övrigt")


class Stage(models.TextChoices):
    """Where a case is in the process; the BPMN user tasks carry these ids."""

    INTAKE = "intake", _("Aktualisering")
    INVESTIGATION = "investigation", _("Utredning")
    COMMUNICATION = "communication", _("Kommunicering")
    DECISION = "decision", _("Beslut")
    INTERVENTION = "intervention", _("Insats")
    FOLLOW_UP = "follow_up", _("Uppföljning")
    CLOSED = "closed", _("Avslutat")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Bifall")
    PARTLY_GRANTED = "partly_granted", _("Delvis bifall")
    REFUSED = "refused", _("Avslag")


class JournalCategory(models.TextChoices):
    CONTACT = "contact", _("Kontakt")
    VISIT = "visit", _("Hembesök")
    MEETING = "meeting", _("Möte")
    INVESTIGATION = "investigation", _("Utredning")
    DECISION = "decision", _("Beslut")
    FOLLOW_UP = "follow_up", _("Uppföljning")
    OTHER = "other", _("Övrigt")


class JournalStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SIGNED = "signed", _("Signerad")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Öppen")
    DONE = "done", _("Klar")


class OrderStatus(models.TextChoices):
    ACTIVE = "active", _("Pågående")
    ENDED = "ended", _("Avslutad")
