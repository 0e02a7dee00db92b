"""Forms of the care pages: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.care.choices import ChoiceMethod, MessageKind, SignatureMethod, TerminationReason
from sociala.cases.choices import Outcome
from sociala.web.forms import DateInput, StyledForm


def _area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class LifeAreaForm(StyledForm):
    needs = forms.CharField(label=_("Behov"), required=False, widget=_area(), max_length=10_000)
    resources = forms.CharField(label=_("Resurser"), required=False, widget=_area(), max_length=10_000)
    goals = forms.CharField(label=_("Mål"), required=False, widget=_area(2), max_length=10_000)
    person_view = forms.CharField(
        label=_("Den enskildes egen uppfattning"), required=False, widget=_area(2), max_length=10_000
    )


class OrderInformationForm(StyledForm):
    background = forms.CharField(
        label=_("Bakgrund"),
        required=False,
        widget=_area(4),
        max_length=10_000,
        help_text=_("Stannar i utredningen; skickas inte till utföraren"),
    )
    practical_information = forms.CharField(
        label=_("Praktisk information till utföraren"),
        required=False,
        widget=_area(3),
        max_length=10_000,
        help_text=_("Till exempel nycklar, portkod, husdjur, hjälpmedel"),
    )
    good_to_know = forms.CharField(
        label=_("Bra att veta"), required=False, widget=_area(3), max_length=10_000
    )


class ContactForm(StyledForm):
    name = forms.CharField(label=_("Namn"), required=False, max_length=160)
    relation = forms.CharField(label=_("Relation"), required=False, max_length=120)
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)


ContactFormSet = forms.formset_factory(ContactForm, extra=1, max_num=5)


class ProposalForm(StyledForm):
    intervention_kind = forms.ChoiceField(label=_("Insats"))
    description = forms.CharField(label=_("Beskrivning"), max_length=300)
    scope_amount = forms.CharField(
        label=_("Omfattning"),
        required=False,
        max_length=10,
        help_text=_("Hemtjänst i timmar per månad, aktiviteter i tillfällen per vecka"),
    )
    goals = forms.CharField(label=_("Mål med insatsen"), widget=_area(2), max_length=10_000)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention_kind"].choices = [(k.code, k.label) for k in kinds]


class CompleteInvestigationForm(StyledForm):
    refusal_intended = forms.BooleanField(
        label=_("Avslag eller delvis avslag övervägs (kommunicering krävs)"), required=False
    )


class DecisionItemForm(StyledForm):
    intervention_kind = forms.ChoiceField(label=_("Insats"))
    description = forms.CharField(label=_("Vad beslutet gäller"), max_length=300)
    scope_amount = forms.CharField(label=_("Omfattning"), required=False, max_length=10)
    goals = forms.CharField(label=_("Mål"), required=False, widget=_area(2), max_length=10_000)
    outcome = forms.ChoiceField(label=_("Beslut"), choices=Outcome.choices)
    motivation = forms.CharField(
        label=_("Motivering för den här delen"), required=False, widget=_area(2), max_length=2000
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention_kind"].choices = [(k.code, k.label) for k in kinds]


class BaseDecisionItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, kinds=(), **kwargs):
        self.kinds = kinds
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "kinds": self.kinds}


DecisionItemFormSet = forms.formset_factory(
    DecisionItemForm, formset=BaseDecisionItemFormSet, extra=0, min_num=1, validate_min=True, max_num=20
)


class DecisionForm(StyledForm):
    period_start = forms.DateField(label=_("Gäller från"), widget=DateInput)
    period_end = forms.DateField(
        label=_("Gäller till"), widget=DateInput, required=False, help_text=_("Lämna tomt för tills vidare")
    )
    legal_basis = forms.CharField(label=_("Lagrum"), max_length=200)
    motivation = forms.CharField(label=_("Motivering"), widget=_area(5), max_length=8000)


class ChoiceForm(StyledForm):
    method = forms.ChoiceField(
        label=_("Hur utföraren valdes"), choices=ChoiceMethod.choices, widget=forms.RadioSelect
    )
    provider = forms.ChoiceField(label=_("Vald utförare"), required=False, widget=forms.RadioSelect)
    chosen_on = forms.DateField(label=_("Valet gjordes"), widget=DateInput)
    note = forms.CharField(label=_("Anteckning om valet"), required=False, widget=_area(2), max_length=10_000)
    instructions = forms.CharField(
        label=_("Övrigt till utföraren"), required=False, widget=_area(2), max_length=4000
    )

    def __init__(self, *args, providers=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("chosen_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(str(a.provider.pk), a.provider.name) for a in providers]


class ConsentForm(StyledForm):
    given = forms.ChoiceField(
        label=_("Samtycke"),
        choices=[("yes", _("Den enskilde samtycker")), ("no", _("Inget samtycke"))],
        widget=forms.RadioSelect,
    )
    consent_note = forms.CharField(
        label=_("Hur samtycket lämnades"),
        required=False,
        max_length=300,
        help_text=_("Till exempel muntligt vid hembesök"),
    )


class PlanForm(StyledForm):
    goals = forms.CharField(label=_("Mål"), widget=_area(3), max_length=10_000)
    how = forms.CharField(
        label=_("Hur – vad som görs och på vilket sätt"), widget=_area(4), max_length=10_000
    )
    schedule = forms.CharField(label=_("När"), widget=_area(2), max_length=10_000)
    performed_by = forms.CharField(label=_("Av vem"), widget=_area(2), max_length=10_000)
    client_wishes = forms.CharField(
        label=_("Den enskildes önskemål"), required=False, widget=_area(3), max_length=10_000
    )
    participants = forms.CharField(
        label=_("Medverkande"),
        required=False,
        max_length=300,
        help_text=_("Vilka som var med och tog fram planen"),
    )


class SignatureForm(StyledForm):
    method = forms.ChoiceField(
        label=_("Hur planen signeras"), choices=SignatureMethod.choices, widget=forms.RadioSelect
    )
    confirmed = forms.BooleanField(label=_("Jag har tagit del av planen och godkänner den"), required=False)
    signed_name = forms.CharField(label=_("Den enskildes namn"), required=False, max_length=160)
    signed_on = forms.DateField(label=_("Datum"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("signed_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ProviderJournalForm(StyledForm):
    occurred_on = forms.DateField(label=_("Datum"), widget=DateInput)
    text = forms.CharField(label=_("Anteckning"), widget=_area(5), max_length=10_000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class MessageForm(StyledForm):
    kind = forms.ChoiceField(label=_("Vad gäller det?"), choices=MessageKind.choices)
    occurred_on = forms.DateField(label=_("När hände det?"), widget=DateInput)
    text = forms.CharField(label=_("Meddelande till handläggaren"), widget=_area(4), max_length=10_000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ReassessmentForm(StyledForm):
    received_on = forms.DateField(label=_("Inkom"), widget=DateInput)
    sought = forms.CharField(label=_("Vad omprövningen gäller"), widget=_area(3), max_length=4000)
    copy_investigation = forms.BooleanField(
        label=_("Kopiera utredningen och de beviljade insatserna till den nya utredningen"),
        required=False,
        initial=True,
    )


class TerminationForm(StyledForm):
    reason = forms.ChoiceField(label=_("Varför upphör insatserna?"), choices=TerminationReason.choices)
    ended_on = forms.DateField(label=_("Upphör från"), widget=DateInput)
    note = forms.CharField(label=_("Anteckning"), required=False, widget=_area(2), max_length=10_000)


class CommunicationForm(StyledForm):
    considered_refusal = forms.CharField(
        label=_("Det som kan komma att avslås, och varför"),
        widget=_area(5),
        max_length=10_000,
        help_text=_("Skrivs i brevet tillsammans med utredningen. Skriv så att den enskilde förstår."),
    )
    sent_on = forms.DateField(label=_("Brevet skickas"), widget=DateInput)


class CommunicationReplyForm(StyledForm):
    replied_on = forms.DateField(label=_("Svaret kom in"), widget=DateInput)
    reply = forms.CharField(
        label=_("Vad svarade den enskilde?"),
        widget=_area(4),
        max_length=10_000,
        help_text=_("Eller att hen inte hade något att tillägga."),
    )
