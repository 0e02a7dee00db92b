"""The API under /api/v1/ (django-ninja)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Sociala API", version="1", urls_namespace="api")
