"""Pages of the care app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
