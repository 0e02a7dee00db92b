"""The archive package: valid XML, every file listed with the right checksum, PDF/A, the log."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pypdf
import pytest
from lxml import etree

from sociala.audit.models import AuditEvent
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.documents.models import Document
from sociala.retention import archive
from sociala.retention.services.archive import export_archive_package

from .factories import full_case_file, old_case

NS = {"p": archive.NAMESPACE}


@pytest.fixture
def built(city, setting):
    return full_case_file(
        city, number="197909189230", day=date(2019, 3, 4), first_name="Gammal", last_name="Akt"
    )


@pytest.fixture
def package(city, built):
    return export_archive_package(actor=city.users["handlaggare.ifo"], case=built.cases[0])


def members(package) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive_file:
        return {name: archive_file.read(name) for name in archive_file.namelist()}


def parse(xml: bytes):
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def test_the_package_holds_the_metadata_the_schema_the_pdfs_and_the_documents(package, built):
    names = sorted(members(package))
    assert names == [
        "documents/001-beslut.pdf",
        "documents/002-inkommen-handling.pdf",
        "package.xml",
        "pdf/case.pdf",
        "pdf/decisions.pdf",
        "pdf/journal.pdf",
        "schema/archive-package-1.xsd",
    ]
    assert package.filename == f"arkivpaket-{built.cases[0].reference}.zip"


def test_the_metadata_is_valid_against_the_schema(package):
    files = members(package)
    assert archive.validate(files["package.xml"]) == []
    # The schema in the package is the one in the repository.
    assert files["schema/archive-package-1.xsd"] == archive.SCHEMA_PATH.read_bytes()


def test_every_file_is_listed_with_its_size_and_checksum(package):
    files = members(package)
    root = parse(files["package.xml"])
    listed = {f.get("path"): f for f in root.findall("p:files/p:file", NS)}
    assert set(listed) == set(files) - {"package.xml", "schema/archive-package-1.xsd"}
    for path, element in listed.items():
        assert element.get("checksum") == hashlib.sha256(files[path]).hexdigest(), path
        assert element.get("checksumType") == "SHA-256"
        assert int(element.get("size")) == len(files[path])
    parts = [(p.get("kind"), p.get("file")) for p in root.findall("p:structure/p:part", NS)]
    assert parts == [(f.get("kind"), f.get("id")) for f in root.findall("p:files/p:file", NS)]


def test_the_documents_are_the_stored_files(package, built):
    files = members(package)
    root = parse(files["package.xml"])
    stored = sorted(Document.objects.filter(case=built.cases[0]).values_list("sha256", flat=True))
    in_package = sorted(
        f.get("checksum")
        for f in root.findall("p:files/p:file", NS)
        if f.get("path").startswith("documents/")
    )
    assert in_package == stored


def test_the_case_is_described(package, built):
    root = parse(members(package)["package.xml"])
    case = root.find("p:case", NS)
    assert (case.get("reference"), case.get("type"), case.get("serviceArea")) == (
        built.cases[0].reference,
        "income_support_application",
        "individual_family",
    )
    assert case.findtext("p:received", namespaces=NS) == "2019-03-04"
    person = case.find("p:person", NS)
    assert (
        person.get("identityNumber"),
        person.get("birthDate"),
        person.findtext("p:name", namespaces=NS),
    ) == (
        "197909189230",
        "1979-09-18",
        "Gammal Akt",
    )
    assert [d.get("outcome") for d in case.findall("p:decision", NS)] == ["granted"]
    retention = case.find("p:retention", NS)
    assert (retention.get("rule"), retention.get("permanent"), retention.get("cullableFrom")) == (
        "sol_five_years",
        "false",
        "2024-06-02",
    )
    header = root.find("p:header", NS)
    assert header.findtext("p:creator", namespaces=NS) == "Sociala stad – Rinkeby-Kista stadsdelsnämnd"
    assert header.findtext("p:archiveAuthority", namespaces=NS) == "Stadsarkivet"
    assert header.findtext("p:producedBy", namespaces=NS) == "handlaggare.ifo"


def test_the_journal_and_decisions_are_pdf_a(package):
    files = members(package)
    for path in ("pdf/case.pdf", "pdf/journal.pdf", "pdf/decisions.pdf"):
        reader = pypdf.PdfReader(io.BytesIO(files[path]))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        assert b'pdfaid:part="2"' in xmp and b'pdfaid:conformance="B"' in xmp, path
        assert "/OutputIntents" in reader.trailer["/Root"], path
    journal = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files["pdf/journal.pdf"])).pages)
    assert "Personen berättade om sin situation." in journal
    assert "Den enskilde anser att uppgiften är felaktig" in journal
    assert "Jag sa inte så." in journal
    assert "Rättelse av anteckning från 2019-03-06" in journal
    decisions = "\n".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files["pdf/decisions.pdf"])).pages
    )
    assert "Beslut BRET-" in decisions
    assert "9\u202f800\u00a0kr" in decisions


def test_a_tampered_package_fails_the_schema(package):
    xml = members(package)["package.xml"].replace(b'checksumType="SHA-256"', b'checksumType="MD5"', 1)
    assert archive.validate(xml) != []
    broken = members(package)["package.xml"].replace(b"<system>Sociala</system>", b"", 1)
    assert archive.validate(broken) != []


def test_the_export_is_logged_with_the_checksum(city, package, built):
    event = AuditEvent.objects.get(action="export_archive_package")
    assert (event.person_id, event.case_id, event.object_id) == (
        built.person.pk,
        built.cases[0].pk,
        package.package_id,
    )
    assert event.details == {"sha256": package.sha256, "files": 5}


def test_an_open_case_is_not_exported(city, built):
    open_case = old_case(city, built.person, day=date(2019, 5, 2), closed=False)
    with pytest.raises(InvalidInput) as error:
        export_archive_package(actor=city.users["handlaggare.ifo"], case=open_case)
    assert error.value.errors == {"__all__": "Bara avslutade ärenden kan arkiveras."}


@pytest.mark.parametrize(
    "username",
    ["handlaggare.ifo.bromma", "handlaggare.ao", "utforare.hemtjanst", "socialjour", "admin", "revisor"],
)
def test_who_may_not_export(city, built, username):
    with pytest.raises(NotPermitted):
        export_archive_package(actor=city.users[username], case=built.cases[0])
    assert not AuditEvent.objects.filter(action="export_archive_package").exists()
