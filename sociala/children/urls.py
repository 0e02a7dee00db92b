"""Staff pages of the children app, included at the site root in sociala/urls.py."""

from django.urls import path

from .views import bbic, pages, public

app_name = "children"

urlpatterns = [
    # The public e-form (no login).
    path("report-concern/", public.report_concern, name="report_concern"),
    path("report-concern/received/", public.report_concern_received, name="report_concern_received"),
    path("children/reports/unidentified/", pages.reports_unidentified, name="reports_unidentified"),
    path("children/reports/<int:report_id>/identify/", pages.report_identify, name="report_identify"),
    path("children/", pages.home, name="home"),
    path("children/overview/", pages.overview, name="overview"),
    path("children/reports/new/", pages.report_create, name="report_create"),
    path("children/reports/<int:report_id>/", pages.report_detail, name="report_detail"),
    path(
        "children/reports/<int:report_id>/safety-assessment/",
        pages.safety_assessment_create,
        name="safety_assessment_create",
    ),
    path("children/reports/<int:report_id>/take-over/", pages.report_take_over, name="report_take_over"),
    path("children/cases/<int:case_id>/", pages.case_detail, name="case_detail"),
    path(
        "children/cases/<int:case_id>/initial-assessment/",
        pages.initial_assessment_create,
        name="initial_assessment_create",
    ),
    path("children/cases/<int:case_id>/investigation/", bbic.investigation, name="investigation"),
    path("children/cases/<int:case_id>/investigation/areas/<slug:code>/", bbic.area_edit, name="area_edit"),
    path(
        "children/cases/<int:case_id>/investigation/child-view/",
        bbic.child_view_create,
        name="child_view_create",
    ),
    path("children/cases/<int:case_id>/investigation/sources/", bbic.source_create, name="source_create"),
    path(
        "children/cases/<int:case_id>/investigation/extension/",
        bbic.extension_create,
        name="extension_create",
    ),
    path(
        "children/cases/<int:case_id>/investigation/complete/",
        bbic.investigation_complete,
        name="investigation_complete",
    ),
    path("children/cases/<int:case_id>/communication/", bbic.communication, name="communication"),
    path(
        "children/cases/<int:case_id>/communication/<int:communication_id>/reply/",
        bbic.communication_reply,
        name="communication_reply",
    ),
    path(
        "children/cases/<int:case_id>/communication/finish/",
        bbic.communication_finish,
        name="communication_finish",
    ),
    path(
        "children/cases/<int:case_id>/communication/<int:communication_id>/letter/",
        bbic.communication_letter,
        name="communication_letter",
    ),
    path(
        "children/cases/<int:case_id>/decisions/<int:decision_id>/guardians/<int:guardian_id>/letter/",
        bbic.guardian_decision_letter,
        name="guardian_decision_letter",
    ),
    path("children/cases/<int:case_id>/decision/", bbic.decision_create, name="decision_create"),
    path("children/cases/<int:case_id>/lvu/", bbic.lvu, name="lvu"),
    path("children/cases/<int:case_id>/plans/", bbic.plans, name="plans"),
    path("children/placements/<int:placement_id>/", bbic.placement_detail, name="placement_detail"),
]
