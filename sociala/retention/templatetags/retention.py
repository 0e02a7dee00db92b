"""Template helpers of the retention app: objections shown with journal entries, the culling menu item."""

from __future__ import annotations

from django import template

from sociala.access.policy import scope_for
from sociala.retention.permissions import may_administer_culling as _may_administer_culling
from sociala.retention.permissions import may_export_archive_package, may_produce_register_extract
from sociala.retention.selectors import objections_by_entry

register = template.Library()


@register.filter
def may_administer_culling(user) -> bool:
    return _may_administer_culling(user)


@register.filter
def may_register_extract(user, person) -> bool:
    """``{% if user|may_register_extract:person %}``: the person page's link to the register extract."""
    return may_produce_register_extract(user, person)


@register.filter
def may_archive(user, case) -> bool:
    """``{% if user|may_archive:case %}``: the closed case page's link to its archive package."""
    return not case.is_open and may_export_archive_package(user, case)


@register.inclusion_tag("retention/_entry_objections_block.html", takes_context=True)
def entry_objections(context, entry):
    """The person's objections to a journal entry, and a link to note one (signed entries, full view).

    The objections of every entry on the page (``entries`` in the context) are read with one query,
    the first time the tag is used in a request.
    """
    request = context.get("request")
    cache = getattr(request, "_retention_objections", None) if request is not None else None
    if cache is None or entry.pk not in cache:
        entries = context.get("entries") or [entry]
        ids = {e.pk for e in entries if getattr(e, "is_signed", False)} | {entry.pk}
        cache = {pk: [] for pk in ids}
        cache.update(objections_by_entry(ids))
        if request is not None:
            request._retention_objections = cache
    user = context.get("user")
    show_action = bool(
        entry.is_signed
        and entry.case_id
        and not context.get("compact")
        and user is not None
        and user.is_authenticated
        and scope_for(user).case_unit_ids
    )
    return {"entry": entry, "objections": cache.get(entry.pk, []), "show_action": show_action}
