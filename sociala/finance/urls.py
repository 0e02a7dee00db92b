"""Staff pages of the finance app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
