"""Pages of the integrations app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
