"""Parsing XML from outside: no DTDs, no entities, no network, bounded size.

SOAP forbids a document type declaration in a message (SOAP 1.1 §3, SOAP 1.2 part 1 §5), so any DOCTYPE
is refused outright; the parser additionally never loads a DTD, never resolves entities and never
reaches the network, so an external entity or a billion-laughs expansion has nothing to work with.
"""

from __future__ import annotations

from lxml import etree


class XmlRejected(ValueError):
    """The bytes are not acceptable XML (malformed, too large, or with a DOCTYPE)."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, max_bytes: int = 10 * 1024 * 1024) -> etree._Element:
    """The root element of ``data``; XmlRejected when it is malformed, too large or has a DOCTYPE."""
    if len(data) > max_bytes:
        raise XmlRejected(f"the document is larger than {max_bytes} bytes")
    try:
        root = etree.fromstring(data, parser=_parser())  # noqa: S320 - hardened parser, DOCTYPE refused below
    except etree.XMLSyntaxError as error:
        raise XmlRejected(f"not well-formed XML: {error}") from error
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XmlRejected("a document type declaration is not allowed")
    return root
