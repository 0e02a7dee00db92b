"""The first code lists of the care app, loaded by migration 0002 and after a test database flush.

Later changes are new rows entered by an administrator, never edits of this file.

ICF: a subset of the two-level codes of Activities and participation (d110–d950) with the Swedish
titles of Socialstyrelsen's translation (Klassifikation av funktionstillstånd, funktionshinder och
hälsa, 2003) as used in IBIC, and WHO's English titles. Codes whose Swedish title could not be checked
against a second source are left out; an administrator adds them as rows.
"""

from datetime import date

CODES_VALID_FROM = date(2003, 8, 1)
AREAS_VALID_FROM = date(2017, 1, 1)
KINDS_VALID_FROM = date(2025, 7, 1)

# IBIC life areas: the nine ICF chapters of activities and participation, and IBIC's two additions.
LIFE_AREAS = [
    ("learning", 1, "Lärande och att tillämpa kunskap", "Learning and applying knowledge", "d1"),
    ("general_tasks", 2, "Allmänna uppgifter och krav", "General tasks and demands", "d2"),
    ("communication", 3, "Kommunikation", "Communication", "d3"),
    ("mobility", 4, "Förflyttning", "Mobility", "d4"),
    ("self_care", 5, "Personlig vård", "Self-care", "d5"),
    ("domestic_life", 6, "Hemliv", "Domestic life", "d6"),
    (
        "interpersonal",
        7,
        "Mellanmänskliga interaktioner och relationer",
        "Interpersonal interactions and relationships",
        "d7",
    ),
    (
        "major_life_areas",
        8,
        "Utbildning, arbete, sysselsättning och ekonomiskt liv",
        "Education, work, employment and economic life",
        "d8",
    ),
    (
        "community_life",
        9,
        "Samhällsgemenskap, socialt och medborgerligt liv",
        "Community, social and civic life",
        "d9",
    ),
    ("sense_of_security", 10, "Känsla av trygghet", "Sense of security", "b1528A"),
    (
        "support_from_relatives",
        11,
        "Personligt stöd från närstående",
        "Personal support from relatives",
        "e398A",
    ),
]

ICF_CODES = [
    # d1 Lärande och att tillämpa kunskap
    ("d110", "Att titta", "Watching"),
    ("d115", "Att lyssna", "Listening"),
    ("d155", "Att förvärva färdigheter", "Acquiring skills"),
    ("d160", "Att fokusera uppmärksamhet", "Focusing attention"),
    ("d163", "Att tänka", "Thinking"),
    ("d166", "Att läsa", "Reading"),
    ("d170", "Att skriva", "Writing"),
    ("d172", "Att räkna", "Calculating"),
    ("d175", "Att lösa problem", "Solving problems"),
    ("d177", "Att fatta beslut", "Making decisions"),
    # d2 Allmänna uppgifter och krav
    ("d210", "Att företa en enstaka uppgift", "Undertaking a single task"),
    ("d220", "Att företa mångfaldiga uppgifter", "Undertaking multiple tasks"),
    ("d230", "Att genomföra daglig rutin", "Carrying out daily routine"),
    (
        "d240",
        "Att hantera stress och andra psykologiska krav",
        "Handling stress and other psychological demands",
    ),
    # d3 Kommunikation
    (
        "d310",
        "Att kommunicera genom att ta emot talade meddelanden",
        "Communicating with – receiving – spoken messages",
    ),
    (
        "d315",
        "Att kommunicera genom att ta emot icke-verbala meddelanden",
        "Communicating with – receiving – nonverbal messages",
    ),
    (
        "d320",
        "Att kommunicera genom att ta emot meddelanden på teckenspråk",
        "Communicating with – receiving – formal sign language messages",
    ),
    (
        "d325",
        "Att kommunicera genom att ta emot skrivna meddelanden",
        "Communicating with – receiving – written messages",
    ),
    ("d330", "Att tala", "Speaking"),
    ("d335", "Att uttrycka sig genom icke-verbala meddelanden", "Producing nonverbal messages"),
    (
        "d340",
        "Att uttrycka sig genom meddelanden på teckenspråk",
        "Producing messages in formal sign language",
    ),
    ("d345", "Att skriva meddelanden", "Writing messages"),
    ("d350", "Konversation", "Conversation"),
    ("d355", "Diskussion", "Discussion"),
    (
        "d360",
        "Att använda kommunikationsutrustningar och kommunikationstekniker",
        "Using communication devices and techniques",
    ),
    # d4 Förflyttning
    ("d410", "Att ändra grundläggande kroppsställning", "Changing basic body position"),
    ("d415", "Att bibehålla en kroppsställning", "Maintaining a body position"),
    ("d420", "Att förflytta sig själv", "Transferring oneself"),
    ("d430", "Att lyfta och bära föremål", "Lifting and carrying objects"),
    ("d440", "Handens finmotoriska användning", "Fine hand use"),
    ("d445", "Att använda arm och hand", "Hand and arm use"),
    ("d450", "Att gå", "Walking"),
    ("d455", "Att röra sig omkring på olika sätt", "Moving around"),
    ("d460", "Att röra sig omkring på olika platser", "Moving around in different locations"),
    ("d465", "Att röra sig omkring med hjälp av utrustning", "Moving around using equipment"),
    ("d470", "Att använda transportmedel", "Using transportation"),
    ("d475", "Att vara förare", "Driving"),
    # d5 Personlig vård
    ("d510", "Att tvätta sig", "Washing oneself"),
    ("d520", "Kroppsvård", "Caring for body parts"),
    ("d530", "Att sköta toalettbehov", "Toileting"),
    ("d540", "Att klä sig", "Dressing"),
    ("d550", "Att äta", "Eating"),
    ("d560", "Att dricka", "Drinking"),
    ("d570", "Att sköta sin egen hälsa", "Looking after one's health"),
    # d6 Hemliv
    ("d610", "Att skaffa bostad", "Acquiring a place to live"),
    ("d620", "Att skaffa varor och tjänster", "Acquisition of goods and services"),
    ("d630", "Att bereda måltider", "Preparing meals"),
    ("d640", "Hushållsarbete", "Doing housework"),
    ("d650", "Att ta hand om hemmets föremål", "Caring for household objects"),
    ("d660", "Att bistå andra", "Assisting others"),
    # d7 Mellanmänskliga interaktioner och relationer
    ("d710", "Grundläggande mellanmänskliga interaktioner", "Basic interpersonal interactions"),
    ("d720", "Sammansatta mellanmänskliga interaktioner", "Complex interpersonal interactions"),
    ("d730", "Att ha kontakt med okända personer", "Relating with strangers"),
    ("d740", "Formella relationer", "Formal relationships"),
    ("d750", "Informella sociala relationer", "Informal social relationships"),
    ("d760", "Familjerelationer", "Family relationships"),
    ("d770", "Intima relationer", "Intimate relationships"),
    # d8 Utbildning, arbete, sysselsättning och ekonomiskt liv
    ("d845", "Att skaffa, behålla och sluta ett arbete", "Acquiring, keeping and terminating a job"),
    ("d860", "Grundläggande ekonomiska transaktioner", "Basic economic transactions"),
    ("d865", "Komplexa ekonomiska transaktioner", "Complex economic transactions"),
    ("d870", "Ekonomisk självförsörjning", "Economic self-sufficiency"),
    # d9 Samhällsgemenskap, socialt och medborgerligt liv
    ("d910", "Samhällsgemenskap", "Community life"),
    ("d920", "Rekreation och fritid", "Recreation and leisure"),
    ("d930", "Religion och andlighet", "Religion and spirituality"),
    ("d940", "Mänskliga rättigheter", "Human rights"),
    ("d950", "Politiskt liv och medborgarskap", "Political life and citizenship"),
]

_SOL = "11 kap. 1 § socialtjänstlagen (2025:400)"
_HSL = "12 kap. 1 § och 14 kap. 1 § hälso- och sjukvårdslagen (2017:30)"
_LSS = "9 § {point} lagen (1993:387) om stöd och service till vissa funktionshindrade"

# code, name, name_en, service area, scope unit, legal basis
INTERVENTION_KINDS = [
    ("home_care", "Hemtjänst", "Home care", "elderly", "hours_per_month", _SOL),
    ("residential_care", "Särskilt boende", "Residential care", "elderly", "place", _SOL),
    ("short_stay", "Korttidsvistelse", "Short stay", "elderly", "days_per_month", _SOL),
    ("safety_alarm", "Trygghetslarm", "Safety alarm", "elderly", "none", _SOL),
    ("day_activity", "Dagverksamhet", "Day activity", "elderly", "activities_per_week", _SOL),
    ("companion_service", "Ledsagning", "Companion service", "elderly", "hours_per_month", _SOL),
    (
        "lss_personal_assistance",
        "Personlig assistans",
        "Personal assistance",
        "disability",
        "hours_per_month",
        _LSS.format(point=2),
    ),
    (
        "lss_companion",
        "Ledsagarservice",
        "Companion service (LSS)",
        "disability",
        "hours_per_month",
        _LSS.format(point=3),
    ),
    (
        "lss_contact_person",
        "Kontaktperson",
        "Contact person",
        "disability",
        "activities_per_week",
        _LSS.format(point=4),
    ),
    (
        "lss_relief",
        "Avlösarservice i hemmet",
        "Relief service at home",
        "disability",
        "hours_per_month",
        _LSS.format(point=5),
    ),
    (
        "lss_short_stay",
        "Korttidsvistelse utanför det egna hemmet",
        "Short stay away from home",
        "disability",
        "days_per_month",
        _LSS.format(point=6),
    ),
    (
        "lss_short_supervision",
        "Korttidstillsyn för skolungdom över 12 år",
        "Short-term supervision for schoolchildren over 12",
        "disability",
        "days_per_month",
        _LSS.format(point=7),
    ),
    (
        "lss_child_housing",
        "Boende i familjehem eller bostad med särskild service för barn eller ungdomar",
        "Foster home or housing with special service for children",
        "disability",
        "place",
        _LSS.format(point=8),
    ),
    (
        "lss_adult_housing",
        "Bostad med särskild service för vuxna",
        "Housing with special service for adults",
        "disability",
        "place",
        _LSS.format(point=9),
    ),
    (
        "lss_daily_activity",
        "Daglig verksamhet",
        "Daily activity",
        "disability",
        "activities_per_week",
        _LSS.format(point=10),
    ),
    (
        "home_health_care",
        "Hemsjukvård",
        "Home health care",
        "health",
        "hours_per_month",
        _HSL,
    ),
]


def load_code_lists(life_area_model, icf_code_model, intervention_kind_model) -> None:
    """Create the rows that are missing; never overwrite what an administrator changed."""
    for code, number, name, name_en, chapter in LIFE_AREAS:
        life_area_model.objects.get_or_create(
            code=code,
            defaults={
                "number": number,
                "name": name,
                "name_en": name_en,
                "icf_chapter": chapter,
                "valid_from": AREAS_VALID_FROM,
            },
        )
    for code, title, title_en in ICF_CODES:
        # Migrations use the historical model, without save(): the search text is set here too.
        icf_code_model.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "title_en": title_en,
                "chapter": code[:2],
                "search_text": f"{code} {title} {title_en}".lower(),
                "valid_from": CODES_VALID_FROM,
            },
        )
    for code, name, name_en, area, unit, basis in INTERVENTION_KINDS:
        intervention_kind_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "service_area": area,
                "scope_unit": unit,
                "legal_basis": basis,
                "valid_from": KINDS_VALID_FROM,
            },
        )
