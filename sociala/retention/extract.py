"""The register extract (registerutdrag, GDPR art. 15): what Sociala holds about a person, and why.

``gather(person, on)`` collects, per category, what is stored, why (purpose and legal basis), where
it came from and who it was shared with; ``render(extract)`` makes the letter (PDF/UA, Swedish like
every letter). Categories this app does not know in detail (models other apps add to the case file)
are still listed, with the number of records, from the case file's model graph: nothing the person's
file holds is left out silently.

Left out on purpose (docs/decisions/0006-register-extract-and-access-logs.md): the access log (who
read the data and when) is given on a separate request, and the identity of a person who reported
concern about a child is tried separately under OSL 26 kap. 5 §. Journal drafts are the author's
working notes, not yet part of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sociala.cases.choices import JournalStatus
from sociala.cases.models import Case, Decision, Intervention, JournalEntry, Order
from sociala.children.models import InitialAssessment, ReportOfConcern, SafetyAssessment
from sociala.core.money import format_sek
from sociala.documents.models import Document
from sociala.fees.models import ClientInvoice, FeeDecision, IncomeDeclaration
from sociala.finance.models import BankAccount, Payment
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person

from .facts import case_file_facts
from .graph import case_file_nodes
from .models import EntryObjection, RegisterExtractRequest, RetentionSetting
from .rules import CullingDecision, NoRuleInForce, RuleTable, culling_decision

BASIS_PUBLIC_TASK = (
    "Myndighetsutövning och uppgift av allmänt intresse (artikel 6.1 e dataskyddsförordningen); känsliga "
    "uppgifter med stöd av artikel 9.2 b och h samt lagen (2001:454) om behandling av personuppgifter "
    "inom socialtjänsten"
)

# Models of the case file that this extract shows in a section of its own.
SHOWN = frozenset(
    {
        "people.Person",
        "people.Relation",
        "cases.Case",
        "cases.Deadline",
        "cases.Decision",
        "cases.DecisionItem",
        "cases.Intervention",
        "cases.Order",
        "cases.JournalEntry",
        "documents.Document",
        "children.ReportOfConcern",
        "children.SafetyAssessment",
        "children.InitialAssessment",
        "fees.IncomeDeclaration",
        "fees.FeeDecision",
        "fees.ClientInvoice",
        "finance.BankAccount",
        "finance.Payment",
        "retention.EntryObjection",
        "retention.RegisterExtractRequest",
        "access.Consent",
        "access.EmergencyAccess",
        "processes.ProcessInstance",
        "portal.CitizenSession",
    }
)
# Readable names and sources for records of other apps, listed by count (label -> (name, source)).
OTHER_RECORDS = {
    "benefits.Budget": ("Beräkningar av ekonomiskt bistånd", "Uppgifter du har lämnat i din ansökan"),
    "benefits.BudgetMember": ("Hushållsmedlemmar i beräkningar", "Uppgifter du har lämnat i din ansökan"),
    "benefits.BudgetCost": ("Kostnader i beräkningar", "Uppgifter du har lämnat i din ansökan"),
    "benefits.BudgetIncome": (
        "Inkomster i beräkningar",
        "Uppgifter du har lämnat och kontroller hos andra myndigheter",
    ),
    "benefits.IncomeInquiry": (
        "Förfrågningar om inkomster hos andra myndigheter",
        "Försäkringskassan, Arbetsförmedlingen, CSN, Skatteverket, Pensionsmyndigheten, a-kassorna m.fl. via SSBTEK",
    ),
    "benefits.FetchedIncome": (
        "Inkomstuppgifter från andra myndigheter",
        "Försäkringskassan, Arbetsförmedlingen, CSN, Skatteverket, Pensionsmyndigheten, a-kassorna m.fl. via SSBTEK",
    ),
    "benefits.BudgetFlag": ("Kontroller av beräkningar", "Socialtjänsten"),
    "care.Investigation": ("Utredningar av behov", "Dina uppgifter och socialtjänstens utredning"),
    "care.InvestigationContact": ("Kontakter i utredningar", "Dina uppgifter och socialtjänstens utredning"),
    "care.LifeAreaAssessment": ("Bedömningar per livsområde", "Socialtjänstens utredning"),
    "care.ProposedIntervention": ("Föreslagna insatser", "Socialtjänstens utredning"),
    "care.InterventionTerms": ("Villkor för insatser", "Socialtjänstens beslut"),
    "care.ProviderChoice": ("Val av utförare", "Ditt val av utförare"),
    "care.OrderDetails": ("Uppgifter i beställningar till utförare", "Socialtjänsten"),
    "care.ImplementationPlan": ("Genomförandeplaner", "Utföraren och du"),
    "care.ImplementationPlanVersion": ("Versioner av genomförandeplaner", "Utföraren och du"),
    "care.ProviderJournalEntry": ("Utförarens dokumentation", "Utföraren"),
    "care.ProviderMessage": ("Meddelanden mellan utförare och socialtjänst", "Utföraren och socialtjänsten"),
    "care.Reassessment": ("Omprövningar", "Socialtjänsten"),
    "care.Termination": ("Avslut av insatser", "Socialtjänsten"),
    "portal.IncomeSupportApplication": ("Ansökningar i e-tjänsten", "Du själv via e-tjänsten"),
    "portal.ApplicationAttachment": ("Bilagor i e-tjänsten", "Du själv via e-tjänsten"),
    "portal.CompletionRequest": ("Begäran om komplettering", "Socialtjänsten"),
    "portal.CompletionItem": ("Delar av begäran om komplettering", "Socialtjänsten"),
    "portal.Message": ("Meddelanden i e-tjänsten", "Du och socialtjänsten"),
}


@dataclass
class Section:
    """One category of data: what, why, from where, shared with whom, and the records."""

    key: str
    title: str
    purpose: str
    legal_basis: str
    source: str
    shared_with: str = ""
    rows: list = field(default_factory=list)
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class RegisterExtract:
    """Everything the letter shows."""

    person: Person
    produced_on: date
    received_on: date
    municipality_name: str
    data_protection_contact: str
    sections: list[Section]
    retention: CullingDecision | None
    automated_decisions: list[Decision]
    shows_address: bool

    def counts(self) -> dict[str, int]:
        return {section.key: section.count for section in self.sections}


def _line(on, what: str, amount=None, text: str = "") -> dict:
    """One row of a table in the letter: a date, what it is, an amount in kronor, a longer text."""
    return {"on": on, "what": what, "amount": amount, "text": text}


def _children_rows(reports, safety, initial) -> list[dict]:
    rows = [
        _line(r.received_on, f"Anmälan ({r.get_reporter_type_display().lower()})", text=r.text)
        for r in reports
    ]
    for a in safety:
        outcome = (
            "Behov av omedelbart skydd."
            if a.needs_immediate_protection
            else "Inget behov av omedelbart skydd."
        )
        rows.append(_line(a.assessed_on, "Skyddsbedömning", text=f"{outcome} {a.reasoning}"))
    for a in initial:
        outcome = "Utredning inleds." if a.opens_investigation else "Ingen utredning inleds."
        rows.append(_line(a.decided_on, "Förhandsbedömning", text=f"{outcome} {a.reasons}"))
    return sorted(rows, key=lambda r: r["on"])


def _fee_rows(declarations, fee_decisions, invoices) -> list[dict]:
    rows = [
        _line(
            d.received_on,
            f"Inkomstuppgift: nettoinkomst per månad (boendekostnad {format_sek(d.housing_cost)})",
            d.monthly_net_income,
        )
        for d in declarations
    ]
    for f in fee_decisions:
        period = f"från {f.valid_from:%Y-%m-%d}" + (f" till {f.valid_to:%Y-%m-%d}" if f.valid_to else "")
        rows.append(_line(f.decided_on, f"Avgiftsbeslut {f.reference}, avgift per månad {period}", f.fee))
    for i in invoices:
        rows.append(_line(i.issued_on, f"Faktura {i.number} för {i.month:%Y-%m}", i.amount))
    return sorted(rows, key=lambda r: r["on"])


def _payment_rows(accounts, payments) -> list[dict]:
    rows = []
    for a in accounts:
        ended = f" (ersatt {timezone.localdate(a.ended_at):%Y-%m-%d})" if a.ended_at else ""
        rows.append(_line(timezone.localdate(a.registered_at), f"Utbetalningssätt: {a.masked}{ended}"))
    for p in payments:
        account = f", konto ••••{p.account_number[-4:]}" if p.account_number else ""
        rows.append(_line(p.run.payment_date, f"Utbetalning till {p.creditor_name}{account}", p.amount))
    return sorted(rows, key=lambda r: r["on"])


def _relations(person: Person) -> list[dict]:
    rows = []
    for relation in person.relations.select_related("related").order_by("kind", "pk"):
        related = relation.related
        protected = related.protection_level in (
            ProtectionLevel.PROTECTED_REGISTRATION,
            ProtectionLevel.FICTITIOUS_IDENTITY,
        )
        rows.append(
            {
                "kind": relation.get_kind_display(),
                "name": "" if protected else related.full_name,
                "protected": protected,
                "valid_from": relation.valid_from,
                "valid_to": relation.valid_to,
            }
        )
    return rows


def _consents(person: Person) -> list:
    try:
        model = apps.get_model("access", "Consent")
    except LookupError:
        return []
    return list(model.objects.filter(person=person).order_by("valid_from", "pk"))


def _other_records(person: Person) -> list[dict]:
    rows = []
    for node in case_file_nodes():
        if node.label in SHOWN:
            continue
        match = Q()
        for path in node.paths:
            match |= Q(**{path: person.pk})
        count = node.model._default_manager.filter(match).distinct().count()
        if not count:
            continue
        name, source = OTHER_RECORDS.get(
            node.label, (str(node.model._meta.verbose_name_plural), "Socialtjänsten")
        )
        rows.append({"name": name, "source": source, "count": count})
    return rows


def retention_for(
    person: Person, on: date, setting: RetentionSetting | None, table: RuleTable
) -> CullingDecision | None:
    """When the person's case file will be culled, as the rules stand today (None without a setting)."""
    if setting is None:
        return None
    facts = case_file_facts([person.pk], municipality_code=setting.municipality_code, today=on).get(person.pk)
    if facts is None:
        return None
    try:
        return culling_decision(facts, on, table)
    except NoRuleInForce:
        return None


def gather(
    person: Person, *, on: date, received_on: date, setting: RetentionSetting | None, table: RuleTable
) -> RegisterExtract:
    """Collect every category of the person's data (all areas: the right of access covers them all)."""
    cases = list(
        Case.objects.filter(person=person)
        .select_related("case_type", "unit", "district")
        .order_by("received_on", "pk")
    )
    decisions = list(
        Decision.objects.filter(case__person=person)
        .select_related("case__case_type", "decided_by")
        .prefetch_related("items")
        .order_by("decided_on", "pk")
    )
    interventions = list(Intervention.objects.filter(case__person=person).order_by("starts_on", "pk"))
    orders = list(
        Order.objects.filter(intervention__case__person=person)
        .select_related("provider", "intervention")
        .order_by("sent_at", "pk")
    )
    entries = list(
        JournalEntry.objects.filter(Q(person=person) | Q(case__person=person), status=JournalStatus.SIGNED)
        .select_related("author", "case", "corrects")
        .order_by("occurred_on", "created_at", "pk")
        .distinct()
    )
    objections: dict[int, list[EntryObjection]] = {}
    for objection in EntryObjection.objects.filter(entry__in=entries).order_by("received_on", "pk"):
        objections.setdefault(objection.entry_id, []).append(objection)
    journal_rows = [{"entry": e, "objections": objections.get(e.pk, [])} for e in entries]
    documents = list(
        Document.objects.filter(Q(person=person) | Q(case__person=person))
        .distinct()
        .order_by("uploaded_at", "pk")
    )
    reports = list(
        ReportOfConcern.objects.filter(person=person).select_related("district").order_by("received_on", "pk")
    )
    safety = list(SafetyAssessment.objects.filter(report__person=person).order_by("assessed_on", "pk"))
    initial = list(InitialAssessment.objects.filter(case__person=person).order_by("decided_on", "pk"))
    declarations = list(IncomeDeclaration.objects.filter(person=person).order_by("received_on", "pk"))
    fee_decisions = list(FeeDecision.objects.filter(person=person).order_by("valid_from", "pk"))
    invoices = list(ClientInvoice.objects.filter(person=person).order_by("month", "pk"))
    accounts = list(BankAccount.objects.filter(person=person).order_by("registered_at", "pk"))
    payments = list(Payment.objects.filter(person=person).select_related("run").order_by("created_at", "pk"))
    consents = _consents(person)
    extracts = list(RegisterExtractRequest.objects.filter(person=person).order_by("received_on", "pk"))

    providers = sorted({f"{o.provider.name} ({o.provider.organization_number})" for o in orders})
    sections = [
        Section(
            "identity",
            "Identitet och kontaktuppgifter",
            "Att identifiera dig och kunna kontakta dig i dina ärenden.",
            BASIS_PUBLIC_TASK,
            "Folkbokföringen (Skatteverket) och uppgifter du själv har lämnat.",
            rows=[person],
        ),
        Section(
            "relations",
            "Relationer",
            "Att veta vem som är vårdnadshavare, företrädare, make, maka, sambo eller ingår i hushållet.",
            BASIS_PUBLIC_TASK,
            "Folkbokföringen (Skatteverket) och uppgifter du själv har lämnat.",
            rows=_relations(person),
            note="Namnet på en person med skyddade personuppgifter visas inte.",
        ),
        Section(
            "cases",
            "Ärenden",
            "Att handlägga dina ansökningar och anmälningar som rör dig (socialtjänstlagen, LSS).",
            BASIS_PUBLIC_TASK
            + "; dokumentationsskyldighet enligt 14 kap. 3 § socialtjänstlagen och 21 a § LSS",
            "Din ansökan, anmälningar från andra och det socialtjänsten har utrett.",
            rows=cases,
        ),
        Section(
            "decisions",
            "Beslut",
            "Att besluta om och ge dig insatser, och att följa upp dem.",
            BASIS_PUBLIC_TASK,
            "Socialtjänstens beslut.",
            shared_with=("Utförare som fått en beställning: " + ", ".join(providers) + ".")
            if providers
            else "",
            rows=decisions,
        ),
        Section(
            "interventions",
            "Insatser",
            "Att ge dig de insatser som har beviljats.",
            BASIS_PUBLIC_TASK,
            "Socialtjänstens beslut.",
            rows=interventions,
        ),
        Section(
            "orders",
            "Beställningar till utförare",
            "Att utföraren ska kunna ge dig den insats som beslutats.",
            BASIS_PUBLIC_TASK,
            "Socialtjänstens beslut.",
            shared_with="Utföraren som står i varje beställning.",
            rows=orders,
        ),
        Section(
            "journal",
            "Journalanteckningar",
            "Dokumentation av handläggning och genomförande (14 kap. 3 § socialtjänstlagen, 21 a § LSS).",
            BASIS_PUBLIC_TASK,
            "Socialtjänstens handläggare, efter samtal, besök och kontakter med dig och andra.",
            rows=journal_rows,
            note="Om du anser att en uppgift är fel antecknas det vid anteckningen (14 kap. 6 § socialtjänstlagen, "
            "21 b § LSS); anteckningen ändras inte.",
        ),
        Section(
            "documents",
            "Handlingar i akten",
            "Ansökningar, underlag och brev som hör till dina ärenden.",
            BASIS_PUBLIC_TASK,
            "Du själv, andra myndigheter och socialtjänsten.",
            rows=documents,
            note="Handlingarna själva lämnas ut på begäran efter sekretessprövning.",
        ),
        Section(
            "children",
            "Anmälningar och bedömningar om barn",
            "Att skydda och stödja barn (19–20 kap. socialtjänstlagen).",
            BASIS_PUBLIC_TASK + "; 20 kap. socialtjänstlagen",
            "Den som gjorde anmälan (till exempel skola, hälso- och sjukvård, polis eller en privatperson) och "
            "socialtjänstens bedömningar.",
            rows=_children_rows(reports, safety, initial),
            note="Uppgift om vem som har gjort en anmälan ingår inte. Den prövas särskilt enligt 26 kap. 5 § "
            "offentlighets- och sekretesslagen om du begär den.",
        ),
        Section(
            "fees",
            "Avgifter",
            "Att beräkna och ta ut avgift för insatser (32 kap. socialtjänstlagen).",
            "Rättslig förpliktelse och uppgift av allmänt intresse (artikel 6.1 c och e dataskyddsförordningen); "
            "32 kap. socialtjänstlagen",
            "Dina uppgifter om inkomster och boendekostnad.",
            rows=_fee_rows(declarations, fee_decisions, invoices),
        ),
        Section(
            "payments",
            "Utbetalningar",
            "Att betala ut beviljat ekonomiskt bistånd.",
            "Rättslig förpliktelse och uppgift av allmänt intresse (artikel 6.1 c och e dataskyddsförordningen); "
            "lagen (2018:597) om kommunal bokföring och redovisning",
            "Ditt konto, som du har uppgett.",
            shared_with="Kommunens bank, som betalar ut till ditt konto (betalningsuppdrag)."
            if payments
            else "",
            rows=_payment_rows(accounts, payments),
            note="Kontonummer visas bara med de fyra sista siffrorna.",
        ),
        Section(
            "consents",
            "Samtycken",
            "Att dela uppgifter mellan verksamheter eller med andra när du har samtyckt (12 kap. 2 § "
            "offentlighets- och sekretesslagen).",
            "Ditt samtycke",
            "Du själv eller din företrädare.",
            shared_with="De verksamheter och parter som står i varje samtycke." if consents else "",
            rows=consents,
        ),
        Section(
            "extracts",
            "Registerutdrag du har begärt",
            "Att visa att tidigare begäran om registerutdrag har besvarats.",
            "Rättslig förpliktelse (artikel 6.1 c och artikel 15 dataskyddsförordningen)",
            "Din begäran.",
            rows=extracts,
        ),
        Section(
            "other",
            "Övriga uppgifter",
            "Uppgifter som hör till dina ärenden i andra delar av systemet.",
            BASIS_PUBLIC_TASK,
            "Se varje rad.",
            rows=_other_records(person),
        ),
    ]
    return RegisterExtract(
        person=person,
        produced_on=on,
        received_on=received_on,
        municipality_name=(setting.municipality_name if setting else "")
        or settings.SOCIALA_MUNICIPALITY_NAME,
        data_protection_contact=setting.data_protection_contact if setting else "",
        sections=sections,
        retention=retention_for(person, on, setting, table),
        automated_decisions=[d for d in decisions if d.is_automated],
        shows_address=not person.address_is_secret,
    )


def render(extract: RegisterExtract) -> bytes:
    """The extract as a PDF letter (PDF/UA-1: tagged, readable by screen readers), always in Swedish."""
    from weasyprint import HTML

    with translation.override("sv"):
        html = render_to_string(
            "retention/register_extract_pdf.html", {"x": extract, "s": {s.key: s for s in extract.sections}}
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
