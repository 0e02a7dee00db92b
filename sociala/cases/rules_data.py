"""The first case types and deadline rules, loaded by migration 0002 and after a test database flush.

Later changes are new rows entered by an administrator, never edits of this file.
"""

from datetime import date

RULES_VALID_FROM = date(2018, 7, 1)

CASE_TYPES = [
    {
        "code": "income_support_application",
        "name": "Ansökan om ekonomiskt bistånd",
        "name_en": "Application for financial assistance",
        "service_area": "individual_family",
        "intake_kind": "application",
        "process_code": "application",
        "legal_basis": "12 kap. 1 § socialtjänstlagen (2025:400)",
        "intervention_kind": "income_support",
        "is_party_initiated": True,
        "deadline_rules": [
            {"rule": "undue_delay", "on": "opened", "until": "decision"},
            {"rule": "appeal_period", "on": "decided"},
        ],
    },
    {
        "code": "home_care_application",
        "name": "Ansökan om hemtjänst",
        "name_en": "Application for home care",
        "service_area": "elderly",
        "intake_kind": "application",
        "process_code": "application",
        "legal_basis": "11 kap. 1 § socialtjänstlagen (2025:400)",
        "intervention_kind": "home_care",
        "is_party_initiated": True,
        "deadline_rules": [
            {"rule": "undue_delay", "on": "opened", "until": "decision"},
            {"rule": "appeal_period", "on": "decided"},
            {"rule": "intervention_follow_up", "on": "granted", "until": "follow_up"},
        ],
    },
    {
        "code": "lss_contact_person_application",
        "name": "Ansökan om kontaktperson enligt LSS",
        "name_en": "Application for a contact person under LSS",
        "service_area": "disability",
        "intake_kind": "application",
        "process_code": "application",
        "legal_basis": "9 § 4 lagen (1993:387) om stöd och service till vissa funktionshindrade",
        "intervention_kind": "lss_contact_person",
        "is_party_initiated": True,
        "deadline_rules": [
            {"rule": "undue_delay", "on": "opened", "until": "decision"},
            {"rule": "appeal_period", "on": "decided"},
            {"rule": "intervention_follow_up", "on": "granted", "until": "follow_up"},
        ],
    },
    {
        "code": "child_report_of_concern",
        "name": "Anmälan om oro för barn",
        "name_en": "Report of concern about a child",
        "service_area": "individual_family",
        "intake_kind": "report_of_concern",
        "process_code": "child_report",
        "legal_basis": "14 kap. 2 § socialtjänstlagen (2025:400)",
        "intervention_kind": "",
        "is_party_initiated": False,
        "deadline_rules": [
            {"rule": "child_safety_assessment", "on": "opened", "until": "intake"},
            {"rule": "child_initial_assessment", "on": "opened", "until": "intake"},
            {"rule": "child_investigation", "on": "investigation", "until": "decision"},
            {"rule": "appeal_period", "on": "decided"},
        ],
    },
]

RULES = [
    ("child_safety_assessment", "Skyddsbedömning", "Safety assessment", 0, "days", False, "SoL 20 kap."),
    (
        "child_initial_assessment",
        "Förhandsbedömning",
        "Initial assessment",
        14,
        "days",
        False,
        "SoL 20 kap. 2 §",
    ),
    (
        "child_investigation",
        "Utredning om barn",
        "Investigation about a child",
        4,
        "months",
        False,
        "SoL 20 kap. 3 §",
    ),
    ("appeal_period", "Tid för överklagande", "Appeal period", 3, "weeks", True, "FL 44 §; SoL 35 kap."),
    (
        "undue_delay",
        "Sex månader utan beslut (dröjsmål)",
        "Six months without decision",
        6,
        "months",
        True,
        "FL 12 §",
    ),
    (
        "intervention_follow_up",
        "Uppföljning av insats",
        "Follow-up of intervention",
        6,
        "months",
        True,
        "Lokal rutin",
    ),
    # Children: LVU and placements (loaded for existing databases by children/migrations/0003).
    (
        "child_lvu_submission",
        "Underställning av omedelbart omhändertagande",
        "Immediate custody submitted to the court",
        1,
        "weeks",
        False,
        "7 § LVU (1990:52)",
    ),
    (
        "child_lvu_court_custody",
        "Förvaltningsrättens prövning av omhändertagandet",
        "The court's review of the immediate custody",
        1,
        "weeks",
        False,
        "7 § LVU (1990:52)",
    ),
    (
        "child_lvu_application",
        "Ansökan om vård enligt LVU",
        "Application for care under LVU",
        4,
        "weeks",
        False,
        "8 § LVU (1990:52)",
    ),
    (
        "child_sol_placement_consideration",
        "Övervägande av placering enligt SoL",
        "Consideration of a placement under SoL",
        6,
        "months",
        False,
        "socialtjänstlagen (2025:400), övervägande var sjätte månad",
    ),
    (
        "child_lvu_consideration",
        "Övervägande av vård enligt 2 § LVU",
        "Consideration of care under LVU 2 §",
        6,
        "months",
        False,
        "13 § första stycket LVU (1990:52)",
    ),
    (
        "child_lvu_review",
        "Prövning av vård enligt 3 § LVU",
        "Review of care under LVU 3 §",
        6,
        "months",
        False,
        "13 § andra stycket LVU (1990:52)",
    ),
]


# Rules that only mark time passing: they end by themselves on the due date.
COMPLETES_WHEN_DUE = {"appeal_period"}


def load_initial_rules(case_type_model, deadline_rule_model) -> None:
    """Create the rows that are missing; never overwrite what an administrator changed."""
    for row in CASE_TYPES:
        case_type_model.objects.get_or_create(code=row["code"], defaults=row)
    # Migration 0002 runs with the model as it was then, before ``completes_when_due`` existed.
    has_completes = any(f.name == "completes_when_due" for f in deadline_rule_model._meta.get_fields())
    for code, name, name_en, amount, unit, moves, source in RULES:
        defaults = {
            "name": name,
            "name_en": name_en,
            "amount": amount,
            "unit": unit,
            "moves_to_working_day": moves,
            "legal_source": source,
        }
        if has_completes:
            defaults["completes_when_due"] = code in COMPLETES_WHEN_DUE
        deadline_rule_model.objects.get_or_create(code=code, valid_from=RULES_VALID_FROM, defaults=defaults)
