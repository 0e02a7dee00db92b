"""Choices of the fees app: households, service types and the fee groups they fall in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Household(models.TextChoices):
    """Whose income the fee basis is: the client's own, or half of the spouses' joint income (SoL 32:5)."""

    SINGLE = "single", _("Ensamstående")
    COUPLE = "couple", _("Sammanlevande makar")


class FeeGroup(models.TextChoices):
    """Services that share one maximum fee.

    * ``care``: home care, day activity, safety alarm, short stay and municipal health care share the
      max fee of SoL 32 kap. 6 § 1 (0.5392 price base amounts a year).
    * ``housing``: the housing fee in residential care, capped by SoL 32 kap. 6 § 2 (0.5539).
    * ``lss``: LSS 19 § fees for housing, leisure and culture; no statutory max fee, only the
      municipality's own cost (the price) and the fee capacity.
    """

    CARE = "care", _("hemtjänst, dagverksamhet, trygghetslarm, korttidsvistelse och hälso- och sjukvård")
    HOUSING = "housing", _("bostad i särskilt boende")
    LSS = "lss", _("bostad, fritid och kultur enligt LSS")


class ServiceType(models.TextChoices):
    """A granted service that carries a fee, named as in the glossary."""

    HOME_CARE = "home_care", _("hemtjänst")
    DAY_ACTIVITY = "day_activity", _("dagverksamhet")
    SAFETY_ALARM = "safety_alarm", _("trygghetslarm")
    SHORT_STAY = "short_stay", _("korttidsvistelse")
    HEALTH = "health", _("hälso- och sjukvård")
    RESIDENTIAL_CARE = "residential_care", _("bostad i särskilt boende")
    LSS_ADULT_HOUSING = "lss_adult_housing", _("bostad med särskild service för vuxna (LSS)")
    LSS_LEISURE_CULTURE = "lss_leisure_culture", _("fritidsverksamhet och kulturella aktiviteter (LSS)")


GROUP_OF_SERVICE: dict[str, str] = {
    ServiceType.HOME_CARE: FeeGroup.CARE,
    ServiceType.DAY_ACTIVITY: FeeGroup.CARE,
    ServiceType.SAFETY_ALARM: FeeGroup.CARE,
    ServiceType.SHORT_STAY: FeeGroup.CARE,
    ServiceType.HEALTH: FeeGroup.CARE,
    ServiceType.RESIDENTIAL_CARE: FeeGroup.HOUSING,
    ServiceType.LSS_ADULT_HOUSING: FeeGroup.LSS,
    ServiceType.LSS_LEISURE_CULTURE: FeeGroup.LSS,
}

# The fee capacity is shared: housing fees take it first, care fees what is left (see calculation.py).
GROUP_ORDER: tuple[str, ...] = (FeeGroup.HOUSING, FeeGroup.LSS, FeeGroup.CARE)

# LSS 9 § interventions that may not carry a fee (LSS 21 §), and why, in the words the caller sees.
LSS_WITHOUT_FEE = {
    "lss_personal_assistance": _(
        "Avgift för personlig assistans får bara tas ut inom ramen för assistansersättningen "
        "(18 § LSS) och beräknas inte här."
    ),
    "lss_child_housing": _(
        "För barn som bor utanför föräldrahemmet bidrar föräldrarna till kostnaden enligt 20 § LSS; "
        "det är ingen avgift och beräknas inte här."
    ),
    "lss_companion": None,
    "lss_contact_person": None,
    "lss_relief": None,
    "lss_short_stay": None,
    "lss_short_supervision": None,
    "lss_daily_activity": None,
}
LSS_NO_FEE_MESSAGE = _(
    "Avgift får inte tas ut för den här insatsen enligt LSS (21 §). Enligt LSS får avgift bara tas ut "
    "för bostad, fritidsverksamhet och kulturella aktiviteter (19 §)."
)


class DeclarationSource(models.TextChoices):
    """Who entered an income declaration."""

    STAFF = "staff", _("Registrerad av personal")
    PORTAL = "portal", _("Lämnad av den enskilde i e-tjänsten")


class FeeDecisionReason(models.TextChoices):
    """Why a fee decision was made."""

    FIRST = "first", _("Första avgiftsbeslut")
    DECLARATION = "declaration", _("Ny inkomstuppgift")
    SERVICES = "services", _("Ändrade insatser")
    PRICE_BASE_AMOUNT = "price_base_amount", _("Nytt prisbasbelopp")


class PriceUnit(models.TextChoices):
    """What a price in the price list is for; it must match how the intervention's scope is measured."""

    PER_HOUR = "per_hour", _("per timme")
    PER_DAY = "per_day", _("per dygn")
    PER_ACTIVITY = "per_activity", _("per tillfälle")
    PER_MONTH = "per_month", _("per månad")


# The price unit that turns a decision's scope into a price per month (see pricing.py).
PRICE_UNIT_OF_SCOPE: dict[str, str] = {
    "hours_per_month": PriceUnit.PER_HOUR,
    "days_per_month": PriceUnit.PER_DAY,
    "activities_per_week": PriceUnit.PER_ACTIVITY,
    "place": PriceUnit.PER_MONTH,
    "none": PriceUnit.PER_MONTH,
}
