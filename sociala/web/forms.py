"""Forms of the staff UI: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sociala.cases.choices import JournalCategory, Outcome
from sociala.cases.models import CaseType
from sociala.core.errors import InvalidInput


class StyledForm(forms.Form):
    """Adds the design system's classes to every widget and maps service errors onto fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                css = "select-field__select"
            elif isinstance(widget, forms.Textarea):
                css = "textarea-field__textarea"
            elif isinstance(widget, forms.CheckboxInput):
                css = "checkbox__input"
            else:
                css = "text-field__input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_service_errors(self, error: InvalidInput) -> None:
        for field, message in error.errors.items():
            self.add_error(field if field in self.fields else None, message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LoginForm(StyledForm):
    username = forms.CharField(
        label=_("Användarnamn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Lösenord"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OpenCaseForm(StyledForm):
    case_type = forms.ModelChoiceField(label=_("Typ av ärende"), queryset=CaseType.objects.none())
    received_on = forms.DateField(label=_("Inkom"), widget=DateInput, help_text=_("ÅÅÅÅ-MM-DD"))
    sought = forms.CharField(
        label=_("Vad gäller ansökan eller anmälan?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def __init__(self, *args, case_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = case_types if case_types is not None else CaseType.objects.all()


class StepForm(StyledForm):
    step = forms.CharField(widget=forms.HiddenInput)
    refusal_intended = forms.BooleanField(
        label=_("Avslag eller delvis avslag övervägs (kommunicering krävs)"), required=False
    )


class DecisionForm(StyledForm):
    period_start = forms.DateField(label=_("Gäller från"), widget=DateInput)
    period_end = forms.DateField(
        label=_("Gäller till"), widget=DateInput, required=False, help_text=_("Lämna tomt för tills vidare")
    )
    legal_basis = forms.CharField(label=_("Lagrum"), max_length=200)
    motivation = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )


class DecisionItemForm(StyledForm):
    description = forms.CharField(label=_("Vad beslutet gäller"), max_length=300)
    scope = forms.CharField(
        label=_("Omfattning"), max_length=200, required=False, help_text=_("Till exempel 20 timmar per månad")
    )
    amount = forms.IntegerField(label=_("Belopp (kr)"), required=False, min_value=0)
    outcome = forms.ChoiceField(label=_("Beslut"), choices=Outcome.choices)
    motivation = forms.CharField(
        label=_("Motivering för den här delen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


DecisionItemFormSet = forms.formset_factory(
    DecisionItemForm, extra=0, min_num=1, validate_min=True, max_num=20
)


class JournalForm(StyledForm):
    category = forms.ChoiceField(label=_("Kategori"), choices=JournalCategory.choices)
    occurred_on = forms.DateField(label=_("Händelsedatum"), widget=DateInput)
    title = forms.CharField(label=_("Rubrik"), max_length=200, required=False)
    text = forms.CharField(label=_("Anteckning"), widget=forms.Textarea(attrs={"rows": 10}), required=False)


class CorrectionForm(StyledForm):
    text = forms.CharField(label=_("Rättad text"), widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label=_("Skäl till rättelsen"), max_length=500)


class JournalFilterForm(StyledForm):
    category = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=[("", _("Alla"))] + list(JournalCategory.choices)
    )
    author = forms.ChoiceField(label=_("Skriven av"), required=False)
    period_from = forms.DateField(label=_("Från"), widget=DateInput, required=False)
    period_to = forms.DateField(label=_("Till"), widget=DateInput, required=False)

    def __init__(self, *args, authors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = [("", _("Alla"))] + [(str(a.pk), a.get_full_name()) for a in authors]


class UploadForm(StyledForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    file = forms.FileField(label=_("Fil"), help_text=_("PDF, PNG eller JPEG, högst 20 MB"), required=False)


class OrderForm(StyledForm):
    intervention = forms.ChoiceField(label=_("Insats"))
    provider = forms.ChoiceField(label=_("Utförare"))
    instructions = forms.CharField(
        label=_("Information till utföraren"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EmergencyAccessForm(StyledForm):
    number = forms.CharField(label=_("Personnummer"), max_length=20, help_text=_("ÅÅÅÅMMDD-NNNN"))
    password = forms.CharField(
        label=_("Ditt lösenord"),
        help_text=_("Bekräfta att det är du innan nödåtkomsten öppnas."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    reason = forms.CharField(
        label=_("Skäl till nödåtkomst"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Åtkomsten loggas och granskas i efterhand."),
    )


class PhraseForm(StyledForm):
    title = forms.CharField(label=_("Rubrik"), max_length=120)
    category = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=[("", _("Alla"))] + list(JournalCategory.choices)
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class AuditSearchForm(StyledForm):
    person = forms.CharField(label=_("Person (personnummer)"), required=False, max_length=20)
    username = forms.CharField(label=_("Användare"), required=False, max_length=150)
    period_from = forms.DateField(label=_("Från"), widget=DateInput, required=False)
    period_to = forms.DateField(label=_("Till"), widget=DateInput, required=False)
    emergency_only = forms.BooleanField(label=_("Bara nödåtkomst"), required=False)
