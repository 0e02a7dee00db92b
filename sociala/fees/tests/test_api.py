"""POST /api/v1/fees/calculations: the issue's example end to end, and a message per wrong field."""

import pytest

from sociala.audit.models import AuditEvent
from sociala.fees.models import FeeDecision

NNBSP, NBSP = "\u202f", "\u00a0"

ISSUE_EXAMPLE = {
    "year": 2026,
    "household": "single",
    "age": 82,
    "monthly_net_income": 18000,
    "housing_cost": 6000,
    "individual_adjustment": 0,
    "services": [{"type": "home_care", "monthly_price": 3500}],
}

CARE = "hemtjänst, dagverksamhet, trygghetslarm, korttidsvistelse och hälso- och sjukvård"


def test_the_issue_example_gives_the_exact_response(api, city):
    response = api.post("/calculations", "handlaggare.ao", ISSUE_EXAMPLE)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "minimum_amount": 7296,
        "reserved_amount": 13296,
        "fee_basis": 18000,
        "fee_capacity": 4704,
        "max_fee": 2660,
        "fee": 2660,
        "lines": [
            {"code": "fee_basis", "label": "Avgiftsunderlag: nettoinkomst per månad", "amount": 18000},
            {
                "code": "minimum_amount",
                "label": f"Minimibelopp för ensamstående: 1,4789 × prisbasbeloppet 59{NNBSP}200{NBSP}kr / 12",
                "amount": 7296,
            },
            {"code": "housing_cost", "label": "Boendekostnad", "amount": 6000},
            {
                "code": "reserved_amount",
                "label": "Förbehållsbelopp: minimibelopp och boendekostnad",
                "amount": 13296,
            },
            {
                "code": "fee_capacity",
                "label": "Avgiftsutrymme: avgiftsunderlag minus förbehållsbelopp",
                "amount": 4704,
            },
            {"code": "price.home_care", "label": "Pris för hemtjänst per månad", "amount": 3500},
            {
                "code": "max_fee.care",
                "label": f"Högsta avgift (maxtaxa) för {CARE}: 0,5392 × prisbasbeloppet / 12",
                "amount": 2660,
            },
            {"code": "fee.care", "label": f"Avgift för {CARE}", "amount": 2660},
            {"code": "fee", "label": "Avgift per månad", "amount": 2660},
        ],
    }


def test_nothing_is_saved_or_logged(api, city):
    before = AuditEvent.objects.count()
    assert api.post("/calculations", "handlaggare.ao", ISSUE_EXAMPLE).status_code == 200
    assert FeeDecision.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_couple_in_2025_with_the_under_age_raise(api, city):
    # 2025: spouse minimum 58 800 × 1.2066 / 12 = 5 912.34 -> 5 912; +10 % = 591.2 -> 591.
    # fee basis 26 000 / 2 = 13 000; reserved 5 912 + 591 + 200 + 4 500 = 11 203; capacity 1 797.
    body = {
        **ISSUE_EXAMPLE,
        "year": 2025,
        "household": "couple",
        "age": 63,
        "monthly_net_income": 26000,
        "housing_cost": 4500,
        "individual_adjustment": 200,
    }
    response = api.post("/calculations", "handlaggare.ao", body).json()
    assert {k: v for k, v in response.items() if k != "lines"} == {
        "minimum_amount": 6503,
        "reserved_amount": 11203,
        "fee_basis": 13000,
        "fee_capacity": 1797,
        "max_fee": 2642,
        "fee": 1797,
    }
    assert [line["code"] for line in response["lines"]][:5] == [
        "joint_income",
        "fee_basis",
        "minimum_amount",
        "under_age_raise",
        "individual_adjustment",
    ]


@pytest.mark.parametrize(
    "username", ["controller", "admin", "revisor", "utforare.hemtjanst", "handlaggare.ifo"]
)
def test_any_signed_in_staff_user_may_calculate(api, city, username):
    assert api.post("/calculations", username, ISSUE_EXAMPLE).status_code == 200


def test_anonymous_is_401(api, city):
    assert api.post("/calculations", None, ISSUE_EXAMPLE).status_code == 401


def test_english_labels_for_an_english_request(api, city):
    response = api.post("/calculations", "handlaggare.ao", ISSUE_EXAMPLE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["lines"][-1] == {"code": "fee", "label": "Fee per month", "amount": 2660}


# --- 422 -------------------------------------------------------------------------------------


def errors(api, **overrides) -> dict:
    response = api.post("/calculations", "handlaggare.ao", {**ISSUE_EXAMPLE, **overrides})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Uppgifterna är inte giltiga."
    return body["errors"]


def test_an_unknown_year_names_the_years_there_are(api, city):
    assert errors(api, year=2031) == {
        "year": "Det finns inga avgiftsregler för år 2031. Regler finns för: 2025, 2026."
    }
    assert set(errors(api, year=10**30)) == {"year"}


def test_a_household_that_is_not_single_or_couple(api, city):
    assert errors(api, household="family") == {
        "household": "Ange hushåll: ”single” (ensamstående) eller ”couple” (sammanlevande makar)."
    }


@pytest.mark.parametrize("field", ["monthly_net_income", "housing_cost"])
def test_negative_amounts(api, city, field):
    assert errors(api, **{field: -1}) == {field: "Beloppet kan inte vara negativt."}


def test_a_negative_price(api, city):
    assert errors(api, services=[{"type": "home_care", "monthly_price": -100}]) == {
        "services.0.monthly_price": "Beloppet kan inte vara negativt."
    }


@pytest.mark.parametrize("age", [-1, 131])
def test_an_age_out_of_range(api, city, age):
    assert errors(api, age=age) == {"age": "Ange en ålder mellan 0 och 130 år."}


def test_an_unknown_service_type(api, city):
    message = errors(api, services=[{"type": "massage", "monthly_price": 100}])["services.0.type"]
    assert message.startswith("Okänd insats. Avgift kan beräknas för: home_care, day_activity")


def test_an_lss_service_without_a_fee(api, city):
    message = errors(api, services=[{"type": "lss_daily_activity", "monthly_price": 100}])["services.0.type"]
    assert message == (
        "Avgift får inte tas ut för den här insatsen enligt LSS (21 §). Enligt LSS får avgift bara tas ut "
        "för bostad, fritidsverksamhet och kulturella aktiviteter (19 §)."
    )


def test_no_services(api, city):
    assert errors(api, services=[]) == {"services": "Ange minst en beviljad insats med pris per månad."}


def test_several_wrong_fields_at_once(api, city):
    assert set(errors(api, year=1999, age=200, housing_cost=-1, services=[])) == {
        "year",
        "age",
        "housing_cost",
        "services",
    }


def test_wrong_types_are_422_per_field(api, city):
    assert set(errors(api, monthly_net_income="many", services="none")) == {"monthly_net_income", "services"}
    response = api.post("/calculations", "handlaggare.ao", {"year": 2026})
    assert response.status_code == 422
    assert {"household", "age", "monthly_net_income", "housing_cost", "services"} <= set(
        response.json()["errors"]
    )
