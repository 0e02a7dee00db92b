"""Staff pages of the finance app, included at the site root in sociala/urls.py."""

from django.urls import path

from .views import runs, setup

app_name = "finance"

urlpatterns = [
    path("finance/runs/", runs.run_list, name="run_list"),
    path("finance/runs/start/", runs.run_start, name="run_start"),
    path("finance/runs/<int:run_id>/", runs.run_detail, name="run_detail"),
    path("finance/runs/<int:run_id>/progress/", runs.run_progress, name="run_progress"),
    path("finance/runs/<int:run_id>/resume/", runs.run_resume, name="run_resume"),
    path("finance/runs/<int:run_id>/pain001.xml", runs.run_bank_file, name="run_bank_file"),
    path("finance/runs/<int:run_id>/accounting.si", runs.run_accounting_file, name="run_accounting_file"),
    path("finance/cost-centres/", setup.cost_centres, name="cost_centres"),
    path("finance/persons/<int:person_id>/bank-account/", setup.bank_account, name="bank_account"),
]
