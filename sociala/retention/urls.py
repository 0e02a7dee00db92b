"""Pages of the retention app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
