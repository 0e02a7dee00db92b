"""A local SSBTEK: a real HTTPS server that requires a client certificate and answers
``hamtaBastjanstInformation`` (SOAP 1.1 or 1.2) with plausible, deterministic data per person.

Every request is validated against the committed contract; a request that breaks it gets a SOAP fault
with ``hamtaBastjanstInformationFault``, as the real service answers. What a person gets depends only on
the personal identity number (a SHA-256 of it picks one of the profiles below and the amounts), so tests
and demos see the same figures every time:

========================  =================================================================================
profile                   answer
========================  =================================================================================
no_income                 nothing from the agencies; not registered at Arbetsförmedlingen
unemployed                two payments from an unemployment fund in the month (net); registered job seeker
single_parent             housing allowance, child allowance and maintenance support (tax-free, monthly)
student                   student aid from CSN paid on the 25th
pensioner                 pension paid by Pensionsmyndigheten on the 19th (net)
activity_support          activity support decided by Försäkringskassan (gross, monthly); registered
sickness                  sickness compensation decided by Försäkringskassan (gross, monthly)
agency_error              Försäkringskassan does not answer (an ``error``); the unemployment fund pays
========================  =================================================================================

Everyone also gets Skatteverket's declared earned income for the previous year (from 0 to 320 000 kr).
The inner formats follow the agencies' published shapes where we have them (LEFI v9 JSON, CSN's
``CSNSvar``, the unemployment funds' ``ArbetsloshetsersattningLista``); Skatteverket's earned-income
block is Sociala's assumption (see ``messages.SKV_EARNED_INCOME_BLOCK``).
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import json
import logging
import ssl
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lxml import etree

from . import soap
from .messages import (
    SKV_EARNED_INCOME,
    SKV_EARNED_INCOME_BLOCK,
    SKV_YEAR,
    InquiryRequest,
    read_request,
)
from .pki import ThrowawayPki
from .schema import AF, SO, SSBT, ContractViolation, validate

logger = logging.getLogger(__name__)

PROFILES = (
    "no_income",
    "unemployed",
    "single_parent",
    "student",
    "pensioner",
    "activity_support",
    "sickness",
    "agency_error",
)
DEFAULT_PATH = "/ssbtek/ssbt11"
MAX_REQUEST_BYTES = 1024 * 1024
CSN_NS = "http://schema.csn.se/v4.0/kommunfraga"
SKV_INSTANCE = "http://xmls.skatteverket.se/se/skatteverket/zg/instans/standardiseradInformation/1.0"
SKV_TAX = "http://xmls.skatteverket.se/se/skatteverket/zg/komponent/infoForBeskattning/1.0"
SKV_REGISTRY = "http://xmls.skatteverket.se/se/skatteverket/zg/komponent/infoForFolkbokforing/1.0"


# --- the data -------------------------------------------------------------------------------------


def _digest(number: str) -> bytes:
    return hashlib.sha256(f"sociala-ssbtek:{number}".encode()).digest()


def profile_of(number: str) -> str:
    """The profile the simulator answers with for a 12-digit personal identity number."""
    return PROFILES[_digest(number)[0] % len(PROFILES)]


def _amount(number: str, index: int, low: int, high: int, step: int = 10) -> int:
    """A deterministic amount in [low, high] in steps of ``step`` kronor."""
    value = int.from_bytes(_digest(number)[index : index + 2], "big")
    return low + (value % ((high - low) // step + 1)) * step


@dataclass(frozen=True)
class Facts:
    """What the agencies know about one person in one month (the simulator's truth)."""

    profile: str
    unemployment_payments: tuple[int, ...] = ()
    unemployment_days: int = 10
    housing_allowance: int = 0
    child_allowance: int = 0
    maintenance_support: int = 0
    student_aid: int = 0
    pension: int = 0
    activity_support_gross: int = 0
    sickness_gross: int = 0
    declared_earned_income: int = 0
    registered_job_seeker: bool = False


def facts_for(number: str) -> Facts:
    """The simulator's data for ``number`` (the same for every month)."""
    profile = profile_of(number)
    declared = _amount(number, 20, 0, 320_000, 100)
    if profile == "unemployed":
        half = _amount(number, 2, 5200, 7400)
        return Facts(profile, unemployment_payments=(half, half), declared_earned_income=declared,
                     registered_job_seeker=True)  # fmt: skip
    if profile == "single_parent":
        return Facts(
            profile,
            housing_allowance=_amount(number, 4, 1200, 3800),
            child_allowance=1250 * (1 + _digest(number)[6] % 3),
            maintenance_support=1673,
            declared_earned_income=declared,
        )
    if profile == "student":
        return Facts(profile, student_aid=_amount(number, 8, 9000, 13000), declared_earned_income=declared)
    if profile == "pensioner":
        return Facts(profile, pension=_amount(number, 10, 8500, 14500), declared_earned_income=0)
    if profile == "activity_support":
        return Facts(profile, activity_support_gross=_amount(number, 12, 6000, 14000),
                     declared_earned_income=declared, registered_job_seeker=True)  # fmt: skip
    if profile == "sickness":
        return Facts(
            profile, sickness_gross=_amount(number, 14, 9000, 16000), declared_earned_income=declared
        )
    if profile == "agency_error":
        half = _amount(number, 2, 5200, 7400)
        return Facts(profile, unemployment_payments=(half, half), declared_earned_income=declared)
    return Facts(profile, declared_earned_income=declared)


# --- the answer -----------------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{SSBT}}}{name}"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        element.text = text
    return element


def _month_day(start: date, day: int) -> date:
    return start.replace(day=min(day, calendar.monthrange(start.year, start.month)[1]))


def _lefi_answer(request: InquiryRequest, facts: Facts) -> dict:
    start, end = request.period_start, request.period_end
    year_start, year_end = date(start.year, 1, 1).isoformat(), date(start.year, 12, 31).isoformat()

    def monthly(code: str, name: str, amount: int) -> dict:
        return {
            "startades": (start - timedelta(days=120)).isoformat(),
            "aktivt": True,
            "avslaget": False,
            "beslut": [
                {
                    "fattades": (start - timedelta(days=100)).isoformat(),
                    "definitivt": True,
                    "forman": {"id": code, "beskrivning": name},
                    "periodicitet": {"id": 1, "beskrivning": "Månadsvis"},
                    "period": {"fran": year_start, "till": year_end},
                    "beslutatBruttobelopp": {"summa": amount, "valuta": "SEK"},
                }
            ],
        }

    benefits: dict = {
        "generellPersoninformation": [{"personnummer": request.personal_identity_number, "skyddad": False}]
    }
    if facts.housing_allowance:
        benefits["bostadsbidragsarende"] = [monthly("BOB", "Bostadsbidrag", facts.housing_allowance)]
    if facts.child_allowance:
        benefits["barnbidragsarende"] = [monthly("ABB", "Barnbidrag", facts.child_allowance)]
    if facts.maintenance_support:
        benefits["underhallsstodsmottag"] = [monthly("US", "Underhållsstöd", facts.maintenance_support)]
    if facts.activity_support_gross:
        benefits["aktivitetsstodsarende"] = [monthly("AS", "Aktivitetsstöd", facts.activity_support_gross)]
    if facts.sickness_gross:
        benefits["sjukOchAktivitetsersattningsarende"] = [
            monthly("SA", "Sjukersättning", facts.sickness_gross)
        ]
    answer: dict = {
        "utlamnare": [
            {"utlamnare": {"kod": "FK", "namn": "Försäkringskassan"}, "tillstand": {"kod": "OK", "beskrivning": "Tillgänglig"}},
            {"utlamnare": {"kod": "PM", "namn": "Pensionsmyndigheten"}, "tillstand": {"kod": "OK", "beskrivning": "Tillgänglig"}},
        ],
        "avvikelser": {},
        "formansinformation": benefits,
        "utbetalningar": [],
    }  # fmt: skip
    if facts.pension:
        gross = facts.pension * 100 // 76
        answer["utbetalningar"].append(
            {
                "utbetalningsdatum": _month_day(start, 19).isoformat(),
                "utbetalningsperiod": {"from": start.isoformat(), "tom": end.isoformat()},
                "bruttobelopp": gross,
                "nettobelopp": facts.pension,
                "avdrag": [{"belopp": gross - facts.pension, "avdragstyp": {"kod": "PM:PS", "beskrivning": "Preliminärskatt"}}],
                "utbetalningsrader": [{"formansgrupp": {"kod": "PM:AP", "beskrivning": "Allmän pension"}, "belopp": gross}],
            }
        )  # fmt: skip
    return answer


def _csn_answer(request: InquiryRequest, facts: Facts) -> bytes:
    root = etree.Element(f"{{{CSN_NS}}}CSNSvar", nsmap={None: CSN_NS}, schemaVersion="4.0")
    common = _sub(root, f"{{{CSN_NS}}}GemensamtSvarEkbistand")
    result = _sub(common, f"{{{CSN_NS}}}Resultat")
    _sub(result, f"{{{CSN_NS}}}ResultatKod", "0")
    _sub(
        result,
        f"{{{CSN_NS}}}ResultatText",
        "Allt OK" if facts.student_aid else "Allt OK, inget att rapportera",
    )
    _sub(root, f"{{{CSN_NS}}}GemensamtFragaEkbistand")
    people = _sub(root, f"{{{CSN_NS}}}Personer")
    number = request.personal_identity_number
    person = _sub(people, f"{{{CSN_NS}}}Person", personnummer=number[2:], sekel=number[:2])
    if facts.student_aid:
        grant = facts.student_aid * 3 // 10
        case = _sub(_sub(person, f"{{{CSN_NS}}}Studiemedel"), f"{{{CSN_NS}}}arende", lopnummer="1")
        _sub(case, f"{{{CSN_NS}}}stodform", "GRUND")
        _sub(case, f"{{{CSN_NS}}}klartext", "Studiemedel för studier i Sverige")
        _sub(case, f"{{{CSN_NS}}}status", "BESLUTAD")
        plan = _sub(case, f"{{{CSN_NS}}}UtbetalningsPlan")
        payment = _sub(plan, f"{{{CSN_NS}}}Utbetalning")
        _sub(payment, f"{{{CSN_NS}}}utbetdatum", _month_day(request.period_start, 25).strftime("%Y%m%d"))
        _sub(payment, f"{{{CSN_NS}}}utbetstatus", "Utbetald")
        times = _sub(_sub(payment, f"{{{CSN_NS}}}Utbetaldatider"), f"{{{CSN_NS}}}Utbetaldtid")
        amounts = _sub(times, f"{{{CSN_NS}}}Beloppen")
        for kind, text, value in (("GRUNDB", "Bidrag", grant), ("GRUNDL", "Lån", facts.student_aid - grant)):
            row = _sub(amounts, f"{{{CSN_NS}}}Belopp")
            _sub(row, f"{{{CSN_NS}}}beloppstyp", kind)
            _sub(row, f"{{{CSN_NS}}}klartext", text)
            _sub(row, f"{{{CSN_NS}}}belopp", str(value))
            _sub(row, f"{{{CSN_NS}}}totbelopp", str(value))
        _sub(times, f"{{{CSN_NS}}}totbelopp", str(facts.student_aid))
        _sub(payment, f"{{{CSN_NS}}}totbelopp", str(facts.student_aid))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _skatteverket_answer(request: InquiryRequest, facts: Facts) -> str:
    nsmap = {None: SKV_INSTANCE, "besko": SKV_TAX, "folko": SKV_REGISTRY}
    root = etree.Element(f"{{{SKV_INSTANCE}}}SvarBeskattningsuppgifterEnligtSFS2008-975", nsmap=nsmap)
    person = _sub(_sub(root, f"{{{SKV_INSTANCE}}}PersonuppgiftLista"), f"{{{SKV_INSTANCE}}}Personuppgift")
    _sub(person, f"{{{SKV_REGISTRY}}}IdentitetsbeteckningFysiskPerson", request.personal_identity_number)
    _sub(person, f"{{{SKV_INSTANCE}}}StatusPersonuppgiftKod", "999")
    block = _sub(person, f"{{{SKV_INSTANCE}}}{SKV_EARNED_INCOME_BLOCK}")
    _sub(block, f"{{{SKV_TAX}}}{SKV_YEAR}", str(request.period_start.year))
    _sub(block, f"{{{SKV_TAX}}}{SKV_EARNED_INCOME}", str(facts.declared_earned_income))
    return etree.tostring(root, encoding="unicode")


def _employment_service_answer(parent, request: InquiryRequest, facts: Facts) -> None:
    def af(tag: str) -> str:
        return f"{{{AF}}}{tag}"

    question = _sub(parent, af("Fraga"))
    _sub(question, af("OrganisationsnummerForIngivare"), request.organization_number)
    _sub(question, af("NamnPaIngivare"), request.organization_name)
    _sub(question, af("KontonamnForHandlaggare"), request.caseworker)
    _sub(question, af("Referensnummer"), request.case_reference)
    _sub(question, af("From"), request.period_start.isoformat())
    _sub(question, af("Tom"), request.period_end.isoformat())
    _sub(question, af("SyfteMedFraga"), request.purpose)
    _sub(question, af("LagParagraf"), request.legal_basis)
    _sub(question, af("IdentitetsbeteckningFysiskPerson"), request.personal_identity_number)
    answer = _sub(parent, af("Svar"))
    _sub(answer, af("Schemaversion"), "2.0")
    _sub(answer, af("Referensnummer"), request.case_reference)
    _sub(answer, af("LagParagraf"), request.legal_basis)
    _sub(answer, af("IdentitetsbeteckningFysiskPerson"), request.personal_identity_number)
    if facts.registered_job_seeker:
        info = _sub(answer, af("ArbetssokandeInfo"))
        _sub(info, af("Arbetssokande"), "true")
        _sub(info, af("ArbetssokandeRegistrerad"), (request.period_start - timedelta(days=200)).isoformat())
        _sub(info, af("ArbetssokandeOmfattning"), "100")
        report = _sub(info, af("AktivetetsRapportDatum"))
        _sub(report, af("AktivitetsRapportMeddelande"), "Aktivitetsrapport inlämnad")
        _sub(
            report,
            af("SenasteAktivitetsRapportDatum"),
            (request.period_start - timedelta(days=20)).isoformat(),
        )
        decisions = _sub(_sub(answer, af("BeslutInfo")), af("EkonomiskaBeslut"))
        decision = _sub(decisions, af("Beslut"))
        kind = "Aktivitetsstöd" if facts.activity_support_gross else "Arbetslöshetsersättning"
        _sub(decision, af("ErsattningTyp"), kind)
        _sub(decision, af("Omfattning"), "100")
        _sub(decision, af("BeslutFrom"), date(request.period_start.year, 1, 1).isoformat())
        _sub(decision, af("BeslutTom"), date(request.period_start.year, 12, 31).isoformat())
        _sub(answer, af("StatusSokandeinformationKod"), "0")
        _sub(answer, af("StatusSokandeinformationKodText"), "Inskriven")
    else:
        _sub(answer, af("StatusSokandeinformationKod"), "1")
        _sub(answer, af("StatusSokandeinformationKodText"), "Ej inskriven")


def _unemployment_fund_answer(parent, request: InquiryRequest, facts: Facts) -> None:
    def so(tag: str) -> str:
        return f"{{{SO}}}{tag}"

    _sub(parent, so("OrganisationsnummerIngivare"), request.organization_number)
    _sub(parent, so("NamnIngivare"), request.organization_name)
    _sub(parent, so("KontonamnHandlaggare"), request.caseworker)
    _sub(parent, so("Referensnummer"), request.case_reference)
    _sub(parent, so("From"), request.period_start.isoformat())
    _sub(parent, so("Tom"), request.period_end.isoformat())
    _sub(parent, so("IdentificationNumber"), request.personal_identity_number)
    listing = _sub(parent, so("ArbetsloshetsersattningLista"))
    if not facts.unemployment_payments:
        return
    benefit = _sub(listing, so("Arbetsloshetsersattning"))
    _sub(benefit, so("SvarandeOrganisation"), "Arbetslöshetskassan Exempel")
    _sub(benefit, so("StatusSvarandeOrganisation"), "OK")
    for index, net in enumerate(facts.unemployment_payments):
        first = request.period_start + timedelta(days=14 * index)
        payment = _sub(benefit, so("Utbetalningar"))
        _sub(payment, so("Utbetalningsdatum"), (first + timedelta(days=13)).isoformat())
        _sub(payment, so("NettoEfterSkatt"), f"{net}.00")
        _sub(payment, so("NettoEfterAvdrag"), f"{net}.00")
        _sub(payment, so("Ersattningsdagar"), str(facts.unemployment_days))
        _sub(payment, so("AvserFrom"), first.isoformat())
        _sub(payment, so("AvserTom"), (first + timedelta(days=13)).isoformat())


def _error(parent, source: str, code: str, message: str) -> None:
    error = _sub(parent, _q("error"))
    _sub(error, _q("kalla"), source)
    _sub(error, _q("felkod"), code)
    _sub(error, _q("felmeddelande"), message)


def build_answer(request: InquiryRequest, asked: dict[str, bool]) -> etree._Element:
    """The ``hamtaBastjanstInformationResponse`` element for ``request``."""
    facts = facts_for(request.personal_identity_number)
    root = etree.Element(_q("hamtaBastjanstInformationResponse"), nsmap={"ssbt": SSBT, "af": AF, "in": SO})
    if request.asked_at is not None:
        _sub(root, _q("frageTidpunkt"), request.asked_at.isoformat(timespec="seconds"))
    if request.correlation_id:
        _sub(root, _q("korrelationsid"), request.correlation_id)
    data = _sub(root, _q("svarsdata"))
    if asked.get("AF"):
        _employment_service_answer(_sub(_sub(data, _q("AF")), _q("data")), request, facts)
    if asked.get("CSN"):
        payload = base64.b64encode(_csn_answer(request, facts)).decode("ascii")
        _sub(_sub(_sub(data, _q("CSN")), _q("data")), _q("svar"), payload)
    if asked.get("FK"):
        part = _sub(data, _q("FK"))
        if facts.profile == "agency_error":
            _error(part, "SSBT", "SSBT-504", "Tidsgränsen överskreds i anropet till Försäkringskassan")
        else:
            text = json.dumps(_lefi_answer(request, facts), ensure_ascii=False).encode("utf-8")
            _sub(_sub(part, _q("data")), _q("lefiJsonSvar"), base64.b64encode(text).decode("ascii"))
    if asked.get("SKV"):
        _sub(_sub(_sub(data, _q("SKV")), _q("data")), "svar", _skatteverket_answer(request, facts))
    if asked.get("SO"):
        _unemployment_fund_answer(_sub(_sub(data, _q("SO")), _q("data")), request, facts)
    return root


def fault_detail(code: str, messages: list[str]) -> etree._Element:
    """A ``hamtaBastjanstInformationFault`` element."""
    detail = etree.Element(_q("hamtaBastjanstInformationFault"), nsmap={"ssbt": SSBT})
    _sub(detail, _q("felkod"), code)
    for message in messages or ["Okänt fel"]:
        _sub(detail, _q("felmeddelande"), message)
    return detail


def answer_message(body: bytes, content_type: str) -> tuple[int, str, bytes]:
    """(HTTP status, content type, SOAP message) for a request body: the simulator's whole logic."""
    expected = "1.2" if content_type.split(";")[0].strip().lower() == "application/soap+xml" else "1.1"
    try:
        version, element = soap.open_envelope(body, max_bytes=MAX_REQUEST_BYTES)
    except soap.SoapError as error:
        return 400, soap.CONTENT_TYPES[expected], soap.fault(expected, sender=True, text=str(error))
    status_for_sender = 500 if version == "1.1" else 400
    if version != expected:
        text = f"SOAP {version} sent with the content type of SOAP {expected}"
        return status_for_sender, soap.CONTENT_TYPES[version], soap.fault(version, sender=True, text=text)
    if element.tag != _q("hamtaBastjanstInformation"):
        text = f"unknown operation {etree.QName(element).localname}"
        return status_for_sender, soap.CONTENT_TYPES[version], soap.fault(version, sender=True, text=text)
    try:
        validate(element)
    except ContractViolation as error:
        detail = fault_detail("SSBT-400", ["Frågan följer inte schemat ssbt/11", *error.errors[:3]])
        message = soap.fault(version, sender=True, text="Ogiltig fråga", detail=detail)
        return status_for_sender, soap.CONTENT_TYPES[version], message
    request = read_request(element)
    specific = element.find(_q("specifikaFrageparametrar"))
    asked = {
        etree.QName(part).localname: part.get("inkludera") in ("true", "1")
        for part in (specific if specific is not None else [])
        if isinstance(part.tag, str)
    }
    answer = build_answer(request, asked)
    return 200, soap.CONTENT_TYPES[version], soap.envelope(answer, version)


# --- the server -----------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 - the name http.server calls
        if self.path.split("?")[0] != self.server.path:
            self._send(404, "text/plain; charset=utf-8", b"not found")
            return
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self._send(411, "text/plain; charset=utf-8", b"Content-Length required")
            return
        if length > MAX_REQUEST_BYTES:
            self._send(413, "text/plain; charset=utf-8", b"too large")
            return
        body = self.rfile.read(length)
        self.server.received.append(body)
        status, content_type, message = answer_message(body, self.headers.get("Content-Type", ""))
        self._send(status, content_type, message)

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self._send(405, "text/plain; charset=utf-8", b"POST a SOAP message")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the signature http.server calls
        logger.debug("ssbtek simulator: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, context: ssl.SSLContext, path: str):
        super().__init__(address, _Handler)
        self.path = path
        self.received: list[bytes] = []
        # The handshake happens in the request's thread, so a client that stalls blocks no one else.
        self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def finish_request(self, request, client_address):
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError) as error:
            logger.info("ssbtek simulator: TLS handshake refused: %s", error)
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        logger.info("ssbtek simulator: connection from %s ended with an error", client_address[0])


def server_context(pki: ThrowawayPki) -> ssl.SSLContext:
    """The server side of mutual TLS: our certificate, and a client certificate from the CA required."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=pki.server.certificate, keyfile=pki.server.key)
    context.load_verify_locations(cafile=pki.ca_certificate)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class SsbtekSimulator:
    """The simulator on ``host``:``port`` (0 = a free port), in a background thread."""

    def __init__(
        self, pki: ThrowawayPki, *, host: str = "127.0.0.1", port: int = 0, path: str = DEFAULT_PATH
    ):
        self.pki = pki
        self._server = _Server((host, port), server_context(pki), path)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"https://{host!s}:{port}{self._server.path}"

    @property
    def received(self) -> list[bytes]:
        """Every request body received, in order."""
        return self._server.received

    def start(self) -> SsbtekSimulator:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="ssbtek-simulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
