"""Pages of the portal app, included at the site root in sociala/urls.py: the citizens' e-services under
/portal/, the caseworker's pages under /portal/staff/, and the e-ID simulator under /eid-simulator/."""

from django.urls import include, path

from .views import application, fees, guardian, login, staff, status

app_name = "portal"

urlpatterns = [
    path("portal/", status.home, name="home"),
    path("portal/login/", login.login_page, name="login"),
    path("portal/login/start/", login.login_start, name="login_start"),
    path("portal/login/callback/", login.login_callback, name="login_callback"),
    path("portal/logout/", login.logout, name="logout"),
    path("portal/logged-out/", login.logged_out, name="logged_out"),
    path("portal/applications/new/", application.application_start, name="application_start"),
    path("portal/applications/<int:application_id>/", status.application_detail, name="application_detail"),
    path(
        "portal/applications/<int:application_id>/messages/",
        status.application_message,
        name="application_message",
    ),
    path(
        "portal/applications/<int:application_id>/letters/<int:decision_id>/",
        status.decision_letter,
        name="decision_letter",
    ),
    path(
        "portal/applications/<int:application_id>/autosave/<slug:step>/",
        application.application_autosave,
        name="application_autosave",
    ),
    path(
        "portal/applications/<int:application_id>/attachments/<int:attachment_id>/remove/",
        application.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "portal/applications/<int:application_id>/<slug:step>/",
        application.application_step,
        name="application_step",
    ),
    path("portal/fees/", fees.fees_overview, name="fees_overview"),
    path("portal/fees/declaration/", fees.fees_declaration, name="fees_declaration"),
    path("portal/fees/decisions/<int:decision_id>/letter/", fees.fees_letter, name="fees_letter"),
    path("portal/fees/invoices/<int:invoice_id>/", fees.fees_invoice, name="fees_invoice"),
    # A guardian's view of the children's cases (decision record 0021).
    path("portal/children/", guardian.guardian_home, name="guardian_home"),
    path("portal/children/cases/<int:case_id>/", guardian.guardian_case, name="guardian_case"),
    path(
        "portal/children/cases/<int:case_id>/communications/<int:communication_id>/reply/",
        guardian.guardian_reply,
        name="guardian_reply",
    ),
    path(
        "portal/children/cases/<int:case_id>/communications/<int:communication_id>/letter/",
        guardian.guardian_communication_letter,
        name="guardian_communication_letter",
    ),
    path(
        "portal/children/cases/<int:case_id>/decisions/<int:decision_id>/letter/",
        guardian.guardian_decision_letter,
        name="guardian_decision_letter",
    ),
    path("portal/staff/", staff.staff_inbox, name="staff_inbox"),
    path("portal/staff/cases/<int:case_id>/messages/", staff.staff_case_messages, name="staff_case_messages"),
    # The e-ID simulator (demo mode only); it belongs to integrations and may move to its urls.py.
    path("eid-simulator/", include("sociala.integrations.eid.urls")),
]
