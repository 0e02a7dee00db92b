"""The caseworker's pages: the month's queue, a case's budgets, the budget page and form; who sees what."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sociala.audit.models import AuditEvent
from sociala.benefits import budget_services
from sociala.benefits.budget import BudgetInput, MemberInput
from sociala.benefits.models import Budget, IncomeInquiry
from sociala.benefits.queue import changes_since
from sociala.core.errors import InvalidInput
from sociala.tests.factories import make_person

from . import test_budget_support as support
from .test_budget_support import (
    APRIL,
    income,
    make_budget,
    number_with_profile,
    open_income_case,
    single,
    upload,
)

# The shared fixtures, bound here so that pytest finds them.
applicant, case, ssbtek_pki, ssbtek_settings, ssbtek_simulator = (
    support.applicant,
    support.case,
    support.ssbtek_pki,
    support.ssbtek_settings,
    support.ssbtek_simulator,
)

NNBSP, NBSP = "\u202f", "\u00a0"


def kr(text: str) -> str:
    return text.replace(" ", NNBSP) + f"{NBSP}kr"


def words(response) -> str:
    """The page's main content as plain text, spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    # Only ASCII white space: amounts keep their no-break spaces.
    return re.sub(r"[ \t\r\n]+", " ", text.replace("&amp;", "&")).strip()


def login(client, city, username):
    client.force_login(city.users[username])


@pytest.fixture
def two_months(city, case):
    march = make_budget(
        city, case, data=single(case.person, housing=6000, incomes=[income("housing_allowance", 900)])
    )
    april = budget_services.copy_previous_budget(actor=city.users["handlaggare.ifo"], case=case, month=APRIL)
    april = budget_services.update_budget(
        actor=city.users["handlaggare.ifo"],
        budget=april,
        data=single(case.person, housing=6500, electricity=450, incomes=[income("housing_allowance", 900)]),
    )
    return march, april


def test_the_queue_shows_the_months_budgets_with_changes_flags_and_both_calculations(
    client, city, case, two_months
):
    login(client, city, "handlaggare.ifo")
    response = client.get("/financial-assistance/queue/?month=2026-04")
    assert response.status_code == 200
    text = words(response)
    assert "Ansökningar om ekonomiskt bistånd 2026-04" in text
    assert "1 budget denna månad" in text
    assert (
        f"Sara Sökande {case.reference} · Amina Hassan "
        f"Boende: {kr('6 000')} → {kr('6 500')} Hushållsel: {kr('0')} → {kr('450')} "
        f"Bistånd: {kr('10 320')} → {kr('11 270')}"
    ) in text
    assert f"Underlag saknas Boende {kr('6 500')} saknar underlag; underlag krävs från {kr('1 000')}." in text
    assert (
        f"Riksnorm {kr('5 220')} {kr('5 220')} Skäliga kostnader {kr('6 000')} {kr('6 950')} "
        f"Inkomster {kr('900')} {kr('900')} Bistånd {kr('10 320')} {kr('11 270')}"
    ) in text
    event = AuditEvent.objects.get(action="view_income_support_queue")
    assert event.details == {"month": "2026-04", "person_ids": [case.person_id]}


def test_the_changes_since_last_month_in_words(city, case, two_months):
    march, april = two_months
    assert changes_since(None, march) == ["Ingen budget förra månaden"]
    assert changes_since(march, march) == ["Inget ändrat"]
    partner = make_person(city, first_name="Per")
    may = budget_services.create_budget(
        actor=city.users["handlaggare.ifo"],
        case=case,
        month=date(2026, 5, 1),
        data=BudgetInput(
            members=(
                MemberInput(role="applicant", personal_identity_number=case.person.personal_identity_number),
                MemberInput(
                    role="partner", personal_identity_number=partner.personal_identity_number, name="Per"
                ),
            ),
            costs={"housing": (6500, None), "household_electricity": (450, None)},
        ),
    )
    assert changes_since(april, may) == [
        "Ny i hushållet: Per, make, maka eller sambo",
        f"Bostadsbidrag: {kr('900')} → {kr('0')}",
        f"Bistånd: {kr('11 270')} → {kr('15 460')}",
    ]


def test_last_months_households_without_a_budget_are_offered_for_copying(client, city, case):
    make_budget(city, case)
    login(client, city, "handlaggare.ifo")
    text = words(client.get("/financial-assistance/queue/?month=2026-04"))
    assert "Ingen budget för månaden ännu." in text
    assert (
        f"Sara Sökande {case.reference} {kr('11 220')} Kopiera förra månadens budget för Sara Sökande" in text
    )

    response = client.post(
        f"/financial-assistance/cases/{case.pk}/budgets/copy/", {"month": "2026-04", "next": "queue"}
    )
    april = Budget.objects.get(case=case, month=APRIL)
    assert response.status_code == 302
    assert response["Location"] == f"/financial-assistance/budgets/{april.pk}/"
    text = words(client.get("/financial-assistance/queue/?month=2026-04"))
    assert "Alla hushåll från förra månaden har en budget." in text


def test_only_my_cases(client, city, case):
    from sociala.cases import services as case_services
    from sociala.cases.models import CaseType

    other = case_services.open_case(
        actor=city.users["handlaggare.ifo"],
        person=make_person(city, first_name="Olle"),
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=date(2026, 2, 1),
        sought="Försörjningsstöd",
        assigned_to=city.users["chef.ifo"],
    )
    make_budget(city, case)
    make_budget(city, other)
    login(client, city, "handlaggare.ifo")
    assert "2 budgetar denna månad" in words(client.get("/financial-assistance/queue/?month=2026-03"))
    assert "1 budget denna månad" in words(client.get("/financial-assistance/queue/?month=2026-03&mine=1"))


def test_the_queue_costs_the_same_number_of_queries_for_one_budget_or_five(client, city):
    login(client, city, "handlaggare.ifo")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/financial-assistance/queue/?month=2026-04").status_code == 200
        return len(queries)

    def add():
        person = make_person(city)
        case = open_income_case(city, person)
        make_budget(city, case)
        budget_services.copy_previous_budget(actor=city.users["handlaggare.ifo"], case=case, month=APRIL)

    add()
    one = count()
    for _ in range(4):
        add()
    assert count() == one


def test_the_budget_page_shows_reported_beside_fetched_incomes(client, city, ssbtek_settings):
    person = make_person(city, number=number_with_profile("single_parent"), first_name="Ella", last_name="Ek")
    case = open_income_case(city, person)
    budget = make_budget(
        city,
        case,
        data=single(
            person, housing=8000, incomes=[income("housing_allowance", 3000), income("child_allowance", 1250)]
        ),
    )
    login(client, city, "handlaggare.ifo")
    response = client.post(f"/financial-assistance/budgets/{budget.pk}/fetch-incomes/")
    assert response.status_code == 302
    text = words(client.get(f"/financial-assistance/budgets/{budget.pk}/"))
    assert (
        f"Barnbidrag {kr('1 250')} Försäkringskassan: Barnbidrag {kr('1 250')} "
        f"Bostadsbidrag {kr('3 000')} Försäkringskassan: Bostadsbidrag {kr('3 780')} "
        f"Underhållsstöd eller underhållsbidrag {kr('0')} Försäkringskassan: Underhållsstöd {kr('1 673')}"
    ) in text
    assert (
        f"Bostadsbidrag: redovisat {kr('3 000')}, Försäkringskassan {kr('3 780')} för månaden. "
        f"Skillnaden {kr('780')} är större än {kr('100')}."
    ) in text
    assert "Skatteverket: Sammanräknad förvärvsinkomst, taxeringsår 2026" in text
    assert IncomeInquiry.objects.get().status == "answered"


def test_the_budget_page_explains_every_line_and_shows_last_month(client, city, case, two_months):
    _march, april = two_months
    login(client, city, "handlaggare.ifo")
    response = client.get(f"/financial-assistance/budgets/{april.pk}/")
    text = words(response)
    assert (
        f"Riksnorm Personliga kostnader, ensamstående vuxen {kr('3 940')} {kr('3 940')} "
        f"Hushållsgemensamma kostnader, 1 personer {kr('1 280')} {kr('1 280')} "
        f"Skäliga kostnader Skälig kostnad: Boende {kr('6 000')} {kr('6 500')} "
        f"Skälig kostnad: Hushållsel {kr('450')} "
        f"Inkomster som räknas Inkomst: Bostadsbidrag {kr('900')} {kr('900')}"
    ) in text
    assert (
        "med regelversion: national_norm 2026-01-01; price_base_amount 2026-01-01; job_stimulus 2025-07-01"
        in text
    )
    assert AuditEvent.objects.filter(action="view_budget", case_id=case.pk).count() == 1


def test_entering_a_budget_through_the_form(client, city, case):
    receipt = upload(city, case)
    login(client, city, "handlaggare.ifo")
    page = client.get(f"/financial-assistance/cases/{case.pk}/budgets/new/?month=2026-03")
    assert page.status_code == 200
    assert case.person.formatted_number in page.content.decode()
    data = {
        "month-month": "2026-03",
        "month": "2026-03",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-0-role": "applicant",
        "members-0-personal_identity_number": case.person.formatted_number,
        "members-1-role": "child",
        "members-1-age": "4",
        "members-1-preschool_lunch": "on",
        "members-2-role": "",
        "costs-housing_amount": "9200",
        "costs-housing_receipt": str(receipt.pk),
        "costs-home_insurance_amount": "180",
        "incomes-TOTAL_FORMS": "2",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-member": "household",
        "incomes-0-type": "child_allowance",
        "incomes-0-amount": "1250",
        "incomes-1-type": "",
    }
    response = client.post(f"/financial-assistance/cases/{case.pk}/budgets/new/?month=2026-03", data)
    budget = Budget.objects.get()
    assert response.status_code == 302
    # 3 940 + 2 720 (child 4, lunch at preschool) + 1 410; 9 380 in costs; 1 250 child allowance.
    assert (budget.norm, budget.reasonable_costs, budget.counted_income, budget.assistance) == (
        8070,
        9380,
        1250,
        16200,
    )
    assert budget.costs.get(item="housing").receipt == receipt
    assert budget.flags.count() == 0


def test_the_form_shows_the_services_errors_next_to_the_fields_and_writes_nothing(client, city, case):
    login(client, city, "handlaggare.ifo")
    data = {
        "month": "2026-03",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-role": "applicant",
        "members-0-personal_identity_number": case.person.formatted_number,
        "members-1-role": "child",
        "members-1-age": "25",
        "incomes-TOTAL_FORMS": "1",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-member": "1",
        "incomes-0-type": "employment",
        "incomes-0-amount": "100",
        "incomes-0-job_stimulus": "on",
    }
    response = client.post(f"/financial-assistance/cases/{case.pk}/budgets/new/?month=2026-03", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_members-1-age"' in html
    assert "Riksnormen har belopp för barn och skolungdomar upp till 20 år" in html
    assert 'href="#id_incomes-0-job_stimulus"' in html
    assert Budget.objects.count() == 0


# --- who sees what -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, queue_status, sees_budget",
    [
        ("handlaggare.ifo", 200, True),
        ("chef.ifo", 200, True),
        ("handlaggare.ifo.bromma", 200, False),
        ("handlaggare.ao", 404, False),
        ("controller", 404, False),
        ("utforare.hemtjanst", 404, False),
        ("revisor", 404, False),
    ],
)
def test_role_matrix_for_the_pages(client, city, case, two_months, username, queue_status, sees_budget):
    march, april = two_months
    login(client, city, username)
    queue = client.get("/financial-assistance/queue/?month=2026-04")
    assert queue.status_code == queue_status
    if queue_status == 200:
        assert ("Sara Sökande" in words(queue)) is sees_budget
    pages = [
        f"/financial-assistance/budgets/{april.pk}/",
        f"/financial-assistance/budgets/{april.pk}/edit/",
        f"/financial-assistance/cases/{case.pk}/budgets/",
        f"/financial-assistance/cases/{case.pk}/budgets/new/?month=2026-05",
    ]
    for url in pages:
        assert client.get(url).status_code == (200 if sees_budget else 404), url
    if not sees_budget:
        before = (Budget.objects.count(), AuditEvent.objects.filter(case_id=case.pk).count())
        assert (
            client.post(
                f"/financial-assistance/cases/{case.pk}/budgets/copy/", {"month": "2026-05"}
            ).status_code
            == 404
        )
        assert client.post(f"/financial-assistance/budgets/{april.pk}/fetch-incomes/").status_code == 404
        assert client.post(f"/financial-assistance/budgets/{april.pk}/edit/", {}).status_code == 404
        assert (Budget.objects.count(), AuditEvent.objects.filter(case_id=case.pk).count()) == before


def test_anonymous_users_are_sent_to_sign_in(client, city, case, two_months):
    response = client.get("/financial-assistance/queue/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_a_case_of_another_type_has_no_budgets(client, city):
    from sociala.cases import services as case_services
    from sociala.cases.models import CaseType

    person = make_person(city)
    other = case_services.open_case(
        actor=city.users["handlaggare.ifo"],
        person=person,
        case_type=CaseType.objects.filter(service_area="individual_family")
        .exclude(code="income_support_application")
        .first(),
        received_on=date(2026, 2, 1),
        sought="Annat",
    )
    login(client, city, "handlaggare.ifo")
    assert client.get(f"/financial-assistance/cases/{other.pk}/budgets/").status_code == 404


def test_each_months_application_is_its_own_case_and_last_months_budget_still_follows(client, city, case):
    """A monthly e-application opens a new case: last month's budget is found by the person."""
    make_budget(
        city, case, data=single(case.person, housing=6000, incomes=[income("housing_allowance", 900)])
    )
    april_case = open_income_case(city, case.person, received_on=date(2026, 3, 25))
    login(client, city, "handlaggare.ifo")

    response = client.post(
        f"/financial-assistance/cases/{april_case.pk}/budgets/copy/", {"month": "2026-04", "next": "queue"}
    )

    april = Budget.objects.get(case=april_case, month=APRIL)
    assert response.status_code == 302
    assert april.copied_from == Budget.objects.get(case=case)
    budget_services.update_budget(
        actor=city.users["handlaggare.ifo"],
        budget=april,
        data=single(case.person, housing=6500, incomes=[income("housing_allowance", 900)]),
    )
    text = words(client.get("/financial-assistance/queue/?month=2026-04"))
    assert f"Boende: {kr('6 000')} → {kr('6 500')}" in text
    assert "Ingen budget förra månaden" not in text
    # The household has its April budget in the new case: nothing is left to copy from March.
    assert "Alla hushåll från förra månaden har en budget." in text


def test_last_months_budget_in_a_case_the_user_may_not_see_is_not_copied(city, case):
    make_budget(city, case)
    case.__class__.objects.filter(pk=case.pk).update(
        district=city.districts["Bromma"], unit=city.unit("Bromma", case.service_area), assigned_to=None
    )
    april_case = open_income_case(city, case.person, received_on=date(2026, 3, 25))

    with pytest.raises(InvalidInput) as error:
        budget_services.copy_previous_budget(
            actor=city.users["handlaggare.ifo"], case=april_case, month=APRIL
        )

    assert str(error.value.errors["month"]) == "Det finns ingen budget för 2026-03 att kopiera."
    assert not Budget.objects.filter(case=april_case).exists()


def test_a_household_whose_new_application_has_come_is_copied_into_the_new_case(client, city, case):
    make_budget(city, case)
    april_case = open_income_case(city, case.person, received_on=date(2026, 3, 25))
    login(client, city, "handlaggare.ifo")

    html = client.get("/financial-assistance/queue/?month=2026-04").content.decode()

    assert f'action="/financial-assistance/cases/{april_case.pk}/budgets/copy/"' in html
    assert f'action="/financial-assistance/cases/{case.pk}/budgets/copy/"' not in html
