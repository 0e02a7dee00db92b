"""Template filters for amounts: ``{{ amount|sek }}`` → "12 140 kr"."""

from django import template

from sociala.core.money import format_sek

register = template.Library()


@register.filter
def sek(amount) -> str:
    return "" if amount is None else format_sek(amount)
