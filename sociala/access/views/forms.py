"""Forms of the access pages: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.models import ConsentForm, ConsentGiver, ConsentScope
from sociala.accounts.choices import Role
from sociala.core.choices import ServiceArea
from sociala.organization.models import Committee, Team, Unit
from sociala.web.forms import DateInput, StyledForm


class UserSearchForm(StyledForm):
    q = forms.CharField(label=_("Sök användare (namn eller användarnamn)"), max_length=150, required=False)


class AssignmentForm(StyledForm):
    role = forms.ChoiceField(label=_("Roll"))
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Arbetsgrupp"), queryset=Team.objects.none(), required=False)
    committee = forms.ModelChoiceField(
        label=_("Stadsdelsnämnd"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("För lokal administratör"),
    )
    service_areas = forms.MultipleChoiceField(
        label=_("Verksamhetsområden"),
        choices=ServiceArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Lämna tomt för enhetens eget område"),
    )
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput)
    valid_to = forms.DateField(
        label=_("Sista dag"), widget=DateInput, required=False, help_text=_("Lämna tomt för tills vidare")
    )

    def __init__(self, *args, roles, units, teams, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["unit"].queryset = units
        self.fields["team"].queryset = teams
        self.fields["committee"].queryset = committees
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["service_areas"].widget.attrs["class"] = "checkbox__input"


class LastDayForm(StyledForm):
    last_day = forms.DateField(
        label=_("Sista dag med behörighet"),
        widget=DateInput,
        help_text=_("Välj i går för att behörigheten ska upphöra nu"),
    )


class TeamAccessForm(StyledForm):
    role = forms.ChoiceField(
        label=_("Roll"), choices=[(r, Role(r).label) for r in (Role.CASEWORKER, Role.UNIT_MANAGER)]
    )
    service_areas = forms.MultipleChoiceField(
        label=_("Verksamhetsområden"),
        choices=ServiceArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Lämna tomt för enhetens eget område"),
    )
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput)
    give_to_members = forms.BooleanField(
        label=_("Ge behörigheten till gruppens nuvarande medlemmar också"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["service_areas"].widget.attrs["class"] = "checkbox__input"


class TeamMemberForm(StyledForm):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    valid_from = forms.DateField(label=_("Börjar i gruppen"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class ConsentRecordForm(StyledForm):
    scope = forms.ChoiceField(label=_("Samtycket gäller"), choices=ConsentScope.choices)
    from_area = forms.ChoiceField(label=_("Uppgifter från verksamhetsområde"), choices=ServiceArea.choices)
    to_area = forms.ChoiceField(
        label=_("Får lämnas till verksamhetsområde"),
        choices=[("", "–"), *ServiceArea.choices],
        required=False,
        help_text=_("När samtycket gäller mellan verksamhetsområden"),
    )
    outside_party = forms.CharField(
        label=_("Får lämnas till (utomstående part)"),
        max_length=200,
        required=False,
        help_text=_("Till exempel skolan, regionens vårdcentral eller Försäkringskassan"),
    )
    purpose = forms.CharField(
        label=_("Syfte"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    form = forms.ChoiceField(label=_("Hur samtycket lämnades"), choices=ConsentForm.choices)
    given_by = forms.ChoiceField(label=_("Vem lämnade samtycket"), choices=ConsentGiver.choices)
    given_by_name = forms.CharField(
        label=_("Namn på den som lämnade samtycket"),
        max_length=160,
        required=False,
        help_text=_("När det inte var personen själv"),
    )
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput)
    valid_to = forms.DateField(
        label=_("Gäller till och med"),
        widget=DateInput,
        required=False,
        help_text=_("Lämna tomt för tills det återkallas"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class ConsentWithdrawForm(StyledForm):
    withdrawn_on = forms.DateField(label=_("Återkallat från och med"), widget=DateInput)
    form = forms.ChoiceField(label=_("Hur återkallandet lämnades"), choices=ConsentForm.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()
