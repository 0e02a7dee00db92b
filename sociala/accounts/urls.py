"""Sign-in security pages, included at the site root in sociala/urls.py."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/second-factor/", views.second_factor, name="second_factor"),
    path("account/second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("account/security/", views.security, name="security"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/session/", views.session_status, name="session_status"),
    path("account/session/keepalive/", views.session_keepalive, name="session_keepalive"),
]
