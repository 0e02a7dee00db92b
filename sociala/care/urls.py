"""Pages of the care app, included at the site root in sociala/urls.py."""

from django.urls import path

from .views import approvals, authority, provider

app_name = "care"

urlpatterns = [
    path("care/", authority.home, name="home"),
    path("care/icf-codes/", authority.icf_search, name="icf_search"),
    path("care/approvals/", approvals.approvals, name="approvals"),
    path("care/approvals/<int:approval_id>/end/", approvals.approval_end, name="approval_end"),
    path("care/cases/<int:case_id>/", authority.case_overview, name="case"),
    path("care/cases/<int:case_id>/investigation/", authority.investigation, name="investigation"),
    path(
        "care/cases/<int:case_id>/investigation/areas/<slug:area_code>/",
        authority.life_area_save,
        name="life_area_save",
    ),
    path(
        "care/cases/<int:case_id>/investigation/order-information/",
        authority.order_information_save,
        name="order_information_save",
    ),
    path("care/cases/<int:case_id>/investigation/proposals/", authority.proposal_add, name="proposal_add"),
    path(
        "care/cases/<int:case_id>/investigation/complete/",
        authority.investigation_complete,
        name="investigation_complete",
    ),
    path("care/proposals/<int:proposal_id>/remove/", authority.proposal_remove, name="proposal_remove"),
    path("care/cases/<int:case_id>/communication/", authority.communication, name="communication"),
    path(
        "care/cases/<int:case_id>/communication/<int:communication_id>/reply/",
        authority.communication_reply,
        name="communication_reply",
    ),
    path(
        "care/cases/<int:case_id>/communication/<int:communication_id>/letter.pdf",
        authority.communication_letter,
        name="communication_letter",
    ),
    path(
        "care/cases/<int:case_id>/communication/finish/",
        authority.communication_finish,
        name="communication_finish",
    ),
    path("care/cases/<int:case_id>/decision/", authority.decision, name="decision"),
    path("care/cases/<int:case_id>/provider-choice/", authority.provider_choice, name="provider_choice"),
    path("care/cases/<int:case_id>/reassessment/", authority.reassessment, name="reassessment"),
    path("care/cases/<int:case_id>/termination/", authority.termination, name="termination"),
    path("care/reassessments/<int:reassessment_id>/end-orders/", authority.end_replaced, name="end_replaced"),
    path("care/messages/<int:message_id>/", authority.message_detail, name="message"),
    path("care/messages/<int:message_id>/read/", authority.message_read, name="message_read"),
    path("care/assignments/", provider.assignments, name="assignments"),
    path("care/orders/<int:order_id>/", provider.order_detail, name="order"),
    path("care/orders/<int:order_id>/messages/", provider.message_send, name="message_send"),
    path("care/orders/<int:order_id>/consent/", provider.consent, name="consent"),
    path("care/orders/<int:order_id>/plan/", provider.plan_for_order, name="plan_for_order"),
    path("care/orders/<int:order_id>/journal/", provider.journal, name="journal"),
    path("care/plans/<int:plan_id>/", provider.plan_detail, name="plan"),
    path("care/plans/<int:plan_id>/versions/<int:number>/", provider.plan_version, name="plan_version"),
    path("care/plans/<int:plan_id>/versions/<int:number>/sign/", provider.plan_sign, name="plan_sign"),
]
