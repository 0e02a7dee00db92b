"""API routes of the care app, mounted under /api/v1/ in sociala/api/api.py."""

from ninja import Router

router = Router(tags=["care"])
