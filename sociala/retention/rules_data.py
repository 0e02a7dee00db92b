"""The first culling rules, loaded by migration 0002 and after a test database flush.

Sources: socialtjänstlagen (2025:400) 16 kap. 1–4 §§ (2 a § in force 2026-01-15, SFS 2025:1501),
socialtjänstförordningen (2025:468) 13 kap. 1 §, LSS (1993:387) 21 c–d §§. Later changes are new rows
entered by an administrator, never edits of this file.
"""

from datetime import date

SOL_2025 = date(2025, 7, 1)  # socialtjänstlagen (2025:400) and socialtjänstförordningen (2025:468)
LSS_21C = date(2005, 7, 1)  # LSS 21 c § (SFS 2005:125)
CHILD_INVESTIGATION_FROM = date(2026, 1, 15)  # 16 kap. 2 a § SoL (SFS 2025:1501)

# Where a child lives when placed outside the home (SoL 16 kap. 2 § 3): familjehem, jourhem and other
# private homes (both "annat enskilt hem"), stödboende, skyddat boende, HVB, and housing with special
# support for persons with disabilities. Codes of the glossary where it has them.
PLACEMENT_KINDS = [
    "foster_home",
    "emergency_foster_home",
    "private_home",
    "supported_housing",
    "protected_housing",
    "residential_home",
    "disability_housing",
]

RESEARCH_SOURCE = (
    "16 kap. 4 § socialtjänstlagen (2025:400); 13 kap. 1 § socialtjänstförordningen (2025:468); "
    "21 d § andra stycket LSS (1993:387)"
)

RULES = [
    {
        "code": "sol_five_years",
        "kind": "base",
        "name": "Gallras fem år efter sista anteckningen",
        "name_en": "Culled five years after the last entry",
        "legal_source": "16 kap. 1 § socialtjänstlagen (2025:400)",
        "valid_from": SOL_2025,
        "years": 5,
        "case_types": ["*"],
    },
    {
        "code": "lss_five_years",
        "kind": "base",
        "name": "Gallras fem år efter sista anteckningen (LSS)",
        "name_en": "Culled five years after the last entry (LSS)",
        "legal_source": "21 c § lagen (1993:387) om stöd och service till vissa funktionshindrade",
        "valid_from": LSS_21C,
        "years": 5,
        "case_types": ["lss_*"],
    },
    {
        "code": "research_municipality",
        "kind": "research_municipality",
        "name": "Forskningskommun: ingenting gallras",
        "name_en": "Research municipality: nothing is culled",
        "legal_source": RESEARCH_SOURCE,
        "valid_from": SOL_2025,
        # Östergötlands, Gotlands and Västernorrlands län (county codes), and Göteborg (1480).
        "county_codes": ["05", "09", "22"],
        "municipality_codes": ["1480"],
        "note": "För LSS anges urvalet i förordningen (1993:1090) om stöd och service till vissa "
        "funktionshindrade; paragrafen där är inte verifierad (UNVERIFIED).",
    },
    {
        "code": "research_sample",
        "kind": "research_sample",
        "name": "Forskningsurval: född den 5:e, 15:e eller 25:e",
        "name_en": "Research sample: born on the 5th, 15th or 25th",
        "legal_source": RESEARCH_SOURCE,
        "valid_from": SOL_2025,
        "birth_days": [5, 15, 25],
        "note": "För LSS anges urvalet i förordningen (1993:1090) om stöd och service till vissa "
        "funktionshindrade; paragrafen där är inte verifierad (UNVERIFIED).",
    },
    {
        "code": "paternity_investigation",
        "kind": "permanent_matter",
        "name": "Utredning om faderskap eller föräldraskap: gallras aldrig",
        "name_en": "Paternity or parenthood investigation: never culled",
        "legal_source": "16 kap. 2 § 1 socialtjänstlagen (2025:400)",
        "valid_from": SOL_2025,
        "case_types": ["paternity_investigation", "parenthood_investigation"],
    },
    {
        "code": "adoption_investigation",
        "kind": "permanent_matter",
        "name": "Utredning om adoption: gallras aldrig",
        "name_en": "Adoption investigation: never culled",
        "legal_source": "16 kap. 2 § 2 socialtjänstlagen (2025:400)",
        "valid_from": SOL_2025,
        "case_types": ["adoption_investigation"],
    },
    {
        "code": "child_placement",
        "kind": "permanent_matter",
        "name": "Placering av barn utanför hemmet: gallras aldrig",
        "name_en": "Placement of a child outside the home: never culled",
        "legal_source": "16 kap. 2 § 3 socialtjänstlagen (2025:400)",
        "valid_from": SOL_2025,
        "intervention_kinds": PLACEMENT_KINDS,
        "only_as_child": True,
    },
    {
        "code": "lss_child_housing",
        "kind": "permanent_matter",
        "name": "Bostad för barn och ungdomar enligt LSS: gallras aldrig",
        "name_en": "Housing for children under LSS: never culled",
        "legal_source": "21 d § första stycket lagen (1993:387) om stöd och service till vissa funktionshindrade",
        "valid_from": LSS_21C,
        "intervention_kinds": ["lss_child_housing"],
    },
    {
        "code": "child_investigation",
        "kind": "age_limit_matter",
        "name": "Utredning om barns behov av skydd eller stöd: gallras tidigast vid 30 år",
        "name_en": "Investigation of a child's need of protection or support: culled at 30 at the earliest",
        "legal_source": "16 kap. 2 a § socialtjänstlagen (2025:400), i lydelse enligt SFS 2025:1501",
        "valid_from": CHILD_INVESTIGATION_FROM,
        "age": 30,
        "case_types": ["child_report_of_concern", "child_investigation"],
        "requires_investigation": True,
    },
    {
        "code": "custody_agreement",
        "kind": "age_limit_matter",
        "name": "Avtal om vårdnad, boende eller umgänge: gallras tidigast vid 18 år",
        "name_en": "Agreement on custody, residence or contact: culled at 18 at the earliest",
        "legal_source": "16 kap. 3 § socialtjänstlagen (2025:400)",
        "valid_from": SOL_2025,
        "age": 18,
        "case_types": ["custody_agreement", "residence_agreement", "contact_agreement"],
    },
]


def load_initial_culling_rules(rule_model) -> None:
    """Create the rows that are missing; never overwrite what an administrator changed."""
    for row in RULES:
        defaults = {key: value for key, value in row.items() if key not in ("code", "valid_from")}
        rule_model.objects.get_or_create(code=row["code"], valid_from=row["valid_from"], defaults=defaults)
