"""Contract tests: every request the adapter builds and every answer the simulator gives validate against
the committed ssbt/11 schema; hostile XML is refused."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, datetime

import pytest
from lxml import etree

from sociala.integrations.ssbtek import soap
from sociala.integrations.ssbtek.client import request_xml
from sociala.integrations.ssbtek.messages import InquiryRequest, build_request, read_response
from sociala.integrations.ssbtek.safexml import XmlRejected, parse_xml
from sociala.integrations.ssbtek.schema import CONTRACT, SSBT, ContractViolation, validate
from sociala.integrations.ssbtek.simulator import PROFILES, answer_message

from .test_budget_support import number_with_profile

NS = {"ssbt": SSBT}


def a_request(number="194002087874", **changes) -> InquiryRequest:
    values = {
        "organization_number": "162120000142",
        "organization_name": "Sociala stad",
        "caseworker": "handlaggare.ifo",
        "personal_identity_number": number,
        "case_reference": "2026-000017",
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 3, 31),
        "purpose": "Beslut om eller kontroll av ekonomiskt bistånd",
        "legal_basis": "11 kap. 11 a § socialtjänstlagen (2001:453)",
        "correlation_id": "7d3c2a9e-0000-4000-8000-000000000017",
        "fk_actor_id": "026-51",
        "asked_at": datetime(2026, 3, 4, 9, 30, 0),
    }
    values.update(changes)
    return InquiryRequest(**values)


def test_the_committed_schemas_are_the_copies_named_in_the_readme():
    # A changed byte in a copied schema is a changed contract: it must be a deliberate new copy.
    digests = {
        path.relative_to(CONTRACT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for path in sorted(CONTRACT.rglob("*.xsd"))
        if "stand-ins" not in path.parts
    }
    assert sorted(digests) == [
        "se/arbetsformedlingen/api/arbetssokande/ersattningsstod/v2/ers_stod.xsd",
        "se/forsakringskassan/schema/integration/ssbt/_11/sammansatt_bastjanst_v11.xsd",
        "se/migrationsverket/schema/ssbtek/_1/SSBTEKWebService_schema1.xsd",
        "se/rsv/zg/bs/service/ws/beskattningws/ZgBsBeskattningWSService_schema.xsd",
    ]
    readme = (CONTRACT / "README.md").read_text(encoding="utf-8")
    for name in digests:
        assert f"`{name}`" in readme


def test_the_request_carries_every_field_the_domain_names_and_follows_the_contract():
    element = build_request(a_request())
    validate(element)

    def text(path):
        return element.findtext(path, namespaces=NS)

    general = "ssbt:generellaFrageparametrar/"
    assert text(general + "ssbt:ingivare/ssbt:organisationsnummer") == "162120000142"
    assert text(general + "ssbt:ingivare/ssbt:namn") == "Sociala stad"
    assert text(general + "ssbt:ingivare/ssbt:handlaggare") == "handlaggare.ifo"
    assert text(general + "ssbt:personidentitet") == "194002087874"
    assert text(general + "ssbt:arendeidentitet") == "2026-000017"
    assert text(general + "ssbt:tidsperiod/ssbt:fromDatum") == "2026-03-01"
    assert text(general + "ssbt:tidsperiod/ssbt:tomDatum") == "2026-03-31"
    assert text(general + "ssbt:syfte") == "Beslut om eller kontroll av ekonomiskt bistånd"
    assert text(general + "ssbt:lagtext") == "11 kap. 11 a § socialtjänstlagen (2001:453)"
    assert text(general + "ssbt:korrelationsid") == "7d3c2a9e-0000-4000-8000-000000000017"
    assert text(general + "ssbt:frageTidpunkt") == "2026-03-04T09:30:00"
    parts = element.find("ssbt:specifikaFrageparametrar", NS)
    assert [(etree.QName(p).localname, p.get("inkludera")) for p in parts] == [
        ("AF", "true"),
        ("CSN", "true"),
        ("FK", "true"),
        ("SKV", "true"),
        ("SO", "true"),
        ("TNS", "false"),
        ("MIV", "false"),
    ]
    lefi = json.loads(
        base64.b64decode(text("ssbt:specifikaFrageparametrar/ssbt:FK/ssbt:fraga/ssbt:lefiJsonFraga"))
    )
    assert lefi == {
        "personnummer": "194002087874",
        "period": {"from": "2026-03-01", "tom": "2026-03-31"},
        "formansinformation": ["FK:ABB", "FK:AS", "FK:BOB", "FK:FP", "FK:SA", "FK:SJP", "FK:US"],
        "utbetalningar": ["PM:AP", "PM:BTI"],
        "ovrigInformation": ["FK:GEPI"],
    }
    assert text("ssbt:specifikaFrageparametrar/ssbt:FK/ssbt:fraga/ssbt:aktorsid") == "026-51"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"personal_identity_number": "4002087874"}, "personidentitet"),
        ({"organization_number": "5561234567"}, "organisationsnummer"),
        ({"case_reference": ""}, "arendeidentitet"),
    ],
)
def test_a_request_that_breaks_the_contract_is_caught(change, message):
    with pytest.raises(ContractViolation) as error:
        validate(build_request(a_request(**change)))
    assert message in str(error.value)


@pytest.mark.parametrize("version, content_type", [("1.1", "text/xml"), ("1.2", "application/soap+xml")])
@pytest.mark.parametrize("profile", PROFILES)
def test_every_answer_of_the_simulator_follows_the_contract(profile, version, content_type):
    request = a_request(number_with_profile(profile))
    status, answer_type, answer = answer_message(
        request_xml(request, version), f"{content_type}; charset=utf-8"
    )
    assert (status, answer_type) == (200, soap.CONTENT_TYPES[version])
    answer_version, element = soap.open_envelope(answer)
    assert answer_version == version
    validate(element)
    result = read_response(
        element,
        correlation_id=request.correlation_id,
        period_start=request.period_start,
        period_end=request.period_end,
    )
    assert result.correlation_id == request.correlation_id


@pytest.mark.parametrize("version, status", [("1.1", 500), ("1.2", 400)])
def test_the_simulator_answers_a_request_that_breaks_the_contract_with_a_fault(version, status):
    element = build_request(a_request())
    element.find("ssbt:generellaFrageparametrar/ssbt:personidentitet", NS).text = "19400208"
    content_type = soap.CONTENT_TYPES[version]
    answer_status, _type, answer = answer_message(soap.envelope(element, version), content_type)
    assert answer_status == status
    answer_version, fault = soap.open_envelope(answer)
    assert soap.is_fault(answer_version, fault)
    text, detail = soap.read_fault(answer_version, fault)
    assert text == "Ogiltig fråga"
    validate(detail)
    assert detail.findtext("ssbt:felkod", namespaces=NS) == "SSBT-400"
    assert detail.findtext("ssbt:felmeddelande", namespaces=NS) == "Frågan följer inte schemat ssbt/11"


def test_a_soap_12_message_sent_as_soap_11_is_refused():
    status, _type, answer = answer_message(request_xml(a_request(), "1.2"), "text/xml; charset=utf-8")
    version, fault = soap.open_envelope(answer)
    assert (status, version, soap.read_fault(version, fault)[0]) == (
        400,
        "1.2",
        "SOAP 1.2 sent with the content type of SOAP 1.1",
    )


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<x>&xxe;</x></soap:Body></soap:Envelope>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>&lol3;</x></soap:Body></soap:Envelope>"""


@pytest.mark.parametrize(
    "document", [EXTERNAL_ENTITY, BILLION_LAUGHS], ids=["external-entity", "entity-expansion"]
)
def test_xml_with_a_document_type_declaration_is_refused(document):
    with pytest.raises(XmlRejected) as error:
        parse_xml(document)
    assert str(error.value) == "a document type declaration is not allowed"
    status, _type, answer = answer_message(document, "text/xml")
    version, fault = soap.open_envelope(answer)
    assert (status, soap.read_fault(version, fault)[0]) == (400, "a document type declaration is not allowed")


def test_an_oversized_document_is_refused_before_parsing():
    with pytest.raises(XmlRejected) as error:
        parse_xml(b"<a>" + b"x" * 200 + b"</a>", max_bytes=100)
    assert str(error.value) == "the document is larger than 100 bytes"
