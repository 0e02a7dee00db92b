"""Staff sign-in through identity providers, included at the site root in sociala/urls.py."""

from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("sso/<slug:name>/login/", views.start, name="start"),
    path("sso/<slug:name>/callback/", views.oidc_callback, name="oidc_callback"),
    path("sso/<slug:name>/acs/", views.saml_acs, name="saml_acs"),
    path("sso/<slug:name>/metadata/", views.saml_metadata, name="saml_metadata"),
]
