"""The archive package of a closed case: a page that explains it, and the download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from sociala.cases import selectors as case_selectors
from sociala.cases.choices import Stage
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.retention.permissions import may_export_archive_package
from sociala.retention.services.archive import export_archive_package


@login_required
def archive_package(request, case_id: int):
    case = case_selectors.case_for_user(request.user, case_id, action="view_case_for_archive")
    if not may_export_archive_package(request.user, case):
        raise Http404
    if request.method == "POST":
        try:
            package = export_archive_package(actor=request.user, case=case)
        except InvalidInput as error:
            messages.error(request, " ".join(error.errors.values()))
            return redirect("retention:archive_package", case_id=case.pk)
        except NotPermitted as error:
            raise Http404 from error
        response = HttpResponse(package.data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    context = {"nav": "persons", "case": case, "is_closed": case.stage == Stage.CLOSED}
    return render(request, "retention/archive.html", context)
