"""The e-ID simulator's endpoints, under /eid-simulator/ (demo mode only)."""

from django.urls import path

from .simulator import views

app_name = "eid_simulator"

urlpatterns = [
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("jwks.json", views.jwks, name="jwks"),
    path("authorize", views.authorize, name="authorize"),
    path("token", views.token, name="token"),
]
