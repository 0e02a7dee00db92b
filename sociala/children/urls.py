"""Staff pages of the children app, included at the site root in sociala/urls.py."""

from django.urls import path

from .views import pages

app_name = "children"

urlpatterns = [
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
]
