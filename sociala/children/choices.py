"""Choices of the children app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReporterType(models.TextChoices):
    """Who made a report of concern; authorities working with children must report (SoL 14 kap. 1 §)."""

    ANONYMOUS_PUBLIC = "anonymous_public", _("Privatperson, anonym")
    NAMED_PUBLIC = "named_public", _("Privatperson, med namn")
    SCHOOL = "school", _("Skola")
    PRESCHOOL = "preschool", _("Förskola")
    POLICE = "police", _("Polisen")
    HEALTH_CARE = "health_care", _("Hälso- och sjukvården")
    SOCIAL_SERVICES = "social_services", _("Socialtjänsten")
    OTHER_AUTHORITY = "other_authority", _("Annan myndighet")


# Reporters under the duty to report (anmälningsskyldighet); the others report voluntarily.
MANDATORY_REPORTERS = frozenset(
    {
        ReporterType.SCHOOL,
        ReporterType.PRESCHOOL,
        ReporterType.POLICE,
        ReporterType.HEALTH_CARE,
        ReporterType.SOCIAL_SERVICES,
        ReporterType.OTHER_AUTHORITY,
    }
)


class TriangleSide(models.TextChoices):
    """The three sides of the BBIC triangle, with the child's needs in the centre."""

    CHILD_DEVELOPMENT = "child_development", _("Barnets utveckling")
    PARENTING_CAPACITY = "parenting_capacity", _("Föräldrarnas förmåga")
    FAMILY_ENVIRONMENT = "family_environment", _("Familj och miljö")


class HeardHow(models.TextChoices):
    """How the child was heard in the investigation (SoL: the child's own view is documented)."""

    ALONE = "alone", _("Samtal med barnet ensamt")
    WITH_GUARDIAN = "with_guardian", _("Samtal med vårdnadshavare närvarande")
    WITH_SUPPORT = "with_support", _("Samtal med stödperson närvarande")
    INTERPRETER = "interpreter", _("Samtal med tolk")
    OBSERVATION = "observation", _("Observation (yngre barn)")
    NOT_HEARD = "not_heard", _("Barnet har inte hörts")


class CommunicationMethod(models.TextChoices):
    LETTER = "letter", _("Brev")
    DIGITAL = "digital", _("Digital brevlåda")
    MEETING = "meeting", _("Vid möte")


class SourceKind(models.TextChoices):
    SCHOOL = "school", _("Skola")
    PRESCHOOL = "preschool", _("Förskola")
    HEALTH_CARE = "health_care", _("Hälso- och sjukvården")
    CHILD_HEALTH = "child_health", _("Barnavårdscentral")
    POLICE = "police", _("Polisen")
    RELATIVE = "relative", _("Anhörig eller nätverk")
    OTHER = "other", _("Annan")


class ConsentStatus(models.TextChoices):
    """Whether the guardians (or the child from 15) agreed to the contact with the source."""

    GIVEN = "given", _("Samtycke finns")
    REFUSED = "refused", _("Samtycke saknas, kontakt tagen ändå")
    NOT_ASKED = "not_asked", _("Samtycke inte inhämtat")


class InterventionKind(models.TextChoices):
    """What a decision in a child's case grants: in-home interventions and placements."""

    OUTPATIENT = "child_outpatient", _("Öppenvård")
    CONTACT_FAMILY = "child_contact_family", _("Kontaktfamilj")
    CONTACT_PERSON = "child_contact_person", _("Kontaktperson")
    FOSTER_HOME = "foster_home", _("Familjehem")
    EMERGENCY_FOSTER_HOME = "emergency_foster_home", _("Jourhem")
    RESIDENTIAL_HOME = "residential_home", _("HVB (hem för vård eller boende)")
    SUPPORTED_HOUSING = "supported_housing", _("Stödboende")


# Placements outside the home: their records are never culled (SoL 16 kap. 2 §, retention rule
# "child_placement", whose kinds include these).
PLACEMENT_KINDS = frozenset(
    {
        InterventionKind.FOSTER_HOME,
        InterventionKind.EMERGENCY_FOSTER_HOME,
        InterventionKind.RESIDENTIAL_HOME,
        InterventionKind.SUPPORTED_HOUSING,
    }
)


class PlacementBasis(models.TextChoices):
    """The legal basis of a placement: with consent under SoL, or care under LVU."""

    SOL = "sol", _("SoL (med samtycke)")
    LVU_2 = "lvu_2", _("LVU 2 § (hemförhållanden)")
    LVU_3 = "lvu_3", _("LVU 3 § (eget beteende)")
    LVU_6 = "lvu_6", _("LVU 6 § (omedelbart omhändertagande)")


class LvuGrounds(models.TextChoices):
    HOME = "2", _("2 § – brister i hemförhållandena")
    BEHAVIOUR = "3", _("3 § – den unges eget beteende")
    BOTH = "2_3", _("2 § och 3 §")


class CourtOutcome(models.TextChoices):
    GRANTED = "granted", _("Bifall")
    REFUSED = "refused", _("Avslag")


class PlanKind(models.TextChoices):
    CARE_PLAN = "care_plan", _("Vårdplan")
    IMPLEMENTATION_PLAN = "implementation_plan", _("Genomförandeplan")


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("Vården fortsätter")
    END = "end", _("Vården ska upphöra")
