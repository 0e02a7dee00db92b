"""Template helpers of the care pages."""

from django import template

from sociala.access.policy import scope_for
from sociala.care import selectors

register = template.Library()


@register.filter
def scope(obj) -> str:
    """The scope of an order's details or a decision item's terms in words ('32 timmar per månad')."""
    if obj is None:
        return ""
    return selectors.format_scope(getattr(obj, "scope_amount", None), getattr(obj, "scope_unit", "none"))


@register.simple_tag(takes_context=True)
def care_start_items(context) -> dict:
    """What the caseworker's start page shows from the care app: unread provider messages and
    reassessments whose old orders are due to end."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"messages": [], "due": []}
    return {
        "messages": selectors.provider_messages_for(user),
        "due": selectors.due_reassessments_for(user),
    }


@register.filter
def may_care(user) -> bool:
    """Whether the care pages are for this user: caseworkers and managers in elderly care or disability,
    and provider staff (who land on their assignments)."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    return bool(scope.provider_ids) or bool(
        scope.case_unit_ids and scope.service_areas & selectors.CARE_AREAS
    )
