"""SOAP 1.1 and 1.2 envelopes and faults around the ssbt/11 messages."""

from __future__ import annotations

from lxml import etree

from .safexml import XmlRejected, parse_xml

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
NAMESPACES = {"1.1": SOAP11, "1.2": SOAP12}
VERSIONS = {SOAP11: "1.1", SOAP12: "1.2"}
CONTENT_TYPES = {"1.1": "text/xml; charset=utf-8", "1.2": "application/soap+xml; charset=utf-8"}
# The WSDL's binding has soapAction="" for both operations.
SOAP_ACTION = '""'


class SoapError(ValueError):
    """The bytes are not a SOAP message this side can read."""


def envelope(body: etree._Element, version: str) -> bytes:
    """``body`` wrapped in a SOAP ``version`` envelope, as UTF-8 bytes with an XML declaration."""
    ns = NAMESPACES[version]
    env = etree.Element(f"{{{ns}}}Envelope", nsmap={"soap": ns})
    etree.SubElement(env, f"{{{ns}}}Header")
    etree.SubElement(env, f"{{{ns}}}Body").append(body)
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def open_envelope(data: bytes, *, max_bytes: int = 10 * 1024 * 1024) -> tuple[str, etree._Element]:
    """(SOAP version, the Body's one child) of a SOAP message; SoapError otherwise."""
    try:
        root = parse_xml(data, max_bytes=max_bytes)
    except XmlRejected as error:
        raise SoapError(str(error)) from error
    version = VERSIONS.get(etree.QName(root).namespace or "")
    if version is None or etree.QName(root).localname != "Envelope":
        raise SoapError("not a SOAP envelope")
    ns = NAMESPACES[version]
    body = root.find(f"{{{ns}}}Body")
    if body is None:
        raise SoapError("the envelope has no Body")
    children = [child for child in body if isinstance(child.tag, str)]
    if len(children) != 1:
        raise SoapError("the Body must hold exactly one element")
    return version, children[0]


def fault(version: str, *, sender: bool, text: str, detail: etree._Element | None = None) -> bytes:
    """A SOAP fault: the client's fault (``sender``) or the server's, with an optional detail element."""
    ns = NAMESPACES[version]
    element = etree.Element(f"{{{ns}}}Fault", nsmap={"soap": ns})
    if version == "1.1":
        etree.SubElement(element, "faultcode").text = "soap:Client" if sender else "soap:Server"
        etree.SubElement(element, "faultstring").text = text
        if detail is not None:
            etree.SubElement(element, "detail").append(detail)
    else:
        code = etree.SubElement(element, f"{{{ns}}}Code")
        etree.SubElement(code, f"{{{ns}}}Value").text = "soap:Sender" if sender else "soap:Receiver"
        reason = etree.SubElement(element, f"{{{ns}}}Reason")
        reason_text = etree.SubElement(reason, f"{{{ns}}}Text")
        reason_text.set("{http://www.w3.org/XML/1998/namespace}lang", "sv")
        reason_text.text = text
        if detail is not None:
            etree.SubElement(element, f"{{{ns}}}Detail").append(detail)
    return envelope(element, version)


def read_fault(version: str, element: etree._Element) -> tuple[str, etree._Element | None]:
    """(reason text, detail's first element or None) of a Fault element."""
    ns = NAMESPACES[version]
    if version == "1.1":
        text = element.findtext("faultstring") or ""
        detail = element.find("detail")
    else:
        text = element.findtext(f"{{{ns}}}Reason/{{{ns}}}Text") or ""
        detail = element.find(f"{{{ns}}}Detail")
    first = None
    if detail is not None:
        first = next((child for child in detail if isinstance(child.tag, str)), None)
    return text.strip(), first


def is_fault(version: str, element: etree._Element) -> bool:
    return element.tag == f"{{{NAMESPACES[version]}}}Fault"
