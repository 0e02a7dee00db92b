"""Who may do what with payments.

* Starting, resuming and downloading the bank file of a payment run: a unit manager
  (enhetschef) of an individual and family care unit. The unit manager is the one who attests
  income-support payments (beslutsattestant); the run pays every district's approved decisions,
  so in a city where districts pay separately this should become a dedicated role (see the
  module docstring of ``services``).
* Seeing runs, their summaries (counts and totals per district, no personal data) and the
  accounting file: the same unit managers, and controllers.
* Setting the cost centre of a district: controllers.
* Registering a person's bank account: caseworkers and unit managers of individual and family
  care who may see the person.
"""

from __future__ import annotations

from sociala.access.policy import restrict_persons, scope_for
from sociala.accounts.choices import Role
from sociala.core.choices import ServiceArea
from sociala.people.models import Person


def may_start_payment_run(user) -> bool:
    """A unit manager of an individual and family care unit."""
    if user is None or not user.is_authenticated:
        return False
    return any(
        assignment.role == Role.UNIT_MANAGER
        and assignment.unit_id
        and assignment.unit.service_area == ServiceArea.INDIVIDUAL_FAMILY
        for assignment in user.active_assignments()
    )


def may_view_payment_runs(user) -> bool:
    """Run summaries (no personal data): those who start runs, and controllers."""
    if user is None or not user.is_authenticated:
        return False
    return may_start_payment_run(user) or user.has_role(Role.CONTROLLER)


def may_manage_cost_centres(user) -> bool:
    """The accounting set-up belongs to the controller."""
    return bool(user is not None and user.is_authenticated and user.has_role(Role.CONTROLLER))


def may_manage_bank_accounts(user) -> bool:
    """Caseworkers and unit managers in individual and family care."""
    scope = scope_for(user)
    return bool(scope.case_unit_ids) and ServiceArea.INDIVIDUAL_FAMILY in scope.service_areas


def bank_account_person(user, person_id: int) -> Person | None:
    """The person, if the user may see and register their bank account; else None."""
    if not may_manage_bank_accounts(user):
        return None
    return restrict_persons(Person.objects.filter(pk=person_id), user).first()
