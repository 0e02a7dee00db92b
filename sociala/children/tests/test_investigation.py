"""The BBIC investigation: the triangle, the child's view, other sources, the extension under delegation,
the communication to each guardian, the decision with its placement record, and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, Delegation, User
from sociala.audit.models import AuditEvent
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Deadline, DeadlineRule, Intervention
from sociala.children.models import (
    AreaAssessment,
    ChildView,
    GuardianCommunication,
    Investigation,
    InvestigationExtension,
    Placement,
)
from sociala.children.services import investigation as inv
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.documents.models import Document

from .bbic import communicated, document_everything, investigated, placed, with_guardians


def deadline(case, code):
    return case.deadlines.get(rule__code=code)


# --- the four months, with weekends and holidays -----------------------------------------------------


def test_four_months_ending_on_a_saturday_are_shown_as_the_calendar_date(city, child, clock):
    # 2026-06-03 + 4 months = 2026-10-03, a Saturday: the children's rule does not move (a setting, off).
    clock(date(2026, 6, 3))
    case = investigated(city, child, date(2026, 6, 1))
    found = Investigation.objects.get(case=case)
    assert (found.started_on, found.calendar_due_on, found.due_on) == (
        date(2026, 6, 3),
        date(2026, 10, 3),
        date(2026, 10, 3),
    )
    assert deadline(case, "child_investigation").due_on == date(2026, 10, 3)


def test_a_new_rule_version_that_moves_a_holiday_deadline_applies_from_its_date(city, child, clock):
    # From 2027 an administrator lets the four months move: 2027-02-25 + 4 months = 2027-06-25,
    # midsommarafton (Friday); Saturday midsommardagen and Sunday follow, so the next weekday is 06-28.
    DeadlineRule.objects.create(
        code="child_investigation",
        name="Utredning om barn",
        name_en="Investigation about a child",
        amount=4,
        unit="months",
        moves_to_working_day=True,
        legal_source="SoL 20 kap. 3 §",
        valid_from=date(2027, 1, 1),
    )
    clock(date(2027, 2, 25))
    case = investigated(city, child, date(2027, 2, 24))
    row = deadline(case, "child_investigation")
    assert (row.calendar_due_on, row.due_on) == (date(2027, 6, 25), date(2027, 6, 28))
    assert Investigation.objects.get(case=case).due_on == date(2027, 6, 28)


def test_lvu_week_deadlines_count_from_the_decision(city, child, clock):
    from sociala.children.services import placement as plc

    clock(date(2026, 12, 30))
    case = investigated(city, child, date(2026, 12, 29))
    user = city.users["handlaggare.barn"]
    matter = plc.start_lvu_matter(
        actor=user,
        case=case,
        grounds="2",
        court="Förvaltningsrätten i Stockholm",
        custody_decided_on=date(2026, 12, 29),
        custody_executed_on=date(2026, 12, 30),
    )
    # One week from Tuesday 2026-12-29 is Tuesday 2027-01-05 (trettondedagsafton, a weekday anyway);
    # four weeks from Wednesday 2026-12-30 is Wednesday 2027-01-27.
    assert deadline(case, "child_lvu_submission").due_on == date(2027, 1, 5)
    assert deadline(case, "child_lvu_application").due_on == date(2027, 1, 27)
    clock(date(2027, 1, 4))
    plc.record_lvu_progress(actor=user, matter=matter, custody_submitted_on=date(2027, 1, 4))
    assert deadline(case, "child_lvu_submission").status == DeadlineStatus.DONE
    assert deadline(case, "child_lvu_court_custody").due_on == date(2027, 1, 11)
    plc.record_lvu_progress(
        actor=user, matter=matter, custody_outcome="granted", custody_outcome_on=date(2027, 1, 4)
    )
    assert deadline(case, "child_lvu_court_custody").status == DeadlineStatus.DONE
    with pytest.raises(InvalidInput) as error:
        plc.record_lvu_progress(actor=user, matter=matter, custody_submitted_on=date(2027, 1, 4))
    assert "custody_submitted_on" in error.value.errors


# --- the triangle and the child's view ---------------------------------------------------------------


def test_the_investigation_is_complete_only_with_every_area_and_the_childs_view(city, child):
    case = investigated(city, child)
    user = city.users["handlaggare.barn"]
    inv.save_area_assessment(actor=user, case=case, area_code="health", text="Barnet är friskt, BVC följer.")
    with pytest.raises(InvalidInput) as error:
        inv.complete_investigation(actor=user, case=case, summary="Barnet behöver stöd i hemmet.")
    assert "Dokumentera alla områden" in str(error.value.errors["__all__"])
    # A second text for the same area replaces the first; there is one row per area.
    inv.save_area_assessment(actor=user, case=case, area_code="health", text="Barnet är friskt men trött.")
    assert AreaAssessment.objects.filter(investigation__case=case).count() == 1
    document_everything(city, case)
    assert AreaAssessment.objects.filter(investigation__case=case).count() == 12
    assert ChildView.objects.filter(investigation__case=case).count() == 1
    inv.complete_investigation(actor=user, case=case, summary="Barnet behöver stöd i hemmet.")
    case.refresh_from_db()
    assert case.stage == Stage.COMMUNICATION
    with pytest.raises(InvalidInput):
        inv.save_area_assessment(actor=user, case=case, area_code="health", text="Sent tillägg om hälsan.")


def test_a_source_is_recorded_with_its_consent(city, child, today):
    case = investigated(city, child)
    user = city.users["handlaggare.barn"]
    with pytest.raises(InvalidInput) as error:
        inv.record_information_source(
            actor=user,
            case=case,
            source_kind="school",
            source_name="",
            contacted_on=today,
            what="x",
            consent="",
        )
    assert set(error.value.errors) == {"source_name", "what", "consent"}
    source = inv.record_information_source(
        actor=user,
        case=case,
        source_kind="school",
        source_name="Rinkebyskolan, mentor",
        contacted_on=today,
        what="Frånvaro 30 % sedan januari.",
        consent="given",
    )
    assert AuditEvent.objects.filter(action="create_information_source", object_id=source.pk).count() == 1


# --- the extension, under delegation -----------------------------------------------------------------


def test_only_a_delegate_extends_and_the_deadline_moves(city, child):
    case = investigated(city, child)
    found = Investigation.objects.get(case=case)
    original = found.due_on
    row = deadline(case, "child_investigation")
    Deadline.objects.filter(pk=row.pk).update(
        escalated_to=city.users["chef.ifo"], escalated_at=timezone.now()
    )
    new = original + timedelta(days=30)
    # The caseworker's delegation covers decisions in the case, not extending it: nothing changes.
    with pytest.raises(InvalidInput) as error:
        inv.extend_investigation(
            actor=city.users["handlaggare.barn"], case=case, new_due_on=new, reasons="BUP:s utlåtande dröjer."
        )
    assert "delegation" in str(error.value.errors["__all__"])
    assert InvestigationExtension.objects.count() == 0
    manager = city.users["chef.ifo"]
    with pytest.raises(InvalidInput) as error:
        inv.extend_investigation(actor=manager, case=case, new_due_on=original, reasons="kort")
    assert set(error.value.errors) == {"new_due_on", "reasons"}
    extension = inv.extend_investigation(
        actor=manager, case=case, new_due_on=new, reasons="BUP:s utlåtande om barnet har inte kommit in."
    )
    assert (extension.previous_due_on, extension.new_due_on, extension.delegation_reference) == (
        original,
        new,
        "2.1",
    )
    row.refresh_from_db()
    assert (row.due_on, row.escalated_to_id, row.escalated_at) == (new, None, None)
    assert Investigation.objects.get(case=case).due_on == new
    event = AuditEvent.objects.get(action="extend_child_investigation")
    assert event.details["previous_due_on"] == original.isoformat()
    assert event.details["new_due_on"] == new.isoformat()


# --- communication to each guardian ------------------------------------------------------------------


def test_each_guardian_is_communicated_and_answers_before_the_decision(city, child, today):
    mother, father = with_guardians(city, child)
    case = investigated(city, child)
    document_everything(city, case)
    user = city.users["handlaggare.barn"]
    inv.complete_investigation(actor=user, case=case, summary="Barnet behöver stöd utanför hemmet.")
    sent = inv.record_guardian_communication(
        actor=user,
        case=case,
        guardian=mother,
        sent_on=today,
        method="letter",
        reply_due_on=today + timedelta(days=10),
    )
    stranger = with_guardians(city, make_other_child(city))[0]
    with pytest.raises(InvalidInput) as error:
        inv.record_guardian_communication(
            actor=user, case=case, guardian=stranger, sent_on=today, method="letter", reply_due_on=today
        )
    assert set(error.value.errors) == {"guardian", "reply_due_on"}
    # The father has not been sent anything and the mother's reply is not in: no decision yet.
    with pytest.raises(InvalidInput) as error:
        inv.finish_communication(actor=user, case=case)
    assert "Maria Lind" in str(error.value.errors["__all__"]) and "Omar Lind" in str(
        error.value.errors["__all__"]
    )
    inv.record_guardian_reply(actor=user, communication=sent, replied_on=today, reply="Jag håller inte med.")
    inv.record_guardian_communication(
        actor=user,
        case=case,
        guardian=father,
        sent_on=today,
        method="digital",
        reply_due_on=today + timedelta(days=10),
    )
    with pytest.raises(InvalidInput):
        inv.finish_communication(actor=user, case=case)
    # Once the father's reply date has passed, the case may go on without his answer.
    GuardianCommunication.objects.filter(guardian=father).update(
        sent_on=today - timedelta(days=20), reply_due_on=today - timedelta(days=1)
    )
    inv.finish_communication(actor=user, case=case)
    case.refresh_from_db()
    assert case.stage == Stage.DECISION
    assert case.communicated_on == today


def make_other_child(city):
    from sociala.tests.factories import make_person

    return make_person(city, child=True, first_name="Annan", last_name="Barnsson")


# --- the decision and the placement record -----------------------------------------------------------


def test_a_placement_decision_has_a_letter_a_placement_record_and_a_six_monthly_consideration(
    city, child, clock
):
    clock(date(2026, 8, 31))
    today = date(2026, 8, 31)
    guardians = with_guardians(city, child)
    case = investigated(city, child)
    document_everything(city, case)
    communicated(city, case, guardians)
    decision = placed(city, case)
    placement = Placement.objects.get(case=case)
    assert (placement.kind, placement.basis, placement.location_name, placement.starts_on) == (
        "foster_home",
        "sol",
        "Familjehemmet Ek",
        today,
    )
    assert placement.intervention.kind == "foster_home"
    assert placement.decision == decision
    assert decision.items.get().description == "Familjehem, Familjehemmet Ek"
    assert Document.objects.filter(case=case, kind=Document.Kind.DECISION_LETTER).count() == 1
    case.refresh_from_db()
    assert case.stage == Stage.INTERVENTION
    consideration = deadline(case, "child_sol_placement_consideration")
    # Six months from 31 August end on the last day of February.
    assert (consideration.starts_on, consideration.due_on) == (today, date(2027, 2, 28))
    assert deadline(case, "child_investigation").status == DeadlineStatus.DONE


def test_care_under_lvu_needs_the_courts_judgment(city, child, today):
    from sociala.children.services import placement as plc

    guardians = with_guardians(city, child)
    case = investigated(city, child)
    document_everything(city, case)
    communicated(city, case, guardians)
    with pytest.raises(InvalidInput) as error:
        placed(city, case, basis="lvu_2")
    assert "basis" in error.value.errors
    assert Placement.objects.count() == 0 and Intervention.objects.count() == 0
    user = city.users["handlaggare.barn"]
    matter = plc.start_lvu_matter(actor=user, case=case, grounds="2", court="Förvaltningsrätten i Stockholm")
    plc.record_lvu_progress(
        actor=user,
        matter=matter,
        application_sent_on=today,
        application_reasons="Brister i hemmet enligt utredningen.",
    )
    plc.record_lvu_progress(actor=user, matter=matter, outcome="granted", outcome_on=today)
    placed(city, case, basis="lvu_2", kind="residential_home")
    case.refresh_from_db()
    assert deadline(case, "child_lvu_consideration").status == DeadlineStatus.OPEN
    placement = Placement.objects.get(case=case)
    review = plc.record_placement_review(
        actor=user,
        placement=placement,
        reviewed_on=today,
        outcome="continue",
        reasons="Vården behövs fortfarande.",
    )
    assert review.rule_code == "child_lvu_consideration"
    assert (
        case.deadlines.filter(rule__code="child_lvu_consideration", status=DeadlineStatus.OPEN).count() == 1
    )
    assert (
        case.deadlines.filter(rule__code="child_lvu_consideration", status=DeadlineStatus.DONE).count() == 1
    )


def test_plans_are_versioned(city, child, today):
    from sociala.children.services import placement as plc

    guardians = with_guardians(city, child)
    case = investigated(city, child)
    document_everything(city, case)
    communicated(city, case, guardians)
    placed(city, case)
    user = city.users["handlaggare.barn"]
    first = plc.save_child_plan(
        actor=user,
        case=case,
        kind="care_plan",
        established_on=today,
        goals="Trygg skolgång.",
        text="Familjehem i Sigtuna.",
    )
    second = plc.save_child_plan(
        actor=user,
        case=case,
        kind="care_plan",
        established_on=today,
        goals="Trygg skolgång, umgänge.",
        text="Umgänge varannan helg.",
    )
    other = plc.save_child_plan(
        actor=user,
        case=case,
        kind="implementation_plan",
        established_on=today,
        goals="Läxhjälp varje vecka.",
        text="Familjehemmet ansvarar.",
    )
    assert (first.version, second.version, other.version) == (1, 2, 1)
    first.refresh_from_db()
    assert first.goals == "Trygg skolgång."


# --- who may do what ---------------------------------------------------------------------------------


@pytest.fixture
def bromma_children_caseworker(city):
    """A caseworker of the children's unit in Bromma, with a full delegation there."""
    user = User.objects.create(username="handlaggare.barn.bromma", first_name="Britt", last_name="Ström")
    Assignment.objects.create(
        user=user, role=Role.CASEWORKER, unit=city.unit("Bromma", "children"), valid_from=date(2020, 1, 1)
    )
    Delegation.objects.create(
        user=user,
        committee=city.districts["Bromma"],
        case_type="*",
        reference="4.1",
        valid_from=date(2020, 1, 1),
    )
    return user


def _attempts(case, user, placement, today):
    from sociala.children.services import placement as plc

    return [
        lambda: inv.save_area_assessment(
            actor=user, case=case, area_code="health", text="Obehörig text här."
        ),
        lambda: inv.record_child_view(
            actor=user, case=case, heard_on=today, heard_how="alone", present="", view="Obehörig text här."
        ),
        lambda: inv.extend_investigation(
            actor=user,
            case=case,
            new_due_on=today + timedelta(days=200),
            reasons="Obehörig förlängning av tiden.",
        ),
        lambda: plc.start_lvu_matter(actor=user, case=case, grounds="2", court="Förvaltningsrätten"),
        lambda: plc.save_child_plan(
            actor=user,
            case=case,
            kind="care_plan",
            established_on=today,
            goals="Obehörig plan.",
            text="Obehörig plan.",
        ),
        lambda: plc.record_placement_visit(
            actor=user, placement=placement, visited_on=today, spoke_alone=True, notes="Obehörigt besök."
        ),
    ]


@pytest.mark.parametrize(
    "username", ["handlaggare.barn.bromma", "handlaggare.ifo", "handlaggare.ao", "admin.lokal"]
)
def test_staff_outside_the_case_get_not_found_and_nothing_changes(
    client, city, child, today, bromma_children_caseworker, username
):
    guardians = with_guardians(city, child)
    case = investigated(city, child)
    document_everything(city, case)
    communicated(city, case, guardians)
    placed(city, case)
    placement = Placement.objects.get(case=case)
    user = city.users.get(username) or bromma_children_caseworker
    counts = _counts()
    for attempt in _attempts(case, user, placement, today):
        with pytest.raises(NotPermitted):
            attempt()
    client.force_login(user)
    for url in [
        f"/children/cases/{case.pk}/",
        f"/children/cases/{case.pk}/investigation/",
        f"/children/cases/{case.pk}/investigation/areas/health/",
        f"/children/cases/{case.pk}/communication/",
        f"/children/cases/{case.pk}/lvu/",
        f"/children/cases/{case.pk}/plans/",
        f"/children/placements/{placement.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "Obehörig text här.", "which": "visit"}).status_code == 404, url
    assert _counts() == counts


def _counts():
    from sociala.children import models

    return {
        name: getattr(models, name).objects.count()
        for name in [
            "AreaAssessment",
            "ChildView",
            "InvestigationExtension",
            "LvuMatter",
            "ChildPlan",
            "PlacementVisit",
            "PlacementReview",
        ]
    } | {"deadlines": Deadline.objects.filter(status=DeadlineStatus.OPEN).count()}


def test_the_caseworker_and_manager_may(client, city, child):
    case = investigated(city, child)
    for username in ["handlaggare.barn", "chef.ifo"]:
        client.force_login(city.users[username])
        assert client.get(f"/children/cases/{case.pk}/investigation/").status_code == 200


# --- query counts ------------------------------------------------------------------------------------


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_cost_the_same_however_much_is_documented(client, city, child, today):
    guardians = with_guardians(city, child)
    case = investigated(city, child)
    user = city.users["handlaggare.barn"]
    client.force_login(user)
    url = f"/children/cases/{case.pk}/investigation/"
    _queries(client, url)  # the first request warms the session and caches
    bare = _queries(client, url)
    document_everything(city, case)
    for n in range(3):
        inv.record_information_source(
            actor=user,
            case=case,
            source_kind="school",
            source_name=f"Källa {n}",
            contacted_on=today,
            what="Uppgifter om barnet.",
            consent="given",
        )
    assert _queries(client, url) == bare
    communicated(city, case, guardians)
    placed(city, case)
    case_url = f"/children/cases/{case.pk}/"
    one = _queries(client, case_url)
    from sociala.children.models import Placement

    placement = Placement.objects.get(case=case)
    from sociala.children.services import placement as plc

    for n in range(3):
        plc.record_placement_visit(
            actor=user,
            placement=placement,
            visited_on=today,
            spoke_alone=bool(n % 2),
            notes="Barnet trivs bra.",
        )
    assert _queries(client, case_url) == one
    page = f"/children/placements/{placement.pk}/"
    first = _queries(client, page)
    plc.record_placement_visit(
        actor=user, placement=placement, visited_on=today, spoke_alone=True, notes="Ännu ett besök."
    )
    assert _queries(client, page) == first
