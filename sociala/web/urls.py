from django.urls import path

from .views import audit, auth, cases, journal, persons, start

app_name = "web"

urlpatterns = [
    path("", start.start, name="start"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("persons/", persons.person_search, name="person_search"),
    path("persons/emergency-access/", persons.emergency_access, name="emergency_access"),
    path("persons/<int:person_id>/", persons.person_detail, name="person_detail"),
    path("persons/<int:person_id>/journal/", journal.journal_list, name="journal_list"),
    path("persons/<int:person_id>/cases/new/", persons.case_create, name="case_create"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/process.bpmn", cases.case_process_xml, name="case_process_xml"),
    path("cases/<int:case_id>/step/", cases.case_step, name="case_step"),
    path("cases/<int:case_id>/decision/", cases.decision_create, name="decision_create"),
    path("cases/<int:case_id>/documents/", cases.document_upload, name="document_upload"),
    path("cases/<int:case_id>/orders/", cases.order_create, name="order_create"),
    path("cases/<int:case_id>/journal/new/", journal.journal_new, name="journal_new"),
    path("cases/<int:case_id>/journal/save/", journal.journal_save, name="journal_save"),
    path("journal/<int:entry_id>/", journal.journal_edit, name="journal_edit"),
    path("journal/<int:entry_id>/correct/", journal.journal_correct, name="journal_correct"),
    path("decisions/<int:decision_id>/letter.pdf", cases.decision_letter, name="decision_letter"),
    path("decisions/<str:reference>/", cases.decision_lookup, name="decision_lookup"),
    path("documents/<int:document_id>/", cases.document_download, name="document_download"),
    path("deadlines/<int:deadline_id>/done/", cases.deadline_done, name="deadline_done"),
    path("phrases/", journal.phrases, name="phrases"),
    path("audit/", audit.audit_search, name="audit_search"),
]
