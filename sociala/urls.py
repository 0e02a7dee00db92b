"""Top-level URL configuration."""

from django.urls import include, path

from sociala.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("sociala.benefits.urls")),
    path("", include("sociala.fees.urls")),
    path("", include("sociala.children.urls")),
    path("", include("sociala.finance.urls")),
    path("", include("sociala.web.urls")),
]
