"""The BBIC triangle's areas as data, loaded by migration 0003 and after a test database flush.

Barnets utveckling and Föräldrarnas förmåga follow /work/shared/DOMAIN.md. The sub-areas of Familj och
miljö are UNVERIFIED there: the rows below carry a note, and an administrator confirms or replaces them
with new rows (a later valid_from), never by editing this file.
"""

from datetime import date

AREAS_VALID_FROM = date(2018, 7, 1)
UNVERIFIED = "UNVERIFIED: delområdet ska bekräftas av systemförvaltaren mot Socialstyrelsens BBIC."

AREAS = [
    ("health", "child_development", "Hälsa", "Health", ""),
    ("education", "child_development", "Utbildning", "Education", ""),
    ("emotions_behaviour", "child_development", "Känslor och beteende", "Emotions and behaviour", ""),
    ("social_relations", "child_development", "Sociala relationer", "Social relationships", ""),
    ("basic_care", "parenting_capacity", "Grundläggande omsorg", "Basic care", ""),
    ("safety", "parenting_capacity", "Säkerhet", "Safety", ""),
    (
        "emotional_availability",
        "parenting_capacity",
        "Känslomässig tillgänglighet",
        "Emotional availability",
        "",
    ),
    (
        "stimulation_guidance",
        "parenting_capacity",
        "Stimulans och vägledning",
        "Stimulation and guidance",
        "",
    ),
    ("family_network", "family_environment", "Familj och nätverk", "Family and network", UNVERIFIED),
    ("housing", "family_environment", "Boende", "Housing", UNVERIFIED),
    ("work_finances", "family_environment", "Arbete och ekonomi", "Work and finances", UNVERIFIED),
    (
        "local_community",
        "family_environment",
        "Social integrering och lokalsamhälle",
        "Social integration and community",
        UNVERIFIED,
    ),
]


def load_bbic_areas(area_model) -> None:
    """Create the rows that are missing; never overwrite what an administrator changed."""
    for position, (code, side, name, name_en, note) in enumerate(AREAS, start=1):
        area_model.objects.get_or_create(
            code=code,
            valid_from=AREAS_VALID_FROM,
            defaults={"side": side, "name": name, "name_en": name_en, "position": position, "note": note},
        )
