"""Every write of the care app: one function per domain operation, called with the acting user."""

from .communication import finish_communication, record_communication_reply, send_communication
from .investigation import (
    add_proposed_intervention,
    complete_investigation,
    decide_from_investigation,
    remove_proposed_intervention,
    save_life_area_assessment,
    save_order_information,
)
from .orders import (
    approve_provider,
    end_provider_approval,
    end_replaced_orders,
    open_reassessment,
    record_journal_consent,
    record_provider_choice,
    terminate_interventions,
)
from .provider import (
    mark_message_read,
    save_plan_version,
    send_provider_message,
    sign_plan_version,
    write_provider_journal_entry,
)

__all__ = [
    "add_proposed_intervention",
    "approve_provider",
    "complete_investigation",
    "decide_from_investigation",
    "end_provider_approval",
    "end_replaced_orders",
    "finish_communication",
    "mark_message_read",
    "open_reassessment",
    "record_communication_reply",
    "record_journal_consent",
    "record_provider_choice",
    "remove_proposed_intervention",
    "save_life_area_assessment",
    "save_order_information",
    "save_plan_version",
    "send_communication",
    "send_provider_message",
    "sign_plan_version",
    "terminate_interventions",
    "write_provider_journal_entry",
]
