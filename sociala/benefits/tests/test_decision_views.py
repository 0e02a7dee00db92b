"""The pages of the month's decision and of automated decisions: who sees them, what they do."""

from __future__ import annotations

import re

from sociala.audit.models import AuditEvent
from sociala.benefits import automation
from sociala.benefits.models import DistrictAutomation, IncomeSupportDecision

from . import test_budget_support as support
from .test_automation import standard_april, switch_on
from .test_budget_support import make_budget
from .test_decision import ready_for_decision

applicant, case = support.applicant, support.case


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def form_data(**changes):
    data = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "30",
        "motivation": "Du har rätt till försörjningsstöd för månaden enligt beräkningen.",
        "support_motivation": "",
        "items-0-kind": "dental_care",
        "items-0-description": "Akut tandvård",
        "items-0-applied": "3000",
        "items-0-granted": "2000",
        "items-0-outcome": "partly_granted",
        "items-0-motivation": "Tandvård godtas till kostnaden enligt tandvårdstaxan.",
        "items-1-outcome": "granted",
    }
    data.update(changes)
    return data


def test_the_decision_page_is_prefilled_from_the_budget_and_decides_the_month(client, city, case):
    budget = make_budget(city, case)
    ready_for_decision(city, case, refusal=True)
    client.force_login(city.users["handlaggare.ifo"])
    text = words(client.get(f"/financial-assistance/budgets/{budget.pk}/decide/"))
    assert "Bistånd enligt beräkningen 11 220 kr" in text.replace("\u202f", " ").replace("\xa0", " ")
    response = client.post(f"/financial-assistance/budgets/{budget.pk}/decide/", form_data())
    assert response.status_code == 302
    decision = IncomeSupportDecision.objects.get(budget=budget).decision
    assert [(i.outcome, i.amount) for i in decision.items.all()] == [
        ("granted", 11_220),
        ("partly_granted", 2000),
    ]
    assert (
        AuditEvent.objects.filter(action="view_budget_for_decision", case_id=case.pk).count() == 2
    )  # the form, the post


def test_a_partial_item_without_motivation_is_shown_next_to_the_field_and_nothing_is_decided(
    client, city, case
):
    budget = make_budget(city, case)
    ready_for_decision(city, case, refusal=True)
    client.force_login(city.users["handlaggare.ifo"])
    response = client.post(
        f"/financial-assistance/budgets/{budget.pk}/decide/", form_data(**{"items-0-motivation": ""})
    )
    assert response.status_code == 200
    assert 'href="#id_items-0-motivation"' in response.content.decode()
    assert not IncomeSupportDecision.objects.exists()


def test_another_districts_caseworker_gets_404_and_nothing_changes(client, city, case):
    budget = make_budget(city, case)
    ready_for_decision(city, case)
    client.force_login(city.users["handlaggare.ifo.bromma"])
    assert client.get(f"/financial-assistance/budgets/{budget.pk}/decide/").status_code == 404
    assert client.post(f"/financial-assistance/budgets/{budget.pk}/decide/", form_data()).status_code == 404
    assert not IncomeSupportDecision.objects.exists()


def test_only_administrators_see_the_switch_and_switching_is_audited(client, city):
    client.force_login(city.users["handlaggare.ifo"])
    assert client.get("/financial-assistance/automation/").status_code == 404
    client.force_login(city.users["admin.lokal"])
    text = words(client.get("/financial-assistance/automation/"))
    assert "Rinkeby-Kista" in text and "Bromma" not in text
    rinkeby = city.districts["Rinkeby-Kista"]
    response = client.post(
        "/financial-assistance/automation/",
        {"committee": rinkeby.pk, "enabled": "1", "delegation_reference": "3.1.9"},
    )
    assert response.status_code == 302
    assert DistrictAutomation.objects.get(committee=rinkeby).is_enabled is True
    bromma = city.districts["Bromma"]
    response = client.post(
        "/financial-assistance/automation/",
        {"committee": bromma.pk, "enabled": "1", "delegation_reference": "1"},
    )
    assert response.status_code == 404
    assert not DistrictAutomation.objects.filter(committee=bromma).exists()


def test_the_unit_manager_runs_the_batch_and_the_queue_shows_the_outcome(client, city, applicant):
    april = standard_april(city, applicant)
    switch_on(city)
    client.force_login(city.users["handlaggare.ifo"])
    assert client.post("/financial-assistance/automation/run/", {"month": "2026-04"}).status_code == 404
    client.force_login(city.users["chef.ifo"])
    response = client.post("/financial-assistance/automation/run/", {"month": "2026-04"})
    assert response.status_code == 302
    assert IncomeSupportDecision.objects.get(budget=april).is_automated is True
    text = words(client.get("/financial-assistance/queue/?month=2026-04"))
    assert "Beslutat automatiskt" in text
    assert client.get("/financial-assistance/automation/review/").status_code == 200
    assert automation.enabled_districts() == {city.districts["Rinkeby-Kista"].pk}


def test_the_decision_page_costs_a_fixed_number_of_queries(client, city, case, django_assert_max_num_queries):
    budget = make_budget(city, case)
    ready_for_decision(city, case)
    client.force_login(city.users["handlaggare.ifo"])
    client.get(f"/financial-assistance/budgets/{budget.pk}/decide/")  # warm the session and caches
    with django_assert_max_num_queries(22):
        assert client.get(f"/financial-assistance/budgets/{budget.pk}/decide/").status_code == 200
