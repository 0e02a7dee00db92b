"""The children's part of the demo city: a guardian who can sign in with the e-ID simulator and follow a
child's case, and reports from the public e-form waiting in the intake.

Everything goes through the services, as if staff and the public had done it, so the audit log and the
deadlines are those of real use. The choices are deterministic (the first fitting child by number).
"""

from __future__ import annotations

from datetime import date, timedelta

from sociala.audit.services import record_event
from sociala.cases.models import Case
from sociala.people.choices import ProtectionLevel, RelationKind
from sociala.people.models import Person, Relation

from . import services
from .selectors import CHILD_CASE_TYPE
from .services import investigation as inv
from .services import public

DEMO_CASEWORKER = "handlaggare.barn"
DEMO_DISTRICT = "Rinkeby-Kista"
DEMO_ADDRESS = "demo-seed"


def _guardians(child: Person) -> list[Person]:
    return [
        r.related
        for r in Relation.objects.filter(person=child, kind=RelationKind.GUARDIAN, valid_to__isnull=True)
        .select_related("related")
        .order_by("related__personal_identity_number")
    ]


def _families(district, today: date):
    """Children aged 6–15 in the district without a child's case, with two unprotected adult guardians."""
    children = (
        Person.objects.filter(district=district, is_deceased=False, protection_level=ProtectionLevel.NONE)
        .filter(
            birth_date__gt=today.replace(year=today.year - 16),
            birth_date__lte=today.replace(year=today.year - 6),
        )
        .exclude(pk__in=Case.objects.filter(case_type__code=CHILD_CASE_TYPE).values("person_id"))
        .order_by("personal_identity_number")
    )
    for child in children:
        guardians = _guardians(child)
        if len(guardians) == 2 and all(
            not g.is_deceased and not g.is_protected and g.age_on(today) >= 18 for g in guardians
        ):
            yield child, guardians


def seed_children_demo(*, city, today: date) -> dict:
    """The guardian demo and the public reports; returns who the demo guardian is (for the docs)."""
    user = city.users[DEMO_CASEWORKER]
    families = _families(city.districts[DEMO_DISTRICT], today)
    found = next(families, None)
    if found is None:
        return {}
    child, (guardian, other) = found
    received_on = today - timedelta(days=3)
    report = services.register_report_of_concern(
        actor=user,
        person=child,
        received_on=received_on,
        reporter_type="preschool",
        reporter_name="Förskolan Solrosen",
        text="Barnet kommer ofta hungrigt till förskolan och berättar om bråk hemma.",
    )
    services.record_safety_assessment(
        actor=user,
        report=report,
        assessed_on=received_on,
        needs_immediate_protection=False,
        reasoning="Inget akut skyddsbehov. Barnet är tryggt på förskolan och hos mormor.",
    )
    case = report.case
    services.record_initial_assessment(
        actor=user,
        case=case,
        opens_investigation=True,
        reasons="Oron för barnets omsorg behöver utredas enligt BBIC.",
    )
    for area in inv.areas_in_force(today):
        inv.save_area_assessment(
            actor=user, case=case, area_code=area.code, text=f"{area.name}: inga allvarliga brister."
        )
    inv.record_child_view(
        actor=user,
        case=case,
        heard_on=today,
        heard_how="alone",
        present="",
        view="Jag vill att mamma och pappa slutar bråka.",
    )
    inv.complete_investigation(
        actor=user,
        case=case,
        summary="Familjen behöver stöd i föräldraskapet. Vi föreslår öppenvård i hemmet.",
    )
    for party in (guardian, other):
        inv.record_guardian_communication(
            actor=user,
            case=case,
            guardian=party,
            sent_on=today,
            method="digital",
            reply_due_on=today + timedelta(days=14),
        )
    # The other parent has protected registration: the demo guardian's pages and letters hide where they live.
    Person.objects.filter(pk=other.pk).update(protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
    record_event(
        actor=user,
        action="update_person",
        person_id=other.pk,
        object_type="person",
        object_id=other.pk,
        details={"protection_level": ProtectionLevel.PROTECTED_REGISTRATION.value, "source": "seed_demo"},
    )
    # Two reports from the public e-form: one about a child in the register, one to identify.
    second = next(families, None)
    if second is not None:
        public.submit_public_report(
            address=DEMO_ADDRESS,
            reporter_type="school",
            reporter_name="Lena Rektor",
            reporter_contact="08-508 000 00",
            reporter_organisation="Kista grundskola",
            child_number=second[0].personal_identity_number,
            text="Eleven har varit frånvarande i tre veckor och vi når inte föräldrarna.",
        )
    public.submit_public_report(
        address=DEMO_ADDRESS,
        reporter_type="anonymous_public",
        child_description="En flicka, kanske 8 år, som bor i samma trappuppgång som jag på Husbygatan.",
        text="Jag hör ofta skrik på kvällarna och flickan är ute ensam sent.",
    )
    return {
        "guardian": guardian.personal_identity_number,
        "child": child.personal_identity_number,
        "case": case.pk,
    }
