"""Archive packages: a closed case as a ZIP with XML metadata, PDF/A documents and the original files.

The format (``Sociala arkivpaket 1``, documented in docs/retention.md) follows the shape of an
e-arkiv submission package (METS: a header, descriptive metadata, a file section with checksums, a
structure map) in a namespace and schema of its own, ``urn:x-sociala:archive-package:1``:

    package.xml                              metadata, valid against schema/archive-package-1.xsd
    schema/archive-package-1.xsd             the schema, so the package explains itself
    pdf/case.pdf                             the case: parties, facts, assessments, interventions (PDF/A-2b)
    pdf/journal.pdf                          every signed journal entry, corrections and objections (PDF/A-2b)
    pdf/decisions.pdf                        every decision with its items, reasons and legal basis (PDF/A-2b)
    documents/001-<title>.<ext>              the case's documents as they were stored (PDF, PNG, JPEG)

Every file is listed in ``package.xml`` with its size, MIME type, format and SHA-256 checksum.
PDF/A-2b (ISO 19005-2, level B) is the archival form of the PDFs Sociala makes; uploaded documents
are kept as they came (their checksums are those stored at upload).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from lxml import etree

from sociala.cases.choices import JournalStatus
from sociala.cases.models import Case, Decision, JournalEntry
from sociala.children.models import InitialAssessment, ReportOfConcern
from sociala.documents.models import Document

from .models import EntryObjection, RetentionSetting
from .rules import CullingDecision

NAMESPACE = "urn:x-sociala:archive-package:1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "archive-package-1.xsd"
PDF_VARIANT = "pdf/a-2b"
PACKAGE_XML = "package.xml"
SCHEMA_IN_PACKAGE = "schema/archive-package-1.xsd"
# A fixed time for every entry of the ZIP, so that the same content gives the same bytes per file.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


@dataclass
class PackageFile:
    """One file of the package and what ``package.xml`` says about it."""

    file_id: str
    path: str
    data: bytes
    mime_type: str
    file_format: str
    kind: str
    title: str
    created: datetime | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ArchivePackage:
    """A built package: the ZIP bytes, its checksum, what it holds."""

    filename: str
    data: bytes
    files: list[PackageFile]
    package_id: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def render_pdfa(template_name: str, context: dict) -> bytes:
    """A template as PDF/A-2b (fonts embedded, sRGB output intent, XMP identification)."""
    from weasyprint import HTML

    with translation.override("sv"):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


def _safe_name(title: str, index: int, extension: str) -> str:
    stem = slugify(title)[:60] or "handling"
    return f"documents/{index:03d}-{stem}.{extension}"


def _text(parent, tag: str, value, **attributes) -> etree._Element:
    element = etree.SubElement(
        parent, f"{{{NAMESPACE}}}{tag}", {k: str(v) for k, v in attributes.items() if v not in (None, "")}
    )
    if value not in (None, ""):
        element.text = str(value)
    return element


def _optional(parent, tag: str, value) -> None:
    if value not in (None, ""):
        _text(parent, tag, value)


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def build_package(
    case: Case,
    *,
    produced_by,
    setting: RetentionSetting | None,
    retention: CullingDecision | None,
) -> ArchivePackage:
    """Build the archive package of a closed case (the caller checks access and that the case is closed)."""
    case = Case.objects.select_related("person", "case_type", "unit", "district", "assigned_to").get(
        pk=case.pk
    )
    person = case.person
    municipality = (setting.municipality_name if setting else "") or settings.SOCIALA_MUNICIPALITY_NAME
    entries = list(
        JournalEntry.objects.filter(case=case, status=JournalStatus.SIGNED)
        .select_related("author", "corrects")
        .order_by("occurred_on", "created_at", "pk")
    )
    objections: dict[int, list[EntryObjection]] = {}
    for objection in EntryObjection.objects.filter(entry__in=entries).select_related("recorded_by"):
        objections.setdefault(objection.entry_id, []).append(objection)
    decisions = list(
        Decision.objects.filter(case=case)
        .select_related("decided_by")
        .prefetch_related("items")
        .order_by("decided_at", "pk")
    )
    documents = list(Document.objects.filter(case=case).order_by("uploaded_at", "pk"))
    context = {
        "case": case,
        "person": person,
        "municipality_name": municipality,
        "produced_at": timezone.now(),
        "entries": [{"entry": e, "objections": objections.get(e.pk, [])} for e in entries],
        "decisions": decisions,
        "interventions": list(case.interventions.order_by("starts_on", "pk")),
        "orders": [
            o for i in case.interventions.prefetch_related("orders__provider") for o in i.orders.all()
        ],
        "deadlines": list(case.deadlines.select_related("rule").order_by("due_on", "pk")),
        "reports": list(
            ReportOfConcern.objects.filter(case=case)
            .select_related("safety_assessment")
            .order_by("received_on", "pk")
        ),
        "initial_assessment": InitialAssessment.objects.filter(case=case).first(),
        "documents": documents,
        "retention": retention,
    }
    files = [
        PackageFile(
            "F1",
            "pdf/case.pdf",
            render_pdfa("retention/archive_case_pdf.html", context),
            "application/pdf",
            "PDF/A-2b",
            "case",
            "Ärendet",
        ),
        PackageFile(
            "F2",
            "pdf/journal.pdf",
            render_pdfa("retention/archive_journal_pdf.html", context),
            "application/pdf",
            "PDF/A-2b",
            "journal",
            "Journal",
        ),
        PackageFile(
            "F3",
            "pdf/decisions.pdf",
            render_pdfa("retention/archive_decisions_pdf.html", context),
            "application/pdf",
            "PDF/A-2b",
            "decisions",
            "Beslut",
        ),
    ]
    for index, document in enumerate(documents, start=1):
        with document.file.open("rb") as handle:
            data = handle.read()
        extension = EXTENSIONS.get(document.content_type, "bin")
        files.append(
            PackageFile(
                f"F{len(files) + 1}",
                _safe_name(document.title, index, extension),
                data,
                document.content_type,
                _format_of(document.content_type, data),
                document.kind,
                document.title,
                document.uploaded_at,
            )
        )
    package_id = str(uuid.uuid4())
    xml = package_xml(
        case,
        files,
        package_id=package_id,
        municipality=municipality,
        setting=setting,
        produced_by=produced_by,
        retention=retention,
        decisions=decisions,
    )
    schema = SCHEMA_PATH.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            (PACKAGE_XML, xml),
            (SCHEMA_IN_PACKAGE, schema),
            *((f.path, f.data) for f in files),
        ]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    filename = f"arkivpaket-{re.sub(r'[^0-9A-Za-z-]', '-', case.reference)}.zip"
    return ArchivePackage(filename=filename, data=buffer.getvalue(), files=files, package_id=package_id)


def _format_of(content_type: str, data: bytes) -> str:
    if content_type == "application/pdf":
        return "PDF/A" if b"pdfaid:part" in data[:200_000] else "PDF"
    return {"image/png": "PNG", "image/jpeg": "JPEG"}.get(content_type, "okänt")


def package_xml(
    case: Case,
    files: list[PackageFile],
    *,
    package_id: str,
    municipality: str,
    setting,
    produced_by,
    retention,
    decisions,
) -> bytes:
    """``package.xml``: header, the case, the files with checksums, and the structure."""
    root = etree.Element(
        f"{{{NAMESPACE}}}package",
        {"version": "1", "id": package_id, "created": _iso(timezone.now())},
        nsmap={None: NAMESPACE},
    )
    header = _text(root, "header", None)
    _text(header, "creator", f"{municipality} – {case.district.name}")
    _optional(header, "archiveAuthority", setting.archive_authority if setting else "")
    _text(header, "system", "Sociala")
    _text(header, "producedBy", produced_by.get_username())
    description = _text(
        root, "case", None, reference=case.reference, type=case.case_type.code, serviceArea=case.service_area
    )
    _text(description, "title", case.case_type.name)
    _text(description, "sought", case.sought)
    _text(description, "received", _iso(case.received_on))
    _optional(description, "closed", _iso(case.closed_at))
    _optional(description, "closingReason", case.closing_reason)
    _text(description, "unit", case.unit.name)
    _text(description, "committee", case.district.name)
    _text(description, "legalBasis", case.case_type.legal_basis)
    person = case.person
    party = _text(
        description,
        "person",
        None,
        identityNumber=person.personal_identity_number,
        numberKind=person.number_kind,
        birthDate=_iso(person.birth_date),
        protectionLevel=person.protection_level,
    )
    _text(party, "name", person.full_name)
    for decision in decisions:
        _text(
            description,
            "decision",
            None,
            reference=decision.reference,
            decided=_iso(decision.decided_on),
            outcome=decision.outcome,
            automated="true" if decision.is_automated else "false",
        )
    if retention is not None:
        _text(
            description,
            "retention",
            None,
            rule=retention.rule.code,
            legalSource=retention.rule.legal_source,
            permanent="true" if retention.keep_until is None and retention.reason == "permanent" else "false",
            cullableFrom=_iso(retention.keep_until),
        )
    file_section = _text(root, "files", None)
    for f in files:
        element = _text(
            file_section,
            "file",
            None,
            id=f.file_id,
            path=f.path,
            mimeType=f.mime_type,
            format=f.file_format,
            size=len(f.data),
            checksum=f.sha256,
            checksumType="SHA-256",
            kind=f.kind,
            created=_iso(f.created),
        )
        _text(element, "title", f.title)
    structure = _text(root, "structure", None)
    for f in files:
        _text(structure, "part", None, kind=f.kind, file=f.file_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))


def validate(xml: bytes) -> list[str]:
    """The schema's complaints about a ``package.xml`` (empty when valid)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.fromstring(xml, parser)
    checker = schema()
    if checker.validate(document):
        return []
    return [f"{error.line}: {error.message}" for error in checker.error_log]
