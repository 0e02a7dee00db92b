"""The care pages and API: the whole path through the forms, and the role matrix (denied changes nothing)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.care.models import (
    ImplementationPlanVersion,
    LifeAreaAssessment,
    ProviderChoice,
    ProviderJournalEntry,
    ProviderMessage,
)
from sociala.cases.choices import Stage

from .conftest import CASEWORKER, OTHER_PROVIDER_STAFF, PROVIDER_STAFF, open_home_care_case


def login(client, city, username):
    client.force_login(city.users[username])


def test_the_caseworker_investigates_and_decides_through_the_pages(client, care_city, greta):
    case = open_home_care_case(care_city, greta)
    login(client, care_city, CASEWORKER)
    page = client.get(f"/care/cases/{case.pk}/investigation/").content.decode()
    assert "Personligt stöd från närstående" in page and "Känsla av trygghet" in page

    found = client.get("/care/icf-codes/", {"area": "self_care", "icf_q": "tvätt", "self_care-icf_codes": []})
    assert 'value="d510"' in found.content.decode()
    assert "Att tvätta sig" in found.content.decode()
    by_code = client.get("/care/icf-codes/", {"area": "self_care", "icf_q": "d54"}).content.decode()
    assert 'value="d540"' in by_code and 'value="d510"' not in by_code

    saved = client.post(
        f"/care/cases/{case.pk}/investigation/areas/self_care/",
        {
            "self_care-needs": "Behöver hjälp att duscha.",
            "self_care-resources": "Klär sig själv.",
            "self_care-goals": "Känna sig fräsch.",
            "self_care-person_view": "Vill duscha på morgonen.",
            "self_care-icf_codes": ["d510"],
        },
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "Sparat" in saved.content.decode()
    assessment = LifeAreaAssessment.objects.get()
    assert [c.code for c in assessment.icf_codes.all()] == ["d510"]

    client.post(
        f"/care/cases/{case.pk}/investigation/proposals/",
        {
            "intervention_kind": "home_care",
            "description": "Hemtjänst",
            "scope_amount": "24",
            "goals": "Bo kvar hemma.",
            "life_areas": ["self_care"],
        },
    )
    client.post(
        f"/care/cases/{case.pk}/investigation/order-information/",
        {
            "background": "",
            "practical_information": "Portkod 1234.",
            "good_to_know": "Hund.",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Lena Holm",
            "contacts-0-relation": "Dotter",
            "contacts-0-phone": "070-1",
        },
    )
    done = client.post(f"/care/cases/{case.pk}/investigation/complete/", {})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.DECISION

    form = client.get(f"/care/cases/{case.pk}/decision/").content.decode()
    assert 'value="24"' in form and "Bo kvar hemma." in form
    decided = client.post(
        f"/care/cases/{case.pk}/decision/",
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "20",
            "items-0-intervention_kind": "home_care",
            "items-0-description": "Hemtjänst",
            "items-0-scope_amount": "24",
            "items-0-goals": "Bo kvar hemma.",
            "items-0-outcome": "granted",
            "period_start": timezone.localdate().isoformat(),
            "legal_basis": "11 kap. 1 § socialtjänstlagen (2025:400)",
            "motivation": "Utredningen visar behov av hjälp i hemmet.",
        },
    )
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.INTERVENTION
    assert case.decisions.get().items.get().scope == "24 timmar per månad"

    choice_page = client.get(f"/care/cases/{case.pk}/provider-choice/").content.decode()
    assert "Stadens hemtjänst Järva" in choice_page and "Omsorgshuset Hemtjänst AB" in choice_page
    intervention = case.interventions.get()
    sent = client.post(
        f"/care/cases/{case.pk}/provider-choice/",
        {
            "intervention": intervention.pk,
            f"i{intervention.pk}-method": "client_chose",
            f"i{intervention.pk}-provider": str(care_city.providers["hemtjanst_privat"].pk),
            f"i{intervention.pk}-chosen_on": timezone.localdate().isoformat(),
        },
    )
    assert sent.status_code == 302
    choice = ProviderChoice.objects.get()
    assert (choice.provider.name, choice.method) == ("Omsorgshuset Hemtjänst AB", "client_chose")
    assert choice.order.care_details.contacts == [
        {"name": "Lena Holm", "relation": "Dotter", "phone": "070-1"}
    ]


def test_the_provider_sees_the_order_and_writes_the_plan(client, care_city, order):
    login(client, care_city, PROVIDER_STAFF)
    mine = client.get("/care/assignments/").content.decode()
    assert "Greta Holm" in mine and "32 timmar per månad" in mine
    page = client.get(f"/care/orders/{order.pk}/").content.decode()
    for text in [
        "Nyckel i nyckelgömma, kod 1234.",
        "Allergisk mot katt.",
        "Lena Holm",
        "Greta kan bo kvar hemma",
    ]:
        assert text in page
    for hidden in ["Bor ensam sedan maken dog.", "Vill duscha på morgonen.", "Behöver hjälp att duscha"]:
        assert hidden not in page
    new = client.get(f"/care/orders/{order.pk}/plan/").content.decode()
    assert "Greta kan bo kvar hemma och känna sig trygg." in new
    created = client.post(
        f"/care/orders/{order.pk}/plan/",
        {"goals": "Bo kvar.", "how": "Dusch.", "schedule": "Tisdagar.", "performed_by": "Ali."},
    )
    version = ImplementationPlanVersion.objects.get()
    assert created["Location"] == f"/care/plans/{version.plan_id}/"
    assert client.get(f"/care/orders/{order.pk}/plan/")["Location"] == f"/care/plans/{version.plan_id}/"
    client.post(
        f"/care/plans/{version.plan_id}/versions/1/sign/",
        {
            "method": "on_screen",
            "confirmed": "on",
            "signed_name": "Greta Holm",
            "signed_on": timezone.localdate(),
        },
    )
    version.refresh_from_db()
    assert (version.signature_method, version.signed_name) == ("on_screen", "Greta Holm")
    plan_page = client.get(f"/care/plans/{version.plan_id}/").content.decode()
    assert "Signerad på skärmen av Greta Holm" in plan_page


def urls(order, plan_id):
    case_id = order.intervention.case_id
    return {
        "home": "/care/",
        "case": f"/care/cases/{case_id}/",
        "investigation": f"/care/cases/{case_id}/investigation/",
        "decision": f"/care/cases/{case_id}/decision/",
        "choice": f"/care/cases/{case_id}/provider-choice/",
        "reassessment": f"/care/cases/{case_id}/reassessment/",
        "termination": f"/care/cases/{case_id}/termination/",
        "assignments": "/care/assignments/",
        "order": f"/care/orders/{order.pk}/",
        "order_plan": f"/care/orders/{order.pk}/plan/",
        "journal": f"/care/orders/{order.pk}/journal/",
        "plan": f"/care/plans/{plan_id}/",
        "plan_version": f"/care/plans/{plan_id}/versions/1/",
    }


CASE_PAGES = ("case", "investigation", "decision", "choice", "reassessment", "termination")
PROVIDER_PAGES = ("assignments", "order_plan", "journal", "plan", "plan_version")
EXPECTED = {
    CASEWORKER: {
        **dict.fromkeys(CASE_PAGES, 200),
        "home": 200,
        "order": 200,
        **dict.fromkeys(PROVIDER_PAGES, 404),
    },
    PROVIDER_STAFF: {
        **dict.fromkeys(CASE_PAGES, 404),
        "home": 302,
        "order": 200,
        "order_plan": 302,
        **dict.fromkeys(("assignments", "journal", "plan", "plan_version"), 200),
    },
    OTHER_PROVIDER_STAFF: {
        **dict.fromkeys(CASE_PAGES + PROVIDER_PAGES, 404),
        "home": 302,
        "order": 404,
        "assignments": 200,
    },
    "handlaggare.ifo": {**dict.fromkeys(CASE_PAGES + PROVIDER_PAGES, 404), "home": 200, "order": 404},
    "handlaggare.lss": {**dict.fromkeys(CASE_PAGES + PROVIDER_PAGES, 404), "home": 200, "order": 404},
    "socialjour": {**dict.fromkeys(CASE_PAGES + PROVIDER_PAGES, 404), "home": 404, "order": 404},
    "admin": {**dict.fromkeys(CASE_PAGES + PROVIDER_PAGES, 404), "home": 404, "order": 404},
    "revisor": {**dict.fromkeys(CASE_PAGES + PROVIDER_PAGES, 404), "home": 404, "order": 404},
    "controller": {**dict.fromkeys(CASE_PAGES + PROVIDER_PAGES, 404), "home": 404, "order": 404},
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_role_matrix_of_the_care_pages(client, care_city, order, username):
    from .test_provider import save_plan

    plan_id = save_plan(care_city, order).plan_id
    login(client, care_city, username)
    answers = {name: client.get(url).status_code for name, url in urls(order, plan_id).items()}
    assert answers == EXPECTED[username]


def test_anonymous_users_are_sent_to_sign_in(client, care_city, order):
    for url in urls(order, 1).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("username", [OTHER_PROVIDER_STAFF, "handlaggare.ifo", "admin"])
def test_denied_writes_change_nothing(client, care_city, order, username):
    from .test_provider import save_plan

    plan_id = save_plan(care_city, order).plan_id
    case_id = order.intervention.case_id
    before = (
        AuditEvent.objects.filter(person_id=order.intervention.case.person_id)
        .exclude(action__startswith="view")
        .count()
    )
    login(client, care_city, username)
    today = timezone.localdate().isoformat()
    posts = [
        (f"/care/cases/{case_id}/investigation/areas/mobility/", {"mobility-needs": "Rollator"}),
        (f"/care/orders/{order.pk}/messages/", {"kind": "deviation", "occurred_on": today, "text": "x"}),
        (f"/care/orders/{order.pk}/journal/", {"occurred_on": today, "text": "x"}),
        (f"/care/orders/{order.pk}/consent/", {"given": "yes"}),
        (f"/care/plans/{plan_id}/", {"goals": "a", "how": "b", "schedule": "c", "performed_by": "d"}),
        (f"/care/plans/{plan_id}/versions/1/sign/", {"method": "on_paper", "signed_on": today}),
        (f"/care/cases/{case_id}/termination/", {"reason": "moved", "ended_on": today}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    order.refresh_from_db()
    assert order.status == "active" and not order.care_details.authority_may_read_journal
    assert LifeAreaAssessment.objects.count() == 1
    assert ImplementationPlanVersion.objects.count() == 1
    assert ImplementationPlanVersion.objects.get().signature_method == ""
    assert ProviderMessage.objects.count() == 0 and ProviderJournalEntry.objects.count() == 0
    after = (
        AuditEvent.objects.filter(person_id=order.intervention.case.person_id)
        .exclude(action__startswith="view")
        .count()
    )
    assert after == before


def test_the_caseworker_cannot_read_the_provider_journal_without_consent(client, care_city, order):
    from sociala.care import services

    services.write_provider_journal_entry(
        actor=care_city.users[PROVIDER_STAFF], order=order, text="Duschade.", occurred_on=timezone.localdate()
    )
    login(client, care_city, CASEWORKER)
    assert client.get(f"/care/orders/{order.pk}/journal/").status_code == 404
    assert "Läs utförarens journal" not in client.get(f"/care/orders/{order.pk}/").content.decode()
    assert not AuditEvent.objects.filter(action="view_provider_journal").exists()
    services.record_journal_consent(actor=care_city.users[PROVIDER_STAFF], order=order, given=True)
    page = client.get(f"/care/orders/{order.pk}/journal/")
    assert page.status_code == 200 and "Duschade." in page.content.decode()
    assert (
        client.post(
            f"/care/orders/{order.pk}/journal/", {"occurred_on": "2026-01-01", "text": "x"}
        ).status_code
        == 404
    )
    assert ProviderJournalEntry.objects.count() == 1


def test_provider_messages_on_the_start_page_template(client, care_city, order):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from sociala.care import services

    services.send_provider_message(
        actor=care_city.users[PROVIDER_STAFF],
        order=order,
        kind="changed_needs",
        text="Greta behöver hjälp även på kvällen.",
        occurred_on=timezone.localdate(),
    )
    request = RequestFactory().get("/")
    request.user = care_city.users[CASEWORKER]
    html = render_to_string(
        "care/_start_messages.html", {"user": request.user, "request": request}, request=request
    )
    assert "Förändrade behov" in html and "Greta Holm" in html and "Stadens hemtjänst Järva" in html
    request.user = care_city.users["handlaggare.ifo"]
    assert (
        render_to_string("care/_start_messages.html", {"user": request.user}, request=request).strip() == ""
    )


# --- the API ---------------------------------------------------------------------------------

API_EXPECTED = {
    PROVIDER_STAFF: {"orders": 200, "order": 200, "message": 201, "investigation": 404, "icf": 200},
    OTHER_PROVIDER_STAFF: {"orders": 200, "order": 404, "message": 404, "investigation": 404, "icf": 200},
    CASEWORKER: {"orders": 200, "order": 200, "message": 404, "investigation": 200, "icf": 200},
    "handlaggare.ifo": {"orders": 200, "order": 404, "message": 404, "investigation": 404, "icf": 200},
    "admin": {"orders": 403, "order": 403, "message": 403, "investigation": 403, "icf": 200},
    None: {"orders": 401, "order": 401, "message": 401, "investigation": 401, "icf": 401},
}


@pytest.mark.parametrize("username", list(API_EXPECTED))
def test_role_matrix_of_the_api(api, care_city, order, username):
    case_id = order.intervention.case_id
    body = {"kind": "deviation", "occurred_on": timezone.localdate().isoformat(), "text": "Missat besök."}
    answers = {
        "orders": api.get("/orders", username).status_code,
        "order": api.get(f"/orders/{order.pk}", username).status_code,
        "message": api.post(f"/orders/{order.pk}/messages", username, body).status_code,
        "investigation": api.get(f"/cases/{case_id}/investigation", username).status_code,
        "icf": api.get("/icf-codes?q=d5", username).status_code,
    }
    assert answers == API_EXPECTED[username]
    assert ProviderMessage.objects.count() == (1 if username == PROVIDER_STAFF else 0)


def test_the_api_gives_the_provider_the_order_not_the_investigation(api, care_city, order):
    response = api.get("/orders", PROVIDER_STAFF)
    [item] = response.json()
    assert item["scope"] == "32 timmar per månad"
    assert item["goals"] == "Greta kan bo kvar hemma och känna sig trygg."
    assert item["contacts"] == [{"name": "Lena Holm", "relation": "Dotter", "phone": "070-123 45 67"}]
    assert "needs" not in item and "Bor ensam" not in response.content.decode()
    assert api.get("/orders", OTHER_PROVIDER_STAFF).json() == []
    bad = api.post(
        f"/orders/{order.pk}/messages", PROVIDER_STAFF, {"kind": "x", "occurred_on": "2026-01-01", "text": ""}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"kind": "Välj vad meddelandet gäller.", "text": "Skriv vad som har hänt."}


def test_icf_search_through_the_api(api):
    codes = api.get("/icf-codes?q=att tvätta", CASEWORKER).json()
    assert codes == [{"code": "d510", "title": "Att tvätta sig", "title_en": "Washing oneself"}]


def test_query_counts_do_not_grow_with_the_provider_s_orders(
    client, care_city, order, django_assert_num_queries
):
    from sociala.tests.factories import make_person

    from .conftest import choose_default, decide, investigate

    login(client, care_city, PROVIDER_STAFF)
    client.get("/care/assignments/")  # warm the session and the assignment cache
    with django_assert_num_queries(8) as one:
        client.get("/care/assignments/")
    for name in ("Alva", "Bo"):
        person = make_person(care_city, first_name=name, last_name="Berg")
        case = investigate(care_city, open_home_care_case(care_city, person))
        decide(care_city, case)
        case.refresh_from_db()
        choose_default(care_city, case)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/care/assignments/")
    assert page.content.decode().count('class="assignment"') == 3
    with django_assert_num_queries(13):
        client.get(f"/care/orders/{order.pk}/")


def test_the_plan_page_shows_a_changed_decision_and_asks_for_review(client, care_city, order):
    from sociala.care import services

    from .conftest import decide
    from .test_provider import save_plan

    plan_id = save_plan(care_city, order).plan_id
    caseworker = care_city.users[CASEWORKER]
    reassessment = services.open_reassessment(
        actor=caseworker, case=order.intervention.case, received_on=timezone.localdate(), sought="Fallolycka"
    )
    services.complete_investigation(actor=caseworker, case=reassessment.case)
    decide(care_city, reassessment.case, scope="45")
    services.record_provider_choice(
        actor=caseworker,
        intervention=reassessment.case.interventions.get(),
        method="client_chose",
        provider=order.provider,
        chosen_on=timezone.localdate(),
    )
    login(client, care_city, PROVIDER_STAFF)
    page = client.get(f"/care/plans/{plan_id}/").content.decode()
    assert "Beslutet har ändrats – se över planen med den enskilde" in page
    assert "<td>32 timmar per månad</td><td>45 timmar per månad</td>" in page.replace("\n", "")
    client.post(
        f"/care/plans/{plan_id}/",
        {
            "goals": "Bo kvar.",
            "how": "Dusch varje dag.",
            "schedule": "Dagligen kl. 8.",
            "performed_by": "Ali.",
        },
    )
    page = client.get(f"/care/plans/{plan_id}/").content.decode()
    assert "Beslutet har ändrats" not in page and "Version 2" in page


@pytest.mark.parametrize(
    "username, expected",
    [
        (CASEWORKER, True),
        ("handlaggare.lss", True),
        (PROVIDER_STAFF, True),
        ("handlaggare.ifo", False),
        ("handlaggare.barn", False),
        ("admin", False),
        ("revisor", False),
    ],
)
def test_who_gets_the_care_menu_item(care_city, username, expected):
    from sociala.care.templatetags.care import may_care

    assert may_care(care_city.users[username]) is expected
