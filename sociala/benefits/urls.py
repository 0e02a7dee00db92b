"""Staff pages of the benefits app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
