"""Staff pages of the children app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
