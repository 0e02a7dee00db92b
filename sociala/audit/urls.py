"""The log review pages, included at the site root in sociala/urls.py."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("audit/review/", views.review_queue, name="review_queue"),
    path("audit/review/sample/", views.review_sample, name="review_sample"),
    path("audit/review/report.pdf", views.review_report, name="review_report"),
    path("audit/review/<int:flag_id>/", views.review_flag, name="review_flag"),
]
