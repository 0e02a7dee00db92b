"""Template helpers for the staff UI."""

from django import template
from django.utils import timezone

from sociala.access.policy import may_review_logs as _may_review_logs
from sociala.access.policy import scope_for
from sociala.accounts.choices import Role
from sociala.core.templatetags.money import sek

register = template.Library()
register.filter("sek", sek)


@register.filter
def role_label(user) -> str:
    return Role(user.primary_role).label if user.primary_role else ""


@register.filter
def may_review_logs(user) -> bool:
    return _may_review_logs(user)


@register.filter
def may_phrases(user) -> bool:
    return bool(scope_for(user).case_unit_ids)


@register.filter
def days_left(deadline) -> int:
    return (deadline.due_on - timezone.localdate()).days


@register.filter
def widget_class(field, css: str):
    """Add CSS classes to a bound field's widget."""
    existing = field.field.widget.attrs.get("class", "")
    field.field.widget.attrs["class"] = f"{existing} {css}".strip()
    return field


@register.filter
def days_overdue(deadline) -> int:
    return (timezone.localdate() - deadline.due_on).days


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def action_label(action: str) -> str:
    from sociala.audit.labels import action_label as label

    return label(action)


@register.filter
def role_name(code: str) -> str:
    return Role(code).label if code in Role.values else code


@register.filter
def may_children(user) -> bool:
    from sociala.children.selectors import may_register_reports

    return may_register_reports(user)


@register.filter
def may_view_payment_runs(user) -> bool:
    from sociala.finance.permissions import may_view_payment_runs as allowed

    return allowed(user)


@register.filter
def may_manage_cost_centres(user) -> bool:
    from sociala.finance.permissions import may_manage_cost_centres as allowed

    return allowed(user)


@register.filter
def may_manage_bank_accounts(user) -> bool:
    from sociala.finance.permissions import may_manage_bank_accounts as allowed

    return allowed(user)


@register.filter
def may_financial_assistance(user) -> bool:
    from sociala.benefits.budget_selectors import may_handle_income_support

    return may_handle_income_support(user)


@register.filter
def may_approve_providers(user) -> bool:
    """System administrators keep the providers' approvals in the choice scheme (LOV)."""
    return user.has_role(Role.SYSTEM_ADMINISTRATOR)
