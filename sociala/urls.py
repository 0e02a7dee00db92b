"""Top-level URL configuration."""

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from sociala.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("", include("sociala.benefits.urls")),
    path("", include("sociala.fees.urls")),
    path("", include("sociala.children.urls")),
    path("", include("sociala.finance.urls")),
    path("", include("sociala.care.urls")),
    path("", include("sociala.integrations.urls")),
    path("", include("sociala.portal.urls")),
    path("", include("sociala.retention.urls")),
    path("", include("sociala.sso.urls")),
    path("", include("sociala.accounts.urls")),
    path("", include("sociala.access.urls")),
    path("", include("sociala.audit.urls")),
    path("", include("sociala.web.urls")),
]
