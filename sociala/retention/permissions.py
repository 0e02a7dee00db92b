"""Who may do what in the retention app.

* Culling (the settings, the committee's decisions, the dry-run report and the real run): the
  system administrator (systemförvaltare), and only under a decision of the committee recorded in
  Sociala (``CullingAuthorization``) that is in force on the day of the run. The report names no
  person: internal case-file numbers, case references, districts, dates and rules only, so that the
  administrator, who sees no personal data, can check it against the committee's decision.
* Noting a person's objection to a journal entry: caseworkers and unit managers who may write in
  the entry's case.
* A register extract (GDPR art. 15): a caseworker or unit manager who sees the person through
  their ordinary scope (not through emergency access). The extract covers all of the person's data
  in every area, because the right of access does: producing one is logged with what it held.
* An archive package of a closed case: a caseworker or unit manager who may see the case.
"""

from __future__ import annotations

from sociala.access.policy import can_write_case, person_access, restrict_cases, scope_for
from sociala.accounts.choices import Role


def may_administer_culling(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(Role.SYSTEM_ADMINISTRATOR))


def _handles_cases(user) -> bool:
    return bool(user is not None and user.is_authenticated and scope_for(user).case_unit_ids)


def may_record_objection(user, entry) -> bool:
    return _handles_cases(user) and entry.case_id is not None and can_write_case(user, entry.case)


def may_produce_register_extract(user, person, access=None) -> bool:
    """``access``: ``person_access(user, person)`` when the caller has already worked it out."""
    if not _handles_cases(user):
        return False
    access = access or person_access(user, person)
    return access.allowed and not access.is_emergency


def may_export_archive_package(user, case) -> bool:
    if not _handles_cases(user) or person_access(user, case.person).is_emergency:
        return False
    return restrict_cases(type(case).objects.filter(pk=case.pk), user).exists()
