"""Storing files in the case file and producing PDFs."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, Message

from .models import Document

# Accepted types, recognised by their first bytes (never by the file name).
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """The content type and extension of a file from its first bytes, or None when not accepted."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


@transaction.atomic
def store_upload(*, actor, person, case, uploaded_file, title: str) -> Document:
    """Add an uploaded PDF or image to a case file after checking its content and size."""
    title = (title or "").strip()
    errors: dict[str, Message] = {}
    if not title:
        errors["title"] = _("Ange en rubrik för handlingen.")
    if uploaded_file is None:
        errors["file"] = _("Välj en fil att ladda upp.")
    elif uploaded_file.size > settings.SOCIALA_MAX_UPLOAD_BYTES:
        errors["file"] = _("Filen är för stor. Största tillåtna storlek är %(mb)s MB.") % {
            "mb": settings.SOCIALA_MAX_UPLOAD_BYTES // (1024 * 1024)
        }
    data = b""
    if uploaded_file is not None and "file" not in errors:
        data = uploaded_file.read()
        if not data:
            errors["file"] = _("Filen är tom.")
        elif sniff_content_type(data[:16]) is None:
            errors["file"] = _("Filtypen stöds inte. Ladda upp en PDF, en PNG- eller en JPEG-bild.")
    if errors:
        raise InvalidInput(errors)
    sniffed = sniff_content_type(data[:16])
    assert sniffed is not None  # checked above
    content_type, extension = sniffed
    return _store(
        actor=actor,
        person=person,
        case=case,
        kind=Document.Kind.UPLOAD,
        title=title,
        data=data,
        content_type=content_type,
        extension=extension,
        original_name=getattr(uploaded_file, "name", "")[:255],
    )


def store_generated_pdf(*, actor, person, case, kind: str, title: str, data: bytes) -> Document:
    """Add a PDF that Sociala produced (a letter) to the case file."""
    return _store(
        actor=actor,
        person=person,
        case=case,
        kind=kind,
        title=title,
        data=data,
        content_type="application/pdf",
        extension=".pdf",
        original_name="",
    )


def _store(*, actor, person, case, kind, title, data, content_type, extension, original_name) -> Document:
    document = Document(
        person=person,
        case=case,
        kind=kind,
        title=title,
        original_name=original_name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    document.save()
    record_event(
        actor=actor,
        action="create_document",
        person_id=person.pk,
        case_id=getattr(case, "pk", None),
        object_type="document",
        object_id=document.pk,
        details={"kind": kind, "sha256": document.sha256},
    )
    return document


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF with WeasyPrint."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
