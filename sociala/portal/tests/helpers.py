"""Answers for a whole e-application, as a browser posts them."""

from __future__ import annotations

from django.utils import timezone

from sociala.tests.factories import adult_numbers, child_numbers


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def household(partner_number: str | None = None, child_number: str | None = None) -> dict:
    partner_number = partner_number or adult_numbers()[-1]
    child_number = child_number or child_numbers()[-1]
    return {
        "occupation": "job_seeking",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-role": "partner",
        "members-0-first_name": "Omar",
        "members-0-personal_identity_number": partner_number,
        "members-0-occupation": "studying",
        "members-1-role": "child",
        "members-1-first_name": "Lina",
        "members-1-personal_identity_number": child_number,
    }


COSTS = {
    "tenure": "rental",
    "housing": "9 200",
    "household_electricity": "450 kr",
    "home_insurance": "180",
    "other_costs-TOTAL_FORMS": "1",
    "other_costs-INITIAL_FORMS": "0",
    "other_costs-0-kind": "dental_care",
    "other_costs-0-amount": "1 500",
    "other_costs-0-description": "Lagning av tand",
}
INCOMES = {
    "has_assets": "no",
    "incomes-TOTAL_FORMS": "2",
    "incomes-INITIAL_FORMS": "0",
    "incomes-0-member": "1",
    "incomes-0-type": "student_aid",
    "incomes-0-amount": "3000",
    "incomes-1-member": "0",
    "incomes-1-type": "child_allowance",
    "incomes-1-amount": "1250",
}
CHANGES = {"has_changes": "no"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def start(browser, month: str | None = None) -> int:
    answer = browser.post("/portal/applications/new/", {"month": month or this_month()})
    assert answer.status_code == 302, answer.content
    return int(answer["Location"].split("/")[3])


def fill_all(browser, application_id: int, *, household_data: dict | None = None) -> None:
    base = f"/portal/applications/{application_id}"
    for step, data in (
        ("household", household_data or household()),
        ("costs", COSTS),
        ("incomes", INCOMES),
        ("changes", CHANGES),
    ):
        answer = browser.post(f"{base}/{step}/", {**data, "action": "next"})
        assert answer.status_code == 302, (step, answer.content.decode()[:3000])


def send(browser, application_id: int):
    return browser.post(
        f"/portal/applications/{application_id}/review/", {"declaration": "on", "action": "send"}
    )
