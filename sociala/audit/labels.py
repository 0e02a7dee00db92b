"""Readable names of audit actions, for the log reviewer."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "login": _("Inloggning"),
    "logout": _("Utloggning"),
    "api_token_issued": _("API-nyckel utfärdad"),
    "search_persons": _("Personsökning"),
    "view_person": _("Visade person"),
    "view_person_for_intake": _("Visade person för nytt ärende"),
    "view_person_cases": _("Visade personens ärenden"),
    "view_journal": _("Visade journal"),
    "view_case": _("Visade ärende"),
    "view_case_for_step": _("Ärende: steg"),
    "view_case_for_decision": _("Ärende: beslutsformulär"),
    "view_case_for_journal": _("Ärende: journal"),
    "view_case_for_upload": _("Ärende: uppladdning"),
    "view_case_for_order": _("Ärende: beställning"),
    "view_document": _("Visade handling"),
    "create_person": _("Registrerade person"),
    "create_relation": _("Registrerade relation"),
    "create_case": _("Registrerade ärende"),
    "complete_step": _("Avslutade processteg"),
    "create_decision": _("Fattade beslut"),
    "create_order": _("Skickade beställning"),
    "create_document": _("Sparade handling"),
    "create_journal_draft": _("Påbörjade journalanteckning"),
    "sign_journal_entry": _("Signerade journalanteckning"),
    "correct_journal_entry": _("Rättade journalanteckning"),
    "complete_deadline": _("Klarmarkerade bevakning"),
    "escalate_deadline": _("Eskalerade bevakning"),
    "emergency_access_granted": _("Nödåtkomst beviljad"),
    "review_audit_log": _("Granskade loggen"),
    "update_person": _("Ändrade person"),
    "create_report_of_concern": _("Registrerade orosanmälan"),
    "create_safety_assessment": _("Gjorde skyddsbedömning"),
    "create_initial_assessment": _("Gjorde förhandsbedömning"),
    "take_over_report_of_concern": _("Tog över orosanmälan"),
    "view_report_of_concern": _("Visade orosanmälan"),
    "view_report_for_safety_assessment": _("Orosanmälan: skyddsbedömning"),
    "view_report_for_take_over": _("Orosanmälan: överlämning"),
    "view_case_for_initial_assessment": _("Ärende: förhandsbedömning"),
    "view_children_work_list": _("Visade arbetslista barn och unga"),
    "view_children_overview": _("Visade översikt barn och unga"),
    "end_order": _("Avslutade beställning"),
    "import_persons": _("Importerade personer"),
    "import_relations": _("Importerade relationer"),
}


def action_label(action: str) -> str:
    """The readable name of an action, or the code itself for actions without one."""
    return str(ACTION_LABELS.get(action, action))
