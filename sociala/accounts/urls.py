"""Sign-in security pages, included at the site root in sociala/urls.py."""

from django.urls import path

from . import views, webauthn_views

app_name = "accounts"

urlpatterns = [
    path("account/second-factor/", views.second_factor, name="second_factor"),
    path("account/second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("account/security/", views.security, name="security"),
    path(
        "account/webauthn/register/options/",
        webauthn_views.register_options,
        name="webauthn_register_options",
    ),
    path("account/webauthn/register/", webauthn_views.register, name="webauthn_register"),
    path("account/webauthn/<int:credential_id>/remove/", webauthn_views.remove, name="webauthn_remove"),
    path("account/webauthn/login/options/", webauthn_views.login_options, name="webauthn_login_options"),
    path("account/webauthn/login/", webauthn_views.login, name="webauthn_login"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/session/", views.session_status, name="session_status"),
    path("account/session/keepalive/", views.session_keepalive, name="session_keepalive"),
]
