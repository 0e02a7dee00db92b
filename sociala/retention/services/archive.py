"""Exporting a closed case as an archive package (see ``sociala.retention.archive``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.audit.services import record_event
from sociala.cases.choices import Stage
from sociala.cases.models import Case
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.retention import archive, selectors
from sociala.retention.extract import retention_for
from sociala.retention.permissions import may_export_archive_package


def export_archive_package(*, actor, case: Case) -> archive.ArchivePackage:
    """Build the archive package of a closed case for the actor; the export is logged with its checksum."""
    case = Case.objects.select_related("person").get(pk=case.pk)
    if not may_export_archive_package(actor, case):
        raise NotPermitted
    if case.stage != Stage.CLOSED:
        raise InvalidInput({"__all__": _("Bara avslutade ärenden kan arkiveras.")})
    setting = selectors.retention_setting()
    retention = retention_for(case.person, timezone.localdate(), setting, selectors.rule_table())
    package = archive.build_package(case, produced_by=actor, setting=setting, retention=retention)
    record_event(
        actor=actor,
        action="export_archive_package",
        person_id=case.person_id,
        case_id=case.pk,
        object_type="archive_package",
        object_id=package.package_id,
        details={"sha256": package.sha256, "files": len(package.files)},
    )
    return package
