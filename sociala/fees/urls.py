"""Staff pages of the fees app, included at the site root in sociala/urls.py."""

urlpatterns: list = []
