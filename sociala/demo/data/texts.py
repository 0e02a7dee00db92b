"""Swedish texts for the demo city's cases: what was sought, journal notes, decisions, phrases.

``{first}`` is replaced by the client's first name and ``{month}`` by a month
("november 2026"). Every text is invented.
"""

from __future__ import annotations

INCOME = "income_support_application"
HOME_CARE = "home_care_application"
LSS = "lss_contact_person_application"
CHILD = "child_report_of_concern"

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]

SOUGHT = {
    INCOME: [
        "Ekonomiskt bistånd till försörjning och hyra för {month}",
        "Försörjningsstöd för {month}; ansökan gäller även hushållsel",
        "Ekonomiskt bistånd för {month} i väntan på beslut om sjukpenning",
        "Försörjningsstöd och hyra för {month} efter att a-kassan tagit slut",
        "Ekonomiskt bistånd för {month}, hyra och hemförsäkring",
        "Försörjningsstöd för {month} samt bistånd till tandvård enligt kostnadsförslag",
        "Ekonomiskt bistånd för {month}; sökande väntar på beslut om studiemedel",
        "Försörjningsstöd för {month} och bistånd till glasögon",
    ],
    HOME_CARE: [
        "Hemtjänst: hjälp med dusch, inköp och städning",
        "Hemtjänst efter utskrivning från sjukhus: personlig omvårdnad morgon och kväll",
        "Hjälp med matlagning, tvätt och städning",
        "Hemtjänst: tillsyn och hjälp med av- och påklädning",
        "Utökad hemtjänst efter fallolycka i hemmet",
        "Hemtjänst med inköp, promenad och dusch en gång i veckan",
        "Hjälp med personlig hygien och måltider",
    ],
    LSS: [
        "Kontaktperson enligt LSS för fritidsaktiviteter och gemenskap",
        "Kontaktperson för att bryta isolering och komma ut i samhället",
        "Kontaktperson enligt 9 § 4 LSS, stöd att delta i föreningsliv",
        "Kontaktperson som kan följa med på bio, simhall och promenader",
        "Kontaktperson enligt LSS, två träffar i månaden",
    ],
    CHILD: [
        "Anmälan från skolan om hög frånvaro och oro för barnets mående",
        "Anmälan från förskolan: barnet kommer ofta hungrig och utan kläder efter väder",
        "Polisens anmälan efter bråk mellan vuxna i hemmet där barnet var närvarande",
        "Anmälan från BVC om oro för föräldrarnas förmåga att tillgodose barnets behov",
        "Anmälan från skolkurator: barnet har berättat om konflikter hemma",
        "Anmälan från hälso- och sjukvården efter upprepade akutbesök",
        "Anmälan från granne om att barnet ofta är ensamt hemma sent på kvällen",
        "Anmälan från fritidsgården om oro för att barnet umgås med äldre ungdomar i riskmiljö",
    ],
}

# (title, text) per case type and step; the step says when in the case the note is written.
JOURNAL = {
    INCOME: {
        "intake": [
            (
                "Ansökan inkommen",
                "Ansökan om ekonomiskt bistånd inkom via e-tjänsten. Kontoutdrag och hyresavi saknas.",
            ),
            (
                "Telefonsamtal med klient",
                "{first} ringer och frågar om ansökan. Informerat om vilka underlag som behövs.",
            ),
            ("Ansökan inkommen", "Ansökan lämnades i receptionen. {first} hänvisas till ett nybesök."),
        ],
        "investigation": [
            (
                "Nybesök",
                "Nybesök med {first}. Gått igenom hushållets inkomster och utgifter. {first} är inskriven på Arbetsförmedlingen.",
            ),
            (
                "Kontroll SSBTEK",
                "Inkomstuppgifter hämtade via SSBTEK. Inga inkomster utöver barnbidrag registrerade.",
            ),
            ("Komplettering inkommen", "{first} har lämnat kontoutdrag för tre månader och hyresavtal."),
            ("Telefonsamtal med klient", "{first} meddelar att sjukpenningen är beviljad från nästa månad."),
            (
                "Planering",
                "Planering upprättad tillsammans med {first}: aktivt arbetssökande och kontakt med jobbtorget.",
            ),
        ],
        "communication": [
            (
                "Kommunicering skickad",
                "Utredningen har kommunicerats med {first}. Svar önskas inom en vecka.",
            ),
        ],
        "decision": [
            (
                "Beslut fattat",
                "Beslut fattat och skickat till {first} med information om hur man överklagar.",
            ),
        ],
        "intervention": [
            ("Utbetalning", "Utbetalning registrerad till {first}s konto."),
            (
                "Hyra betald direkt",
                "Hyran betalas direkt till hyresvärden enligt överenskommelse med {first}.",
            ),
        ],
        "follow_up": [
            ("Uppföljning", "Uppföljning med {first}. Planeringen följs; fortsatt arbetssökande."),
            (
                "Uppföljning",
                "{first} har fått arbete på deltid från nästa månad. Behovet ses över vid nästa ansökan.",
            ),
        ],
    },
    HOME_CARE: {
        "intake": [
            ("Ansökan inkommen", "Ansökan om hemtjänst inkom från {first} via anhörig."),
            (
                "Telefonsamtal med anhörig",
                "Dotter ringer och berättar att {first} har svårt att klara sig hemma efter fallet.",
            ),
            (
                "Samordnad vårdplanering",
                "Meddelande från sjukhuset om planerad utskrivning. {first} önskar hemtjänst.",
            ),
        ],
        "investigation": [
            (
                "Hembesök",
                "Hembesök hos {first}. Bedömning av behov enligt IBIC: personlig vård, hemliv och förflyttning.",
            ),
            (
                "Hembesök",
                "Hembesök tillsammans med arbetsterapeut. {first} behöver hjälp vid dusch och av- och påklädning.",
            ),
            (
                "Telefonsamtal med klient",
                "{first} berättar att hen klarar matlagning själv men inte tunga inköp.",
            ),
            (
                "Kontakt med distriktssköterska",
                "Distriktssköterskan bekräftar behov av tillsyn morgon och kväll.",
            ),
        ],
        "communication": [
            ("Kommunicering skickad", "Utredningen har skickats till {first} för kommunicering."),
        ],
        "decision": [
            (
                "Beslut fattat",
                "Beslut om hemtjänst fattat. {first} informerad per telefon; beslutet skickat med post.",
            ),
        ],
        "intervention": [
            (
                "Beställning skickad",
                "Beställning skickad till utföraren. Start enligt överenskommelse med {first}.",
            ),
            ("Start av insats", "Utföraren bekräftar att insatsen har startat. Genomförandeplan upprättas."),
        ],
        "follow_up": [
            (
                "Uppföljning",
                "Uppföljning med {first} och kontaktman. Insatserna fungerar väl; inga ändrade behov.",
            ),
            (
                "Uppföljning",
                "Uppföljning: {first} har fått ökat behov av hjälp på kvällen. Ny ansökan diskuteras.",
            ),
        ],
    },
    LSS: {
        "intake": [
            ("Ansökan inkommen", "Ansökan om kontaktperson enligt LSS inkom från {first} och god man."),
            ("Telefonsamtal med god man", "God man ringer om ansökan och lovar att skicka in läkarintyg."),
        ],
        "investigation": [
            (
                "Utredningssamtal",
                "Samtal med {first} och god man om intressen, nätverk och önskemål om kontaktperson.",
            ),
            (
                "Underlag inkommet",
                "Läkarintyg och psykologutlåtande har kommit in; personkrets enligt 1 § LSS prövas.",
            ),
            (
                "Hembesök",
                "Hembesök hos {first}. {first} berättar att hen vill träffa någon att gå på bio och träna med.",
            ),
        ],
        "communication": [
            ("Kommunicering skickad", "Utredningen har kommunicerats med {first} och god man."),
        ],
        "decision": [
            ("Beslut fattat", "Beslut fattat och skickat till {first} och god man."),
        ],
        "intervention": [
            (
                "Uppdrag till utförare",
                "Uppdrag skickat för rekrytering av kontaktperson med intresse för idrott.",
            ),
            ("Matchning", "Kontaktperson presenterad för {first}. Första träffen är bokad."),
        ],
        "follow_up": [
            (
                "Uppföljning",
                "Uppföljning: {first} och kontaktpersonen träffas två gånger i månaden och trivs.",
            ),
        ],
    },
    CHILD: {
        "intake": [
            (
                "Skyddsbedömning",
                "Skyddsbedömning gjord samma dag. Inget omedelbart skyddsbehov bedöms föreligga.",
            ),
            ("Anmälan inkommen", "Anmälan mottagen och registrerad. Vårdnadshavare informeras om anmälan."),
            ("Samtal med anmälare", "Samtal med anmälaren för att förtydliga oron kring {first}."),
            (
                "Förhandsbedömning",
                "Samtal med vårdnadshavare och {first}. Bedömning om utredning ska inledas görs inom 14 dagar.",
            ),
        ],
        "investigation": [
            (
                "Samtal med barnet",
                "Enskilt samtal med {first} i skolan. {first} berättar om sin vardag och sina kompisar.",
            ),
            ("Hembesök", "Hembesök hos familjen. Hemmet är städat; {first} visar sitt rum."),
            ("Kontakt med skolan", "Mentor beskriver att närvaron har förbättrats sedan oktober."),
            ("Nätverksmöte", "Nätverksmöte med skola, BVC och vårdnadshavare enligt BBIC."),
        ],
        "communication": [
            ("Kommunicering", "Utredningen har kommunicerats med vårdnadshavarna."),
        ],
        "decision": [
            ("Beslut", "Beslut fattat efter utredning. Vårdnadshavarna har informerats."),
        ],
        "intervention": [
            ("Start av insats", "Familjebehandlare har haft första träffen med familjen."),
            ("Insats pågår", "Stödsamtal med {first} varannan vecka enligt plan."),
        ],
        "follow_up": [
            ("Uppföljning", "Uppföljning av insatsen med familjen. Målen i vårdplanen är delvis uppnådda."),
        ],
    },
}

# Notes written later in a case without a step of their own.
CONTACT_NOTES = [
    (
        "Telefonsamtal med klient",
        "{first} ringer och frågar hur det går med ärendet. Informerat om handläggningstiden.",
    ),
    ("Meddelande", "{first} har skickat ett meddelande via e-tjänsten och bett om att bli uppringd."),
    ("Telefonsamtal med klient", "Sökt {first} per telefon utan svar. Lämnat meddelande."),
]

CATEGORY_BY_STEP = {
    "intake": "contact",
    "investigation": "investigation",
    "communication": "other",
    "decision": "decision",
    "intervention": "other",
    "follow_up": "follow_up",
}
# Some notes are filed under a more precise category by their title.
CATEGORY_BY_TITLE = {
    "Hembesök": "visit",
    "Nybesök": "meeting",
    "Nätverksmöte": "meeting",
    "Utredningssamtal": "meeting",
    "Samordnad vårdplanering": "meeting",
    "Telefonsamtal med klient": "contact",
    "Telefonsamtal med anhörig": "contact",
    "Telefonsamtal med god man": "contact",
}

CORRECTIONS = [
    ("Fel datum angivet i anteckningen.", " Rättelse: besöket ägde rum dagen innan."),
    ("Uppgift om närvarande personer saknades.", " Även tolk var närvarande."),
    (
        "Klienten påpekar att uppgiften var felaktig.",
        " Rättelse: {first} har inte tackat nej till erbjudandet.",
    ),
]

MOTIVATION = {
    INCOME: {
        "granted": "Hushållet saknar inkomster som täcker behovet enligt riksnormen och skäliga boendekostnader. Behovet kan inte tillgodoses på annat sätt.",
        "partly_granted": "Försörjningsstöd beviljas enligt riksnormen. Den del av ansökan som avser {refused} avslås eftersom kostnaden inte bedöms nödvändig för en skälig levnadsnivå.",
        "refused": "Hushållets samlade inkomster överstiger normen och de skäliga kostnaderna för månaden. Behovet bedöms därför tillgodosett.",
    },
    HOME_CARE: {
        "granted": "Utredningen visar att du behöver hjälp för att klara din personliga vård och ditt hemliv. Behovet kan inte tillgodoses på annat sätt.",
        "partly_granted": "Ditt behov av personlig omvårdnad tillgodoses genom hemtjänst. Städning varje vecka beviljas inte, eftersom städning varannan vecka bedöms ge en skälig levnadsnivå.",
        "refused": "Utredningen visar att du klarar din personliga vård och ditt hemliv själv, med hjälp av hjälpmedel. Behovet bedöms tillgodosett på annat sätt.",
    },
    LSS: {
        "granted": "Du tillhör personkretsen enligt 1 § LSS och behöver en kontaktperson för att bryta isolering och få ett mer självständigt liv.",
        "partly_granted": "Kontaktperson beviljas med två träffar i månaden; fler träffar bedöms inte behövas för goda levnadsvillkor.",
        "refused": "Det har inte kunnat visas att du tillhör personkretsen enligt 1 § LSS. Ansökan avslås därför.",
    },
    CHILD: {
        "granted": "Utredningen visar att barnet och familjen behöver stöd. Vårdnadshavarna samtycker till insatsen.",
        "partly_granted": "Stödsamtal för barnet beviljas; familjebehandling bedöms inte behövas i nuläget.",
        "refused": "Utredningen visar inte att barnet behöver skydd eller stöd från socialnämnden. Utredningen avslutas utan insats.",
    },
}

DECISION_ITEMS = {
    HOME_CARE: [
        (
            "Hemtjänst: personlig omvårdnad (dusch, av- och påklädning)",
            ["12 timmar/månad", "20 timmar/månad", "30 timmar/månad"],
        ),
        (
            "Hemtjänst: service (städning, tvätt och inköp)",
            ["4 timmar/månad", "6 timmar/månad", "8 timmar/månad"],
        ),
    ],
    LSS: [("Kontaktperson enligt 9 § 4 LSS", ["2 träffar/månad", "4 träffar/månad", "8 timmar/månad"])],
    CHILD: [
        ("Öppenvårdsinsats: familjebehandling", ["1 gång/vecka", "2 gånger/månad"]),
        ("Stödsamtal för barnet", ["varannan vecka", "1 gång/vecka"]),
    ],
}
INCOME_EXTRAS_REFUSED = [
    "tandvård enligt kostnadsförslag",
    "glasögon",
    "möbler (säng och soffa)",
    "hyresskuld",
]

ORDER_INSTRUCTIONS = {
    HOME_CARE: [
        "Nyckel finns hos anhörig. Ring på dörren två gånger; brukaren hör dåligt.",
        "Start efter utskrivning från sjukhuset. Kontakta dottern inför första besöket.",
        "Brukaren föredrar besök före klockan 9 på morgonen.",
        "",
    ],
    LSS: [
        "Brukaren önskar en kontaktperson med intresse för fotboll och musik.",
        "Första träffen sker tillsammans med god man.",
        "",
    ],
}

CLOSED_NOTES = {
    INCOME: ("Ärendet avslutat", "Ärendet avslutas. {first} har egen försörjning från och med nästa månad."),
    HOME_CARE: ("Ärendet avslutat", "Uppföljning gjord; insatsen avslutas enligt {first}s önskemål."),
    LSS: ("Ärendet avslutat", "Uppdraget avslutat efter uppföljning."),
    CHILD: ("Ärendet avslutat", "Ärendet avslutas. Vårdnadshavarna och {first} har informerats."),
}
NOT_OPENED_NOTE = (
    "Förhandsbedömning klar",
    "Förhandsbedömningen visar att utredning inte behöver inledas. Familjen har fått information om öppna insatser.",
)

# Phrases for the units' journal templates: (title, text, category)
PHRASES = {
    "individual_family": [
        ("Telefonsamtal med klient", "Telefonsamtal med klienten. Samtalet gällde ", "contact"),
        ("Kommunicering skickad", "Utredningen har skickats för kommunicering. Svar önskas senast ", "other"),
        ("Nybesök", "Nybesök. Närvarande: klienten och handläggaren. Vi gick igenom ", "meeting"),
        (
            "Komplettering begärd",
            "Klienten har ombetts komplettera ansökan med följande underlag: ",
            "contact",
        ),
        ("Uteblivet besök", "Klienten kom inte till bokat besök och har inte hört av sig.", "other"),
        ("Kontroll SSBTEK", "Uppgifter hämtade via SSBTEK för perioden ", "investigation"),
    ],
    "children": [
        (
            "Skyddsbedömning",
            "Skyddsbedömning gjord samma dag som anmälan kom in. Bedömning: ",
            "investigation",
        ),
        ("Samtal med barnet", "Enskilt samtal med barnet. Barnet berättar att ", "meeting"),
        ("Hembesök", "Hembesök hos familjen. Närvarande: ", "visit"),
        (
            "Kommunicering skickad",
            "Utredningen har kommunicerats med vårdnadshavarna. Svar önskas senast ",
            "other",
        ),
        ("Nätverksmöte", "Nätverksmöte enligt BBIC. Närvarande: ", "meeting"),
    ],
    "elderly": [
        ("Hembesök", "Hembesök hos den enskilde. Behov bedömda enligt IBIC inom livsområdena ", "visit"),
        ("Telefonsamtal med anhörig", "Telefonsamtal med anhörig som berättar att ", "contact"),
        ("Kommunicering skickad", "Utredningen har skickats för kommunicering. Svar önskas senast ", "other"),
        ("Beställning skickad", "Beställning skickad till utföraren med start ", "other"),
    ],
    "disability": [
        ("Hembesök", "Hembesök. Vi samtalade om den enskildes önskemål och behov av stöd ", "visit"),
        ("Telefonsamtal med god man", "Telefonsamtal med god man angående ", "contact"),
        ("Kommunicering skickad", "Utredningen har skickats för kommunicering. Svar önskas senast ", "other"),
    ],
}
