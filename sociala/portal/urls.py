"""Pages of the portal app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
