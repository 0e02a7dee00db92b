"""Template helpers of the children's pages."""

from django import template

register = template.Library()


@register.filter
def days_late(days_left: int) -> int:
    """How many days a deadline is overdue, from its (negative) days left."""
    return -days_left
