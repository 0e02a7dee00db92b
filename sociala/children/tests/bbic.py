"""Building a child's case up to each step of the BBIC investigation, through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from sociala.children import services
from sociala.children.services import investigation as inv
from sociala.children.services import placement as plc
from sociala.people.choices import RelationKind
from sociala.people.models import Relation
from sociala.tests.factories import make_person

CASEWORKER = "handlaggare.barn"


def with_guardians(city, child, *, district: str = "Rinkeby-Kista"):
    """Two guardians registered for the child."""
    mother = make_person(city, district=district, first_name="Maria", last_name="Lind")
    father = make_person(city, district=district, first_name="Omar", last_name="Lind")
    for parent in (mother, father):
        Relation.objects.create(person=child, related=parent, kind=RelationKind.GUARDIAN)
    return mother, father


def investigated(city, child, received_on: date | None = None, username: str = CASEWORKER):
    """A report, its safety assessment and the decision to open an investigation: the case."""
    user = city.users[username]
    received_on = received_on or timezone.localdate()
    report = services.register_report_of_concern(
        actor=user,
        person=child,
        received_on=received_on,
        reporter_type="school",
        text="Barnet är rädd hemma.",
    )
    services.record_safety_assessment(
        actor=user,
        report=report,
        assessed_on=received_on,
        needs_immediate_protection=False,
        reasoning="Inget akut skyddsbehov i dag.",
    )
    services.record_initial_assessment(
        actor=user, case=report.case, opens_investigation=True, reasons="Oron behöver utredas enligt BBIC."
    )
    report.case.refresh_from_db()
    return report.case


def document_everything(city, case, username: str = CASEWORKER):
    user = city.users[username]
    for area in inv.areas_in_force(case.child_investigation.started_on):
        inv.save_area_assessment(
            actor=user, case=case, area_code=area.code, text=f"Om {area.name}: inga brister."
        )
    inv.record_child_view(
        actor=user,
        case=case,
        heard_on=timezone.localdate(),
        heard_how="alone",
        present="",
        view="Jag vill bo kvar men det är bråk hemma.",
    )


def communicated(city, case, guardians, username: str = CASEWORKER):
    """The investigation completed, sent to each guardian, each reply recorded; the case is at decision."""
    user = city.users[username]
    today = timezone.localdate()
    inv.complete_investigation(actor=user, case=case, summary="Barnet behöver stöd utanför hemmet en tid.")
    for guardian in guardians:
        item = inv.record_guardian_communication(
            actor=user,
            case=case,
            guardian=guardian,
            sent_on=today,
            method="letter",
            reply_due_on=today + timedelta(days=14),
        )
        inv.record_guardian_reply(
            actor=user, communication=item, replied_on=today, reply="Inget att tillägga."
        )
    inv.finish_communication(actor=user, case=case)
    case.refresh_from_db()
    return case


def placed(city, case, *, username: str = CASEWORKER, kind="foster_home", basis="sol", period_end=None):
    return plc.decide_child_case(
        actor=city.users[username],
        case=case,
        kind=kind,
        description="",
        period_start=timezone.localdate(),
        period_end=period_end,
        motivation="Barnet behöver vård utanför hemmet enligt utredningen.",
        basis=basis,
        location_name="Familjehemmet Ek",
        location_municipality="Sigtuna",
    )
