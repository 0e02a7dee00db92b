"""The ssbt/11 request ``hamtaBastjanstInformation`` and the reading of its answer into income items.

What is asked: Arbetsförmedlingen (registration and decisions), CSN (student aid paid), Försäkringskassan
through LEFI (benefit decisions, and Pensionsmyndigheten's pension payments), Skatteverket (declared
income) and the unemployment funds (SO, payments). Transportstyrelsen and Migrationsverket are not asked
(``inkludera="false"``): vehicles and residence permits are not incomes, and the request's legal basis
covers only what the income comparison needs.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

from .safexml import XmlRejected, parse_xml
from .schema import AF, SO, SSBT

# What is asked of LEFI: the benefit groups that are incomes for försörjningsstöd, and pension payments.
LEFI_BENEFIT_GROUPS = ("FK:ABB", "FK:AS", "FK:BOB", "FK:FP", "FK:SA", "FK:SJP", "FK:US")
LEFI_PAYMENT_GROUPS = ("PM:AP", "PM:BTI")
LEFI_OTHER = ("FK:GEPI",)

# Försäkringskassan's case lists in a LEFI answer -> (income type, tax-free, what it is).
# Tax-free benefits are net amounts as they are; the others are gross (``beslutatBruttobelopp``).
FK_CASE_LISTS = {
    "bostadsbidragsarende": ("housing_allowance", True, "Bostadsbidrag"),
    "barnbidragsarende": ("child_allowance", True, "Barnbidrag"),
    "underhallsstodsmottag": ("maintenance_support", True, "Underhållsstöd"),
    "aktivitetsstodsarende": ("activity_support", False, "Aktivitetsstöd"),
    "foraldrapenningarende": ("parental_benefit", False, "Föräldrapenning"),
    "sjukpenningarende": ("sickness_benefit", False, "Sjukpenning"),
    "sjukOchAktivitetsersattningsarende": ("sickness_benefit", False, "Sjuk- och aktivitetsersättning"),
}
# LEFI ``periodicitet`` codes -> months the decided amount covers (0 = "Ingen": no regular amount).
PERIODICITY_MONTHS = {1: 1, 2: 3, 3: 6, 4: 12}

# Skatteverket's answer (``svar``, XML in its own namespaces). The element names below for the declared
# earned income are Sociala's reading of "SvarBeskattningsuppgifterEnligtSFS2008-975" and are UNVERIFIED:
# the public fixture shows only Kapitaluppgift. Kept here so that a correction is one place.
SKV_EARNED_INCOME_BLOCK = "Forvarvsinkomstuppgift"
SKV_YEAR = "Taxeringsar"
SKV_EARNED_INCOME = "SammanraknadForvarvsinkomst"

AGENCIES = ("AF", "CSN", "FK", "SKV", "SO", "TNS", "MIV")
ASKED = {"AF": True, "CSN": True, "FK": True, "SKV": True, "SO": True, "TNS": False, "MIV": False}


class ResponseError(ValueError):
    """The answer cannot be read as an answer to our request."""


@dataclass(frozen=True)
class InquiryRequest:
    """One person and one period, asked by a caseworker in a case, with purpose and legal basis."""

    organization_number: str
    organization_name: str
    caseworker: str
    personal_identity_number: str
    case_reference: str
    period_start: date
    period_end: date
    purpose: str
    legal_basis: str
    correlation_id: str
    fk_actor_id: str
    lefi_version: str = "v9"
    asked_at: datetime | None = None

    def lefi_query(self) -> dict:
        """Försäkringskassan's part, a LEFI "Förmånsinformation" question."""
        return {
            "personnummer": self.personal_identity_number,
            "period": {"from": self.period_start.isoformat(), "tom": self.period_end.isoformat()},
            "formansinformation": list(LEFI_BENEFIT_GROUPS),
            "utbetalningar": list(LEFI_PAYMENT_GROUPS),
            "ovrigInformation": list(LEFI_OTHER),
        }


@dataclass(frozen=True)
class IncomeItem:
    """One income or fact from an agency: ``amount`` in whole kronor, or None for a status.

    ``is_monthly``: the amount is for the requested month (comparable with a reported monthly income).
    ``is_net``: the amount is after tax (tax-free benefits, payments net of tax).
    """

    agency: str
    income_type: str
    description: str
    amount: int | None
    period_start: date | None = None
    period_end: date | None = None
    is_net: bool = True
    is_monthly: bool = True


@dataclass(frozen=True)
class AgencyError:
    """An agency that could not answer, as SSBTEK reports it."""

    agency: str
    source: str
    code: str
    message: str


@dataclass
class InquiryResult:
    """Everything read from one answer."""

    correlation_id: str
    items: list[IncomeItem] = field(default_factory=list)
    errors: list[AgencyError] = field(default_factory=list)


def _q(name: str) -> str:
    return f"{{{SSBT}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, _q(name), **attrs)
    if text is not None:
        element.text = text
    return element


def build_request(request: InquiryRequest) -> etree._Element:
    """The ``ssbt:hamtaBastjanstInformation`` element for ``request``."""
    root = etree.Element(_q("hamtaBastjanstInformation"), nsmap={"ssbt": SSBT})
    general = _sub(root, "generellaFrageparametrar")
    if request.asked_at is not None:
        _sub(general, "frageTidpunkt", request.asked_at.isoformat(timespec="seconds"))
    _sub(general, "korrelationsid", request.correlation_id)
    _sub(general, "fraganSkallInkluderasISvaret", "false")
    submitter = _sub(general, "ingivare")
    _sub(submitter, "organisationsnummer", request.organization_number)
    _sub(submitter, "namn", request.organization_name)
    _sub(submitter, "handlaggare", request.caseworker)
    _sub(general, "personidentitet", request.personal_identity_number)
    _sub(general, "arendeidentitet", request.case_reference)
    period = _sub(general, "tidsperiod")
    _sub(period, "fromDatum", request.period_start.isoformat())
    _sub(period, "tomDatum", request.period_end.isoformat())
    _sub(general, "syfte", request.purpose)
    _sub(general, "lagtext", request.legal_basis)
    specific = _sub(root, "specifikaFrageparametrar")
    for agency in AGENCIES:
        part = _sub(specific, agency, inkludera="true" if ASKED[agency] else "false")
        if agency == "FK":
            question = _sub(part, "fraga")
            _sub(question, "version", request.lefi_version)
            _sub(question, "aktorsid", request.fk_actor_id)
            payload = json.dumps(request.lefi_query(), ensure_ascii=False).encode("utf-8")
            _sub(question, "lefiJsonFraga", base64.b64encode(payload).decode("ascii"))
    return root


def read_request(element: etree._Element) -> InquiryRequest:
    """The request in a ``hamtaBastjanstInformation`` element (the simulator's side; valid by contract)."""
    general = element.find(_q("generellaFrageparametrar"))
    if general is None:
        raise ResponseError("no generellaFrageparametrar")

    def text(path: str) -> str:
        return (general.findtext("/".join(_q(p) for p in path.split("/"))) or "").strip()

    fk = element.find(f"{_q('specifikaFrageparametrar')}/{_q('FK')}/{_q('fraga')}")
    asked_at = text("frageTidpunkt")
    return InquiryRequest(
        organization_number=text("ingivare/organisationsnummer"),
        organization_name=text("ingivare/namn"),
        caseworker=text("ingivare/handlaggare"),
        personal_identity_number=text("personidentitet"),
        case_reference=text("arendeidentitet"),
        period_start=date.fromisoformat(text("tidsperiod/fromDatum")),
        period_end=date.fromisoformat(text("tidsperiod/tomDatum")),
        purpose=text("syfte"),
        legal_basis=text("lagtext"),
        correlation_id=text("korrelationsid"),
        fk_actor_id=(fk.findtext(_q("aktorsid")) or "") if fk is not None else "",
        lefi_version=(fk.findtext(_q("version")) or "") if fk is not None else "",
        asked_at=datetime.fromisoformat(asked_at) if asked_at else None,
    )


# --- reading the answer ---------------------------------------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _children(element: etree._Element | None, name: str) -> list[etree._Element]:
    """Children by local name, whatever their namespace (the agencies' payloads vary)."""
    if element is None:
        return []
    return [child for child in element if isinstance(child.tag, str) and _local(child) == name]


def _child_text(element: etree._Element, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "").strip() if found else ""


def _descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in element.iter() if isinstance(e.tag, str) and _local(e) == name]


def _kronor(text: str | float | int | Decimal | None) -> int | None:
    """Whole kronor, halves up; None when the value is missing or not a number."""
    if text is None or text == "":
        return None
    try:
        value = Decimal(str(text).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _date(text: str | None) -> date | None:
    """An ISO date (``2026-03-01``), a compact one (``20260301``) or a month (``2026-03``)."""
    text = (text or "").strip()
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _overlaps(first: date | None, last: date | None, start: date, end: date) -> bool:
    return (first is None or first <= end) and (last is None or last >= start)


def _error(agency: str, element: etree._Element) -> AgencyError:
    messages = [(e.text or "").strip() for e in _children(element, "felmeddelande")]
    return AgencyError(
        agency=agency,
        source=_child_text(element, "kalla"),
        code=_child_text(element, "felkod"),
        message=" ".join(m for m in messages if m),
    )


def _decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ResponseError(f"{what} is not base64") from error


def _read_lefi(data: etree._Element, start: date, end: date, result: InquiryResult) -> None:
    raw = _decode(_child_text(data, "lefiJsonSvar"), "lefiJsonSvar")
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ResponseError("lefiJsonSvar is not JSON") from error
    if not isinstance(answer, dict):
        raise ResponseError("lefiJsonSvar is not a JSON object")
    for state in answer.get("utlamnare") or []:
        discloser = (state.get("utlamnare") or {}).get("kod", "FK")
        condition = state.get("tillstand") or {}
        if condition.get("kod") not in (None, "OK"):
            result.errors.append(
                AgencyError(discloser, "BT", str(condition.get("kod")), str(condition.get("beskrivning", "")))
            )
    for group in (answer.get("avvikelser") or {}).values():
        for deviation in group or []:
            reason = deviation.get("avvikelse") or {}
            what = deviation.get("formansgrupp") or deviation.get("ovrigInformationstyp") or {}
            result.errors.append(
                AgencyError(
                    "FK",
                    "BT",
                    str(reason.get("kod", "")),
                    f"{what.get('beskrivning') or what.get('kod') or ''}: {reason.get('beskrivning', '')}".strip(
                        ": "
                    ),
                )
            )
    benefits = answer.get("formansinformation") or {}
    for key, (income_type, tax_free, label) in FK_CASE_LISTS.items():
        for case in benefits.get(key) or []:
            decisions = case.get("beslut") or []
            for decision in [decisions] if isinstance(decisions, dict) else decisions:
                period = decision.get("period") or {}
                first, last = _date(period.get("fran")), _date(period.get("till"))
                if not _overlaps(first, last, start, end):
                    continue
                months = PERIODICITY_MONTHS.get(int((decision.get("periodicitet") or {}).get("id") or 0))
                gross = _kronor((decision.get("beslutatBruttobelopp") or {}).get("summa"))
                amount = None
                if months and gross is not None:
                    amount = _kronor(Decimal(gross) / months)
                result.items.append(
                    IncomeItem(
                        agency="FK",
                        income_type=income_type,
                        description=label,
                        amount=amount,
                        period_start=first,
                        period_end=last,
                        is_net=tax_free,
                        is_monthly=amount is not None,
                    )
                )
    for payment in answer.get("utbetalningar") or []:
        paid_on = _date(payment.get("utbetalningsdatum"))
        if not _within(paid_on, start, end):
            continue
        rows = payment.get("utbetalningsrader") or []
        names = sorted({((r.get("formansgrupp") or {}).get("beskrivning") or "") for r in rows} - {""})
        period = payment.get("utbetalningsperiod") or {}
        result.items.append(
            IncomeItem(
                agency="PM",
                income_type="pension",
                description=", ".join(names) or "Pension",
                amount=_kronor(payment.get("nettobelopp")),
                period_start=_date(period.get("from")),
                period_end=_date(period.get("tom")),
                is_net=True,
            )
        )


def _read_unemployment_funds(data: etree._Element, start: date, end: date, result: InquiryResult) -> None:
    for benefit in _descendants(data, "Arbetsloshetsersattning"):
        fund = _child_text(benefit, "SvarandeOrganisation")
        total = 0
        days = 0
        found = False
        for payment in _children(benefit, "Utbetalningar"):
            if not _within(_date(_child_text(payment, "Utbetalningsdatum")), start, end):
                continue
            total += _kronor(_child_text(payment, "NettoEfterSkatt")) or 0
            days += int(_child_text(payment, "Ersattningsdagar") or 0)
            found = True
        if found:
            result.items.append(
                IncomeItem(
                    agency="SO",
                    income_type="unemployment_benefit",
                    description=f"Arbetslöshetsersättning, {fund}, {days} dagar"
                    if fund
                    else "Arbetslöshetsersättning",
                    amount=total,
                    period_start=start,
                    period_end=end,
                    is_net=True,
                )
            )


def _read_csn(data: etree._Element, start: date, end: date, result: InquiryResult) -> None:
    inner = _decode(_child_text(data, "svar"), "CSN svar")
    try:
        root = parse_xml(inner)
    except XmlRejected as error:
        raise ResponseError(f"CSN svar: {error}") from error
    total = 0
    found = False
    for payment in _descendants(root, "Utbetalning"):
        if not _within(_date(_child_text(payment, "utbetdatum")), start, end):
            continue
        total += _kronor(_child_text(payment, "totbelopp")) or 0
        found = True
    if found:
        result.items.append(
            IncomeItem(
                agency="CSN",
                income_type="student_aid",
                description="Studiemedel",
                amount=total,
                period_start=start,
                period_end=end,
                is_net=True,
            )
        )


def _read_skatteverket(data: etree._Element, result: InquiryResult) -> None:
    text = _child_text(data, "svar")
    if not text:
        return
    try:
        root = parse_xml(text.encode("utf-8"))
    except XmlRejected as error:
        raise ResponseError(f"Skatteverket svar: {error}") from error
    latest: tuple[int, int] | None = None
    for block in _descendants(root, SKV_EARNED_INCOME_BLOCK):
        year, amount = _child_text(block, SKV_YEAR), _kronor(_child_text(block, SKV_EARNED_INCOME))
        if year.isdigit() and amount is not None and (latest is None or int(year) > latest[0]):
            latest = (int(year), amount)
    if latest is not None:
        assessed, amount = latest
        result.items.append(
            IncomeItem(
                agency="SKV",
                income_type="declared_earned_income",
                description=f"Sammanräknad förvärvsinkomst, taxeringsår {assessed}",
                amount=amount,
                period_start=date(assessed - 1, 1, 1),
                period_end=date(assessed - 1, 12, 31),
                is_net=False,
                is_monthly=False,
            )
        )


def _read_employment_service(data: etree._Element, result: InquiryResult) -> None:
    answer = next(iter(_children(data, "Svar")), None)
    if answer is None:
        return
    info = next(iter(_children(answer, "ArbetssokandeInfo")), None)
    if info is not None and _child_text(info, "Arbetssokande") == "true":
        since = _date(_child_text(info, "ArbetssokandeRegistrerad"))
        result.items.append(
            IncomeItem(
                agency="AF",
                income_type="",
                description="Inskriven som arbetssökande",
                amount=None,
                period_start=since,
                is_monthly=False,
            )
        )
    for decision in _descendants(answer, "Beslut"):
        result.items.append(
            IncomeItem(
                agency="AF",
                income_type="",
                description=f"Beslut: {_child_text(decision, 'ErsattningTyp')}, {_child_text(decision, 'Omfattning')} %",
                amount=None,
                period_start=_date(_child_text(decision, "BeslutFrom")),
                period_end=_date(_child_text(decision, "BeslutTom")),
                is_monthly=False,
            )
        )


def read_response(
    element: etree._Element, *, correlation_id: str, period_start: date, period_end: date
) -> InquiryResult:
    """The income items and agency errors in a ``hamtaBastjanstInformationResponse`` element."""
    if element.tag != _q("hamtaBastjanstInformationResponse"):
        raise ResponseError(f"unexpected answer {element.tag}")
    answered = (element.findtext(_q("korrelationsid")) or "").strip()
    if answered and answered != correlation_id:
        raise ResponseError("the answer belongs to another request (korrelationsid)")
    data = element.find(_q("svarsdata"))
    if data is None:
        raise ResponseError("the answer has no svarsdata")
    result = InquiryResult(correlation_id=correlation_id)
    for agency in AGENCIES:
        part = data.find(_q(agency))
        if part is None:
            continue
        problem = part.find(_q("error"))
        if problem is not None:
            result.errors.append(_error(agency, problem))
            continue
        content = part.find(_q("data"))
        if content is None:
            continue
        if agency == "FK":
            _read_lefi(content, period_start, period_end, result)
        elif agency == "SO":
            _read_unemployment_funds(content, period_start, period_end, result)
        elif agency == "CSN":
            _read_csn(content, period_start, period_end, result)
        elif agency == "SKV":
            _read_skatteverket(content, result)
        elif agency == "AF":
            _read_employment_service(content, result)
    return result


__all__ = [
    "AF",
    "SO",
    "AgencyError",
    "IncomeItem",
    "InquiryRequest",
    "InquiryResult",
    "ResponseError",
    "build_request",
    "read_request",
    "read_response",
]
