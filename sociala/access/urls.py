"""Access administration, recertification and consent pages, included at the site root in sociala/urls.py."""

from django.urls import path

from .views import administration, consent

app_name = "access"

urlpatterns = [
    path("access/", administration.access_home, name="home"),
    path("access/users/<int:user_id>/", administration.user_access, name="user_access"),
    path("access/assignments/<int:assignment_id>/end/", administration.assignment_end, name="assignment_end"),
    path("access/teams/<int:team_id>/", administration.team_detail, name="team_detail"),
    path("access/recertification/", administration.recertification, name="recertification"),
    path("persons/<int:person_id>/consents/", consent.person_consents, name="person_consents"),
    path("consents/<int:consent_id>/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
]
