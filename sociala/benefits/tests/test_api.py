"""POST /api/v1/financial-assistance/calculations: the issue's example end to end, auth, and 422s."""

from __future__ import annotations

import copy
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from sociala.accounts.models import ApiToken
from sociala.audit.models import AuditEvent
from sociala.benefits.models import NationalNorm

URL = "/api/v1/financial-assistance/calculations"
SOURCE = "12 kap. 2 § socialtjänstförordningen (2025:468), i lydelse enligt SFS 2025:1046"

# The request in issue 3, verbatim.
EXAMPLE = {
    "month": "2026-03",
    "members": [
        {"role": "applicant", "age": 34},
        {"role": "partner", "age": 31},
        {"role": "child", "age": 4, "preschool_lunch": True},
    ],
    "reasonable_costs": {
        "housing": 9200,
        "household_electricity": 450,
        "work_travel": 0,
        "home_insurance": 180,
        "union_fee": 0,
        "unemployment_fund_fee": 0,
    },
    "incomes": [
        {"member": 0, "type": "employment", "amount": 8000, "job_stimulus": False},
        {"member": None, "type": "child_allowance", "amount": 1250},
    ],
}


def norm_row(row: str, value: str) -> dict:
    return {
        "table": "national_norm",
        "valid_from": "2026-01-01",
        "row": row,
        "value": value,
        "legal_source": SOURCE,
    }


# Worked by hand: norm 7 100 (couple) + 2 720 (child 4–6 with preschool lunch) + 1 790 (three persons)
# = 11 610; reasonable costs 9 200 + 450 + 180 = 9 830; income 8 000 + 1 250 = 9 250;
# assistance 11 610 + 9 830 − 9 250 = 12 190.
EXPECTED = {
    "norm": 11610,
    "reasonable_costs": 9830,
    "counted_income": 9250,
    "assistance": 12190,
    "lines": [
        {
            "part": "norm",
            "rule": "cohabiting_couple",
            "members": [0, 1],
            "amount": 7100,
            "text": "Personliga kostnader, sammanboende vuxna tillsammans",
            "inputs": {"partner": True},
            "table_rows": [norm_row("cohabiting_couple", "7100")],
        },
        {
            "part": "norm",
            "rule": "child",
            "members": [2],
            "amount": 2720,
            "text": "Personliga kostnader, barn 4 år, äter lunch i förskolan 5 dagar i veckan",
            "inputs": {"age": 4, "preschool_lunch": True, "days_in_household": None},
            "table_rows": [norm_row("child:4-6:with_preschool_lunch", "2720")],
        },
        {
            "part": "norm",
            "rule": "common_costs",
            "members": [],
            "amount": 1790,
            "text": "Hushållsgemensamma kostnader, 3 personer",
            "inputs": {"household_size": 3},
            "table_rows": [norm_row("common_costs:3", "1790")],
        },
        {
            "part": "reasonable_costs",
            "rule": "reasonable_cost",
            "members": [],
            "amount": 9200,
            "text": "Skälig kostnad: Boende",
            "inputs": {"item": "housing"},
            "table_rows": [],
        },
        {
            "part": "reasonable_costs",
            "rule": "reasonable_cost",
            "members": [],
            "amount": 450,
            "text": "Skälig kostnad: Hushållsel",
            "inputs": {"item": "household_electricity"},
            "table_rows": [],
        },
        {
            "part": "reasonable_costs",
            "rule": "reasonable_cost",
            "members": [],
            "amount": 180,
            "text": "Skälig kostnad: Hemförsäkring",
            "inputs": {"item": "home_insurance"},
            "table_rows": [],
        },
        {
            "part": "counted_income",
            "rule": "income",
            "members": [0],
            "amount": 8000,
            "text": "Inkomst: Lön efter skatt",
            "inputs": {"income": 0, "type": "employment"},
            "table_rows": [],
        },
        {
            "part": "counted_income",
            "rule": "income",
            "members": [],
            "amount": 1250,
            "text": "Inkomst: Barnbidrag",
            "inputs": {"income": 1, "type": "child_allowance"},
            "table_rows": [],
        },
    ],
}


def bearer(user) -> dict:
    """Headers for a request as ``user``, with a token made directly (as in sociala/api/tests)."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash(key), expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, user, body):
    return client.post(URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="sv", **bearer(user))


def test_the_issues_example_end_to_end(client, city):
    response = post(client, city.users["handlaggare.ifo"], EXAMPLE)
    assert response.status_code == 200, response.content
    assert response.json() == EXPECTED
    assert response["Cache-Control"] == "no-store"


def test_nothing_is_saved_and_nothing_is_logged(client, city, django_assert_max_num_queries):
    user = city.users["handlaggare.ifo"]
    headers = bearer(user)
    before = AuditEvent.objects.count()
    post(client, user, EXAMPLE)  # loads the 2026 table into the cache
    # Later calculations: the token and the user's row, nothing else (the table comes from the cache).
    with django_assert_max_num_queries(2):
        response = client.post(URL, EXAMPLE, content_type="application/json", **headers)
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "username", ["handlaggare.ifo", "handlaggare.ao", "utforare.hemtjanst", "revisor", "controller", "admin"]
)
def test_every_signed_in_staff_role_may_calculate(client, city, username):
    # The request carries roles and ages only, no personal data: no role needs to be kept out.
    response = post(client, city.users[username], EXAMPLE)
    assert response.status_code == 200
    assert response.json()["assistance"] == 12190


def test_without_a_token_the_answer_is_401(client, db):
    response = client.post(URL, EXAMPLE, content_type="application/json")
    assert response.status_code == 401


def test_an_inactive_user_is_refused(client, city):
    user = city.users["handlaggare.ifo"]
    headers = bearer(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.post(URL, EXAMPLE, content_type="application/json", **headers).status_code == 401


def test_job_stimulus_and_a_part_time_child_through_the_api(client, city):
    # Single parent: 3 940 + child 12 for 15 days 4 390 × 15 / 30 = 2 195 + common costs for two 1 410
    # = 7 545; rent 7 000; salary 10 000 with job stimulus counts 7 500: 7 545 + 7 000 − 7 500 = 7 045.
    body = {
        "month": "2026-06",
        "members": [{"role": "applicant", "age": 40}, {"role": "child", "age": 12, "days_in_household": 15}],
        "reasonable_costs": {"housing": 7000},
        "incomes": [{"member": 0, "type": "employment", "amount": 10000, "job_stimulus": True}],
    }
    response = post(client, city.users["handlaggare.ifo"], body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["norm"], data["reasonable_costs"], data["counted_income"], data["assistance"]) == (
        7545,
        7000,
        7500,
        7045,
    )
    texts = [line["text"] for line in data["lines"]]
    assert "Personliga kostnader, barn 12 år, i hushållet 15 av 30 dagar" in texts
    assert "Jobbstimulans: 25 % av lönen 10\u202f000\u00a0kr räknas inte" in texts
    stimulus = data["lines"][-1]
    assert stimulus["amount"] == -2500
    assert stimulus["table_rows"] == [
        {
            "table": "job_stimulus",
            "valid_from": "2025-07-01",
            "row": "disregarded_share",
            "value": "0.25",
            "legal_source": "12 kap. 8 § socialtjänstlagen (2025:400)",
        }
    ]


# --- 422 --------------------------------------------------------------------------------------

INVALID = "Uppgifterna är inte giltiga."


def changed(**changes) -> dict:
    body = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        target = body
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
    return body


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (changed(month="2026-13"), {"month": "Ange månaden som ÅÅÅÅ-MM, till exempel 2026-03."}),
        (changed(month="mars 2026"), {"month": "Ange månaden som ÅÅÅÅ-MM, till exempel 2026-03."}),
        # The 2025 norm is not verified yet, so there is no table: a clear message, not last year's norm.
        (changed(month="2025-03"), {"month": "Det finns ingen riksnorm för 2025-03."}),
        (
            changed(month="2027-01"),
            {"month": "Det finns ingen riksnorm för 2027-01."},
        ),
        (
            changed(reasonable_costs__housing=-1),
            {"reasonable_costs.housing": "Beloppet får inte vara negativt."},
        ),
        (changed(incomes__1__amount=-1250), {"incomes.1.amount": "Beloppet får inte vara negativt."}),
        (changed(members__0__role="partner"), {"members": "Hushållet måste ha en sökande (role applicant)."}),
        (changed(members__1__role="applicant"), {"members": "Hushållet kan bara ha en sökande."}),
        (changed(members__0__age=121), {"members.0.age": "Åldern ska vara 0–120 år."}),
        (changed(members__1__age=-1), {"members.1.age": "Åldern ska vara 0–120 år."}),
        (
            changed(members__2__age=21),
            {
                "members.2.age": "Riksnormen har belopp för barn och skolungdomar upp till 20 år; räkna en "
                "äldre person som annan vuxen (other_adult)."
            },
        ),
        (
            changed(incomes__0__member=3),
            {"incomes.0.member": "Det finns ingen person med index 3 i members."},
        ),
        (
            changed(members__2__role="grandparent"),
            {"members.2.role": "Okänd roll. Ange applicant, partner, child eller other_adult."},
        ),
        (changed(incomes__1__type="lottery"), {"incomes.1.type": "Okänd inkomsttyp."}),
        (
            changed(members=[], incomes=[]),
            {"members": "Hushållet måste ha en sökande (role applicant)."},
        ),
    ],
)
def test_a_bad_request_gets_422_with_a_message_per_field(client, city, body, errors):
    response = post(client, city.users["handlaggare.ifo"], body)
    assert response.status_code == 422
    assert response.json() == {"detail": INVALID, "errors": errors}


def test_the_month_and_the_household_are_reported_together(client, city):
    body = changed(month="2025-03", members__0__age=200, incomes__0__member=9)
    response = post(client, city.users["handlaggare.ifo"], body)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "month": "Det finns ingen riksnorm för 2025-03.",
        "members.0.age": "Åldern ska vara 0–120 år.",
        "incomes.0.member": "Det finns ingen person med index 9 i members.",
    }


def test_a_misspelt_field_is_refused_rather_than_ignored(client, city):
    # A cost under a wrong name would otherwise silently count as 0.
    body = changed()
    body["reasonable_costs"]["rent"] = 9200
    response = post(client, city.users["handlaggare.ifo"], body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"reasonable_costs.rent"}


def test_wrong_json_types_get_422(client, city):
    response = post(client, city.users["handlaggare.ifo"], changed(members__0__age="thirty"))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"members.0.age"}
    response = post(client, city.users["handlaggare.ifo"], {"members": []})
    assert response.status_code == 422
    assert "month" in response.json()["errors"]


def test_the_calculation_follows_a_changed_norm_at_once(client, city):
    # An administrator corrects the 2026 single amount: the next calculation uses it (the cache is cleared).
    body = {"month": "2026-03", "members": [{"role": "applicant", "age": 30}]}
    user = city.users["handlaggare.ifo"]
    assert post(client, user, body).json()["norm"] == 5220
    norm = NationalNorm.objects.get(valid_from__year=2026)
    norm.single_adult = 4000
    norm.save()
    assert post(client, user, body).json()["norm"] == 5280


def test_the_endpoint_is_in_the_openapi_document(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["post"]
    assert operation["security"] == [{"BearerToken": []}]
    assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
    schemas = document["components"]["schemas"]
    assert schemas["AssistanceMemberIn"]["properties"]["role"]["enum"] == [
        "applicant",
        "partner",
        "child",
        "other_adult",
    ]


@pytest.mark.skipif(
    not (Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.mo").exists(),
    reason="the .mo is not built (run `make messages`)",
)
def test_texts_and_messages_follow_the_requests_language(client, city):
    headers = {"HTTP_ACCEPT_LANGUAGE": "en", **bearer(city.users["handlaggare.ifo"])}
    response = client.post(URL, EXAMPLE, content_type="application/json", **headers)
    assert [line["text"] for line in response.json()["lines"][:2]] == [
        "Personal costs, cohabiting adults together",
        "Personal costs, child 4 years, eats lunch at preschool 5 days a week",
    ]
    response = client.post(URL, changed(month="2025-03"), content_type="application/json", **headers)
    assert response.json()["errors"] == {"month": "There is no national norm for 2025-03."}
