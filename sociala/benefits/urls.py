"""Staff pages of the benefits app, included at the site root in sociala/urls.py."""

from django.urls import path

from . import views
from .views import decisions

app_name = "benefits"

urlpatterns = [
    path("financial-assistance/queue/", views.queue, name="queue"),
    path("financial-assistance/cases/<int:case_id>/budgets/", views.case_budgets, name="case_budgets"),
    path("financial-assistance/cases/<int:case_id>/budgets/new/", views.budget_create, name="budget_create"),
    path("financial-assistance/cases/<int:case_id>/budgets/copy/", views.budget_copy, name="budget_copy"),
    path("financial-assistance/budgets/<int:budget_id>/", views.budget_detail, name="budget_detail"),
    path("financial-assistance/budgets/<int:budget_id>/edit/", views.budget_edit, name="budget_edit"),
    path(
        "financial-assistance/budgets/<int:budget_id>/fetch-incomes/",
        views.budget_fetch_incomes,
        name="budget_fetch_incomes",
    ),
]

urlpatterns += [
    path("financial-assistance/budgets/<int:budget_id>/decide/", decisions.decide, name="decide"),
    path("financial-assistance/automation/", decisions.automation_settings, name="automation_settings"),
    path("financial-assistance/automation/run/", decisions.automation_run, name="automation_run"),
    path("financial-assistance/automation/review/", decisions.review_list, name="review_list"),
    path("financial-assistance/automation/review/<int:record_id>/", decisions.review, name="review"),
]
