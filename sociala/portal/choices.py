"""Choices of the citizens' portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """Where an e-application is on the citizen's side: a draft until it is sent."""

    DRAFT = "draft", _("Inte skickad")
    SENT = "sent", _("Skickad")


class Occupation(models.TextChoices):
    """What an adult in the household does during the month."""

    EMPLOYED_FULL_TIME = "employed_full_time", _("Arbetar heltid")
    EMPLOYED_PART_TIME = "employed_part_time", _("Arbetar deltid")
    JOB_SEEKING = "job_seeking", _("Söker arbete")
    PARENTAL_LEAVE = "parental_leave", _("Föräldraledig")
    STUDYING = "studying", _("Studerar")
    SICK_LEAVE = "sick_leave", _("Sjukskriven")
    OTHER = "other", _("Annat")


class Tenure(models.TextChoices):
    """How the household lives."""

    RENTAL = "rental", _("Hyresrätt med eget kontrakt")
    SUBLET = "sublet", _("Hyr i andra hand")
    LODGER = "lodger", _("Inneboende")
    OWNED_APARTMENT = "owned_apartment", _("Bostadsrätt")
    HOUSE = "house", _("Eget hus")
    NO_HOME = "no_home", _("Har ingen egen bostad")
    OTHER = "other", _("Annat")


class OtherCost(models.TextChoices):
    """Costs outside the national norm and the reasonable costs that a person may apply for."""

    MEDICINE = "medicine", _("Medicin")
    HEALTH_CARE = "health_care", _("Läkarvård")
    DENTAL_CARE = "dental_care", _("Tandvård")
    GLASSES = "glasses", _("Glasögon")
    CHILDCARE = "childcare", _("Avgift för förskola eller fritids")
    OTHER = "other", _("Annat")


class MessageSender(models.TextChoices):
    CITIZEN = "citizen", _("Den enskilde")
    STAFF = "staff", _("Handläggare")


class CitizenStatus(models.TextChoices):
    """The status of an application in the citizen's words."""

    NOT_SENT = "not_sent", _("Inte skickad")
    RECEIVED = "received", _("Mottagen")
    BEING_HANDLED = "being_handled", _("Handläggs")
    COMPLETION_REQUIRED = "completion_required", _("Vi behöver mer information")
    DECIDED = "decided", _("Beslut fattat")
    PAID = "paid", _("Utbetald")
    CLOSED = "closed", _("Avslutad")
