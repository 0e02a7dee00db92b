"""API routes of the retention app, mounted under /api/v1/ in sociala/api/api.py."""

from ninja import Router

router = Router(tags=["retention"])
