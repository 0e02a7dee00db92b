"""Pages of the retention app, included at the site root in sociala/urls.py."""

from django.urls import path

from .views import archive, culling, rights

app_name = "retention"

urlpatterns = [
    path("retention/culling/", culling.overview, name="culling"),
    path("retention/culling/settings/", culling.settings_form, name="settings"),
    path("retention/culling/authorizations/", culling.authorization_create, name="authorization_create"),
    path(
        "retention/culling/authorizations/<int:authorization_id>/end/",
        culling.authorization_end,
        name="authorization_end",
    ),
    path("retention/culling/report/", culling.report, name="report"),
    path("retention/culling/report.csv", culling.report_csv, name="report_csv"),
    path("retention/culling/runs/", culling.run_start, name="run_start"),
    path("retention/culling/runs/<int:run_id>/", culling.run_detail, name="run_detail"),
    path("retention/culling/runs/<int:run_id>/progress/", culling.run_progress, name="run_progress"),
    path(
        "retention/journal/<int:entry_id>/objections/new/", rights.objection_create, name="objection_create"
    ),
    path(
        "retention/persons/<int:person_id>/register-extract/",
        rights.register_extract,
        name="register_extract",
    ),
    path("retention/cases/<int:case_id>/archive/", archive.archive_package, name="archive_package"),
]
