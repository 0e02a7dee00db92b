"""The sign-in page's buttons for the configured identity providers (none when nothing is configured)."""

from django import template

from sociala.sso.conf import identity_providers

register = template.Library()


@register.inclusion_tag("sso/_login_buttons.html")
def sso_login_buttons(next_url: str = ""):
    return {"providers": identity_providers(), "next": next_url}
