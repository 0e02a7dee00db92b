"""Case types of their own per intervention kind, and communication before a refusal."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from sociala.audit.models import AuditEvent
from sociala.care import services
from sociala.care.code_lists import INTERVENTION_KINDS
from sociala.care.models import Communication, LifeArea
from sociala.care.services.communication import communication_letter_pdf
from sociala.care.services.investigation import care_decision_letter_pdf
from sociala.cases import services as case_services
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import CaseType, Deadline
from sociala.core.errors import InvalidInput
from sociala.documents.models import Document

from .conftest import CASEWORKER

pytestmark = pytest.mark.django_db


def test_every_intervention_kind_has_a_case_type_running_the_application_process():
    kinds = {code for code, *_rest in INTERVENTION_KINDS}
    types = {t.intervention_kind: t for t in CaseType.objects.filter(intervention_kind__in=kinds)}
    assert set(types) == kinds
    assert {t.process_code for t in types.values()} == {"application"}
    residential = types["residential_care"]
    assert (residential.code, residential.name, residential.service_area) == (
        "residential_care_application",
        "Ansökan om särskilt boende",
        "elderly",
    )
    assert residential.legal_basis == "11 kap. 1 § socialtjänstlagen (2025:400)"
    assert types["lss_daily_activity"].legal_basis == (
        "9 § 10 lagen (1993:387) om stöd och service till vissa funktionshindrade"
    )
    hsl = types["home_health_care"]
    assert (hsl.code, hsl.service_area, hsl.intake_kind) == ("home_health_care_request", "health", "request")
    assert "appeal_period" not in {spec["rule"] for spec in hsl.deadline_rules}


def _open(city, person, code: str, username=CASEWORKER):
    actor = city.users[username]
    case = case_services.open_case(
        actor=actor,
        person=person,
        case_type=CaseType.objects.get(code=code),
        received_on=timezone.localdate(),
        sought="Vill flytta till ett boende med personal dygnet runt",
    )
    return case_services.complete_step(actor=actor, case=case, step="intake")


def _investigate(city, case, *, kind: str, scope=None, refusal_intended=False, username=CASEWORKER):
    actor = city.users[username]
    services.save_life_area_assessment(
        actor=actor,
        case=case,
        life_area=LifeArea.objects.get(code="sense_of_security"),
        needs="Känner sig otrygg på natten och har fallit tre gånger.",
        goals="Känna sig trygg dygnet runt.",
        person_view="Vill inte vara ensam på nätterna.",
    )
    if not refusal_intended:
        services.add_proposed_intervention(
            actor=actor,
            case=case,
            intervention_kind=kind,
            description="Plats i särskilt boende",
            scope_amount=scope,
            goals="Trygghet dygnet runt.",
        )
    return services.complete_investigation(actor=actor, case=case, refusal_intended=refusal_intended)


@pytest.mark.parametrize(
    ("code", "kind", "scope", "expected_scope", "expected_unit"),
    [
        ("residential_care_application", "residential_care", None, "en plats", "place"),
        ("day_activity_application", "day_activity", "2", "2 tillfällen per vecka", "activities_per_week"),
        ("short_stay_application", "short_stay", "6", "6 dygn per månad", "days_per_month"),
        ("safety_alarm_application", "safety_alarm", None, "", "none"),
    ],
)
def test_an_application_of_each_kind_runs_ibic_to_a_decision_with_its_legal_basis_and_scope(
    care_city, greta, code, kind, scope, expected_scope, expected_unit
):
    case = _investigate(care_city, _open(care_city, greta, code), kind=kind, scope=scope)
    decision = services.decide_from_investigation(
        actor=care_city.users[CASEWORKER],
        case=case,
        items=[
            {
                "intervention_kind": kind,
                "description": "Insatsen",
                "scope_amount": scope,
                "goals": "Trygghet dygnet runt.",
                "outcome": "granted",
            }
        ],
        period_start=timezone.localdate(),
        period_end=None,
        motivation="Utredningen visar ett behov som inte kan mötas på annat sätt.",
        legal_basis=case.case_type.legal_basis,
    )
    item = decision.items.get()
    assert (item.intervention_kind, item.scope, item.care_terms.scope_unit) == (
        kind,
        expected_scope,
        expected_unit,
    )
    assert item.legal_basis == "11 kap. 1 § socialtjänstlagen (2025:400)"
    assert decision.legal_basis == "11 kap. 1 § socialtjänstlagen (2025:400)"
    letters = Document.objects.filter(case=case, kind=Document.Kind.DECISION_LETTER)
    assert [d.title for d in letters] == [f"Beslut {decision.reference}"]


def test_the_decision_letter_shows_goals_scope_period_and_legal_basis_per_intervention(care_city, greta):
    case = _investigate(
        care_city, _open(care_city, greta, "day_activity_application"), kind="day_activity", scope="2"
    )
    decision = services.decide_from_investigation(
        actor=care_city.users[CASEWORKER],
        case=case,
        items=[
            {
                "intervention_kind": "day_activity",
                "description": "Dagverksamhet med social samvaro",
                "scope_amount": "2",
                "goals": "Träffa andra två dagar i veckan.",
                "outcome": "granted",
            }
        ],
        period_start=date(2026, 12, 1),
        period_end=date(2027, 5, 31),
        motivation="Utredningen visar ett behov av social samvaro och aktivitet.",
    )
    text = _pdf_text(care_decision_letter_pdf(decision))
    for expected in (
        "Du får det du ansökte om.",
        "Dagverksamhet med social samvaro",
        "2 tillfällen per vecka",
        "2026-12-01 – 2027-05-31",
        "Mål med insatsen: Träffa andra två dagar i veckan.",
        "Känsla av trygghet: Känna sig trygg dygnet runt.",
        "11 kap. 1 § socialtjänstlagen (2025:400)",
        "Så överklagar du",
    ):
        assert expected in text


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- communication before a refusal ----------------------------------------------------------


@pytest.fixture
def refusal_case(care_city, greta):
    case = _open(care_city, greta, "residential_care_application")
    case = _investigate(care_city, case, kind="residential_care", refusal_intended=True)
    assert case.stage == Stage.COMMUNICATION
    return case


REASONS = "Behovet av trygghet på natten kan mötas med trygghetslarm och nattpatrull i hemmet."


def test_sending_the_letter_opens_the_reply_deadline_from_the_rule_row(care_city, refusal_case):
    sent_on = date(2026, 12, 7)  # a Monday; 14 days later is Monday 21 December
    refusal_case.received_on = date(2026, 12, 1)
    refusal_case.save(update_fields=["received_on"])
    communication = services.send_communication(
        actor=care_city.users[CASEWORKER], case=refusal_case, considered_refusal=REASONS, sent_on=sent_on
    )
    assert communication.reply_due_on == date(2026, 12, 21)
    deadline = Deadline.objects.get(case=refusal_case, rule__code="communication_reply")
    assert (deadline.due_on, deadline.status, deadline.assigned_to) == (
        date(2026, 12, 21),
        DeadlineStatus.OPEN,
        care_city.users[CASEWORKER],
    )
    assert communication.material["areas"][0]["area"] == "Känsla av trygghet"
    assert AuditEvent.objects.filter(action="create_care_communication", case_id=refusal_case.pk).count() == 1
    text = _pdf_text(communication_letter_pdf(communication))
    assert "Svara senast 2026-12-21" in text
    assert REASONS in text


def test_the_decision_is_blocked_until_the_reply_came(care_city, refusal_case):
    actor = care_city.users[CASEWORKER]
    communication = services.send_communication(
        actor=actor, case=refusal_case, considered_refusal=REASONS, sent_on=timezone.localdate()
    )
    with pytest.raises(InvalidInput) as error:
        services.finish_communication(actor=actor, case=refusal_case)
    assert "på sig att svara" in error.value.errors["__all__"]
    # The generic step button is blocked by the same open deadline.
    with pytest.raises(InvalidInput) as error:
        case_services.complete_step(actor=actor, case=refusal_case, step=Stage.COMMUNICATION)
    assert "på sig att svara" in error.value.errors["step"]
    refusal_case.refresh_from_db()
    assert refusal_case.stage == Stage.COMMUNICATION
    services.record_communication_reply(
        actor=actor,
        communication=communication,
        replied_on=timezone.localdate(),
        reply="Jag vill inte ha larm.",
    )
    assert Deadline.objects.get(pk=communication.deadline_id).status == DeadlineStatus.DONE
    case = services.finish_communication(actor=actor, case=refusal_case)
    assert case.stage == Stage.DECISION
    assert case.communicated_on == timezone.localdate()
    decision = services.decide_from_investigation(
        actor=actor,
        case=case,
        items=[
            {
                "intervention_kind": "residential_care",
                "description": "Plats i särskilt boende",
                "outcome": "refused",
                "motivation": "Behovet kan tillgodoses i hemmet.",
            }
        ],
        period_start=timezone.localdate(),
        period_end=None,
        motivation="Behovet av trygghet kan mötas i hemmet med trygghetslarm och nattpatrull.",
    )
    assert decision.outcome == "refused"
    text = _pdf_text(care_decision_letter_pdf(decision))
    assert "Du får inte det du ansökte om." in text
    assert f"Du fick ta del av utredningen {timezone.localdate():%Y-%m-%d} och svarade" in text


def test_the_decision_may_follow_when_the_reply_date_passed(care_city, refusal_case):
    actor = care_city.users[CASEWORKER]
    sent_on = timezone.localdate() - timedelta(days=20)
    refusal_case.received_on = sent_on - timedelta(days=5)
    refusal_case.save(update_fields=["received_on"])
    communication = services.send_communication(
        actor=actor, case=refusal_case, considered_refusal=REASONS, sent_on=sent_on
    )
    assert communication.reply_due_on < timezone.localdate()
    case = services.finish_communication(actor=actor, case=refusal_case)
    assert case.stage == Stage.DECISION


def test_bad_input_gets_a_message_per_field_and_changes_nothing(care_city, refusal_case):
    with pytest.raises(InvalidInput) as error:
        services.send_communication(
            actor=care_city.users[CASEWORKER],
            case=refusal_case,
            considered_refusal="kort",
            sent_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(error.value.errors) == {"considered_refusal", "sent_on"}
    assert not Communication.objects.exists()
    assert not Deadline.objects.filter(rule__code="communication_reply").exists()


def test_only_a_caseworker_who_may_write_in_the_case_sends_the_letter(care_city, refusal_case):
    from sociala.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.send_communication(
            actor=care_city.users["handlaggare.ifo"], case=refusal_case, considered_refusal=REASONS
        )
    assert not Communication.objects.exists()


# --- the pages -------------------------------------------------------------------------------


def test_the_caseworker_communicates_and_records_the_reply_through_the_pages(client, care_city, refusal_case):
    client.force_login(care_city.users[CASEWORKER])
    overview = client.get(f"/care/cases/{refusal_case.pk}/").content.decode()
    assert f'href="/care/cases/{refusal_case.pk}/communication/"' in overview
    url = f"/care/cases/{refusal_case.pk}/communication/"
    bad = client.post(url, {"considered_refusal": "", "sent_on": ""})
    assert bad.status_code == 200
    assert not Communication.objects.exists()
    today = timezone.localdate()
    response = client.post(url, {"considered_refusal": REASONS, "sent_on": today.isoformat()})
    assert response.status_code == 302
    communication = Communication.objects.get()
    page = client.get(url).content.decode()
    assert communication.reply_due_on.isoformat() in page
    assert "Kommuniceringen är klar" not in page
    letter = client.get(f"{url}{communication.pk}/letter.pdf")
    assert (letter.status_code, letter["Content-Type"]) == (200, "application/pdf")
    blocked = client.post(f"{url}finish/")
    assert blocked.status_code == 302
    refusal_case.refresh_from_db()
    assert refusal_case.stage == Stage.COMMUNICATION
    start = client.get("/").content.decode()
    assert "Svar på kommunicering" in start
    client.post(
        f"{url}{communication.pk}/reply/",
        {"replied_on": today.isoformat(), "reply": "Jag vill hellre bo kvar."},
    )
    communication.refresh_from_db()
    assert communication.reply == "Jag vill hellre bo kvar."
    client.post(f"{url}finish/")
    refusal_case.refresh_from_db()
    assert refusal_case.stage == Stage.DECISION


def test_another_units_caseworker_gets_404_on_the_communication_pages(client, care_city, refusal_case):
    client.force_login(care_city.users["handlaggare.ifo"])
    url = f"/care/cases/{refusal_case.pk}/communication/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"considered_refusal": REASONS, "sent_on": "2026-12-01"}).status_code == 404
    assert not Communication.objects.exists()


def test_the_communication_page_answers_in_a_bounded_number_of_queries(
    client, care_city, refusal_case, django_assert_max_num_queries
):
    services.send_communication(
        actor=care_city.users[CASEWORKER], case=refusal_case, considered_refusal=REASONS
    )
    client.force_login(care_city.users[CASEWORKER])
    url = f"/care/cases/{refusal_case.pk}/communication/"
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_a_request_for_home_health_care_runs_the_same_path_without_an_appeal_period(care_city, greta):
    from sociala.accounts.choices import Role
    from sociala.accounts.models import Assignment, Delegation

    actor = care_city.users[CASEWORKER]
    Assignment.objects.create(
        user=actor,
        role=Role.CASEWORKER,
        unit=care_city.units[("Rinkeby-Kista", "health")],
        valid_from=date(2025, 1, 1),
    )
    Delegation.objects.create(
        user=actor,
        committee=care_city.districts["Rinkeby-Kista"],
        case_type="home_health_care_request",
        reference="7.1",
        valid_from=date(2025, 1, 1),
    )
    case = _open(care_city, greta, "home_health_care_request")
    assert (case.service_area, case.unit.service_area) == ("health", "health")
    case = _investigate(care_city, case, kind="home_health_care", scope="8")
    decision = services.decide_from_investigation(
        actor=actor,
        case=case,
        items=[
            {
                "intervention_kind": "home_health_care",
                "description": "Såromläggning i hemmet",
                "scope_amount": "8",
                "goals": "Såret läker.",
                "outcome": "granted",
            }
        ],
        period_start=date(2026, 12, 1),
        period_end=None,
        motivation="Greta kan inte ta sig till vårdcentralen och behöver såromläggning.",
        legal_basis=case.case_type.legal_basis,
    )
    item = decision.items.get()
    assert (item.scope, item.legal_basis) == (
        "8 timmar per månad",
        "12 kap. 1 § och 14 kap. 1 § hälso- och sjukvårdslagen (2017:30)",
    )
    assert not Deadline.objects.filter(case=case, rule__code="appeal_period").exists()
    text = _pdf_text(care_decision_letter_pdf(decision))
    assert "Beslut om hälso- och sjukvård kan inte överklagas." in text
    assert "Så överklagar du" not in text
