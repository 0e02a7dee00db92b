"""The care case types: one application per intervention kind, each a data row of the cases app that runs
the application process (IBIC investigation → communication before a refusal → decision → order).

Loaded by care migration 0003 and after a test database flush. Later changes are new rows or edits by
an administrator, never edits of this file. ``home_care_application`` and
``lss_contact_person_application`` came first with the cases app's own rules data and are not repeated.
"""

from __future__ import annotations

from datetime import date

from .code_lists import INTERVENTION_KINDS

# The reply time given in a communication letter before a refusal. Not statute: FL 25 § only says the
# party must get a set time to answer; two weeks is the usual local practice (an administrator changes it
# with a new row).
COMMUNICATION_REPLY_RULE = {
    "code": "communication_reply",
    "name": "Svar på kommunicering",
    "name_en": "Reply to communication",
    "amount": 14,
    "unit": "days",
    "moves_to_working_day": True,
    "legal_source": "25 § förvaltningslagen (2017:900); svarstiden är lokal rutin",
    "completes_when_due": True,
    "valid_from": date(2018, 7, 1),
}

# Case types that existed before this list (rules data of the cases app).
EXISTING = {"home_care", "lss_contact_person"}

_APPLICATION_DEADLINES = [
    {"rule": "undue_delay", "on": "opened", "until": "decision"},
    {"rule": "communication_reply", "until": "communication"},
    {"rule": "appeal_period", "on": "decided"},
    {"rule": "intervention_follow_up", "on": "granted", "until": "follow_up"},
]
# Health care under HSL is not a decision on an application that can be appealed (no appeal period);
# it is still followed up.
_HEALTH_DEADLINES = [
    {"rule": "communication_reply", "until": "communication"},
    {"rule": "intervention_follow_up", "on": "granted", "until": "follow_up"},
]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def care_case_types() -> list[dict]:
    """A case type row for every intervention kind that does not yet have one."""
    rows = []
    for code, name, name_en, area, _unit, basis in INTERVENTION_KINDS:
        if code in EXISTING:
            continue
        is_health = area == "health"
        rows.append(
            {
                "code": f"{code}_request" if is_health else f"{code}_application",
                "name": f"{'Begäran om' if is_health else 'Ansökan om'} {_lower_first(name)}",
                "name_en": f"{'Request for' if is_health else 'Application for'} {_lower_first(name_en)}",
                "service_area": area,
                "intake_kind": "request" if is_health else "application",
                "process_code": "application",
                "legal_basis": basis,
                "intervention_kind": code,
                "is_party_initiated": True,
                "deadline_rules": _HEALTH_DEADLINES if is_health else _APPLICATION_DEADLINES,
            }
        )
    return rows


def load_care_case_types(case_type_model, deadline_rule_model) -> None:
    """Create the rows that are missing; never overwrite what an administrator changed."""
    rule = dict(COMMUNICATION_REPLY_RULE)
    has_completes = any(f.name == "completes_when_due" for f in deadline_rule_model._meta.get_fields())
    if not has_completes:
        rule.pop("completes_when_due")
    deadline_rule_model.objects.get_or_create(
        code=rule.pop("code"), valid_from=rule.pop("valid_from"), defaults=rule
    )
    for row in care_case_types():
        case_type_model.objects.get_or_create(code=row["code"], defaults=row)
