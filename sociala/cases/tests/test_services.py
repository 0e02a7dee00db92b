from datetime import date, timedelta

import pytest
from django.http import Http404

from sociala.audit.models import AuditEvent
from sociala.cases import selectors, services
from sociala.cases.choices import DeadlineStatus, JournalStatus, Outcome, Stage
from sociala.cases.models import CaseType, Decision, JournalEntry
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.documents.models import Document
from sociala.tests.factories import make_person


@pytest.fixture
def home_care(db):
    return CaseType.objects.get(code="home_care_application")


def open_home_care(city, person, today):
    return services.open_case(
        actor=city.users["handlaggare.ao"],
        person=person,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=today,
        sought="Hjälp med dusch och städning",
    )


def test_opening_a_case_starts_its_process_and_deadlines(city, today):
    person = make_person(city)
    case = open_home_care(city, person, today)
    assert case.stage == Stage.INTAKE
    assert case.reference == f"{today.year}-{case.pk:06d}"
    assert case.unit == city.unit("Rinkeby-Kista", "elderly")
    deadline = case.deadlines.get()
    assert deadline.rule.code == "undue_delay"
    assert deadline.calendar_due_on.month == (today.month + 5) % 12 + 1
    assert AuditEvent.objects.filter(action="create_case", case_id=case.pk).count() == 1


def test_a_caseworker_cannot_open_a_case_for_a_person_out_of_scope(city, today):
    person = make_person(city, district="Bromma")
    with pytest.raises(NotPermitted):
        open_home_care(city, person, today)


def test_received_on_in_the_future_is_refused_and_nothing_written(city, today, home_care):
    person = make_person(city)
    with pytest.raises(InvalidInput) as error:
        services.open_case(
            actor=city.users["handlaggare.ao"],
            person=person,
            case_type=home_care,
            received_on=today + timedelta(days=1),
            sought="x",
        )
    assert "received_on" in error.value.errors
    assert person.cases.count() == 0


def walk_to_decision(city, case, refusal_intended=False):
    actor = city.users["handlaggare.ao"]
    case = services.complete_step(actor=actor, case=case, step="intake")
    case = services.complete_step(
        actor=actor, case=case, step="investigation", data={"refusal_intended": refusal_intended}
    )
    if refusal_intended:
        assert case.stage == Stage.COMMUNICATION
        case = services.complete_step(actor=actor, case=case, step="communication")
    assert case.stage == Stage.DECISION
    return case


def test_grant_creates_intervention_letter_and_appeal_deadline(city, today):
    person = make_person(city)
    case = walk_to_decision(city, open_home_care(city, person, today))
    decision = services.record_decision(
        actor=city.users["handlaggare.ao"],
        case=case,
        items=[
            {
                "description": "Hemtjänst, personlig omvårdnad",
                "outcome": Outcome.GRANTED,
                "scope": "20 timmar/månad",
            }
        ],
        period_start=today,
        period_end=None,
        motivation="Du behöver hjälp med personlig hygien enligt utredningen.",
    )
    assert decision.outcome == Outcome.GRANTED
    assert decision.delegation_reference == "5.1.1"
    assert decision.legal_basis.startswith("11 kap. 1 §")
    assert "tre veckor" in decision.appeal_instructions
    case.refresh_from_db()
    assert case.stage == Stage.INTERVENTION
    assert case.interventions.get().kind == "home_care"
    letter = Document.objects.get(case=case, kind=Document.Kind.DECISION_LETTER)
    assert letter.file.read(5) == b"%PDF-"
    rules = set(case.deadlines.values_list("rule__code", "status"))
    assert ("undue_delay", DeadlineStatus.DONE) in rules
    assert ("appeal_period", DeadlineStatus.OPEN) in rules
    assert ("intervention_follow_up", DeadlineStatus.OPEN) in rules


def test_intervention_step_needs_an_order_for_home_care(city, today):
    person = make_person(city)
    case = walk_to_decision(city, open_home_care(city, person, today))
    actor = city.users["handlaggare.ao"]
    services.record_decision(
        actor=actor,
        case=case,
        items=[{"description": "Hemtjänst", "outcome": Outcome.GRANTED, "scope": "10 timmar/månad"}],
        period_start=today,
        period_end=None,
        motivation="Behovet är styrkt i utredningen av hemsituationen.",
    )
    with pytest.raises(InvalidInput):
        services.complete_step(actor=actor, case=case, step="intervention")
    services.send_order(
        actor=actor, intervention=case.interventions.get(), provider=city.providers["hemtjanst_kommunal"]
    )
    case = services.complete_step(actor=actor, case=case, step="intervention")
    assert case.stage == Stage.FOLLOW_UP
    case = services.complete_step(actor=actor, case=case, step="follow_up")
    assert case.stage == Stage.CLOSED
    assert case.closed_at is not None


def test_refusal_needs_communication_first(city, today):
    person = make_person(city)
    case = walk_to_decision(city, open_home_care(city, person, today), refusal_intended=False)
    with pytest.raises(InvalidInput) as error:
        services.record_decision(
            actor=city.users["handlaggare.ao"],
            case=case,
            items=[{"description": "Hemtjänst", "outcome": Outcome.REFUSED}],
            period_start=today,
            period_end=None,
            motivation="Behovet kan tillgodoses på annat sätt.",
        )
    assert "25 § förvaltningslagen" in error.value.errors["__all__"]
    assert Decision.objects.count() == 0


def test_refusal_after_communication_closes_the_case(city, today):
    person = make_person(city)
    case = walk_to_decision(city, open_home_care(city, person, today), refusal_intended=True)
    decision = services.record_decision(
        actor=city.users["handlaggare.ao"],
        case=case,
        items=[{"description": "Hemtjänst", "outcome": Outcome.REFUSED}],
        period_start=today,
        period_end=None,
        motivation="Behovet kan tillgodoses på annat sätt.",
    )
    case.refresh_from_db()
    assert decision.outcome == Outcome.REFUSED
    assert case.stage == Stage.CLOSED
    assert not case.interventions.exists()


def test_partly_granted_when_items_differ(city, today):
    assert services.overall_outcome([Outcome.GRANTED, Outcome.REFUSED]) == Outcome.PARTLY_GRANTED
    assert services.overall_outcome([Outcome.GRANTED, Outcome.GRANTED]) == Outcome.GRANTED
    assert services.overall_outcome([Outcome.REFUSED]) == Outcome.REFUSED


def test_no_decision_without_delegation(city, today):
    # chef.ifo has no delegation for elderly care in... they do (*), so use handlaggare.lss's limits:
    person = make_person(city)
    case = walk_to_decision(city, open_home_care(city, person, today))
    # The elderly caseworker's delegation is withdrawn: nobody else in scope may decide.
    city.users["handlaggare.ao"].delegations.all().delete()
    with pytest.raises(InvalidInput) as error:
        services.record_decision(
            actor=city.users["handlaggare.ao"],
            case=case,
            items=[{"description": "Hemtjänst", "outcome": Outcome.GRANTED}],
            period_start=today,
            period_end=None,
            motivation="Behovet är styrkt i utredningen.",
        )
    assert "delegation" in error.value.errors["__all__"]
    case.refresh_from_db()
    assert case.stage == Stage.DECISION


def test_journal_draft_sign_and_correct(city, today):
    person = make_person(city)
    case = open_home_care(city, person, today)
    actor = city.users["handlaggare.ao"]
    draft = services.save_journal_draft(actor=actor, case=case, category="visit", text="Hembesök gjort.")
    draft = services.save_journal_draft(
        actor=actor, case=case, category="visit", text="Hembesök gjort idag.", entry=draft
    )
    assert JournalEntry.objects.count() == 1
    signed = services.sign_journal_entry(actor=actor, entry=draft)
    assert signed.status == JournalStatus.SIGNED
    with pytest.raises(InvalidInput):
        services.save_journal_draft(actor=actor, case=case, category="visit", text="ändrad", entry=signed)
    correction = services.correct_journal_entry(
        actor=actor, entry=signed, text="Hembesök gjort igår.", reason="Fel dag"
    )
    assert correction.corrects == signed
    signed.refresh_from_db()
    assert signed.text == "Hembesök gjort idag."


def test_an_entry_written_and_signed_at_once_is_one_event_a_draft_signed_later_two(city, today):
    case = open_home_care(city, make_person(city), today)
    actor = city.users["handlaggare.ao"]
    entry = services.save_journal_entry(actor=actor, case=case, category="visit", text="Hembesök.", sign=True)
    assert entry.status == JournalStatus.SIGNED
    events = list(
        AuditEvent.objects.filter(object_id=str(entry.pk), action__contains="journal").values_list(
            "action", "details"
        )
    )
    assert events == [("sign_journal_entry", {"written": True})]
    draft = services.save_journal_entry(actor=actor, case=case, category="visit", text="Utkast.")
    services.save_journal_entry(
        actor=actor, case=case, category="visit", text="Klart.", entry=draft, sign=True
    )
    events = list(
        AuditEvent.objects.filter(object_id=str(draft.pk), action__contains="journal")
        .order_by("seq")
        .values_list("action", "details")
    )
    assert events == [("create_journal_draft", {}), ("sign_journal_entry", {})]
    # A refused signature changes nothing: no new entry, the draft keeps its text.
    before = JournalEntry.objects.count()
    other = services.save_journal_entry(actor=actor, case=case, category="visit", text="Nytt utkast.")
    with pytest.raises(InvalidInput):
        services.save_journal_entry(
            actor=actor, case=case, category="visit", text="  ", entry=other, sign=True
        )
    with pytest.raises(InvalidInput):
        services.save_journal_entry(actor=actor, case=case, category="visit", text=" ", sign=True)
    other.refresh_from_db()
    assert (JournalEntry.objects.count(), other.text, other.status) == (
        before + 1,
        "Nytt utkast.",
        JournalStatus.DRAFT,
    )


def test_someone_elses_draft_is_invisible_and_locked(city, today):
    person = make_person(city)
    case = open_home_care(city, person, today)
    draft = services.save_journal_draft(
        actor=city.users["handlaggare.ao"], case=case, category="other", text="utkast"
    )
    assert not selectors.journal_entries(city.users["chef.ifo"]).filter(pk=draft.pk).exists()


def test_case_out_of_scope_is_not_found(city, today):
    person = make_person(city)
    case = open_home_care(city, person, today)
    with pytest.raises(Http404):
        selectors.case_for_user(city.users["handlaggare.ifo.bromma"], case.pk)
    with pytest.raises(Http404):
        selectors.case_for_user(city.users["controller"], case.pk)
    assert selectors.case_for_user(city.users["handlaggare.ao"], case.pk) == case


def test_overdue_deadlines_escalate_to_the_unit_manager(city):
    person = make_person(city)
    actor = city.users["handlaggare.ifo"]
    case = services.open_case(
        actor=actor,
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=date(2025, 1, 2),
        sought="Försörjningsstöd för januari",
    )
    count = services.escalate_overdue_deadlines(actor=city.users["admin"], today=date(2025, 8, 1))
    assert count == 1
    deadline = case.deadlines.get()
    assert deadline.escalated_to == city.users["chef.ifo"]
    assert services.escalate_overdue_deadlines(actor=city.users["admin"], today=date(2025, 8, 1)) == 0


def test_closing_a_case_ends_its_orders_and_the_follow_up_opens_only_on_grants(city, today):
    person = make_person(city)
    actor = city.users["handlaggare.ao"]
    case = walk_to_decision(city, open_home_care(city, person, today))
    services.record_decision(
        actor=actor,
        case=case,
        items=[{"description": "Hemtjänst", "outcome": Outcome.GRANTED}],
        period_start=today,
        period_end=None,
        motivation="Behovet är styrkt i utredningen.",
        produce_letter=False,
    )
    assert not Document.objects.filter(case=case).exists()
    assert case.deadlines.filter(rule__code="intervention_follow_up").exists()
    order = services.send_order(
        actor=actor, intervention=case.interventions.get(), provider=city.providers["hemtjanst_kommunal"]
    )
    case = services.complete_step(actor=actor, case=case, step="intervention")
    case = services.complete_step(actor=actor, case=case, step="follow_up")
    order.refresh_from_db()
    assert order.status == "ended"
    assert AuditEvent.objects.filter(action="end_order", object_id=str(order.pk)).count() == 1


def test_no_follow_up_after_a_refusal(city, today):
    person = make_person(city)
    case = walk_to_decision(city, open_home_care(city, person, today), refusal_intended=True)
    services.record_decision(
        actor=city.users["handlaggare.ao"],
        case=case,
        items=[{"description": "Hemtjänst", "outcome": Outcome.REFUSED}],
        period_start=today,
        period_end=None,
        motivation="Behovet kan tillgodoses på annat sätt.",
    )
    assert not case.deadlines.filter(rule__code="intervention_follow_up").exists()


def test_the_appeal_period_ends_by_itself(city):
    person = make_person(city)
    actor = city.users["handlaggare.ifo"]
    case = services.open_case(
        actor=actor,
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=date(2025, 1, 2),
        sought="Försörjningsstöd",
    )
    services.complete_step(actor=actor, case=case, step="intake")
    services.complete_step(actor=actor, case=case, step="investigation")
    services.record_decision(
        actor=actor,
        case=case,
        items=[{"description": "Stöd", "outcome": Outcome.GRANTED, "amount": 100}],
        period_start=date(2025, 1, 2),
        period_end=None,
        motivation="Behovet är styrkt i utredningen.",
    )
    appeal = case.deadlines.get(rule__code="appeal_period")
    services.escalate_overdue_deadlines(actor=city.users["admin"], today=appeal.due_on + timedelta(days=1))
    appeal.refresh_from_db()
    assert appeal.status == DeadlineStatus.DONE
    assert appeal.escalated_to is None
