"""Template helpers of the access pages, and the person page's explanation of what is visible."""

from django import template

from sociala.access.policy import scope_for, visibility_explanation
from sociala.accounts.services.administration import admin_scope, manager_unit_ids
from sociala.core.choices import ServiceArea

register = template.Library()


@register.filter
def area_label(code: str) -> str:
    return str(ServiceArea(code).label) if code in ServiceArea.values else code


@register.filter
def may_administer_access(user) -> bool:
    """Local and system administrators: the access administration pages."""
    return admin_scope(user).may_administer


@register.filter
def may_recertify(user) -> bool:
    """Unit managers and administrators: the recertification page."""
    return bool(manager_unit_ids(user)) or admin_scope(user).may_administer


@register.inclusion_tag("access/_visibility.html", takes_context=True)
def visibility_panel(context, person):
    """Why the user sees this person and what stays hidden (OSL 8:2, 12:2, 21:3 a)."""
    user = context["user"]
    # The page's own access decision for this person, when it passed one (the person page does).
    same_person = context.get("person") is person
    access = context.get("access") if same_person else None
    cases = context.get("cases") if same_person else None
    return {
        "person": person,
        "visibility": visibility_explanation(user, person, access, cases),
        "may_record_consent": bool(scope_for(user).case_unit_ids),
    }
