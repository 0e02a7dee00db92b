"""Staff pages of the fees app, included at the site root in sociala/urls.py."""

from django.urls import path

from .views import staff as views

app_name = "fees"

urlpatterns = [
    path("fees/persons/<int:person_id>/", views.person_fees, name="person_fees"),
    path("fees/persons/<int:person_id>/declarations/", views.declaration_create, name="declaration_create"),
    path("fees/persons/<int:person_id>/decisions/", views.decision_create, name="decision_create"),
    path("fees/invoices/<int:invoice_id>/invoice.pdf", views.invoice_pdf, name="invoice_pdf"),
]
