"""Forms of the children's pages: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sociala.children.choices import (
    CommunicationMethod,
    ConsentStatus,
    CourtOutcome,
    HeardHow,
    InterventionKind,
    LvuGrounds,
    PlacementBasis,
    PlanKind,
    ReporterType,
    ReviewOutcome,
    SourceKind,
)
from sociala.web.forms import DateInput, StyledForm

YES_NO = [("", _("Välj")), ("yes", _("Ja")), ("no", _("Nej"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReportForm(StyledForm):
    number = forms.CharField(label=_("Barnets personnummer"), max_length=20, help_text=_("ÅÅÅÅMMDD-NNNN"))
    received_on = forms.DateField(
        label=_("Anmälan kom in"), widget=DateInput, help_text=_("Tidigare datum om anmälan kom på papper")
    )
    reporter_type = forms.ChoiceField(
        label=_("Vem gjorde anmälan?"), choices=[("", _("Välj"))] + list(ReporterType.choices)
    )
    reporter_name = forms.CharField(
        label=_("Anmälarens namn eller verksamhet"),
        max_length=200,
        required=False,
        help_text=_("Lämnas tomt när anmälaren är anonym"),
    )
    reporter_contact = forms.CharField(
        label=_("Anmälarens kontaktuppgifter"),
        max_length=200,
        required=False,
        help_text=_("Telefon eller e-post"),
    )
    text = forms.CharField(
        label=_("Vad gäller oron för barnet?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000
    )


class SafetyAssessmentForm(StyledForm):
    assessed_on = forms.DateField(label=_("Datum för skyddsbedömningen"), widget=DateInput)
    needs_immediate_protection = forms.TypedChoiceField(
        label=_("Behöver barnet omedelbart skydd?"), choices=YES_NO, coerce=_yes_no, empty_value=None
    )
    reasoning = forms.CharField(
        label=_("Bedömning"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("Vad du har tagit ställning till och vad som görs nu"),
    )


class InitialAssessmentForm(StyledForm):
    opens_investigation = forms.TypedChoiceField(
        label=_("Beslut"),
        choices=[("", _("Välj")), ("yes", _("Inled utredning")), ("no", _("Inled inte utredning"))],
        coerce=_yes_no,
        empty_value=None,
    )
    reasons = forms.CharField(
        label=_("Skäl för beslutet"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


# --- the investigation and what follows ---------------------------------------------------------


class AreaForm(StyledForm):
    text = forms.CharField(
        label=_("Vad utredningen visar inom området"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_("Beskrivning och analys: behov, resurser och risker"),
    )


class ChildViewForm(StyledForm):
    heard_on = forms.DateField(label=_("Datum då barnet hördes"), widget=DateInput)
    heard_how = forms.ChoiceField(
        label=_("Hur barnet hördes"), choices=[("", _("Välj"))] + list(HeardHow.choices)
    )
    present = forms.CharField(
        label=_("Vilka mer var med"),
        max_length=300,
        required=False,
        help_text=_("Till exempel tolk eller stödperson"),
    )
    view = forms.CharField(
        label=_("Barnets egen syn"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_("Gärna med barnets egna ord. Har barnet inte hörts: skriv varför."),
    )


class SourceForm(StyledForm):
    source_kind = forms.ChoiceField(
        label=_("Typ av källa"), choices=[("", _("Välj"))] + list(SourceKind.choices)
    )
    source_name = forms.CharField(
        label=_("Vem lämnade uppgifterna"), max_length=200, help_text=_("Namn och verksamhet")
    )
    contacted_on = forms.DateField(label=_("Datum för kontakten"), widget=DateInput)
    what = forms.CharField(
        label=_("Vad källan uppgav"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000
    )
    consent = forms.ChoiceField(
        label=_("Samtycke till kontakten"), choices=[("", _("Välj"))] + list(ConsentStatus.choices)
    )


class ExtensionForm(StyledForm):
    new_due_on = forms.DateField(label=_("Nytt slutdatum för utredningen"), widget=DateInput)
    reasons = forms.CharField(
        label=_("Särskilda skäl för förlängningen"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("Till exempel att ett utlåtande från BUP inte har kommit in"),
    )


class CompleteInvestigationForm(StyledForm):
    summary = forms.CharField(
        label=_("Samlad bedömning"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_("Analysen av barnets behov och förslaget till beslut"),
    )


class CommunicationForm(StyledForm):
    guardian = forms.TypedChoiceField(label=_("Vårdnadshavare"), coerce=int, choices=())
    sent_on = forms.DateField(label=_("Skickad"), widget=DateInput)
    method = forms.ChoiceField(label=_("Hur"), choices=[("", _("Välj"))] + list(CommunicationMethod.choices))
    reply_due_on = forms.DateField(label=_("Sista dag för svar"), widget=DateInput)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = [("", _("Välj"))] + [(p.pk, p.full_name) for p in parties]


class ReplyForm(StyledForm):
    replied_on = forms.DateField(label=_("Svaret kom in"), widget=DateInput)
    reply = forms.CharField(
        label=_("Vårdnadshavarens svar"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )


DECISION_KINDS = [("", _("Välj")), ("none", _("Ingen insats – utredningen avslutas"))] + list(
    InterventionKind.choices
)


class ChildDecisionForm(StyledForm):
    kind = forms.ChoiceField(label=_("Beslutet gäller"), choices=DECISION_KINDS)
    description = forms.CharField(
        label=_("Beskrivning i beslutet"),
        max_length=300,
        required=False,
        help_text=_("Lämna tomt för standardtext"),
    )
    basis = forms.ChoiceField(
        label=_("Placeringens grund"),
        choices=[("", _("Ingen placering"))] + list(PlacementBasis.choices),
        required=False,
    )
    location_name = forms.CharField(
        label=_("Var barnet placeras"),
        max_length=200,
        required=False,
        help_text=_("Familjehemmet, HVB eller boendet"),
    )
    location_municipality = forms.CharField(
        label=_("Kommun där barnet placeras"), max_length=100, required=False
    )
    period_start = forms.DateField(label=_("Gäller från"), widget=DateInput)
    period_end = forms.DateField(
        label=_("Gäller till"), widget=DateInput, required=False, help_text=_("Lämna tomt för tills vidare")
    )
    motivation = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class LvuStartForm(StyledForm):
    grounds = forms.ChoiceField(
        label=_("Grund för vård"), choices=[("", _("Välj"))] + list(LvuGrounds.choices)
    )
    court = forms.CharField(
        label=_("Förvaltningsrätt"), max_length=120, initial="Förvaltningsrätten i Stockholm"
    )
    custody_decided_on = forms.DateField(
        label=_("Omedelbart omhändertagande beslutat (6 §)"),
        widget=DateInput,
        required=False,
        help_text=_("Lämna tomt om barnet inte omhändertagits"),
    )
    custody_executed_on = forms.DateField(
        label=_("Omhändertagandet verkställt"), widget=DateInput, required=False
    )


class LvuProgressForm(StyledForm):
    custody_executed_on = forms.DateField(
        label=_("Omhändertagandet verkställt"), widget=DateInput, required=False
    )
    custody_submitted_on = forms.DateField(
        label=_("Omhändertagandet underställt förvaltningsrätten (7 §)"), widget=DateInput, required=False
    )
    custody_outcome = forms.ChoiceField(
        label=_("Rättens beslut om omhändertagandet"),
        choices=[("", _("Inte beslutat"))] + list(CourtOutcome.choices),
        required=False,
    )
    custody_outcome_on = forms.DateField(
        label=_("Datum för rättens beslut"), widget=DateInput, required=False
    )
    application_sent_on = forms.DateField(
        label=_("Ansökan om vård skickad till förvaltningsrätten (4 §)"), widget=DateInput, required=False
    )
    application_reasons = forms.CharField(
        label=_("Ansökans grunder i korthet"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=8000,
    )
    outcome = forms.ChoiceField(
        label=_("Förvaltningsrättens dom"),
        choices=[("", _("Inte avgjort"))] + list(CourtOutcome.choices),
        required=False,
    )
    outcome_on = forms.DateField(label=_("Datum för domen"), widget=DateInput, required=False)


class VisitForm(StyledForm):
    visited_on = forms.DateField(label=_("Besöksdatum"), widget=DateInput)
    spoke_alone = forms.BooleanField(label=_("Jag talade med barnet enskilt"), required=False)
    notes = forms.CharField(
        label=_("Vad som kom fram"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )


class ReviewForm(StyledForm):
    reviewed_on = forms.DateField(label=_("Datum"), widget=DateInput)
    outcome = forms.ChoiceField(
        label=_("Ställningstagande"), choices=[("", _("Välj"))] + list(ReviewOutcome.choices)
    )
    reasons = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000)


class PlanForm(StyledForm):
    kind = forms.ChoiceField(label=_("Plan"), choices=[("", _("Välj"))] + list(PlanKind.choices))
    established_on = forms.DateField(label=_("Upprättad"), widget=DateInput)
    goals = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    text = forms.CharField(
        label=_("Hur insatsen genomförs"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000
    )


class PublicReportForm(StyledForm):
    """The public e-form: anyone may report a worry about a child, anonymously or with their name."""

    reporter_type = forms.ChoiceField(
        label=_("Vem är du?"),
        choices=[("", _("Välj"))] + list(ReporterType.choices),
        help_text=_("Arbetar du med barn, till exempel i skolan eller vården, väljer du din verksamhet."),
    )
    reporter_organisation = forms.CharField(
        label=_("Verksamhet"),
        max_length=200,
        required=False,
        help_text=_("Om du anmäler i ditt arbete: skolans, mottagningens eller myndighetens namn."),
    )
    reporter_name = forms.CharField(
        label=_("Ditt namn"),
        max_length=200,
        required=False,
        help_text=_("Lämna tomt om du vill vara anonym."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_contact = forms.CharField(
        label=_("Telefon eller e-post"),
        max_length=200,
        required=False,
        help_text=_("Så att vi kan ringa dig om vi har frågor. Lämna tomt om du vill vara anonym."),
    )
    child_number = forms.CharField(
        label=_("Barnets personnummer"),
        max_length=20,
        required=False,
        help_text=_("ÅÅÅÅMMDD-NNNN. Vet du inte numret? Lämna tomt och skriv det du vet nedan."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    child_description = forms.CharField(
        label=_("Det här vet jag om barnet"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Namn, ungefärlig ålder, skola eller förskola, adress."),
    )
    text = forms.CharField(
        label=_("Vad är du orolig för?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Berätta vad du har sett eller hört, och när. Skriv så konkret du kan."),
    )


class IdentifyChildForm(StyledForm):
    number = forms.CharField(label=_("Barnets personnummer"), max_length=20, help_text=_("ÅÅÅÅMMDD-NNNN"))
